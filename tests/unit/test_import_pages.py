"""The HTML import over the page corpus in tests/corpus/pages (`make bench` prints the table)."""

import statistics

import pytest

from tests.corpus.page_bench import cases, import_text, score, trafilatura_text

CASES = cases()


@pytest.mark.parametrize("name,page,expected", CASES, ids=[c[0] for c in CASES])
def test_import_keeps_what_the_extractor_keeps(name, page, expected):
    ours = score(import_text(page), expected)
    theirs = score(trafilatura_text(page), expected)
    assert not ours.refused
    assert set(ours.lost) <= set(theirs.lost), f"sentences trafilatura keeps were dropped: {ours.lost}"
    assert ours.recall >= theirs.recall - 0.02
    assert ours.precision >= 0.9


def test_import_beats_the_extractor_overall():
    ours = [score(import_text(page), expected) for _name, page, expected in CASES]
    theirs = [score(trafilatura_text(page), expected) for _name, page, expected in CASES]
    assert statistics.mean(r.f1 for r in ours) >= max(0.97, statistics.mean(r.f1 for r in theirs))
    assert sum(len(r.lost) for r in ours) <= sum(len(r.lost) for r in theirs)


def test_corpus_is_varied_enough():
    assert len(CASES) >= 20
    languages = {name.split("-")[1] for name, _page, _expected in CASES}
    assert {"en", "ja", "zh", "ru", "ar"} <= languages


def test_score_counts_cjk_characters_and_glued_sentences():
    result = score("対象は約十万人。来年四月から実施する。", ["対象は約十万人。", "来年四月から実施する。"])
    assert (result.precision, result.recall, result.lost) == (1.0, 1.0, [])
    assert score("Wednesday.The stabbing", ["It was Wednesday.", "The stabbing"]).lost == ["It was Wednesday."]
    assert score(None, ["A sentence."]).refused
