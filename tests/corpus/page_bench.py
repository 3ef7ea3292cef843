"""The HTML page corpus: invented news pages with the article's text, scored word by word.

Each case in tests/corpus/pages is ``NAME.html`` and ``NAME.txt`` (the article's paragraphs, one a
line, without the headline). Scores are bag-of-words: a word is a space-separated token, or
one character of a script written without spaces (Chinese, Japanese); punctuation is ignored and case folded.
Precision is the share of the output's words that are article words, recall the share of the
article's words in the output (counts clipped, as a multiset). A sentence is lost when its
letters, spaces removed, do not appear in the output's letters.
"""

from __future__ import annotations

import re
import unicodedata
import warnings
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

PAGES_DIR = Path(__file__).resolve().parent / "pages"
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_SENTENCE = re.compile(r"(?<=[.!?。！？])\s+|(?<=[。！？])")


@dataclass
class Score:
    precision: float
    recall: float
    f1: float
    lost: list[str]
    refused: bool = False


def cases() -> list[tuple[str, str, list[str]]]:
    """(name, page, article paragraphs) for every case, in name order."""
    found = []
    for page in sorted(PAGES_DIR.glob("*.html")):
        expected = page.with_suffix(".txt").read_text(encoding="utf-8").splitlines()
        found.append((page.stem, page.read_text(encoding="utf-8"), [p for p in expected if p.strip()]))
    return found


def tokens(text: str) -> Counter:
    text = unicodedata.normalize("NFKC", text).lower()
    text = _CJK.sub(lambda m: f" {m.group(0)} ", text)
    return Counter(w for w in (re.sub(r"[^\w]", "", t) for t in text.split()) if w)


def _letters(text: str) -> str:
    return re.sub(r"[\W_]", "", unicodedata.normalize("NFKC", text).lower())


def sentences(paragraphs: list[str]) -> list[str]:
    return [s for p in paragraphs for s in _SENTENCE.split(p) if _letters(s)]


def score(output: str | None, expected: list[str]) -> Score:
    if not output or not output.strip():
        return Score(0.0, 0.0, 0.0, sentences(expected), refused=True)
    got, want = tokens(output), tokens("\n".join(expected))
    overlap = sum((got & want).values())
    precision = overlap / sum(got.values()) if got else 0.0
    recall = overlap / sum(want.values()) if want else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    letters = _letters(output)
    lost = [s for s in sentences(expected) if _letters(s) not in letters]
    return Score(precision, recall, f1, lost)


# --- the extractors -------------------------------------------------------------------------


def import_text(page: str) -> str | None:
    """What an HTML import keeps (the canonical text), None when it would be refused."""
    from workbench.services.articles import clean_import
    from workbench.text.cleaning import canonicalize

    blocks, _meta = clean_import(page.encode("utf-8"), "text/html", max_bytes=10_000_000, charset="utf-8")
    return canonicalize([b["text"] for b in blocks if b["kept"]]) or None


def trafilatura_text(page: str) -> str | None:
    import trafilatura

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return trafilatura.extract(page, include_comments=False, include_tables=True)


def readability_text(page: str) -> str | None:
    """readability-lxml's summary as text, a line a block; raises ImportError when it is not installed."""
    import lxml.html
    from readability import Document

    summary = Document(page).summary(html_partial=True)
    root = lxml.html.fromstring(summary)
    for el in root.iter("p", "div", "li", "br", "h1", "h2", "h3", "h4", "td", "blockquote", "figcaption", "pre"):
        el.tail = "\n" + (el.tail or "")
        if el.tag != "br":
            el.text = "\n" + (el.text or "")
    return "\n".join(" ".join(line.split()) for line in root.text_content().splitlines() if line.strip())


EXTRACTORS = {"import": import_text, "trafilatura": trafilatura_text, "readability": readability_text}
