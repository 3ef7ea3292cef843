"""Database tables and the enums they use. No behaviour lives here.

Enum-valued columns are stored as plain strings so that SQLite and PostgreSQL
hold the same schema and new values need no type migration.
"""

from __future__ import annotations

from datetime import date, datetime, timezone
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Column, Index, Integer, LargeBinary, Text, UniqueConstraint, false, text
from sqlmodel import Field, SQLModel


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


class Role(StrEnum):
    """Roles in rising order of power; each may do everything the previous may."""

    viewer = "viewer"
    checker = "checker"
    editor = "editor"
    admin = "admin"


class ReviewStatus(StrEnum):
    draft = "draft"
    in_review = "in_review"
    approved = "approved"
    changes_requested = "changes_requested"


class Stance(StrEnum):
    supports = "supports"
    contradicts = "contradicts"
    context = "context"


class User(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    #: Sign-in name, unique, compared case-insensitively (stored lower-case).
    username: str = Field(index=True, unique=True, max_length=64)
    #: Name shown in pages and exports.
    display_name: str = Field(default="", max_length=200)
    #: Werkzeug password hash (scrypt); never the password itself.
    password_hash: str = Field(max_length=300)
    #: One of :class:`Role`.
    role: str = Field(default=Role.viewer.value, max_length=20)
    #: Inactive users cannot sign in or use tokens; kept so history stays attributable.
    active: bool = True
    #: Raised to end every session of the user (sign-out, new password, role or account change):
    #: a session cookie carries the version it was made with, and is refused once it differs.
    session_version: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    created: datetime = Field(default_factory=utcnow)


class ApiToken(SQLModel, table=True):
    __tablename__ = "api_token"
    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    #: SHA-256 hex of the token; the token itself is shown once and never stored.
    token_hash: str = Field(index=True, unique=True, max_length=64)
    #: First characters of the token, to recognise it in listings.
    prefix: str = Field(max_length=16)
    #: The name its owner gave it ("CMS import", "archive sync").
    label: str = Field(default="", max_length=200)
    created: datetime = Field(default_factory=utcnow)
    #: When a request last came with it, to within ``accounts.TOKEN_USE_RESOLUTION``.
    last_used: datetime | None = None
    #: A read-only token reads what its user may read and is refused every write (403).
    read_only: bool = Field(default=False, sa_column_kwargs={"server_default": false()})
    revoked: bool = False
    revoked_at: datetime | None = None
    revoked_by_id: int | None = Field(default=None, foreign_key="user.id")


class Article(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    #: Title of the current revision, kept here for listing and search.
    title: str = Field(default="", max_length=500, index=True)
    source_url: str | None = Field(default=None, max_length=2000)
    created: datetime = Field(default_factory=utcnow, index=True)
    modified: datetime = Field(default_factory=utcnow)
    created_by_id: int | None = Field(default=None, foreign_key="user.id")
    #: Number of the newest revision (1-based).
    current_revision: int = 1


class Revision(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("article_id", "number"),)
    id: int | None = Field(default=None, primary_key=True)
    article_id: int = Field(foreign_key="article.id", index=True)
    number: int = 1
    #: The bytes exactly as received (pasted text encoded UTF-8, file or HTTP body), for provenance.
    original: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    #: Media type of ``original`` (text/plain, text/html, text/markdown).
    original_media_type: str = Field(default="text/plain", max_length=100)
    #: Where the original came from: paste, upload:<filename> or the fetched URL.
    origin: str = Field(default="paste", max_length=2000)
    #: NFC text, paragraphs separated by exactly one blank line. Claims anchor here.
    canonical_text: str = Field(sa_column=Column(Text, nullable=False))
    #: Sanitized HTML rendering of the canonical text.
    html: str = Field(sa_column=Column(Text, nullable=False))
    #: SHA-256 hex of the canonical text encoded UTF-8.
    sha256: str = Field(max_length=64, index=True)
    #: Each block the cleaner saw, with kept/dropped and the reason (the import preview).
    blocks: list[dict[str, Any]] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    #: How many of ``blocks`` were kept and dropped (the article page shows it without reading them).
    blocks_kept: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    blocks_dropped: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    title: str = Field(default="", max_length=500)
    source_url: str | None = Field(default=None, max_length=2000)
    publisher: str | None = Field(default=None, max_length=300)
    byline: str | None = Field(default=None, max_length=300)
    published: date | None = None
    language: str | None = Field(default=None, max_length=35)
    created: datetime = Field(default_factory=utcnow)
    created_by_id: int | None = Field(default=None, foreign_key="user.id")


class ImportDraft(SQLModel, table=True):
    """An import waiting for the user to confirm the kept and dropped blocks."""

    __tablename__ = "import_draft"
    id: int | None = Field(default=None, primary_key=True)
    #: Random identifier used in URLs so drafts cannot be enumerated.
    key: str = Field(index=True, unique=True, max_length=64)
    user_id: int = Field(foreign_key="user.id", index=True)
    #: When set, the draft becomes a new revision of this article instead of a new article.
    article_id: int | None = Field(default=None, foreign_key="article.id")
    original: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    original_media_type: str = Field(default="text/plain", max_length=100)
    origin: str = Field(default="paste", max_length=2000)
    blocks: list[dict[str, Any]] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    #: Metadata found by the cleaner: title, byline, published, publisher, language, source_url.
    meta: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    created: datetime = Field(default_factory=utcnow)


# The ORM's optimistic-locking counter: every UPDATE says "WHERE version = <the version read>",
# so of two writers working from the same version only the first succeeds.
_claim_version = Column("version", Integer, nullable=False, default=1)


class Claim(SQLModel, table=True):
    __mapper_args__ = {"version_id_col": _claim_version}
    id: int | None = Field(default=None, primary_key=True)
    article_id: int = Field(foreign_key="article.id", index=True)
    #: The revision whose canonical text the selectors below refer to.
    revision_id: int = Field(foreign_key="revision.id", index=True)
    #: TextPositionSelector, in Unicode code points of the canonical text.
    start: int
    end: int
    #: TextQuoteSelector.
    exact: str = Field(sa_column=Column(Text, nullable=False))
    prefix: str = Field(default="", max_length=200)
    suffix: str = Field(default="", max_length=200)
    #: Key from the rating scale; empty while a draft.
    verdict: str | None = Field(default=None, max_length=64)
    #: Markdown, rendered through the sanitizer.
    rationale: str = Field(default="", sa_column=Column(Text, nullable=False))
    tags: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    #: One of :class:`ReviewStatus`.
    status: str = Field(default=ReviewStatus.draft.value, max_length=32, index=True)
    #: When the status last changed (the review queue waits from here).
    status_changed: datetime | None = None
    #: Incremented on every change (by the ORM); the ETag and the optimistic-concurrency check.
    version: int = Field(default=1, sa_column=_claim_version)
    #: anchored, changed (its words were edited in a new revision) or orphan (its words are gone;
    #: it stays on its last revision until re-attached or retired).
    anchor_state: str = Field(default="anchored", max_length=16)
    creator_id: int = Field(foreign_key="user.id")
    last_editor_id: int = Field(foreign_key="user.id")
    created: datetime = Field(default_factory=utcnow)
    modified: datetime = Field(default_factory=utcnow)
    #: Withdrawn (retired or deleted) claims are kept with their history: their page answers 410.
    deleted: bool = False
    #: How it was withdrawn: deleted, retired or purged (an admin erased its content).
    withdrawn_kind: str | None = Field(default=None, max_length=16)
    withdrawn_at: datetime | None = None
    #: The user who withdrew it (an id of ``user``; no foreign key, so that adding it needs no
    #: rebuild of this table on SQLite).
    withdrawn_by_id: int | None = None
    withdrawn_reason: str = Field(default="", sa_column=Column(Text, nullable=False, server_default=""))
    #: SHA-256 of the content the current approval covers (see workbench.services.approvals); None unless
    #: approved. A claim is published only while its content still has this digest.
    approved_digest: str | None = Field(default=None, max_length=64)
    #: Back in review because its approved content changed (the queue flags it as a re-review).
    re_review: bool = Field(default=False, sa_column_kwargs={"server_default": "0"})
    #: The annotation's canonical IRI, as the client that created it gave it (W3C model §3.3.6):
    #: kept as it is, and never changed.
    canonical: str | None = Field(default=None, max_length=2000)
    #: The IRI the annotation was copied from (``via``; the ``id`` a client sent with a new one).
    via: str | None = Field(default=None, max_length=2000)


class ClaimAnchor(SQLModel, table=True):
    """Where a claim sat on an earlier revision, kept when it moved on to a newer one."""

    __tablename__ = "claim_anchor"
    __table_args__ = (UniqueConstraint("claim_id", "revision_id"),)
    id: int | None = Field(default=None, primary_key=True)
    claim_id: int = Field(foreign_key="claim.id", index=True)
    revision_id: int = Field(foreign_key="revision.id", index=True)
    start: int
    end: int
    exact: str = Field(sa_column=Column(Text, nullable=False))
    prefix: str = Field(default="", max_length=200)
    suffix: str = Field(default="", max_length=200)
    #: The claim's verdict and status when it left this revision.
    verdict: str | None = Field(default=None, max_length=64)
    status: str = Field(default=ReviewStatus.draft.value, max_length=32)
    created: datetime = Field(default_factory=utcnow)


class ClaimApproval(SQLModel, table=True):
    """What an editor approved: a snapshot of the claim's content, kept after it is withdrawn."""

    __tablename__ = "claim_approval"
    id: int | None = Field(default=None, primary_key=True)
    claim_id: int = Field(foreign_key="claim.id", index=True)
    approved_by_id: int | None = Field(default=None, foreign_key="user.id")
    approved_at: datetime = Field(default_factory=utcnow)
    #: The approved content: revision, span, quote, verdict, rationale, tags and sources with stance.
    content: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    #: The approved verdict (also in ``content``), so the corrections log need not read snapshots.
    verdict: str | None = Field(default=None, max_length=64)
    #: SHA-256 of ``content`` (workbench.services.approvals.content_digest).
    digest: str = Field(max_length=64)
    #: When and why the approval stopped covering the claim (an edit, new words, a reopen, a withdrawal).
    withdrawn_at: datetime | None = None
    withdrawn_reason: str = Field(default="", sa_column=Column(Text, nullable=False, server_default=""))


class Source(SQLModel, table=True):
    """A cited source, reusable across claims."""

    id: int | None = Field(default=None, primary_key=True)
    url: str = Field(max_length=2000, index=True)
    title: str = Field(default="", max_length=500)
    publisher: str | None = Field(default=None, max_length=300)
    date_published: date | None = None
    archived_url: str | None = Field(default=None, max_length=2000)
    archived_date: datetime | None = None
    created: datetime = Field(default_factory=utcnow)


class ClaimSource(SQLModel, table=True):
    """A source used by a claim, with the stance it takes toward it."""

    __tablename__ = "claim_source"
    __table_args__ = (UniqueConstraint("claim_id", "source_id"),)
    id: int | None = Field(default=None, primary_key=True)
    claim_id: int = Field(foreign_key="claim.id", index=True)
    source_id: int = Field(foreign_key="source.id", index=True)
    #: One of :class:`Stance`.
    stance: str = Field(default=Stance.context.value, max_length=20)
    excerpt: str = Field(default="", sa_column=Column(Text, nullable=False))
    position: int = 0


class Comment(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    claim_id: int = Field(foreign_key="claim.id", index=True)
    author_id: int = Field(foreign_key="user.id")
    body: str = Field(sa_column=Column(Text, nullable=False))
    created: datetime = Field(default_factory=utcnow)


class HistoryEvent(SQLModel, table=True):
    """Append-only record of every change. Nothing updates or deletes these rows."""

    __tablename__ = "history_event"
    __table_args__ = (
        # The corrections log reads an article's events of a few kinds on every view of its page.
        Index("ix_history_event_article_action", "article_id", "action"),
        # Transitions with a reason (a return, a reopen) among the thousands without one.
        Index("ix_history_event_article_noted", "article_id", "action",
              sqlite_where=text("note != ''"), postgresql_where=text("note != ''")),
        # An article's latest event names its history (``claim_stamps.history_stamp``).
        Index("ix_history_event_article_latest", "article_id", "id"),
    )
    id: int | None = Field(default=None, primary_key=True)
    article_id: int = Field(foreign_key="article.id", index=True)
    claim_id: int | None = Field(default=None, foreign_key="claim.id", index=True)
    actor_id: int | None = Field(default=None, foreign_key="user.id")
    at: datetime = Field(default_factory=utcnow, index=True)
    #: What happened: created, updated, transition, comment, source_added, revision, ...
    action: str = Field(max_length=40)
    #: {field: [old, new]} for the fields this event changed.
    changes: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    note: str = Field(default="", sa_column=Column(Text, nullable=False))


class Setting(SQLModel, table=True):
    """Settings an admin changes at run time (they override the config file)."""

    key: str = Field(primary_key=True, max_length=100)
    value: Any = Field(default=None, sa_column=Column(JSON))
