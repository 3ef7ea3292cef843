"""The import preview's layout: kept text, dropped runs in place, far-away junk grouped.

A page of 165 blocks hides the one sentence the cleaner lost. This groups the draft's blocks
so the preview can show the kept text with the dropped blocks near it in place (one line each,
with a readable reason) and fold the navigation above and the footer below the article:

>>> blocks = [{"text": "Home | World | Sport", "role": "junk", "reason": "navigation"},
...           {"text": "Big news", "role": "title", "reason": "headline (used as the title)"},
...           {"text": "It happened.", "role": "body", "reason": "article text"},
...           {"text": "Share this", "role": "junk", "reason": "share or social widget"},
...           {"text": "It went on.", "role": "body", "reason": "article text"}]
>>> [(item.kind, item.indexes) for item in present(blocks, kept=[2, 4]).items]
[('dropped', [0]), ('meta', [1]), ('kept', [2]), ('dropped', [3]), ('kept', [4])]

Nothing here decides what is kept: the cleaner's roles and the user's ticks do.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from workbench.text.cleaning import plain_key, strip_bullet, word_count

#: Dropped blocks this many blocks or fewer from the article are shown in place.
NEAR = 3
#: A run in place longer than this is folded to one line too.
FOLD_OVER = 6
META_ROLES = ("title", "dateline", "byline")

# The cleaner's and the extractor's reasons, as a reader would name them (by prefix, so a
# reworded rule still reads; an unknown reason is shown as it is).
REASONS = [
    ("script or code", "script or code"),
    ("share or social", "share buttons"),
    ("cookie", "cookie notice"),
    ("advertisement", "advertisement"),
    ("related or recent news", "related-stories list"),
    ("teaser ending in", "teaser (“Read more”)"),
    ("teaser headline", "teaser headline"),
    ("navigation", "navigation menu"),
    ("newsletter or subscription", "newsletter prompt"),
    ("copyright footer", "copyright footer"),
    ("tag list", "tag list"),
    ("editor credit", "editor credit"),
    ("photo caption or credit", "photo caption or credit"),
    ("image file name", "a photo's file name"),
    ("duplicated photo caption", "photo caption printed twice"),
    ("section label", "section label"),
    ("headline", "the headline, moved to Title"),
    ("dateline", "the date, moved to Published"),
    ("byline", "the byline, moved to Byline"),
]
# Where the extractor saw a block it left out (extraction.CONTEXT_HINTS and its class hints).
CONTEXTS = [
    ("navigation", "navigation menu"),
    ("page footer", "page footer"),
    ("sidebar", "sidebar"),
    ("form", "form"),
    ("share", "share buttons"),
    ("social", "share buttons"),
    ("related", "related-stories list"),
    ("recommend", "related-stories list"),
    ("cookie", "cookie notice"),
    ("consent", "cookie notice"),
    ("newsletter", "newsletter prompt"),
    ("promo", "newsletter prompt"),
    ("advert", "advertisement"),
    ("ad-", "advertisement"),
    ("comment", "comments"),
]
NOT_IN_ARTICLE = "not in the article the extractor found"
_NOT_PART_RE = re.compile(r"^not part of the article(?:\s*\((?P<where>[^)]*)\))?", re.I)
FIRST_WORDS = 12


@dataclass
class Row:
    index: int
    text: str
    role: str
    kept: bool
    reason: str  #: readable
    words: int

    @property
    def number(self) -> int:
        return self.index + 1


@dataclass
class Item:
    """One kept or metadata block, or a run of consecutive dropped ones."""

    kind: str  #: "kept", "meta", "dropped" (in place), "head" or "tail" (far from the article)
    rows: list[Row]

    @property
    def indexes(self) -> list[int]:
        return [row.index for row in self.rows]

    @property
    def words(self) -> int:
        return sum(row.words for row in self.rows)

    @property
    def folded(self) -> bool:
        """Shown as one summary line until opened (far junk, long runs)."""
        return self.kind in ("head", "tail") or len(self.rows) > FOLD_OVER

    @property
    def restore(self) -> str:
        """The form value that keeps every block of the run: "first-last"."""
        return f"{self.rows[0].index}-{self.rows[-1].index}"

    @property
    def reasons(self) -> str:
        """"navigation menu ×8, share buttons ×2, and 3 more"."""
        counted = Counter(row.reason for row in self.rows).most_common()
        shown = [f"{reason} ×{n}" if n > 1 else reason for reason, n in counted[:3]]
        if len(counted) > 3:
            shown.append(f"{len(counted) - 3} more")
        return ", ".join(shown)

    @property
    def first_words(self) -> str:
        words = self.rows[0].text.split()
        return " ".join(words[:FIRST_WORDS]) + ("…" if len(words) > FIRST_WORDS else "")


@dataclass
class Preview:
    items: list[Item]
    kept_blocks: int = 0
    dropped_blocks: int = 0
    kept_words: int = 0
    dropped_words: int = 0
    blocks: int = field(init=False)

    def __post_init__(self):
        self.blocks = self.kept_blocks + self.dropped_blocks


def readable_reason(block: dict, blocks: list[dict] | None = None, index: int | None = None) -> str:
    """The block's reason as the preview names it: "share buttons", "repeated text (same as block 3)"."""
    raw = (block.get("reason") or "").strip()
    if block.get("role", "body") == "body":
        return "article text"
    lowered = raw.lower()
    if lowered.startswith("repeated text") and blocks is not None and index is not None:
        same = _first_copy(blocks, index)
        return f"repeated text (same as block {same + 1})" if same is not None else "repeated text"
    match = _NOT_PART_RE.match(raw)
    if match:
        where = (match.group("where") or block.get("context") or "").lower()
        for hint, label in CONTEXTS:
            if hint in where:
                return f"{label} ({NOT_IN_ARTICLE})"
        return NOT_IN_ARTICLE
    for prefix, label in REASONS:
        if lowered.startswith(prefix):
            return label
    return raw or "dropped"


def _first_copy(blocks: list[dict], index: int) -> int | None:
    key = plain_key(strip_bullet(blocks[index].get("text", "")))
    for i in range(index):
        if plain_key(strip_bullet(blocks[i].get("text", ""))) == key:
            return i
    return None


def present(blocks: list[dict], kept: Iterable[int], *, near: int = NEAR) -> Preview:
    """Group the draft's blocks for the preview; ``kept`` are the indexes ticked now."""
    kept = set(kept)
    rows = [Row(index=i, text=b.get("text", ""), role=b.get("role", "body"), kept=i in kept,
                reason=readable_reason(b, blocks, i), words=word_count(b.get("text", "")))
            for i, b in enumerate(blocks)]
    # The article spans its kept blocks and the headline, byline and date taken from it.
    anchors = [row.index for row in rows if row.kept or row.role in META_ROLES]
    start = anchors[0] - near if anchors else 0
    end = anchors[-1] + near if anchors else len(rows)
    items: list[Item] = []
    for row in rows:
        if row.kept:
            kind = "kept"
        elif row.role in META_ROLES:
            kind = "meta"
        elif row.index < start:
            kind = "head"
        elif row.index > end:
            kind = "tail"
        else:
            kind = "dropped"
        if kind in ("dropped", "head", "tail") and items and items[-1].kind == kind:
            items[-1].rows.append(row)
        else:
            items.append(Item(kind=kind, rows=[row]))
    kept_rows = [row for row in rows if row.kept]
    return Preview(items=items, kept_blocks=len(kept_rows), dropped_blocks=len(rows) - len(kept_rows),
                   kept_words=sum(r.words for r in kept_rows),
                   dropped_words=sum(r.words for r in rows if not r.kept))
