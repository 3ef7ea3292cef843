"""The article's text as HTML with a ``<mark>`` for every stretch covered by claims.

Paragraph elements carry ``data-offset``, the code point where they start in the canonical
text, so the page can turn a browser selection into canonical positions, and ``dir="auto"``, so
an Arabic or Hebrew paragraph runs right to left. Nothing but the paragraphs' own text goes
inside them: the page rebuilds the canonical text from them.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from markupsafe import Markup, escape

from workbench.memo import Memo
from workbench.text.anchoring import segments
from workbench.text.sanitize import clean_html

PARAGRAPH_BREAK = "\n\n"
#: Rendered texts by what they show (``MarkedText``, ``RevisionMarks``): a long article's marks
#: take tens of milliseconds to build and sanitize, and every reader of an unchanged article
#: would pay for them again.
_rendered = Memo(max_chars=4_000_000)
#: Paragraphs as cleaned, by their HTML before: an article of 50,000 words with 5,000 claims comes
#: to about 2.5 M characters, which must fit, or every change cleans every paragraph again.
_cleaned_paragraphs = Memo(max_chars=4_000_000)


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
    view = MarkedText(text, tuple(highlights), tuple(sorted(markers.items())) if markers else ())
    return _rendered.get(view, lambda: _render(view))


def render_revision_text(revision, highlights: list[Highlight]) -> Markup:
    """``render_text`` of a revision's canonical text, known by its SHA-256: the text itself is
    read (for a deferred column, loaded) only when it must be rendered."""
    key = RevisionMarks(revision.sha256, tuple(highlights))
    return _rendered.get(key, lambda: _render(MarkedText(revision.canonical_text, key.highlights)))


def _render(view: MarkedText) -> Markup:
    text, highlights, markers = view.text, view.highlights, dict(view.markers)
    classes = {h.claim_id: h.classes for h in highlights}
    claim_starts = {h.claim_id: h.start for h in highlights}
    # Where each labelled claim starts: that mark takes the focus and carries the name(s).
    labels_at: dict[int, list[str]] = {}
    for h in highlights:
        if h.label:
            labels_at.setdefault(h.start, []).append(h.label)
    # With placeholders, a marker is named by its claim's id until the paragraph is cleaned.
    placeholders = bool(markers) and _MARKER_OPEN not in text and _MARKER_CLOSE not in text
    numbers = markers
    ends: dict[int, list[int]] = {}
    for h in highlights:
        if markers and h.claim_id in markers:
            ends.setdefault(h.end, []).append(h.claim_id if placeholders else markers[h.claim_id])
    pieces = segments(len(text), [(h.claim_id, h.start, h.end) for h in highlights])
    cleaned: list[str] = []
    index = 0
    names: list[str] = []
    for start, paragraph in paragraphs(text):
        end = start + len(paragraph)
        out = [f'<p data-offset="{start}" dir="auto">']
        names.clear()
        # Walk the segments that fall inside this paragraph.
        while index < len(pieces) and pieces[index].end <= start:
            index += 1
        scan = index
        while scan < len(pieces) and pieces[scan].start < end:
            piece = pieces[scan]
            left, right = max(piece.start, start), min(piece.end, end)
            chunk = escape(text[left:right])
            if piece.claims:
                ids = " ".join(str(c) for c in piece.claims)
                if len(piece.claims) == 1:
                    # The claim's first mark carries its verdict's marker shape (``hl-start``).
                    first = left == claim_starts[piece.claims[0]]
                    css = f"hl {classes[piece.claims[0]]}{' hl-start' if first else ''}"
                else:
                    css = "hl overlap"
                focus = ""
                if left == piece.start and (here := labels_at.get(piece.start)):
                    # Named after sanitizing (``_name_stops``): long attribute values are what
                    # makes the sanitizer slow, and the names are escaped here all the same.
                    focus = ' tabindex="0"'
                    names.append(str(escape("; ".join(here))))
                out.append(f'<mark data-claims="{ids}" class="{css}"{focus}>{chunk}</mark>')
            else:
                out.append(str(chunk))
            for number in sorted(ends.get(right, ()), key=numbers.get if placeholders else None):
                out.append(f"{_MARKER_OPEN}{number}{_MARKER_CLOSE}" if placeholders
                           else f'<sup><a href="#claim-{number}">{number}</a></sup>')
            scan += 1
        out.append("</p>\n")
        html = _clean_paragraph("".join(out))
        if placeholders and ends:
            html = _MARKER.sub(lambda m: _marker_link(numbers[int(m.group(1))]), html)
        cleaned.append(_name_stops(html, names))
    return Markup("".join(cleaned))


# A footnote marker is cleaned as a placeholder naming its claim (two private-use characters
# around the claim's id, passed through by the sanitizer as text), and its number goes in after:
# so a claim added before others, which renumbers them, leaves their paragraphs' cleaning kept.
# A text holding those characters itself gets its markers the plain way.
_MARKER_OPEN, _MARKER_CLOSE = "\ue000", "\ue001"
_MARKER = re.compile("\ue000(\\d+)\ue001")


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


def _clean_paragraph(html: str) -> str:
    """Built from escaped text and our own attribute values; the sanitizer checks it all the same.

    A paragraph at a time, each a whole element: a new claim changes one or two paragraphs, and
    the others come from the memo instead of the sanitizer.
    """
    return _cleaned_paragraphs.get(html, lambda: clean_html(html))
