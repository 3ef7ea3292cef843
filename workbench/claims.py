"""Claim services: create, edit and delete claims, their sources and comments.

Every change bumps the claim's version (the ETag) and writes a history row. An edit based on
an older version is refused, never applied over someone else's change.
"""

from __future__ import annotations

from typing import NamedTuple

from sqlalchemy import bindparam, func, insert, or_
from sqlalchemy.engine import Connection
from sqlalchemy.orm.exc import StaleDataError
from sqlmodel import Session, select

from workbench.anchoring import AnchorError, locate_quote, verify_quote
from workbench.auth import ROLE_RANK, role_allows
from workbench.db import start_writing
from workbench.driver_statements import DriverStatements
from workbench.errors import ConflictError, ForbiddenError, InvalidContentError, NotFoundError, StaleVersionError
from workbench.ingest import check_url_syntax
from workbench.models import (
    Article, Claim, ClaimSource, Comment, HistoryEvent, ReviewStatus, Revision, Role, Source, Stance, User, utcnow,
)
from workbench.orm_rows import attach_loaded, static_defaults
from workbench.rating import rating_scale
from workbench.revision_text import RevisionText
from workbench.schemas import MAX_RATIONALE, MAX_TAG_LENGTH, MAX_TAGS, ClaimFields, SourceInput, parse_date, parse_datetime

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
    """Validated verdict, rationale and tags, or a 422 naming what is wrong."""
    verdict = (fields.verdict or "").strip() or None
    keys = [v.key for v in rating_scale(config)]
    if verdict is not None and verdict not in keys:
        raise InvalidContentError(f"Unknown verdict {verdict!r}; use one of {', '.join(keys)}.", code="bad_verdict")
    rationale = fields.rationale or ""
    if len(rationale) > MAX_RATIONALE:
        raise InvalidContentError(
            f"The rationale has {len(rationale):,} characters; the limit is {MAX_RATIONALE:,}.", code="rationale_too_long"
        )
    tags: list[str] = []
    for tag in fields.tags or []:
        if not isinstance(tag, str):
            raise InvalidContentError("Tags must be text.", code="bad_tag")
        tag = " ".join(tag.split())
        if len(tag) > MAX_TAG_LENGTH:
            raise InvalidContentError(f"The tag {tag[:20]!r}… is longer than {MAX_TAG_LENGTH} characters.", code="bad_tag")
        if tag and tag.lower() not in {t.lower() for t in tags}:
            tags.append(tag)
    if len(tags) > MAX_TAGS:
        raise InvalidContentError(f"A claim may have at most {MAX_TAGS} tags.", code="bad_tag")
    return {"verdict": verdict, "rationale": rationale, "tags": tags}


def parse_tags(text: str) -> list[str]:
    """Tags typed in one field, separated by commas."""
    return [t for t in (part.strip() for part in (text or "").split(",")) if t]


def _http_url(value: str | None, field: str) -> str | None:
    value = (value or "").strip()
    if not value:
        return None
    if len(value) > 2000:
        raise InvalidContentError(f"The {field} is longer than 2,000 characters.", code="bad_url")
    try:
        check_url_syntax(value)
    except InvalidContentError as err:
        raise InvalidContentError(f"The {field} is not usable: {err.message}", code="bad_url") from None
    return value


# --- claims -----------------------------------------------------------------------------------

def record(db: Session, *, claim: Claim | None, article_id: int, actor: User | None, action: str,
           changes: dict | None = None, note: str = "") -> None:
    db.add(HistoryEvent(article_id=article_id, claim_id=claim.id if claim else None,
                        actor_id=actor.id if actor else None, action=action, changes=changes or {}, note=note))


def create_claim(db: Session, *, revision: Revision | RevisionText, actor: User, start: int | None, end: int | None,
                 exact: str | None, fields: ClaimFields, sources: list[SourceInput] = (),
                 prefix: str = "", suffix: str = "", config: dict | None = None) -> Claim:
    """Create a draft claim on ``revision``'s text (its article's current one); the quote must match
    the text at the position."""
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
    row = {**_CLAIM_DEFAULTS, "article_id": article_id, "revision_id": revision.id, "start": selectors.start,
           "end": selectors.end, "exact": selectors.exact, "prefix": selectors.prefix, "suffix": selectors.suffix,
           "creator_id": actor.id, "last_editor_id": actor.id, "status": ReviewStatus.draft.value,
           "created": now, "modified": now, **values}
    event = {"article_id": article_id, "actor_id": actor.id, "at": now, "action": "created", "note": "",
             "changes": {"quote": [None, selectors.exact], "start": [None, selectors.start],
                         "end": [None, selectors.end], **{k: [None, v] for k, v in values.items() if v}}}
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


def _write_claim(conn: Connection, claim_values: dict, event: dict,
                 revision: Revision | RevisionText) -> tuple[int, int | None]:
    """Check that the revision is still current, then insert the claim and its history event:
    three statements in one transaction. The article's current revision and the new claim's id
    (None when the revision is no longer current)."""
    dialect = conn.dialect
    check, insert_claim, insert_event = (_CURRENT_REVISION.for_dialect(dialect), _INSERT_CLAIM.for_dialect(dialect),
                                         _INSERT_EVENT.for_dialect(dialect))
    check_values = check.convert({"article_id": revision.article_id})
    claim_values = insert_claim.convert(claim_values)
    event_values = insert_event.convert(event)
    start_writing(conn)
    current = check.execute(conn, check_values)[0]
    if current != revision.number:
        return current, None
    claim_id = insert_claim.execute(conn, claim_values)[0]
    insert_event.execute(conn, dict(event_values, claim_id=claim_id))
    return current, claim_id


def _write_claim_in_one_statement(conn: Connection, claim_values: dict, event: dict,
                                  revision: Revision | RevisionText, sources: list) -> tuple[int, int | None]:
    """PostgreSQL: the same check and inserts as one statement (one round trip, atomic on its
    own, so after a read phase it needs no transaction around it unless sources follow)."""
    statement = _CHECK_AND_INSERT.for_dialect(conn.dialect)
    values = statement.convert({**claim_values, **event, "revision_number": revision.number})
    if sources:
        start_writing(conn)
    return statement.execute(conn, values)


# The statements of create_claim, built once.
# FOR SHARE (PostgreSQL; SQLite's queue already excludes other writers) holds off a new revision
# until this claim is committed, so re-anchoring the new revision will see it.
_CURRENT_REVISION_FOR_SHARE = (select(Article.current_revision).where(Article.id == bindparam("article_id"))
                               .with_for_update(read=True))
_CURRENT_REVISION = DriverStatements(_CURRENT_REVISION_FOR_SHARE)
_CLAIM_COLUMNS = [c for c in Claim.__table__.columns if c.name != "id"]
_CLAIM_DEFAULTS = static_defaults(Claim)
_INSERT_CLAIM = DriverStatements(insert(Claim.__table__).returning(Claim.__table__.c.id),
                                 column_keys=[c.name for c in _CLAIM_COLUMNS])
_EVENT_COLUMNS = ["article_id", "claim_id", "actor_id", "at", "action", "changes", "note"]
_INSERT_EVENT = DriverStatements(insert(HistoryEvent.__table__), column_keys=_EVENT_COLUMNS)


def _check_and_insert():
    """WITH current (the article's current revision, FOR SHARE), new_claim (inserted only if
    current is the claim's revision), new_event (its history row) SELECT current, new claim id."""
    events = HistoryEvent.__table__
    current = _CURRENT_REVISION_FOR_SHARE.cte("current_revision")
    new_claim = (insert(Claim.__table__)
                 .from_select([c.name for c in _CLAIM_COLUMNS],
                              select(*[bindparam(c.name, type_=c.type) for c in _CLAIM_COLUMNS])
                              .where(current.c.current_revision == bindparam("revision_number")))
                 .returning(Claim.__table__.c.id).cte("new_claim"))
    new_event = (insert(events)
                 .from_select(_EVENT_COLUMNS, select(*[new_claim.c.id if name == "claim_id" else
                                                       bindparam(name, type_=events.c[name].type)
                                                       for name in _EVENT_COLUMNS]))
                 .returning(events.c.claim_id).cte("new_event"))
    return select(select(current.c.current_revision).scalar_subquery(),
                  select(new_event.c.claim_id).scalar_subquery())


_CHECK_AND_INSERT = DriverStatements(_check_and_insert())


def update_claim(db: Session, *, claim: Claim, actor: User, expected_version: int | None, fields: ClaimFields,
                 config: dict | None = None) -> Claim:
    """Change verdict, rationale and tags; records old and new values of what changed."""
    require_edit(actor, claim)
    check_version(claim, expected_version, db)
    values = clean_fields(fields, config=config)
    changes = {k: [getattr(claim, k), v] for k, v in values.items() if getattr(claim, k) != v}
    if not changes:
        return claim
    for key, (_old, new) in changes.items():
        setattr(claim, key, new)
    _touch(db, claim, actor)
    record(db, claim=claim, article_id=claim.article_id, actor=actor, action="updated", changes=changes)
    commit_change(db, claim, expected_version)
    return claim


def replace_claim(db: Session, *, claim: Claim, actor: User, expected_version: int, fields: ClaimFields,
                  sources: list[SourceInput], start: int | None, end: int | None, exact: str | None,
                  config: dict | None = None) -> Claim:
    """Replace a claim's fields and sources (API PUT); a new span must match its revision's text.

    One replacement is one new version: the sources change first (their own rows), then the
    claim's row is written once.
    """
    require_edit(actor, claim)
    check_version(claim, expected_version, db)
    values = clean_fields(fields, config=config)
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
    _touch(db, claim, actor)
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
    for data, position in zip(sources, range(len(sources))):
        link = current_urls.get(data.url.strip())
        if link is None:
            _attach_source(db, claim=claim, actor=actor, data=data, position=position)
        else:
            _update_link(db, claim=claim, actor=actor, link=link, data=data)


def delete_claim(db: Session, *, claim: Claim, actor: User, expected_version: int | None) -> None:
    """Hide a claim; it and its history are kept."""
    require_edit(actor, claim)
    check_version(claim, expected_version, db)
    claim.deleted = True
    _touch(db, claim, actor)
    record(db, claim=claim, article_id=claim.article_id, actor=actor, action="deleted",
           changes={"deleted": [False, True]})
    commit_change(db, claim, expected_version)


def _touch(db: Session, claim: Claim, actor: User) -> None:
    """Mark the claim changed; the ORM bumps its version when the row is written."""
    claim.modified = utcnow()
    claim.last_editor_id = actor.id
    db.add(claim)


def get_claim(db: Session, claim_id: int, *, include_deleted: bool = False) -> Claim:
    claim = db.get(Claim, claim_id)
    if claim is None or (claim.deleted and not include_deleted):
        raise NotFoundError(f"There is no claim {claim_id}.")
    return claim


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
    url = _http_url(data.url, "source URL")
    if url is None:
        raise InvalidContentError("A source needs a URL.", code="bad_url")
    return {
        "url": url,
        "title": (data.title or "").strip()[:500],
        "publisher": (data.publisher or "").strip()[:300] or None,
        "date_published": parse_date(data.date_published, field="date published"),
        "archived_url": _http_url(data.archived_url, "archived copy URL"),
        "archived_date": parse_datetime(data.archived_date, field="archive date"),
        "excerpt": (data.excerpt or "").strip()[:5000],
        "stance": stance,
    }


def _find_or_create_source(db: Session, values: dict) -> Source:
    """Reuse the source with this URL (filling in what it lacked), or make a new one."""
    source = db.exec(select(Source).where(Source.url == values["url"])).first()
    if source is None:
        source = Source(url=values["url"])
    for key in ("title", "publisher", "date_published", "archived_url"):
        if values[key] and not getattr(source, key):
            setattr(source, key, values[key])
    if values["archived_date"] and not source.archived_date:
        source.archived_date = values["archived_date"]
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


def _update_link(db: Session, *, claim: Claim, actor: User, link: ClaimSource, data: SourceInput) -> None:
    values = _validated_source(data)
    source = db.get(Source, link.source_id)
    changes = {}
    for key in ("stance", "excerpt"):
        if getattr(link, key) != values[key]:
            changes[key] = [getattr(link, key), values[key]]
            setattr(link, key, values[key])
    for key in ("title", "publisher", "date_published", "archived_url"):
        if values[key] is not None and values[key] != "" and getattr(source, key) != values[key]:
            old = getattr(source, key)
            changes[key] = [old.isoformat() if hasattr(old, "isoformat") else old,
                            values[key].isoformat() if hasattr(values[key], "isoformat") else values[key]]
            setattr(source, key, values[key])
    archived = values["archived_date"]
    # The page's "Archived on" gives a day: the same day again keeps a time the API gave.
    same_day = (source.archived_date is not None and len((data.archived_date or "").strip()) == 10
                and archived is not None and source.archived_date.date() == archived.date())
    if archived is not None and source.archived_date != archived and not same_day:
        changes["archived_date"] = [source.archived_date.isoformat() if source.archived_date else None,
                                    archived.isoformat()]
        source.archived_date = archived
    if changes:
        db.add(link)
        db.add(source)
        record(db, claim=claim, article_id=claim.article_id, actor=actor, action="source_updated",
               changes=changes, note=source.url)


def add_source(db: Session, *, claim: Claim, actor: User, data: SourceInput, expected_version: int | None) -> ClaimSource:
    require_edit(actor, claim)
    check_version(claim, expected_version, db)
    link = _attach_source(db, claim=claim, actor=actor, data=data)
    _touch(db, claim, actor)
    commit_change(db, claim, expected_version)
    return link


def update_source(db: Session, *, claim: Claim, actor: User, link_id: int, data: SourceInput,
                  expected_version: int | None) -> None:
    require_edit(actor, claim)
    check_version(claim, expected_version, db)
    link = _get_link(db, claim, link_id)
    source = db.get(Source, link.source_id)
    if _http_url(data.url, "source URL") != source.url:
        raise InvalidContentError("To cite a different URL, remove this source and add the new one.", code="bad_url")
    _update_link(db, claim=claim, actor=actor, link=link, data=data)
    _touch(db, claim, actor)
    commit_change(db, claim, expected_version)


def remove_source(db: Session, *, claim: Claim, actor: User, link_id: int, expected_version: int | None) -> None:
    require_edit(actor, claim)
    check_version(claim, expected_version, db)
    link = _get_link(db, claim, link_id)
    source = db.get(Source, link.source_id)
    db.delete(link)
    record(db, claim=claim, article_id=claim.article_id, actor=actor, action="source_removed",
           changes={"source": [{"url": source.url, "title": source.title, "stance": link.stance}, None]})
    _touch(db, claim, actor)
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
