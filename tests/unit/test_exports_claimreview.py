"""ClaimReview's short summary of the claim."""

import pytest

from workbench.services.exports.claimreview import summarize


@pytest.mark.parametrize("quote, expected", [
    pytest.param("Tolls paid for the bridge twice over", "Tolls paid for the bridge twice over", id="short_whole"),
    pytest.param("The bridge cost 412m. Receipts reached 830m by the end of the year, said the minister today.",
                 "The bridge cost 412m.", id="first_sentence"),
    pytest.param("a " * 60, None, id="long_cut_at_a_word"),
    pytest.param("  spaced\n\nout  claim ", "spaced out claim", id="whitespace_folded"),
])
def test_summarize(quote, expected):
    result = summarize(quote)
    assert len(result) <= 75
    if expected is not None:
        assert result == expected
    else:
        assert result.endswith("…") and not result[:-1].endswith(" ")
