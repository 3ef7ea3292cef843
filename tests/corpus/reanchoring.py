"""A generated corpus for re-anchoring: articles, claims, and edits whose outcome is known.

Articles are the project's own (the kept paragraphs of the cleaning corpus, in eight languages).
Claims are spans inside one sentence. Each case applies one edit of a known kind and records,
for every claim, where its words went, or that they are gone:

- insert_before:    a new sentence at the start of the claim's paragraph (words shift)
- typo_inside:      one character inside the claim changes (words edited in place)
- sentence_rewrite: the claim's paragraph is replaced by another text (words gone)
- sentence_reworded: every other word of the claim's sentence is replaced (words gone, though
                    much of the sentence remains: the hard case for fuzzy matching)
- paragraph_move:   the claim's paragraph moves to the end (words elsewhere)
- deletion:         the claim's sentence is deleted (words gone)
- duplicate_phrase: the claim's words are added in a sentence earlier in the text (must stay put)
"""

from __future__ import annotations

import json
import random
import re
from dataclasses import dataclass

from tests.corpus import CORPUS_DIR
from workbench.text.anchoring import TextDiff, build_selectors, reanchor

EDIT_KINDS = ["insert_before", "typo_inside", "sentence_rewrite", "sentence_reworded", "paragraph_move", "deletion",
              "duplicate_phrase"]
# A sentence ends at . ! ? followed by a space or the end ("9.8 million" is one sentence), or at
# CJK full stops, which need no space.
_SENTENCE = re.compile(r".+?(?:[.!?][\"”»)]*(?=\s|$)|[。！？][\"”»)]*|$)")
# Scripts written without spaces between words (Chinese, Japanese, Thai, Lao, Khmer, Myanmar):
# their claims and edits are made a character at a time, since a space-separated "word" there is
# a whole phrase, and rewording every other one would leave most of a claim's words in place.
_CJK = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff\u0e00-\u0eff\u1780-\u17ff\u1000-\u109f]")
NEW_SENTENCE = {"default": "This sentence was added in an update.", "cjk": "此句为更新时新增。"}


@dataclass
class Span:
    paragraph: int
    start: int
    end: int


def articles() -> list[tuple[str, list[str]]]:
    """(name, paragraphs) for each article of the cleaning corpus."""
    result = []
    for folder in sorted(p for p in CORPUS_DIR.iterdir() if (p / "expected.json").exists()):
        paragraphs = json.loads((folder / "expected.json").read_text(encoding="utf-8"))["kept"]
        result.append((folder.name, paragraphs))
    return result


def sentences(paragraph: str) -> list[tuple[int, int]]:
    spans = []
    for match in _SENTENCE.finditer(paragraph):
        text = match.group()
        start = match.start() + (len(text) - len(text.lstrip()))
        end = match.start() + len(text.rstrip())
        if end > start:
            spans.append((start, end))
    return spans


def pick_claims(paragraphs: list[str], rng: random.Random, count: int) -> list[Span]:
    """Random spans of a few words (or CJK characters) inside single sentences."""
    claims = []
    for _ in range(count * 4):
        if len(claims) == count:
            break
        p = rng.randrange(len(paragraphs))
        s_start, s_end = rng.choice(sentences(paragraphs[p]))
        sentence = paragraphs[p][s_start:s_end]
        if _CJK.search(sentence):
            length = rng.randint(4, 10)
            if len(sentence) <= length + 2:
                continue
            start = s_start + rng.randrange(0, len(sentence) - length)
            end = start + length
            # A claim never starts or ends on a space (Thai puts them between phrases).
            while start < end and paragraphs[p][start].isspace():
                start += 1
            while end > start and paragraphs[p][end - 1].isspace():
                end -= 1
            if end - start < 3:
                continue
            claims.append(Span(p, start, end))
            continue
        words = [(m.start() + s_start, m.end() + s_start) for m in re.finditer(r"\S+", sentence)]
        if len(words) < 4:
            continue
        n = rng.randint(2, min(7, len(words) - 1))
        first = rng.randrange(0, len(words) - n + 1)
        claims.append(Span(p, words[first][0], words[first + n - 1][1]))
    return claims


def join(paragraphs: list[str]) -> tuple[str, list[int]]:
    offsets, total = [], 0
    for paragraph in paragraphs:
        offsets.append(total)
        total += len(paragraph) + 2
    return "\n\n".join(paragraphs), offsets


def apply_edit(kind: str, paragraphs: list[str], claims: list[Span], target: int, rng: random.Random,
               other_texts: list[str]) -> tuple[list[str], list[Span | None]]:
    """The edited paragraphs and, per claim, its words' new span (None: gone)."""
    paras = list(paragraphs)
    truth: list[Span | None] = [Span(c.paragraph, c.start, c.end) for c in claims]
    t = claims[target]
    cjk = bool(_CJK.search(paras[t.paragraph]))
    added = NEW_SENTENCE["cjk" if cjk else "default"] + ("" if cjk else " ")

    if kind == "insert_before":
        paras[t.paragraph] = added + paras[t.paragraph]
        for span in truth:
            if span and span.paragraph == t.paragraph:
                span.start += len(added)
                span.end += len(added)
    elif kind == "typo_inside":
        text = paras[t.paragraph]
        positions = [i for i in range(t.start + 1, t.end - 1) if text[i].isalpha()]
        i = rng.choice(positions) if positions else t.start
        replacement = "x" if text[i] != "x" else "y"
        if cjk:
            replacement = "某" if text[i] != "某" else "甲"
        paras[t.paragraph] = text[:i] + replacement + text[i + 1:]
        # Same span, one character different: the claim should follow its edited words.
    elif kind == "sentence_rewrite":
        paras[t.paragraph] = rng.choice(other_texts)
        for n, span in enumerate(truth):
            if span and span.paragraph == t.paragraph:
                truth[n] = None
    elif kind == "sentence_reworded":
        s_start, s_end = next((a, b) for a, b in sentences(paras[t.paragraph]) if a <= t.start and t.end <= b)
        text = paras[t.paragraph]
        sentence = text[s_start:s_end]
        if cjk:
            reworded = "".join("改" if i % 2 else ch for i, ch in enumerate(sentence))
        else:
            reworded = re.sub(r"\S+", lambda m, c=iter(range(10**6)): "altered" if next(c) % 2 else m.group(), sentence)
        paras[t.paragraph] = text[:s_start] + reworded + text[s_end:]
        shift = len(reworded) - len(sentence)
        for n, span in enumerate(truth):
            if span is None or span.paragraph != t.paragraph:
                continue
            if span.end > s_start and span.start < s_end:
                truth[n] = None
            elif span.start >= s_end:
                span.start += shift
                span.end += shift
    elif kind == "paragraph_move":
        moved = paras.pop(t.paragraph)
        paras.append(moved)
        last = len(paras) - 1
        for span in truth:
            if span is None:
                continue
            if span.paragraph == t.paragraph:
                span.paragraph = last
            elif span.paragraph > t.paragraph:
                span.paragraph -= 1
    elif kind == "deletion":
        s_start, s_end = next((a, b) for a, b in sentences(paras[t.paragraph]) if a <= t.start and t.end <= b)
        text = paras[t.paragraph]
        # Remove the sentence and the space after it.
        cut_end = s_end + (1 if s_end < len(text) and text[s_end] == " " else 0)
        paras[t.paragraph] = text[:s_start] + text[cut_end:]
        removed = cut_end - s_start
        for n, span in enumerate(truth):
            if span is None or span.paragraph != t.paragraph:
                continue
            if span.end > s_start and span.start < cut_end:
                truth[n] = None
            elif span.start >= cut_end:
                span.start -= removed
                span.end -= removed
        if not paras[t.paragraph].strip():
            paras[t.paragraph] = added.strip()
    elif kind == "duplicate_phrase":
        words = paragraphs[t.paragraph][t.start:t.end]
        before = 0 if t.paragraph > 0 else None
        sentence = (f"Readers asked about {words} again." if not cjk else f"读者再次询问{words}一事。") + ("" if cjk else " ")
        if before is None:  # the claim is in the first paragraph: add a new first paragraph
            paras.insert(0, sentence.strip())
            for span in truth:
                if span:
                    span.paragraph += 1
        else:
            paras[before] = sentence + paras[before]
            for span in truth:
                if span and span.paragraph == before:
                    span.start += len(sentence)
                    span.end += len(sentence)
    else:  # pragma: no cover
        raise ValueError(kind)
    return paras, truth


@dataclass
class Outcome:
    kind: str
    correct: int = 0
    missed: int = 0
    misanchored: int = 0
    claims: int = 0
    should_find: int = 0
    gone: int = 0


def evaluate(seed: int = 1, claims_per_article: int = 8) -> dict[str, Outcome]:
    """Run every edit kind on every article and claim; count outcomes per kind."""
    corpus = articles()
    outcomes = {kind: Outcome(kind) for kind in EDIT_KINDS}
    for name, paragraphs in corpus:
        # Each article draws from its own generator, so adding an article leaves the others' claims
        # and edits as they were.
        rng = random.Random(f"{seed}:{name}")
        others = [p for other, paras in corpus if other != name for p in paras]
        claims = pick_claims(paragraphs, rng, claims_per_article)
        old_text, old_offsets = join(paragraphs)
        selectors = [build_selectors(old_text, old_offsets[c.paragraph] + c.start, old_offsets[c.paragraph] + c.end)
                     for c in claims]
        for kind in EDIT_KINDS:
            for target in range(len(claims)):
                new_paragraphs, truth = apply_edit(kind, paragraphs, claims, target, rng, others)
                new_text, new_offsets = join(new_paragraphs)
                diff = TextDiff(old_text, new_text)
                for sel, expected in zip(selectors, truth):
                    result = reanchor(old_text, new_text, start=sel.start, end=sel.end, exact=sel.exact,
                                      prefix=sel.prefix, suffix=sel.suffix, diff=diff)
                    outcome = outcomes[kind]
                    outcome.claims += 1
                    if expected is None:
                        outcome.gone += 1
                        if result.state == "orphan":
                            outcome.correct += 1
                        else:
                            outcome.misanchored += 1
                        continue
                    outcome.should_find += 1
                    want = (new_offsets[expected.paragraph] + expected.start, new_offsets[expected.paragraph] + expected.end)
                    if result.state == "orphan":
                        outcome.missed += 1
                    elif (result.start, result.end) == want:
                        outcome.correct += 1
                    else:
                        outcome.misanchored += 1
    return outcomes


def table(outcomes: dict[str, Outcome]) -> str:
    lines = [f"{'edit':18} {'claims':>7} {'correct':>8} {'missed':>7} {'mis-anchored':>13}"]
    total = Outcome("all")
    for o in outcomes.values():
        missed = f"{o.missed / o.should_find:.1%}" if o.should_find else "-"
        lines.append(f"{o.kind:18} {o.claims:7} {o.correct / o.claims:8.1%} {missed:>7} {o.misanchored:13}")
        for key in ("correct", "missed", "misanchored", "claims", "should_find", "gone"):
            setattr(total, key, getattr(total, key) + getattr(o, key))
    lines.append(f"{'all':18} {total.claims:7} {total.correct / total.claims:8.1%} "
                 f"{total.missed / total.should_find:7.1%} {total.misanchored:13}")
    return "\n".join(lines)
