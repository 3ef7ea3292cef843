"""History events as people read them: a sentence for each event, and each changed field with
its label, its values in words and, for text, the words that changed. Pure: no Flask, no database.

The values stored in a history row are whatever the code that wrote it had at hand (keys, lists,
source dicts, ISO dates); nothing here ever shows them as Python wrote them. What it returns is
plain data (text runs and http(s) links), so the templates that show it escape everything.

    entry = present(event, "Ana", scale)
    entry.sentence  ->  "Ana changed the verdict from True to Mostly false"
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timezone
from difflib import SequenceMatcher
from os.path import commonprefix
from typing import Any, Iterable
from urllib.parse import urlsplit

from workbench.text import claim_fields
from workbench.text.diffing import Piece

#: Characters of a value shown before the rest is folded behind "show all".
LONG = 160
#: Above this many words on either side, changed text is shown as removed and added whole.
MAX_DIFF_WORDS = 1500
#: Words of unchanged text kept on either side of a change when a long difference is condensed.
CONTEXT_WORDS = 6

#: What each event says, by action; "action:detail" (the new status of a transition, the state
#: a re-anchoring found) is tried first. Slots: {actor}, {note}, {source}, {fields}, {revision},
#: {score}, {status}. A slot with nothing to say drops out with the ": " before it.
SENTENCES: dict[str, str] = {
    "created": "{actor} created the claim",
    "updated": "{actor} changed {fields}",
    "transition:in_review": "{actor} submitted the claim for review",
    "transition:approved": "{actor} approved the claim",
    "transition:changes_requested": "{actor} requested changes: {note}",
    "transition:draft": "{actor} reopened the claim: {note}",
    "transition": "{actor} set the status to {status}: {note}",
    "comment": "{actor} commented: {note}",
    "source_added": "{actor} added a source: {source}",
    "source_removed": "{actor} removed a source: {source}",
    "source_updated": "{actor} changed the source {source}",
    "deleted": "{actor} deleted the claim: {note}",
    "retired": "{actor} retired the claim: {note}",
    "reanchored:kept": "Kept in place in revision {revision}",
    "reanchored:moved": "Re-anchored in revision {revision}: moved, similarity {score}",
    "reanchored:changed": "Words changed in revision {revision}, similarity {score}",
    "reanchored:orphan": "Orphaned by revision {revision}: its words are gone",
    "reanchored": "Re-anchored in revision {revision}: {note}",
    "reattached": "{actor} re-attached the claim to words in revision {revision}",
    "imported": "{actor} imported the article",
    "revision": "{actor} added revision {revision}",
    "approval_withdrawn": "Approval withdrawn: {note}",
    "approval_kept": "Approval kept: {note}",
    "withdrawn": "{actor} withdrew the claim: {note}",
    "purged": "{actor} purged the claim: {note}",
    "approved_again": "{actor} approved the claim again",
}
#: Any other action: its name in words.
FALLBACK_SENTENCE = "{actor}: {action}: {note}"

#: Fields the sentence of an action already says; not listed again below it.
SAID_BY_SENTENCE: dict[str, frozenset[str]] = {
    "comment": frozenset({"comment"}),
    "deleted": frozenset({"deleted"}),
    "retired": frozenset({"deleted"}),
    "source_added": frozenset({"source"}),
    "source_removed": frozenset({"source"}),
    "transition": frozenset({"status"}),
}
#: Actions that bring something into being: their fields have no "before" to show.
CREATING = frozenset({"created", "source_added", "imported"})

#: Labels of what history records but the claim's own fields (``claim_fields`` names those).
FIELD_LABELS: dict[str, str] = {
    "quote": "Quote", "exact": "Quote",
    "source": "Source", "url": "URL", "stance": "Stance", "excerpt": "Excerpt", "title": "Title",
    "publisher": "Publisher", "date_published": "Date published", "archived_url": "Archived copy",
    "archived_date": "Archived on", "revision": "Revision", "position": "Position", "status": "Status",
    "state": "Anchoring", "deleted": "Withdrawn", "comment": "Comment", "score": "Similarity",
}
#: Fields whose old and new text are shown as a word-level difference (and the claim's fields
#: declared ``diff``).
TEXT_FIELDS = frozenset({"quote", "exact", "excerpt"})


def field_label(key: str) -> str | None:
    """The label of a recorded field: a claim field's own, else ``FIELD_LABELS``'."""
    return claim_fields.labels().get(key) or FIELD_LABELS.get(key)


def is_text_field(key: str) -> bool:
    return key in TEXT_FIELDS or any(f.diff for f in claim_fields.declared() if f.name == key)

STANCE_WORDS = {"supports": "supports", "contradicts": "contradicts", "context": "gives context"}
STATUS_WORDS = {"draft": "draft", "in_review": "in review", "approved": "approved",
                "changes_requested": "changes requested", "withdrawn": "withdrawn"}
STATE_WORDS = {"anchored": "in place", "changed": "words changed", "orphan": "orphaned",
               "kept": "kept", "moved": "moved"}
_WORDS_BY_FIELD = {"stance": STANCE_WORDS, "status": STATUS_WORDS, "state": STATE_WORDS}

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_ISO_MOMENT = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?")
_SLOT = re.compile(r"\{(\w+)\}")
_WORD = re.compile(r"\s*\S+\s*")


# --- what the templates receive ------------------------------------------------------------------

@dataclass(frozen=True)
class Part:
    """A run of text; a link when ``url`` is set (only ever http or https)."""

    text: str
    url: str | None = None


@dataclass(frozen=True)
class Shown:
    """A value as a person reads it. When it is long, ``preview`` is its start, shown first, and
    the whole of it is behind "show all"."""

    parts: tuple[Part, ...]
    preview: str | None = None

    @property
    def text(self) -> str:
        return "".join(part.text for part in self.parts)


@dataclass(frozen=True)
class Diff:
    """Old text to new, as runs of equal, removed and added words (paragraph breaks kept as
    newlines). ``preview``, for long texts, keeps the changes with a few words around them."""

    pieces: tuple[Piece, ...]
    preview: tuple[Piece, ...] | None = None


@dataclass(frozen=True)
class FieldChange:
    label: str
    #: None where there was no "before" (the field came into being with the claim).
    old: Shown | None
    new: Shown
    diff: Diff | None = None


@dataclass(frozen=True)
class Entry:
    at: datetime | None
    actor: str
    sentence: tuple[Shown, ...]
    #: The changed fields the sentence does not already say, in the order they were recorded.
    changes: tuple[FieldChange, ...]
    #: Whether the sentence names who did it (otherwise the page names them beside it).
    names_actor: bool


# --- entry points ----------------------------------------------------------------------------------

def present(event: Any, actor: str | None, scale: Iterable = ()) -> Entry:
    """One history event (anything with ``action``, ``changes``, ``note`` and ``at``) as an entry.

    :param actor: the name to show for who did it; None for an unknown or automatic actor.
    :param scale: the rating scale (items with ``key`` and ``label``), for verdict labels.
    """
    labels = {item.key: item.label for item in scale}
    action = str(getattr(event, "action", "") or "")
    raw = getattr(event, "changes", None)
    changes = raw if isinstance(raw, dict) else {}
    note = getattr(event, "note", "") or ""
    name = (actor or "").strip() or "Someone"
    fields = _field_changes(action, changes, labels)
    said = SAID_BY_SENTENCE.get(action, frozenset())
    template = SENTENCES.get(f"{action}:{_detail(action, changes, note)}") or SENTENCES.get(action) \
        or FALLBACK_SENTENCE
    slots, told = _slots(action, changes, note, name, fields, labels)
    sentence = _fill(template, slots)
    listed = tuple(change for key, change in fields if key not in said and key not in told)
    return Entry(at=getattr(event, "at", None), actor=name, sentence=sentence, changes=listed,
                 names_actor="{actor}" in template)


def present_all(rows: Iterable[tuple[Any, Any]], scale: Iterable = ()) -> list[Entry]:
    """(event, user or None) pairs, as the services return them, as entries."""
    scale = list(scale)
    return [present(event, _user_name(user), scale) for event, user in rows]


def _user_name(user: Any) -> str | None:
    if user is None:
        return None
    return getattr(user, "display_name", "") or getattr(user, "username", "") or None


# --- sentences -------------------------------------------------------------------------------------

def _detail(action: str, changes: dict, note: str) -> str:
    """What picks the sentence within an action: a transition's new status, a re-anchoring's state."""
    if action == "transition":
        return str(_new(changes.get("status")) or "")
    if action == "reanchored":
        return note.split(";", 1)[0].strip()
    return ""


def _slots(action: str, changes: dict, note: str, actor: str, fields: list, labels: dict
           ) -> tuple[dict[str, Shown | None], set[str]]:
    """What each slot of a sentence says, and which fields the sentence then states in full."""
    told: set[str] = set()
    slots: dict[str, Shown | None] = {
        "actor": _plain(actor),
        "action": _plain(humanise(action) or "changed"),
        "note": _text_value(note) if note.strip() else None,
        "revision": None, "score": None, "status": None, "source": None, "fields": None,
    }
    revision = _new(changes.get("revision"))
    if revision is not None:
        slots["revision"] = _plain(str(revision))
    score = re.search(r"score\s+([0-9.]+)", note)
    if score:
        slots["score"] = _plain(score.group(1))
    status = _new(changes.get("status"))
    if status is not None:
        slots["status"] = value_shown("status", status, labels)
    if action == "source_updated" and note.strip():
        slots["source"] = value_shown("url", note.strip(), labels)
    elif "source" in changes:
        old, new = _pair(changes["source"])
        slots["source"] = value_shown("source", new if new is not None else old, labels)
    if action == "updated":
        slots["fields"], told = _fields_phrase(fields)
    return slots, told


def _fields_phrase(fields: list[tuple[str, FieldChange]]) -> tuple[Shown, set[str]]:
    """"the verdict from True to Mostly false" for one short change; else the fields' names."""
    if not fields:
        return _plain("the claim"), set()
    if len(fields) == 1:
        key, change = fields[0]
        if change.diff is None and change.old is not None and change.old.preview is None \
                and change.new.preview is None:
            parts = (Part(f"the {_noun(change.label)} from "), *change.old.parts, Part(" to "), *change.new.parts)
            return Shown(parts), {key}
    names = [f"the {_noun(change.label)}" if i == 0 else _noun(change.label) for i, (_k, change) in enumerate(fields)]
    return _plain(_join(names)), set()


def _fill(template: str, slots: dict[str, Shown | None]) -> tuple[Shown, ...]:
    """The template with its slots filled; an empty slot takes the ": " or " " before it along."""
    out: list[tuple[Shown, bool]] = []  # (what, whether it is the template's own words)
    for index, piece in enumerate(_SLOT.split(template)):
        if index % 2 == 0:
            out.append((_plain(piece), True))
            continue
        value = slots.get(piece)
        if value is not None and value.text.strip():
            out.append((value, False))
        elif out and out[-1][1]:
            out[-1] = (_plain(re.sub(r"(:\s*|\s+)$", "", out[-1][0].text)), True)
    return tuple(shown for shown, _literal in out if shown.text)


# --- fields ----------------------------------------------------------------------------------------

def _field_changes(action: str, changes: dict, labels: dict) -> list[tuple[str, FieldChange]]:
    """Each changed field (start and end together as the position), in the order recorded."""
    result: list[tuple[str, FieldChange]] = []
    creating = action in CREATING
    for key, change in changes.items():
        key = str(key)
        if key == "end" and "start" in changes:
            continue
        if key in ("start", "end") and "start" in changes and "end" in changes:
            old = _position(_old(changes["start"]), _old(changes["end"]))
            new = _position(_new(changes["start"]), _new(changes["end"]))
            result.append(("position", FieldChange(field_label("position"), None if creating else _plain(old),
                                                   _plain(new))))
            continue
        old, new = _pair(change)
        label = field_label(key) or humanise(key) or "Value"
        diff = None
        if is_text_field(key) and isinstance(old, str) and isinstance(new, str) and old.strip() and new.strip() \
                and old != new:
            diff = text_diff(old, new)
        shown_old = None if creating and old is None else value_shown(key, old, labels)
        result.append((key, FieldChange(label, shown_old, value_shown(key, new, labels), diff)))
    return result


def _pair(change: Any) -> tuple[Any, Any]:
    """[old, new] as recorded; anything else is taken as the new value alone."""
    if isinstance(change, (list, tuple)) and len(change) == 2:
        return change[0], change[1]
    return None, change


def _old(change: Any) -> Any:
    return _pair(change)[0]


def _new(change: Any) -> Any:
    return _pair(change)[1] if change is not None else None


def _position(start: Any, end: Any) -> str:
    if start is None and end is None:
        return "none"
    return f"characters {_scalar(start)}–{_scalar(end)}"


# --- values ----------------------------------------------------------------------------------------

def value_shown(field: str, value: Any, labels: dict | None = None) -> Shown:
    """``value`` of ``field`` in words: labels for keys, links for URLs, lists joined, never repr."""
    parts = tuple(_parts(field, value, labels or {}, depth=0)) or (Part("none"),)
    return _folded(parts)


def _parts(field: str, value: Any, labels: dict, depth: int) -> list[Part]:
    if value is None or value == "" or value == [] or value == {}:
        return [Part("none")]
    if isinstance(value, bool):
        return [Part("yes" if value else "no")]
    if isinstance(value, (int, float)):
        return [Part(_scalar(value))]
    if isinstance(value, datetime):
        return [Part(format_moment(value))]
    if isinstance(value, date):
        return [Part(value.isoformat())]
    if isinstance(value, str):
        return _text_parts(field, value, labels)
    if isinstance(value, dict):
        return _dict_parts(field, value, labels, depth)
    if isinstance(value, (list, tuple, set, frozenset)):
        items = [_parts(field if depth == 0 else "", item, labels, depth + 1) for item in value]
        separator = "; " if any(isinstance(item, (dict, list, tuple)) for item in value) else ", "
        out: list[Part] = []
        for index, item in enumerate(items):
            if index:
                out.append(Part(separator))
            out += item
        return out
    return [Part(str(value))]


def _text_parts(field: str, value: str, labels: dict) -> list[Part]:
    if field == "verdict":
        return [Part(labels.get(value) or humanise(value))]
    words = _WORDS_BY_FIELD.get(field)
    if words is not None:
        return [Part(words.get(value) or humanise(value))]
    text = value.strip()
    if safe_url(text):
        return [Part(text, text)]
    if _ISO_MOMENT.fullmatch(text):
        try:
            return [Part(format_moment(datetime.fromisoformat(text.replace("Z", "+00:00"))))]
        except ValueError:
            pass
    if _ISO_DATE.fullmatch(text):
        return [Part(text)]
    return [Part(value)]


def _dict_parts(field: str, value: dict, labels: dict, depth: int) -> list[Part]:
    url = value.get("url")
    if isinstance(url, str) and url.strip():
        # A source: its title linked to its address, with the stance it takes.
        title = value.get("title") if isinstance(value.get("title"), str) and value["title"].strip() else url
        parts = [Part(title, url) if safe_url(url) else Part(f"{title} ({url})" if title != url else url)]
        if value.get("stance"):
            parts.append(Part(f" ({STANCE_WORDS.get(str(value['stance'])) or humanise(str(value['stance']))})"))
        rest = {k: v for k, v in value.items() if k not in ("url", "title", "stance")}
        if rest:
            parts += [Part(": ")] + _dict_parts("", rest, labels, depth)
        return parts
    out: list[Part] = []
    for index, (key, item) in enumerate(value.items()):
        if index:
            out.append(Part(", "))
        key = str(key)
        out.append(Part(f"{field_label(key) or humanise(key)}: "))
        out += _parts(key, item, labels, depth + 1)
    return out


def _scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:.2f}"
    return "none" if value is None else str(value)


def _plain(text: str) -> Shown:
    return Shown((Part(text),))


def _text_value(text: str) -> Shown:
    return _folded((Part(text),))


def _folded(parts: tuple[Part, ...]) -> Shown:
    """The value, with its start set apart when it is too long to show at once."""
    text = "".join(part.text for part in parts)
    if len(text) <= LONG:
        return Shown(parts)
    return Shown(parts, preview=_start_of(text, LONG))


def _start_of(text: str, limit: int) -> str:
    """About ``limit`` characters from the start, cut between words, marked as cut."""
    cut = text[:limit]
    if " " in cut[limit // 2:]:
        cut = cut[:cut.rindex(" ")]
    return cut.rstrip() + " …"


# --- differences -----------------------------------------------------------------------------------

def text_diff(old: str, new: str) -> Diff:
    """Word-level difference of two texts; condensed for reading first when they are long."""
    pieces = _merged(_word_pieces(old, new))
    if sum(len(piece.text) for piece in pieces) <= 2 * LONG:
        return Diff(tuple(pieces))
    return Diff(tuple(pieces), preview=tuple(_condensed(pieces)))


def _word_pieces(old: str, new: str) -> list[Piece]:
    """Runs of equal, removed and added words, each word with the spaces after it.

    Words, not words and spaces, are compared: matching the one common token " " everywhere made
    difflib's work grow with the square of the text (seconds for a long rationale). What both
    texts begin and end with is set aside first, so an edit costs what the edited part does, and
    a middle too long to compare word by word is shown as one removed and one added run.
    """
    head = len(commonprefix([old, new]))
    while head and not old[head - 1].isspace():  # whole words only
        head -= 1
    rest_old, rest_new = old[head:], new[head:]
    tail = len(commonprefix([rest_old[::-1], rest_new[::-1]]))
    while tail and not rest_old[len(rest_old) - tail].isspace():
        tail -= 1
    middle_old, middle_new = rest_old[:len(rest_old) - tail], rest_new[:len(rest_new) - tail]
    pieces = [Piece("equal", old[:head])]
    a, b = _WORD.findall(middle_old), _WORD.findall(middle_new)
    if len(a) > MAX_DIFF_WORDS or len(b) > MAX_DIFF_WORDS:
        pieces += _changed(middle_old, "removed") + _changed(middle_new, "added")
    else:
        keys_a, keys_b = [w.strip() for w in a], [w.strip() for w in b]
        for tag, i1, i2, j1, j2 in SequenceMatcher(None, keys_a, keys_b, autojunk=False).get_opcodes():
            if tag == "equal":
                pieces.append(Piece("equal", "".join(b[j1:j2])))
                continue
            if tag in ("delete", "replace"):
                pieces += _changed("".join(a[i1:i2]), "removed")
            if tag in ("insert", "replace"):
                pieces += _changed("".join(b[j1:j2]), "added")
    pieces.append(Piece("equal", rest_old[len(rest_old) - tail:]))
    return pieces


def _changed(text: str, kind: str) -> list[Piece]:
    """A changed run without the spaces around it (those stay plain text, outside the mark)."""
    body = text.strip()
    if not body:
        return [Piece(kind, text)] if text else []
    lead, trail = text[:len(text) - len(text.lstrip())], text[len(text.rstrip()):]
    return [Piece("equal", lead), Piece(kind, body), Piece("equal", trail)]


def _merged(pieces: list[Piece]) -> list[Piece]:
    """Neighbouring runs of one kind as one; empty runs dropped."""
    out: list[Piece] = []
    for piece in pieces:
        if not piece.text:
            continue
        if out and out[-1].kind == piece.kind:
            out[-1] = Piece(piece.kind, out[-1].text + piece.text)
        else:
            out.append(piece)
    return out


def _condensed(pieces: list[Piece]) -> list[Piece]:
    """The changes, each with a few unchanged words either side; long runs become " … "."""
    out: list[Piece] = []
    last = len(pieces) - 1
    for index, piece in enumerate(pieces):
        if piece.kind != "equal":
            text = piece.text if len(piece.text) <= LONG else _start_of(piece.text, LONG)
            out.append(Piece(piece.kind, text))
            continue
        words = piece.text.split()
        if len(words) <= 2 * CONTEXT_WORDS:
            out.append(piece)
            continue
        lead = " " if piece.text[:1].isspace() else ""
        trail = " " if piece.text[-1:].isspace() else ""
        head, tail = " ".join(words[:CONTEXT_WORDS]), " ".join(words[-CONTEXT_WORDS:])
        if index == 0:
            out.append(Piece("equal", f"… {tail}{trail}"))
        elif index == last:
            out.append(Piece("equal", f"{lead}{head} …"))
        else:
            out.append(Piece("equal", f"{lead}{head} … {tail}{trail}"))
    return out


# --- words -----------------------------------------------------------------------------------------

def humanise(name: str) -> str:
    """A key as words: "date_published" -> "Date published"."""
    words = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", str(name)).replace("_", " ").replace("-", " ").split()
    text = " ".join(words).lower()
    return text[:1].upper() + text[1:]


def _noun(label: str) -> str:
    return label if label[:2].isupper() else label[:1].lower() + label[1:]


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def safe_url(value: Any) -> bool:
    """Only http and https addresses become links (no javascript:, data: or relative ones)."""
    if not isinstance(value, str) or any(c.isspace() for c in value.strip()) or len(value) > 2000:
        return False
    try:
        parts = urlsplit(value.strip())
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def format_moment(moment: datetime) -> str:
    """As the pages write times (UTC); a moment at midnight UTC is a date."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    moment = moment.astimezone(timezone.utc)
    if (moment.hour, moment.minute, moment.second, moment.microsecond) == (0, 0, 0, 0):
        return moment.date().isoformat()
    return moment.strftime("%Y-%m-%d %H:%M UTC")
