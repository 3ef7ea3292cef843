"""The article's text as HTML with a ``<mark>`` for every stretch covered by claims.

Paragraph elements carry ``data-offset``, the code point where they start in the canonical
text, so the page can turn a browser selection into canonical positions, and ``dir="auto"``, so
an Arabic or Hebrew paragraph runs right to left. Nothing but the paragraphs' own text goes
inside them: the page rebuilds the canonical text from them.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from typing import NamedTuple

from markupsafe import Markup, escape

from workbench.memo import Memo
from workbench.text.anchoring import Segment, segments
from workbench.text.sanitize import clean_html

PARAGRAPH_BREAK = "\n\n"
#: Article pages' rendered texts by what they show (``RevisionMarks``): joining a long article's
#: kept paragraphs takes milliseconds that every reader of an unchanged page would pay again.
#: (A report's text, made once a report, is joined from the paragraphs, and not kept twice.)
_rendered = Memo(max_chars=4_000_000)
#: Paragraphs as rendered, in UTF-8, by their text and the highlights that touch them
#: (``_Paragraph``): an article of 50,000 words with 5,000 claims comes to about 2.3 MB, which
#: must fit, or every change renders every paragraph again. (As text, one emoji in a paragraph
#: makes each of its characters take four bytes: the same paragraphs took 8 MB so.)
_paragraphs = Memo(max_chars=4_000_000)


class Highlight(NamedTuple):
    claim_id: int
    start: int
    end: int
    #: CSS classes for a stretch covered by this claim alone (verdict colour, review status).
    classes: str
    #: The claim's accessible name ("Claim 3: False, draft — ‘…’"). A labelled claim's first mark
    #: is a stop of the keyboard's reading order, named by it; unlabelled claims are marked only.
    label: str = ""


class MarkedText(NamedTuple):
    """A text with its marks: the memo key of its rendering, and all the rendering is made from."""

    text: str
    highlights: tuple[Highlight, ...]
    #: ((claim id, number), ...) in claim id order: the footnote markers, if any.
    markers: tuple[tuple[int, int], ...] = ()


class RevisionMarks(NamedTuple):
    """A revision's text, named by its SHA-256, with its marks: the memo key of its rendering, which
    is made from ``MarkedText(that text, highlights)``. (Never equal to a ``MarkedText``: it has
    two fields, not three.)"""

    sha256: str
    highlights: tuple[Highlight, ...]


def paragraphs(text: str) -> list[tuple[int, str]]:
    """(start offset, paragraph) for each paragraph of canonical text."""
    result, offset = [], 0
    for paragraph in text.split(PARAGRAPH_BREAK):
        result.append((offset, paragraph))
        offset += len(paragraph) + len(PARAGRAPH_BREAK)
    return result


def render_text(text: str, highlights: list[Highlight], markers: dict[int, int] | None = None) -> Markup:
    """Paragraphs with marks; overlapping claims give marks listing several ids.

    With ``markers`` ({claim id: number}), a numbered link to ``#claim-<number>`` follows the
    end of each claim (the exported report's footnote markers).
    """
    return _render(MarkedText(text, tuple(highlights), tuple(sorted(markers.items())) if markers else ()))


def render_revision_text(revision, highlights: list[Highlight]) -> Markup:
    """``render_text`` of a revision's canonical text, known by its SHA-256: the text itself is
    read (for a deferred column, loaded) only when it must be rendered."""
    key = RevisionMarks(revision.sha256, tuple(highlights))
    return _rendered.get(key, lambda: _render(MarkedText(revision.canonical_text, key.highlights)))


class _Paragraph(NamedTuple):
    """One paragraph's memo key: everything its HTML is made from."""

    start: int
    text: str
    #: The view's highlights that touch the paragraph (start or end inside it or at its edges, or
    #: covering it), in the view's order.
    highlights: tuple[Highlight, ...]
    #: With placeholders, the ids of those claims that have a footnote marker, in the markers'
    #: order (their numbers go in after); else their (claim id, number) pairs.
    markers: tuple
    placeholders: bool
    #: Whether the paragraph is the text's last.
    last: bool


def _render(view: MarkedText) -> Markup:
    """Each paragraph made from its text and the highlights that touch it, and kept
    (``_paragraphs``): a new claim makes its own paragraph again, and the rest are joined as kept."""
    text, highlights, numbers = view.text, view.highlights, dict(view.markers)
    # With placeholders, a marker is named by its claim's id until the paragraph is cleaned.
    placeholders = bool(numbers) and not any(
        _MARKER_OPEN in s or _MARKER_CLOSE in s for s in (text, *(h.label for h in highlights)))
    spans = paragraphs(text)
    starts = [start for start, _paragraph in spans]
    ends = [start + len(paragraph) for start, paragraph in spans]
    touching: list[list[Highlight]] = [[] for _ in spans]
    for h in highlights:
        low, high = min(h.start, h.end), max(h.start, h.end)
        for index in range(bisect_left(ends, low), bisect_right(starts, high)):
            touching[index].append(h)
    out = []
    last = len(spans) - 1
    for index, ((start, paragraph), near) in enumerate(zip(spans, touching)):
        if not numbers:
            marked: tuple = ()
        elif placeholders:
            marked = tuple(sorted((h.claim_id for h in near if h.claim_id in numbers), key=numbers.__getitem__))
        else:
            marked = tuple((h.claim_id, numbers[h.claim_id]) for h in near if h.claim_id in numbers)
        key = _Paragraph(start, paragraph, tuple(near), marked, placeholders, index == last)
        html = _paragraphs.get(key, lambda: _render_paragraph(key).encode(errors="surrogatepass"))
        if marked and placeholders:
            html = _MARKER_BYTES.sub(lambda m: _marker_link(numbers[int(m.group(1))]).encode(), html)
        out.append(html)
    return Markup(b"".join(out).decode(errors="surrogatepass"))


def _render_paragraph(key: _Paragraph) -> str:
    """The paragraph's HTML, cleaned, its stops named; with placeholders, its markers still
    placeholders (in the order ``key.markers`` gives them)."""
    start, paragraph, highlights, placeholders = key.start, key.text, key.highlights, key.placeholders
    length = len(paragraph)
    classes = {h.claim_id: h.classes for h in highlights}
    claim_starts = {h.claim_id: h.start for h in highlights}
    # Where each labelled claim starts: that mark takes the focus and carries the name(s).
    labels_at: dict[int, list[str]] = {}
    for h in highlights:
        if h.label:
            labels_at.setdefault(h.start, []).append(h.label)
    if placeholders:
        rank = {claim_id: index for index, claim_id in enumerate(key.markers)}
        numbers = dict.fromkeys(key.markers)
    else:
        numbers = dict(key.markers)
    ends: dict[int, list[int]] = {}
    for h in highlights:
        if h.claim_id in numbers:
            ends.setdefault(h.end, []).append(h.claim_id if placeholders else numbers[h.claim_id])
    # The paragraph's own pieces: each highlight cut to the paragraph (one starting before the
    # text never covers any of it, as over the whole text).
    local = [(h.claim_id, max(h.start - start, 0) if h.start >= 0 else length + 1, min(h.end - start, length))
             for h in highlights]
    out = [f'<p data-offset="{start}" dir="auto">']
    names: list[str] = []
    if not length:
        # An empty paragraph inside a claim holds an empty mark of the claims covering it.
        order = {h.claim_id: index for index, h in enumerate(highlights)}
        cut = key.last or start == 0 or any(h.start == start or h.end == start for h in highlights)
        covering = () if cut else tuple(sorted({h.claim_id for h in highlights if 0 <= h.start < start < h.end},
                                               key=order.__getitem__))
        pieces = [Segment(0, 0, covering)] if covering else []
    else:
        pieces = segments(length, local)
    for piece in pieces:
        left, right = piece.start + start, piece.end + start
        chunk = escape(paragraph[piece.start:piece.end])
        if piece.claims:
            ids = " ".join(str(c) for c in piece.claims)
            if len(piece.claims) == 1:
                # The claim's first mark carries its verdict's marker shape (``hl-start``).
                first = left == claim_starts[piece.claims[0]]
                css = f"hl {classes[piece.claims[0]]}{' hl-start' if first else ''}"
            else:
                css = "hl overlap"
            focus = ""
            if here := labels_at.get(left):
                # Named after sanitizing (``_name_stops``): long attribute values are what
                # makes the sanitizer slow, and the names are escaped here all the same.
                focus = ' tabindex="0"'
                names.append(str(escape("; ".join(here))))
            out.append(f'<mark data-claims="{ids}" class="{css}"{focus}>{chunk}</mark>')
        else:
            out.append(str(chunk))
        for number in sorted(ends.get(right, ()), key=rank.__getitem__ if placeholders else None):
            out.append(f"{_MARKER_OPEN}{number}{_MARKER_CLOSE}" if placeholders
                       else f'<sup><a href="#claim-{number}">{number}</a></sup>')
    out.append("</p>\n")
    return _name_stops(clean_html("".join(out)), names)


# A footnote marker is cleaned as a placeholder naming its claim (two private-use characters
# around the claim's id, passed through by the sanitizer as text), and its number goes in after:
# so a claim added before others, which renumbers them, leaves their paragraphs' cleaning kept.
# A text holding those characters itself gets its markers the plain way.
_MARKER_OPEN, _MARKER_CLOSE = "\ue000", "\ue001"
_MARKER = re.compile("\ue000(\\d+)\ue001")
_MARKER_BYTES = re.compile(_MARKER.pattern.encode())


def _marker_link(number: int) -> str:
    """A footnote marker as the sanitizer leaves one (it gives every link its ``rel``)."""
    return f'<sup><a href="#claim-{number}" rel="nofollow noopener noreferrer">{number}</a></sup>'


_STOP = re.compile(r'(<mark [^>]*?tabindex="0")')


def _name_stops(html: str, names: list[str]) -> str:
    """Give the paragraph's reading-order stops (its ``tabindex`` marks, in order) their role and
    name. Only a tag can match: a ``<`` in the text comes out of the sanitizer escaped."""
    if not names:
        return html
    given = iter(names)
    return _STOP.sub(lambda m: f'{m.group(1)} role="button" aria-label="{next(given)}"', html)
