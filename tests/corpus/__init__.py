"""The cleaning corpus: messy inputs with the article's own paragraphs and the junk to drop.

Each case is a folder with ``input.{txt,html,md}`` and ``expected.json``:
``{"title", "published"?, "kept": [paragraph, ...], "dropped": [snippet, ...]}``.
Precision and recall are counted in words: recall is the share of the article's words that
reach the canonical text, precision the share of the canonical text's words that belong to
the article.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import re

from workbench.services.ingest import UPLOAD_EXTENSIONS, clean_input
from workbench.text.cleaning import normalize_block, word_count

CORPUS_DIR = Path(__file__).resolve().parent / "cleaning"
_SENTENCE_END_RE = re.compile(r"(?<=[.!?。！？])\s+|(?<=[。！？])")


def sentences(paragraph: str) -> list[str]:
    """The sentences of a paragraph, split after their closing punctuation (CJK needs no space)."""
    return [s for s in (part.strip() for part in _SENTENCE_END_RE.split(normalize_block(paragraph))) if s]


@dataclass
class CaseResult:
    name: str
    expected: dict
    paragraphs: list[str]
    meta: dict
    article_words: int
    kept_article_words: int
    output_words: int
    output_article_words: int
    leaked: list[str]

    @property
    def precision(self) -> float:
        return self.output_article_words / self.output_words if self.output_words else 0.0

    @property
    def recall(self) -> float:
        return self.kept_article_words / self.article_words if self.article_words else 1.0

    @property
    def lost(self) -> list[str]:
        found = set(self.paragraphs)
        return [p for p in self.expected["kept"] if normalize_block(p) not in found]

    @property
    def extra(self) -> list[str]:
        wanted = {normalize_block(p) for p in self.expected["kept"]}
        return [p for p in self.paragraphs if p not in wanted]

    @property
    def junk_lines(self) -> int:
        """Blocks in the canonical text that are not the article's."""
        return len(self.extra)

    @property
    def lost_sentences(self) -> list[str]:
        """The article's sentences that are missing from the canonical text."""
        text = "\n\n".join(self.paragraphs)
        return [s for p in self.expected["kept"] for s in sentences(p) if s not in text]


def case_dirs() -> list[Path]:
    return sorted(p for p in CORPUS_DIR.iterdir() if (p / "expected.json").exists())


def run_case(folder: Path) -> CaseResult:
    source = next(p for p in folder.iterdir() if p.name.startswith("input."))
    expected = json.loads((folder / "expected.json").read_text(encoding="utf-8"))
    result = clean_input(source.read_bytes(), UPLOAD_EXTENSIONS[source.suffix])
    text = result.kept_text()
    paragraphs = text.split("\n\n") if text else []
    wanted = {normalize_block(p) for p in expected["kept"]}
    return CaseResult(
        name=folder.name,
        expected=expected,
        paragraphs=paragraphs,
        meta=result.meta,
        article_words=sum(word_count(p) for p in expected["kept"]),
        kept_article_words=sum(word_count(p) for p in expected["kept"] if normalize_block(p) in set(paragraphs)),
        output_words=sum(word_count(p) for p in paragraphs),
        output_article_words=sum(word_count(p) for p in paragraphs if p in wanted),
        leaked=[s for s in expected["dropped"] if s in text],
    )


def run_corpus() -> list[CaseResult]:
    return [run_case(folder) for folder in case_dirs()]


def per_article(results: list[CaseResult]) -> tuple[float, float]:
    """(junk lines kept, lost sentences) per article, averaged over the cases."""
    count = len(results) or 1
    return (sum(r.junk_lines for r in results) / count, sum(len(r.lost_sentences) for r in results) / count)


def totals(results: list[CaseResult]) -> tuple[float, float]:
    """Word-weighted (precision, recall) over all cases."""
    output = sum(r.output_words for r in results)
    article = sum(r.article_words for r in results)
    return (sum(r.output_article_words for r in results) / output,
            sum(r.kept_article_words for r in results) / article)
