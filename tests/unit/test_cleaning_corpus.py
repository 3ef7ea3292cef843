"""The cleaner over the corpus in tests/corpus/cleaning (see `make bench` for the full table)."""

import pytest

from tests.corpus import case_dirs, run_case, run_corpus, totals


@pytest.mark.parametrize("folder", case_dirs(), ids=lambda p: p.name)
def test_no_article_paragraph_is_lost(folder):
    result = run_case(folder)
    assert result.lost == [], f"article text dropped: {result.lost}"
    assert result.precision >= 0.8, f"junk kept: {result.extra}"


def test_corpus_is_varied_enough():
    folders = case_dirs()
    assert len(folders) >= 12
    kinds = {p.name.split("-")[2] for p in folders}
    languages = {p.name.split("-")[1] for p in folders}
    assert {"text", "html", "md"} <= kinds
    assert {"zh", "ru", "ar", "el"} & languages and len(languages) >= 5


def test_overall_precision_and_recall():
    precision, recall = totals(run_corpus())
    assert recall == 1.0
    assert precision >= 0.95
