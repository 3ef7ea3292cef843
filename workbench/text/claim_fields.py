"""The claim's editable fields, declared once: every form, check, history, digest and export
iterates this declaration (``declared()``) instead of naming the fields.

A field's ``name`` is its column on ``Claim`` (store/models.py) and its key everywhere else: the
form, the API's ``ClaimFields``, the history's ``changes``, the approved content. Kinds:

- ``verdict``: a key of the rating scale, or nothing (a draft);
- ``markdown``: the checker's Markdown, shown rendered through the sanitizer;
- ``text``: plain text on one line;
- ``tags``: a list of short texts, typed comma-separated.

Pure data (no Flask, no database), so that every layer may read it.
"""

from __future__ import annotations

from dataclasses import dataclass

KINDS = ("verdict", "markdown", "text", "tags")


@dataclass(frozen=True)
class ClaimField:
    #: The column on Claim, and the field's key in forms, the API, history and approvals.
    name: str
    #: How people see it named ("Rationale").
    label: str
    kind: str = "text"
    #: Characters at most (for tags: of each tag).
    max_length: int | None = None
    #: Items at most (tags).
    max_items: int | None = None
    #: An approval covers it: a change withdraws the approval.
    approved: bool = True
    #: Hashed into the approval's digest even when empty. The first fields are; a field added later
    #: is not (it enters the digest once it has a value), so adding one leaves every stored
    #: approval's digest as it was.
    digest_when_empty: bool = False
    #: The history shows its old and new values as a word-level difference (long text).
    diff: bool = False
    #: Its column in the CSV export; None leaves it out.
    csv: str | None = None
    #: The W3C Web Annotation body purpose it maps to (a TextualBody), if any.
    w3c_purpose: str | None = None
    #: The property of the reviewed schema.org Claim it fills in ClaimReview (e.g. "author"), if any.
    claimreview: str | None = None
    #: Help shown under its form field.
    help: str = ""

    def __post_init__(self):
        if self.kind not in KINDS:
            raise ValueError(f"{self.name}: kind must be one of {', '.join(KINDS)}, not {self.kind!r}")

    @property
    def empty(self):
        """Its value when nothing is given."""
        return None if self.kind == "verdict" else [] if self.kind == "tags" else ""


CLAIM_FIELDS: tuple[ClaimField, ...] = (
    ClaimField("verdict", "Verdict", "verdict", max_length=64, digest_when_empty=True, csv="verdict",
               w3c_purpose="assessing"),
    ClaimField("rationale", "Rationale", "markdown", max_length=20_000, digest_when_empty=True, diff=True,
               csv="rationale", w3c_purpose="commenting",
               help="Markdown: **bold**, *italic*, [links](https://…), lists."),
    ClaimField("tags", "Tags", "tags", max_length=64, max_items=20, digest_when_empty=True, csv="tags",
               w3c_purpose="tagging", help="Separate tags with commas."),
)


def declared() -> tuple[ClaimField, ...]:
    """The fields, in the order forms and exports show them (read at each call, never copied)."""
    return CLAIM_FIELDS


def field(name: str) -> ClaimField:
    return next(f for f in declared() if f.name == name)


def names() -> list[str]:
    return [f.name for f in declared()]


def approved_names() -> list[str]:
    """The fields an approval covers, in declaration order."""
    return [f.name for f in declared() if f.approved]


def labels() -> dict[str, str]:
    return {f.name: f.label for f in declared()}


def in_words() -> str:
    """"verdict, rationale and tags": the fields' labels in a sentence."""
    words = [f.label.lower() for f in declared()]
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def form_text(f: ClaimField, value) -> str:
    """A stored value as its form field shows it."""
    if f.kind == "tags":
        return ", ".join(value or [])
    return value or ""
