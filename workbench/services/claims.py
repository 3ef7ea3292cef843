"""Claim services: create, edit and delete claims, their sources and comments.

Every change bumps the claim's version (the ETag) and writes a history row. An edit based on
an older version is refused, never applied over someone else's change.
"""

from __future__ import annotations

from typing import NamedTuple

from sqlalchemy import bindparam, func, or_
from sqlalchemy.engine import Connection
from sqlalchemy.orm.exc import StaleDataError
from sqlmodel import Session, select

from workbench.errors import (
    ConflictError,
    ForbiddenError,
    GoneError,
    InvalidContentError,
    InvalidTransitionError,
    NotFoundError,
    StaleVersionError,
)
from workbench.services import approvals
from workbench.services.accounts import ROLE_RANK, role_allows
from workbench.services.rating import rating_scale
from workbench.services.schemas import (
    ClaimFields,
    SourceInput,
    parse_date,
    parse_datetime,
    parse_url,
)
from workbench.store.db import start_writing
from workbench.store import claim_stamps
from workbench.store.driver_statements import DriverStatements
from workbench.store.fast_insert import FastInsert
from workbench.store.models import (
    Article,
    Claim,
    ClaimSource,
    Comment,
    HistoryEvent,
    ReviewStatus,
    Revision,
    Role,
    Source,
    Stance,
    User,
    utcnow,
)
from workbench.store.orm_rows import attach_loaded
from workbench.store.unit_of_work import writes
from workbench.text import claim_fields
from workbench.text.anchoring import AnchorError, locate_quote, verify_quote

MAX_COMMENT = 10_000


# --- permissions ------------------------------------------------------------------------------

def can_edit(actor: User | None, claim: Claim) -> bool:
    """Checkers edit their own claims; editors and admins edit any."""
    if actor is None or not role_allows(actor.role, "annotate"):
        return False
    return claim.creator_id == actor.id or ROLE_RANK[Role(actor.role)] >= ROLE_RANK[Role.editor]


def require_edit(actor: User, claim: Claim) -> None:
    if not can_edit(actor, claim):
        raise ForbiddenError("Only the claim's checker or an editor may change this claim.")


def check_version(claim: Claim, expected: int | None, db: Session | None = None) -> None:
    """Refuse a change made from an older version of the claim."""
    if expected is None or int(expected) == claim.version:
        return
    raise stale_error(db, claim, expected)


def stale_error(db: Session | None, claim: Claim, expected: int | None) -> StaleVersionError:
    """The error for a change based on an old version, naming who changed the claim last and when."""
    who = ""
    if db is not None:
        row = db.exec(select(HistoryEvent, User).join(User, User.id == HistoryEvent.actor_id, isouter=True)
                      .where(HistoryEvent.claim_id == claim.id)
                      .order_by(HistoryEvent.id.desc()).limit(1)).first()
        if row is not None:
            event, user = row
            name = (user.display_name or user.username) if user else "someone"
            who = f" by {name} at {event.at.strftime('%Y-%m-%d %H:%M UTC')}"
    yours = f"; you edited version {expected}" if expected is not None else ""
    return StaleVersionError(
        f"This claim was changed{who} (now version {claim.version}{yours}). "
        "Reload it to see the change, then apply yours again."
    )


def already_applied(claim: Claim, actor: User, expected: int | None) -> bool:
    """Whether a change based on an older version may be the actor's own, already saved: the
    claim moved on from ``expected`` and the actor made its last change. The caller then checks
    that the claim already holds what the request asks for; anyone else's change is a conflict."""
    return expected is not None and int(expected) < claim.version and claim.last_editor_id == actor.id


def commit_change(db: Session, claim: Claim, expected: int | None) -> None:
    """Commit; when another writer changed the claim first, roll back and say who did."""
    try:
        db.commit()
    except StaleDataError:
        db.rollback()
        db.refresh(claim)
        raise stale_error(db, claim, expected) from None


# --- validation -------------------------------------------------------------------------------

def clean_fields(fields: ClaimFields, *, config: dict | None = None) -> dict:
    """The declared fields (``claim_fields``) validated, by name, or a 422 naming what is wrong."""
    return {f.name: _clean(f, getattr(fields, f.name, f.empty), config) for f in claim_fields.declared()}


def _clean(f: claim_fields.ClaimField, value, config: dict | None):
    if f.kind == "verdict":
        verdict = (value or "").strip() or None
        keys = [v.key for v in rating_scale(config)]
        if verdict is not None and verdict not in keys:
            raise InvalidContentError(f"Unknown verdict {verdict!r}; use one of {', '.join(keys)}.",
                                      code="bad_verdict")
        return verdict
    if f.kind == "tags":
        return _clean_tags(f, value)
    text = value or ""
    if f.kind == "text":
        text = " ".join(text.split())
    if f.max_length is not None and len(text) > f.max_length:
        raise InvalidContentError(
            f"The {f.label.lower()} has {len(text):,} characters; the limit is {f.max_length:,}.",
            code=f"{f.name}_too_long"
        )
    return text


def _clean_tags(f: claim_fields.ClaimField, value) -> list[str]:
    tags: list[str] = []
    for tag in value or []:
        if not isinstance(tag, str):
            raise InvalidContentError(f"{f.label} must be text.", code="bad_tag")
        tag = " ".join(tag.split())
        if f.max_length is not None and len(tag) > f.max_length:
            raise InvalidContentError(f"The tag {tag[:20]!r}… is longer than {f.max_length} characters.",
                                      code="bad_tag")
        if tag and tag.lower() not in {t.lower() for t in tags}:
            tags.append(tag)
    if f.max_items is not None and len(tags) > f.max_items:
        raise InvalidContentError(f"A claim may have at most {f.max_items} tags.", code="bad_tag")
    return tags


def parse_tags(text: str) -> list[str]:
    """Tags typed in one field, separated by commas."""
    return [t for t in (part.strip() for part in (text or "").split(",")) if t]


# --- claims -----------------------------------------------------------------------------------

def record(db: Session, *, claim: Claim | None, article_id: int, actor: User | None, action: str,
           changes: dict | None = None, note: str = "") -> None:
    approvals.note_actor(db, actor.id if actor else None)
    db.add(HistoryEvent(article_id=article_id, claim_id=claim.id if claim else None,
                        actor_id=actor.id if actor else None, action=action, changes=changes or {}, note=note))


@writes
def create_claim(db: Session, *, revision: Revision, actor: User, start: int | None, end: int | None,
                 exact: str | None, fields: ClaimFields, sources: list[SourceInput] = (),
                 prefix: str = "", suffix: str = "", config: dict | None = None,
                 canonical: str | None = None, via: str | None = None) -> Claim:
    """Create a draft claim on ``revision``'s text (its article's current one); the quote must match
    the text at the position. A revision loaded light (``store.revision_text``) will do.
    ``canonical`` and ``via`` are the annotation's IRIs a client gave, kept as given."""
    article_id = revision.article_id
    text = revision.canonical_text
    try:
        if start is None or end is None:
            # Only a quote: find it, using its context to pick among repeats.
            if not exact:
                raise AnchorError("give a position (start, end) or the exact quoted text")
            start = locate_quote(text, exact, prefix, suffix)
            if start is None:
                raise AnchorError(f"the quote {exact[:60]!r} is not in the text, or occurs more than once")
            end = start + len(exact)
        if exact is None:
            exact = text[start:end] if isinstance(start, int) and isinstance(end, int) else ""
        selectors = verify_quote(text, start, end, exact)
    except AnchorError as err:
        raise InvalidContentError(f"The claim does not match the article: {err}.", code="quote_mismatch") from None
    values = clean_fields(fields, config=config)
    now = utcnow()
    row = _NEW_CLAIM.row({
        "article_id": article_id, "revision_id": revision.id, "start": selectors.start, "end": selectors.end,
        "exact": selectors.exact, "prefix": selectors.prefix, "suffix": selectors.suffix,
        "creator_id": actor.id, "last_editor_id": actor.id, "status": ReviewStatus.draft.value,
        "created": now, "modified": now, "canonical": canonical, "via": via, **values})
    event = _NEW_EVENT.row({
        "article_id": article_id, "claim_id": None, "actor_id": actor.id, "at": now, "action": "created",
        "changes": {"quote": [None, selectors.exact], "start": [None, selectors.start],
                    "end": [None, selectors.end], **{k: [None, v] for k, v in values.items() if v}}})
    # Everything is prepared: what follows is the write, and on SQLite it holds the write lock.
    conn = db.connection()
    if conn.dialect.name == "postgresql":
        current, claim_id = _write_claim_in_one_statement(conn, row, event, revision, sources)
    else:
        current, claim_id = _write_claim(conn, row, event, revision)
    if claim_id is None:
        db.rollback()
        raise ConflictError(
            f"Article {article_id} now shows revision {current}, not revision {revision.number} that this claim "
            "quotes. Reload the article and select the words again.", code="revision_changed"
        )
    # The session takes the row it wrote as it is, without reading it back.
    claim = attach_loaded(db, Claim, dict(row, id=claim_id))
    try:
        for source in sources:
            _attach_source(db, claim=claim, actor=actor, data=source)
    except BaseException:
        db.rollback()  # a refused source takes the claim with it, whatever the caller does next
        raise
    # The driver commits straight away, which ends the lock at once (PostgreSQL's one statement
    # without sources has committed already); the session's commit after it finds nothing to write.
    conn.connection.dbapi_connection.commit()
    db.commit()
    return claim


def _write_claim(conn: Connection, claim_row: dict, event_row: dict, revision: Revision) -> tuple[int, int | None]:
    """Check that the revision is still current, then insert the claim and its history event:
    three statements in one transaction. The article's current revision and the new claim's id
    (None when the revision is no longer current)."""
    dialect = conn.dialect
    check, insert_claim, insert_event = (_CURRENT_REVISION.for_dialect(dialect),
                                         _NEW_CLAIM.statements.for_dialect(dialect),
                                         _NEW_EVENT.statements.for_dialect(dialect))
    check_values = check.convert({"article_id": revision.article_id})
    claim_values = insert_claim.convert(claim_row)
    event_values = insert_event.convert(event_row)
    start_writing(conn)
    current = check.execute(conn, check_values)[0]
    if current != revision.number:
        return current, None
    claim_id = insert_claim.execute(conn, claim_values)[0]
    insert_event.execute(conn, dict(event_values, claim_id=claim_id))
    return current, claim_id


def _write_claim_in_one_statement(conn: Connection, claim_row: dict, event_row: dict, revision: Revision,
                                  sources: list) -> tuple[int, int | None]:
    """PostgreSQL: the same check and inserts as one statement (one round trip, atomic on its
    own, so after a read phase it needs no transaction around it unless sources follow)."""
    statement = _CHECK_AND_INSERT.for_dialect(conn.dialect)
    event_row = {key: value for key, value in event_row.items() if key != "claim_id"}
    values = statement.convert({**_NEW_CLAIM.parameters(claim_row), **_NEW_EVENT.parameters(event_row),
                                "article_id": revision.article_id, "revision_number": revision.number})
    if sources:
        start_writing(conn)
    return statement.execute(conn, values)


# The statements of create_claim, built once.
# FOR SHARE (PostgreSQL; SQLite's queue already excludes other writers) holds off a new revision
# until this claim is committed, so re-anchoring the new revision will see it.
_CURRENT_REVISION_FOR_SHARE = (select(Article.current_revision).where(Article.id == bindparam("article_id"))
                               .with_for_update(read=True))
_CURRENT_REVISION = DriverStatements(_CURRENT_REVISION_FOR_SHARE)
_NEW_CLAIM = FastInsert(Claim, prefix="claim_")
_NEW_EVENT = FastInsert(HistoryEvent, prefix="event_", returning="claim_id")


def _check_and_insert():
    """WITH current (the article's current revision, FOR SHARE), new_claim (inserted only if
    current is the claim's revision), new_event (its history row) SELECT current, new claim id."""
    current = _CURRENT_REVISION_FOR_SHARE.cte("current_revision")
    new_claim = _NEW_CLAIM.from_select(current.c.current_revision == bindparam("revision_number")).cte("new_claim")
    new_event = _NEW_EVENT.from_select(columns={"claim_id": new_claim.c.id}).cte("new_event")
    return select(select(current.c.current_revision).scalar_subquery(),
                  select(new_event.c.claim_id).scalar_subquery())


_CHECK_AND_INSERT = DriverStatements(_check_and_insert())


@writes
def update_claim(db: Session, *, claim: Claim, actor: User, expected_version: int | None, fields: ClaimFields,
                 config: dict | None = None) -> Claim:
    """Change the declared fields (``claim_fields``); records old and new values of what changed."""
    require_edit(actor, claim)
    values = clean_fields(fields, config=config)
    if already_applied(claim, actor, expected_version) and all(getattr(claim, k) == v for k, v in values.items()):
        return claim  # the same form sent twice (a double click, a retry): it was saved once
    check_version(claim, expected_version, db)
    changes = {k: [getattr(claim, k), v] for k, v in values.items() if getattr(claim, k) != v}
    if not changes:
        return claim
    for key, (_old, new) in changes.items():
        setattr(claim, key, new)
    touch(db, claim, actor)
    record(db, claim=claim, article_id=claim.article_id, actor=actor, action="updated", changes=changes)
    commit_change(db, claim, expected_version)
    return claim


@writes
def replace_claim(db: Session, *, claim: Claim, actor: User, expected_version: int, fields: ClaimFields,
                  sources: list[SourceInput], start: int | None, end: int | None, exact: str | None,
                  config: dict | None = None, canonical: str | None = None) -> Claim:
    """Replace a claim's fields and sources (API PUT); a new span must match its revision's text.

    One replacement is one new version: the sources change first (their own rows), then the
    claim's row is written once.
    """
    require_edit(actor, claim)
    check_version(claim, expected_version, db)
    if canonical is not None and claim.canonical is not None and canonical != claim.canonical:
        raise InvalidContentError(f"The annotation's canonical IRI is {claim.canonical} and cannot change.",
                                  code="canonical_changed")
    values = clean_fields(fields, config=config)
    if canonical is not None and claim.canonical is None:
        claim.canonical = canonical
    changes = {k: [getattr(claim, k), v] for k, v in values.items() if getattr(claim, k) != v}
    moved = None
    if start is not None and (start, end) != (claim.start, claim.end):
        revision = db.get(Revision, claim.revision_id)
        try:
            moved = verify_quote(revision.canonical_text, start, end,
                                 exact if exact is not None else revision.canonical_text[start:end])
        except AnchorError as err:
            raise InvalidContentError(f"The claim does not match the article: {err}.", code="quote_mismatch") from None
        changes.update({"start": [claim.start, moved.start], "end": [claim.end, moved.end],
                        "quote": [claim.exact, moved.exact]})
    elif exact is not None and start is None and exact != claim.exact:
        raise InvalidContentError("To move a claim, give its new TextPositionSelector.", code="quote_mismatch")
    replace_sources(db, claim=claim, actor=actor, sources=sources)
    if moved is not None:
        claim.start, claim.end, claim.exact = moved.start, moved.end, moved.exact
        claim.prefix, claim.suffix = moved.prefix, moved.suffix
    for key in values:
        setattr(claim, key, values[key])
    if changes:
        record(db, claim=claim, article_id=claim.article_id, actor=actor, action="updated", changes=changes)
    touch(db, claim, actor)
    commit_change(db, claim, expected_version)
    return claim


def replace_sources(db: Session, *, claim: Claim, actor: User, sources: list[SourceInput]) -> None:
    """Make the claim's sources exactly ``sources`` (used by a full replace through the API)."""
    current = claim_sources(db, claim)
    wanted = [_validated_source(s) for s in sources]
    wanted_urls = [w["url"] for w in wanted]
    for link, source in current:
        if source.url not in wanted_urls:
            db.delete(link)
            record(db, claim=claim, article_id=claim.article_id, actor=actor, action="source_removed",
                   changes={"source": [source.url, None]})
    current_urls = {source.url: link for link, source in current}
    for position, (data, values) in enumerate(zip(sources, wanted)):
        link = current_urls.get(values["url"])
        if link is None:
            _attach_source(db, claim=claim, actor=actor, data=data, position=position)
        else:
            _update_link(db, claim=claim, actor=actor, link=link, data=data)


@writes
def delete_claim(db: Session, *, claim: Claim, actor: User, expected_version: int | None, reason: str = "") -> None:
    """Withdraw a claim: it and its history are kept, and its page answers 410 saying why."""
    require_edit(actor, claim)
    check_version(claim, expected_version, db)
    withdraw(db, claim=claim, actor=actor, kind="deleted", reason=reason)
    commit_change(db, claim, expected_version)


def require_withdraw(actor: User, claim: Claim, reason: str) -> str:
    """Withdrawing published work is an editor's act, and says why; a draft's checker may drop it."""
    reason = (reason or "").strip()
    if claim.status == ReviewStatus.approved:
        if not role_allows(actor.role, "review"):
            raise ForbiddenError("This claim is approved (published): only an editor may withdraw it.")
        if not reason:
            raise InvalidContentError("Say why this approved claim is withdrawn.", code="comment_required")
    return reason


def withdraw(db: Session, *, claim: Claim, actor: User, kind: str, reason: str) -> None:
    """Mark ``claim`` withdrawn (deleted or retired) by ``actor``; its approval, if any, ends."""
    reason = require_withdraw(actor, claim, reason)
    was_approved = claim.status == ReviewStatus.approved
    if was_approved:
        approvals.end_approval(db, claim=claim, reason=f"{kind.capitalize()}: {reason}")
    claim.deleted = True
    claim.withdrawn_kind, claim.withdrawn_at, claim.withdrawn_by_id = kind, utcnow(), actor.id
    claim.withdrawn_reason = reason
    touch(db, claim, actor)
    record(db, claim=claim, article_id=claim.article_id, actor=actor, action=kind,
           changes={"deleted": [False, True], **({"status": ["approved", "withdrawn"]} if was_approved else {})},
           note=reason)


@writes
def purge_claim(db: Session, *, claim: Claim, actor: User, reason: str) -> None:
    """Erase a withdrawn claim's content (an admin's act, for legal takedowns); the purge is recorded.

    The claim's row stays as a tombstone so that its page answers 410 and its history, which is
    append-only, keeps its place."""
    if not role_allows(actor.role, "purge"):
        raise ForbiddenError("Only an admin may purge a claim.")
    reason = (reason or "").strip()
    if not reason:
        raise InvalidContentError("Say why the claim is purged.", code="comment_required")
    if claim.withdrawn_kind == "purged":
        raise InvalidTransitionError("This claim was purged already.")
    if not claim.deleted:
        withdraw(db, claim=claim, actor=actor, kind="deleted", reason=reason)
    for link in db.exec(select(ClaimSource).where(ClaimSource.claim_id == claim.id)).all():
        db.delete(link)
    for comment in db.exec(select(Comment).where(Comment.claim_id == claim.id)).all():
        db.delete(comment)
    claim.exact, claim.prefix, claim.suffix = "", "", ""
    for f in claim_fields.declared():
        setattr(claim, f.name, f.empty)
    claim.withdrawn_kind, claim.withdrawn_at, claim.withdrawn_by_id = "purged", utcnow(), actor.id
    claim.withdrawn_reason = reason
    touch(db, claim, actor)
    record(db, claim=claim, article_id=claim.article_id, actor=actor, action="purged", note=reason)
    db.commit()


def touch(db: Session, claim: Claim, actor: User) -> None:
    """Mark the claim changed; the ORM bumps its version when the row is written."""
    claim.modified = utcnow()
    claim.last_editor_id = actor.id
    db.add(claim)


def get_claim(db: Session, claim_id: int, *, include_deleted: bool = False) -> Claim:
    """The claim; a withdrawn one raises :class:`GoneError` (410) saying who withdrew it, when and why."""
    claim = db.get(Claim, claim_id)
    if claim is None:
        raise NotFoundError(f"There is no claim {claim_id}.")
    if claim.deleted and not include_deleted:
        raise gone_error(db, claim)
    return claim


WITHDRAWN_WORDS = {"deleted": "deleted", "retired": "retired", "purged": "purged by an admin"}


def gone_error(db: Session, claim: Claim) -> GoneError:
    by = db.get(User, claim.withdrawn_by_id) if claim.withdrawn_by_id else None
    name = (by.display_name or by.username) if by else "someone"
    kind = claim.withdrawn_kind or "deleted"
    when = claim.withdrawn_at or claim.modified
    reason = claim.withdrawn_reason or "no reason given"
    details = {"withdrawn": {"kind": kind, "by": name, "at": when.strftime("%Y-%m-%dT%H:%M:%SZ"), "reason": reason},
               "claim": claim.id, "article": claim.article_id}
    if kind != "purged":
        details.update(quote=claim.exact, verdict=claim.verdict)
    return GoneError(f"Claim {claim.id} was {WITHDRAWN_WORDS.get(kind, kind)} by {name} on "
                     f"{when.strftime('%Y-%m-%d %H:%M UTC')}: {reason}", details=details)


def withdrawn_claims(db: Session, article: Article) -> list[Claim]:
    """The article's withdrawn claims, most recently withdrawn first."""
    return list(db.exec(select(Claim).where(Claim.article_id == article.id, Claim.deleted == True)  # noqa: E712
                        .order_by(Claim.withdrawn_at.desc(), Claim.id.desc())).all())


def withdrawn_and_orphaned(db: Session, article: Article) -> tuple[list[Claim], list[Claim]]:
    """``withdrawn_claims`` and the live orphans (``revisions.orphans``, by id), read together."""
    found = db.exec(select(Claim).where(Claim.article_id == article.id,
                                        or_(Claim.deleted == True, Claim.anchor_state == "orphan"))  # noqa: E712
                    .order_by(Claim.withdrawn_at.desc(), Claim.id.desc())).all()
    return [c for c in found if c.deleted], sorted((c for c in found if not c.deleted), key=lambda c: c.id)


def page_stamps(db: Session, revision: Revision) -> tuple[str, str]:
    """``revision_stamp`` and the article's history stamp (``corrections.history_stamp``), read
    in one round trip."""
    return claim_stamps.page_stamps(db.connection(), revision.id, revision.article_id)


class ShownClaim(NamedTuple):
    """What the article page shows of a claim on a revision: its highlight and its line in the list.

    A named tuple, so the page's memo keys compare and hash hundreds of them at C speed."""

    id: int
    start: int
    end: int
    exact: str
    verdict: str | None
    status: str
    creator_id: int
    anchor_state: str = "anchored"


_SHOWN_ON_REVISION = DriverStatements(
    select(Claim.id, Claim.start, Claim.end, Claim.exact, Claim.verdict, Claim.status, Claim.creator_id,
           Claim.anchor_state)
    .where(Claim.revision_id == bindparam("revision_id"), Claim.deleted == False)  # noqa: E712
    .order_by(Claim.start, Claim.end, Claim.id))


def shown_on_revision(db: Session, revision: Revision) -> list[ShownClaim]:
    """The claims on ``revision`` in text order, as the page shows them: plain columns read on the
    driver's cursor, since an article page may show hundreds of them and the ORM, or even
    SQLAlchemy's rows, took most of its time."""
    conn = db.connection()
    statement = _SHOWN_ON_REVISION.for_dialect(conn.dialect)
    return list(map(ShownClaim._make, statement.all(conn, statement.convert({"revision_id": revision.id}))))


def revision_stamp(db: Session, revision: Revision) -> str:
    """What names the claims ``shown_on_revision`` reads, exactly and cheaply: their ids with their
    versions, which every change to a claim raises (the mapper's version counter). Equal stamps,
    equal claims: a page may keep what it made from them."""
    return claim_stamps.revision_claims_stamp(db.connection(), revision.id)


def claims_of_article(db: Session, article: Article, *, limit: int | None = None, offset: int = 0) -> list[Claim]:
    query = select(Claim).where(Claim.article_id == article.id, Claim.deleted == False).order_by(Claim.id)  # noqa: E712
    if limit is not None:
        query = query.offset(offset).limit(limit)
    return list(db.exec(query).all())


def count_claims(db: Session, article: Article) -> int:
    return db.exec(select(func.count()).select_from(Claim).where(
        Claim.article_id == article.id, Claim.deleted == False)).one()  # noqa: E712


# --- sources ----------------------------------------------------------------------------------

def _validated_source(data: SourceInput) -> dict:
    stance = (data.stance or "context").strip().lower()
    if stance not in {s.value for s in Stance}:
        raise InvalidContentError(
            f"Unknown stance {data.stance!r}; use supports, contradicts or context.", code="bad_stance"
        )
    url = parse_url(data.url, field="source URL")
    if url is None:
        raise InvalidContentError("A source needs a URL.", code="bad_url")
    return {
        "url": url,
        "title": (data.title or "").strip()[:500],
        "publisher": (data.publisher or "").strip()[:300] or None,
        "date_published": parse_date(data.date_published, field="date published"),
        "archived_url": parse_url(data.archived_url, field="archived copy URL"),
        "archived_date": parse_datetime(data.archived_date, field="archive date"),
        "excerpt": (data.excerpt or "").strip()[:5000],
        "stance": stance,
    }


SOURCE_DETAILS = ("title", "publisher", "date_published", "archived_url", "archived_date")


def _find_or_create_source(db: Session, values: dict) -> Source:
    """A source with this URL and these details: one cited before when it says the same (what
    was left empty here is taken from it), else a new one. A source cited elsewhere is never
    changed from here: other claims, perhaps approved, rely on what it says."""
    for source in db.exec(select(Source).where(Source.url == values["url"]).order_by(Source.id.desc())).all():
        if all(not values[key] or values[key] == getattr(source, key) for key in SOURCE_DETAILS):
            return source
    source = Source(url=values["url"], **{key: values[key] or None for key in SOURCE_DETAILS})
    source.title = values["title"] or ""
    reused = db.exec(select(Source).where(Source.url == values["url"]).order_by(Source.id.desc()).limit(1)).first()
    if reused is not None:
        # What this citation leaves empty is what the source said before.
        for key in SOURCE_DETAILS:
            if not values[key] and getattr(reused, key):
                setattr(source, key, getattr(reused, key))
    db.add(source)
    db.flush()
    return source


def _attach_source(db: Session, *, claim: Claim, actor: User, data: SourceInput, position: int | None = None) -> ClaimSource:
    values = _validated_source(data)
    source = _find_or_create_source(db, values)
    if db.exec(select(ClaimSource).where(ClaimSource.claim_id == claim.id, ClaimSource.source_id == source.id)).first():
        raise InvalidContentError(f"{source.url} is already a source of this claim.", code="duplicate_source")
    if position is None:
        position = len(claim_sources(db, claim))
    link = ClaimSource(claim_id=claim.id, source_id=source.id, stance=values["stance"], excerpt=values["excerpt"],
                       position=position)
    db.add(link)
    db.flush()
    record(db, claim=claim, article_id=claim.article_id, actor=actor, action="source_added",
           changes={"source": [None, {"url": source.url, "title": source.title, "stance": link.stance}]})
    return link


def _plain(value):
    return value.isoformat() if hasattr(value, "isoformat") else value


def _update_link(db: Session, *, claim: Claim, actor: User, link: ClaimSource, data: SourceInput,
                 everywhere: bool = False) -> list[Claim]:
    """Change this claim's citation of a source. The source's own details change in place when
    only this claim cites it, or everywhere when an editor asks (every citing claim gets a new
    version and a history event); otherwise this claim gets its own copy (copy on write).
    The other claims changed, if any."""
    values = _validated_source(data)
    source = db.get(Source, link.source_id)
    changes = {}
    for key in ("stance", "excerpt"):
        if getattr(link, key) != values[key]:
            changes[key] = [getattr(link, key), values[key]]
            setattr(link, key, values[key])
    archived = values["archived_date"]
    # The page's "Archived on" gives a day: the same day again keeps a time the API gave.
    if (archived is not None and source.archived_date is not None and len((data.archived_date or "").strip()) == 10
            and source.archived_date.date() == archived.date()):
        values["archived_date"] = source.archived_date
    details = {key: values[key] for key in SOURCE_DETAILS
               if values[key] is not None and values[key] != "" and getattr(source, key) != values[key]}
    for key, value in details.items():
        changes[key] = [_plain(getattr(source, key)), _plain(value)]
    others: list[Claim] = []
    if details:
        sharers = [c for c in db.exec(select(Claim).join(ClaimSource, ClaimSource.claim_id == Claim.id)
                                      .where(ClaimSource.source_id == source.id, Claim.id != claim.id)).all()]
        if sharers and not (everywhere and role_allows(actor.role, "review")):
            copy = Source(url=source.url, **{key: getattr(source, key) for key in SOURCE_DETAILS})
            for key, value in details.items():
                setattr(copy, key, value)
            db.add(copy)
            db.flush()
            link.source_id = copy.id
        else:
            for key, value in details.items():
                setattr(source, key, value)
            db.add(source)
            for other in sharers:
                approvals.note_cause(db, other.id, f"Its source {source.url} was edited by "
                                                   f"{actor.display_name or actor.username} through claim {claim.id}.")
                touch(db, other, actor)
                record(db, claim=other, article_id=other.article_id, actor=actor, action="source_updated",
                       changes={key: changes[key] for key in details}, note=f"{source.url} (through claim {claim.id})")
            others = sharers
    if changes:
        db.add(link)
        record(db, claim=claim, article_id=claim.article_id, actor=actor, action="source_updated",
               changes=changes, note=source.url)
    return others


def source_users(db: Session, link: ClaimSource) -> int:
    """How many other claims cite the same source as ``link``."""
    return db.exec(select(func.count()).select_from(ClaimSource).where(
        ClaimSource.source_id == link.source_id, ClaimSource.claim_id != link.claim_id)).one()


@writes
def add_source(db: Session, *, claim: Claim, actor: User, data: SourceInput, expected_version: int | None) -> ClaimSource:
    require_edit(actor, claim)
    if already_applied(claim, actor, expected_version):
        wanted = _validated_source(data)
        for link, source in claim_sources(db, claim):
            if source.url == wanted["url"] and link.stance == wanted["stance"]:
                return link  # the same source added twice from one form: it was added once
    check_version(claim, expected_version, db)
    link = _attach_source(db, claim=claim, actor=actor, data=data)
    touch(db, claim, actor)
    commit_change(db, claim, expected_version)
    return link


@writes
def update_source(db: Session, *, claim: Claim, actor: User, link_id: int, data: SourceInput,
                  expected_version: int | None, everywhere: bool = False) -> None:
    """Change a source of ``claim``; ``everywhere`` (editors) changes it for every claim citing it."""
    require_edit(actor, claim)
    link = _get_link(db, claim, link_id)
    source = db.get(Source, link.source_id)
    if already_applied(claim, actor, expected_version):
        wanted = _validated_source(data)
        if (link.stance, link.excerpt) == (wanted["stance"], wanted["excerpt"]) and all(
                not wanted[key] or getattr(source, key) == wanted[key] for key in SOURCE_DETAILS):
            return  # the same form sent twice: saved once
    check_version(claim, expected_version, db)
    given = (data.url or "").strip()
    # The URL as stored (even in a form kept before URLs were normalised) or its normalised form.
    if given != source.url and parse_url(given, field="source URL") != source.url:
        raise InvalidContentError("To cite a different URL, remove this source and add the new one.", code="bad_url")
    _update_link(db, claim=claim, actor=actor, link=link, data=data, everywhere=everywhere)
    touch(db, claim, actor)
    commit_change(db, claim, expected_version)


@writes
def remove_source(db: Session, *, claim: Claim, actor: User, link_id: int, expected_version: int | None) -> None:
    require_edit(actor, claim)
    if already_applied(claim, actor, expected_version) and db.get(ClaimSource, link_id) is None:
        return  # removed by the same form a moment ago
    check_version(claim, expected_version, db)
    link = _get_link(db, claim, link_id)
    source = db.get(Source, link.source_id)
    db.delete(link)
    record(db, claim=claim, article_id=claim.article_id, actor=actor, action="source_removed",
           changes={"source": [{"url": source.url, "title": source.title, "stance": link.stance}, None]})
    touch(db, claim, actor)
    commit_change(db, claim, expected_version)


def _get_link(db: Session, claim: Claim, link_id: int) -> ClaimSource:
    link = db.get(ClaimSource, link_id)
    if link is None or link.claim_id != claim.id:
        raise NotFoundError(f"Claim {claim.id} has no source {link_id}.")
    return link


def claim_sources(db: Session, claim: Claim) -> list[tuple[ClaimSource, Source]]:
    rows = db.exec(select(ClaimSource, Source).join(Source, Source.id == ClaimSource.source_id)
                   .where(ClaimSource.claim_id == claim.id).order_by(ClaimSource.position, ClaimSource.id)).all()
    return [(link, source) for link, source in rows]


def suggest_sources(db: Session, query: str, limit: int = 10) -> list[Source]:
    """Sources whose title or URL contains ``query`` (case-insensitive), most recent first."""
    query = query.strip().lower()
    if len(query) < 2:
        return []
    pattern = f"%{query}%"
    return list(db.exec(select(Source).where(or_(func.lower(Source.title).like(pattern),
                                                 func.lower(Source.url).like(pattern)))
                        .order_by(Source.created.desc()).limit(limit)).all())


# --- comments ---------------------------------------------------------------------------------

@writes
def add_comment(db: Session, *, claim: Claim, actor: User, body: str) -> Comment:
    if not role_allows(actor.role, "annotate"):
        raise ForbiddenError("Viewers may read comments but not write them.")
    body = (body or "").strip()
    if not body:
        raise InvalidContentError("The comment is empty.", code="empty_comment")
    if len(body) > MAX_COMMENT:
        raise InvalidContentError(f"A comment may have at most {MAX_COMMENT:,} characters.", code="comment_too_long")
    comment = Comment(claim_id=claim.id, author_id=actor.id, body=body)
    db.add(comment)
    db.flush()
    record(db, claim=claim, article_id=claim.article_id, actor=actor, action="comment", note=body[:2000],
           changes={"comment": [None, comment.id]})
    db.commit()
    return comment


def comments_of(db: Session, claim: Claim) -> list[tuple[Comment, User]]:
    rows = db.exec(select(Comment, User).join(User, User.id == Comment.author_id)
                   .where(Comment.claim_id == claim.id).order_by(Comment.created, Comment.id)).all()
    return [(c, u) for c, u in rows]


def history_of(db: Session, claim: Claim) -> list[tuple[HistoryEvent, User | None]]:
    rows = db.exec(select(HistoryEvent, User).join(User, User.id == HistoryEvent.actor_id, isouter=True)
                   .where(HistoryEvent.claim_id == claim.id).order_by(HistoryEvent.at, HistoryEvent.id)).all()
    return [(e, u) for e, u in rows]
