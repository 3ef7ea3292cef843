"""Re-anchoring over the generated corpus (see tests/corpus/reanchoring.py; `make bench` prints the table)."""

import pytest

from tests.corpus.reanchoring import EDIT_KINDS, evaluate
from workbench.text.anchoring import TextDiff, build_selectors, reanchor

#: The share of claims re-anchored correctly that we state and hold ourselves to.
STATED_CORRECT = 0.98


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_no_claim_is_ever_attached_to_the_wrong_words(seed):
    outcomes = evaluate(seed=seed)
    assert set(outcomes) == set(EDIT_KINDS)
    for outcome in outcomes.values():
        assert outcome.misanchored == 0, outcome
    claims = sum(o.claims for o in outcomes.values())
    correct = sum(o.correct for o in outcomes.values())
    assert claims > 5000 and correct / claims >= STATED_CORRECT


def test_words_that_are_gone_always_orphan():
    for outcome in evaluate(seed=1).values():
        if outcome.kind in ("sentence_rewrite", "sentence_reworded", "deletion"):
            assert outcome.gone > 0 and outcome.misanchored == 0


OLD = ("Headline paragraph about the bridge.\n\n"
       "The minister said tolls paid for the bridge twice over since 2009.\n\n"
       "Receipts reached 830 million crowns, the treasury said.")


def anchor(words, new, old=OLD):
    start = old.index(words)
    sel = build_selectors(old, start, start + len(words))
    return reanchor(old, new, start=sel.start, end=sel.end, exact=sel.exact, prefix=sel.prefix, suffix=sel.suffix,
                    diff=TextDiff(old, new))


@pytest.mark.parametrize("new, state, found", [
    pytest.param(OLD, "kept", "tolls paid for the bridge", id="unchanged"),
    pytest.param("Breaking: update.\n\n" + OLD, "moved", "tolls paid for the bridge", id="paragraph_inserted_before"),
    pytest.param(OLD.replace("tolls paid", "tolls payed"), "changed", "tolls payed for the bridge", id="typo_inside"),
    pytest.param(OLD.replace("The minister said tolls paid for the bridge twice over since 2009.", "Nothing to see."),
                 "orphan", None, id="sentence_deleted"),
    pytest.param(OLD + "\n\nSome said tolls paid for the bridge, others did not.", "kept", "tolls paid for the bridge",
                 id="duplicate_phrase_elsewhere_does_not_steal_it"),
])
def test_reanchor_cases(new, state, found):
    result = anchor("tolls paid for the bridge", new)
    assert result.state == state
    if found is None:
        assert result.start is None
    else:
        assert new[result.start:result.end] == found
        assert new.count(found) == 1 or result.start == new.index(found)


def test_changed_claims_carry_their_similarity():
    result = anchor("tolls paid for the bridge", OLD.replace("tolls paid", "tolls payed"))
    assert 0.8 <= result.score < 1


def test_short_common_phrase_needs_context_on_both_sides():
    old = "Alpha said it on Monday.\n\nBeta happened later."
    new = "Gamma reported everything on Monday.\n\nBeta happened later."
    assert anchor("on Monday.", new, old).state == "orphan"
