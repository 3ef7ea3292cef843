"""Articles and their revisions: cleaning what is imported, storing it, finding and listing it."""

from __future__ import annotations

from sqlalchemy import bindparam, func, inspect, or_
from sqlalchemy.orm import defer
from sqlmodel import Session, select

from workbench.errors import InvalidContentError, NotFoundError, TooLargeError
from workbench.services.ingest import clean_input
from workbench.services.schemas import ArticleMeta, parse_date, parse_url
from workbench.store.models import (
    Article,
    HistoryEvent,
    Revision,
    User,
    utcnow,
)
from workbench.store.driver_statements import DriverStatements
from workbench.store.orm_rows import attach_loaded
from workbench.store.unit_of_work import reads
from workbench.text.cleaning import CleanResult, canonicalize, text_sha256
from workbench.text.sanitize import render_paragraphs


def clean_import(data: bytes, media_type: str, *, max_bytes: int, charset: str | None = None,
                 overrides: dict | None = None) -> tuple[list[dict], ArticleMeta]:
    """The blocks and metadata of a one-step import: the cleaner's choices, then ``overrides``."""
    overrides = {k: v for k, v in (overrides or {}).items() if v not in (None, "")}
    result = clean_blocks(data, media_type, max_bytes=max_bytes, charset=charset, url=overrides.get("source_url"))
    found = dict(result.meta, **overrides)
    meta = ArticleMeta(
        title=found.get("title") or "",
        source_url=found.get("source_url"),
        publisher=found.get("publisher"),
        byline=found.get("byline"),
        published=parse_date(found.get("published")),
        language=found.get("language"),
    )
    return [block.to_dict() for block in result.blocks], meta


def clean_blocks(data: bytes, media_type: str, *, max_bytes: int, charset: str | None, url: str | None) -> CleanResult:
    if len(data) > max_bytes:
        raise TooLargeError(f"The article is {len(data):,} bytes; the limit is {max_bytes:,}.")
    if not data.strip():
        raise InvalidContentError("There is nothing to import: the text is empty.", code="empty")
    result = clean_input(data, media_type, charset=charset, url=url)
    if not result.blocks:
        raise InvalidContentError("No readable text was found in the input.", code="empty")
    return result


def stage(db: Session, *, actor: User | None, article: Article | None, original: bytes, media_type: str, origin: str,
          blocks: list[dict], meta: ArticleMeta) -> tuple[Article, Revision]:
    """Add a new article (``article`` None) or a new revision of ``article``: flushed, not committed.

    The caller commits a new article; a new revision commits only together with the re-anchoring
    of its article's claims (:func:`workbench.services.revisions.store_revision`).
    """
    canonical = canonicalize([b["text"] for b in blocks if b["kept"]])
    if not canonical:
        raise InvalidContentError(
            "Nothing is left after cleaning: every block was dropped. Keep at least one block.", code="nothing_kept"
        )
    source_url = parse_url(meta.source_url, field="article's source URL")
    title = (meta.title or "").strip() or _fallback_title(canonical)
    now = utcnow()
    if article is not None:
        # It may have been read before this transaction (see store.unit_of_work). Locked until the
        # revision commits (FOR NO KEY UPDATE on PostgreSQL; SQLite's write lock is held already):
        # another revision of the article waits, and so does a new claim (its FOR SHARE), so
        # that re-anchoring sees every claim there is. Rows that only refer to the article (an
        # edit's history row) are not held up: their foreign-key checks take no conflicting lock.
        db.refresh(article, with_for_update={"key_share": True})
        current = get_revision(db, article)
        if current.sha256 == text_sha256(canonical):
            raise InvalidContentError(
                f"This text is the same as revision {current.number}; there is nothing new to store.", code="unchanged"
            )
    if article is None:
        article = Article(title=title, source_url=source_url, created_by_id=actor.id if actor else None, current_revision=1)
        number = 1
    else:
        number = article.current_revision + 1
        article.title, article.current_revision, article.modified = title, number, now
        article.source_url = source_url or article.source_url
    db.add(article)
    db.flush()
    revision = Revision(
        article_id=article.id,
        number=number,
        original=original,
        original_media_type=media_type,
        origin=origin,
        canonical_text=canonical,
        html=render_paragraphs(canonical),
        sha256=text_sha256(canonical),
        blocks=blocks,
        blocks_kept=sum(1 for block in blocks if block["kept"]),
        blocks_dropped=sum(1 for block in blocks if not block["kept"]),
        title=title,
        source_url=source_url,
        publisher=meta.publisher,
        byline=meta.byline,
        published=meta.published,
        language=meta.language,
        created_by_id=actor.id if actor else None,
    )
    db.add(revision)
    db.add(HistoryEvent(article_id=article.id, actor_id=actor.id if actor else None, action="revision" if number > 1 else "imported",
                        changes={"revision": [number - 1 or None, number]}, note=origin[:500]))
    db.flush()
    return article, revision


def _fallback_title(canonical: str) -> str:
    first = canonical.split("\n\n", 1)[0]
    return first if len(first) <= 120 else first[:117].rsplit(" ", 1)[0] + "…"


def list_articles(db: Session, *, search: str = "", limit: int = 50, offset: int = 0) -> tuple[list[Article], int]:
    """Newest first, optionally only titles containing ``search`` (case-insensitive)."""
    query = select(Article)
    if search.strip():
        pattern = f"%{search.strip().lower()}%"
        query = query.where(or_(func.lower(Article.title).like(pattern), func.lower(Article.source_url).like(pattern)))
    total = db.exec(select(func.count()).select_from(query.subquery())).one()
    rows = db.exec(query.order_by(Article.created.desc(), Article.id.desc()).offset(offset).limit(limit)).all()
    return list(rows), total


def articles_by_id(db: Session, article_ids=None) -> dict[int, Article]:
    """The articles with these ids (all of them when None), by id."""
    query = select(Article)
    if article_ids is not None:
        query = query.where(Article.id.in_(set(article_ids) or {0}))
    return {a.id: a for a in db.exec(query)}


@reads
def get_article(db: Session, article_id: int) -> Article:
    """The article, read by one statement on the driver's cursor (every API read of an article's
    claims starts here, and the ORM's loading cost more than the query), joining the session as
    if the ORM had loaded it; the session's own instance if it holds one already."""
    held = db.identity_map.get(_article_key(article_id))
    if held is not None and not inspect(held).expired_attributes:
        return held  # as the ORM's get: no query for an article the session holds
    conn = db.connection()
    lookup = _ARTICLE_ROW.for_dialect(conn.dialect)
    found = lookup.first(conn, lookup.convert({"article_id": article_id}))
    if found is None:
        raise NotFoundError(f"There is no article {article_id}.")
    return attach_loaded(db, Article, found)


def _article_key(article_id: int):
    return inspect(Article).identity_key_from_primary_key([article_id])


_ARTICLE_ROW = DriverStatements(select(*Article.__table__.columns).where(Article.id == bindparam("article_id")))


# A revision's heavy columns load only when something reads them.
_LIGHT_REVISION = (defer(Revision.original), defer(Revision.html), defer(Revision.blocks))


@reads
def get_revision(db: Session, article: Article, number: int | None = None) -> Revision:
    """One revision (original bytes, HTML and preview blocks load when read)."""
    number = number or article.current_revision
    revision = db.exec(
        select(Revision).where(Revision.article_id == article.id, Revision.number == number)
        .options(*_LIGHT_REVISION)
    ).first()
    if revision is None:
        raise NotFoundError(f"Article {article.id} has no revision {number}.")
    return revision


@reads
def get_article_and_revision(db: Session, article_id: int, *, with_text: bool = True) -> tuple[Article, Revision]:
    """An article with its current revision, in one query (heavy revision columns load when read;
    so does the canonical text, without ``with_text``)."""
    query = _ARTICLE_AND_REVISION if with_text else _ARTICLE_AND_REVISION_WITHOUT_TEXT
    found = db.exec(query, params={"article_id": article_id}).first()
    if found is None:
        get_article(db, article_id)  # the article's own 404
        raise NotFoundError(f"Article {article_id} has no current revision.")
    return found[0], found[1]


_ARTICLE_AND_REVISION = (
    select(Article, Revision)
    .join(Revision, (Revision.article_id == Article.id) & (Revision.number == Article.current_revision))
    .where(Article.id == bindparam("article_id")).options(*_LIGHT_REVISION)
)
_ARTICLE_AND_REVISION_WITHOUT_TEXT = _ARTICLE_AND_REVISION.options(defer(Revision.canonical_text))


def list_revisions(db: Session, article: Article) -> list[Revision]:
    return list(db.exec(select(Revision).where(Revision.article_id == article.id).order_by(Revision.number)
                        .options(*_LIGHT_REVISION, defer(Revision.canonical_text))).all())
