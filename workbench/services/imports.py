"""The import flow: a draft the user reviews in the preview, then saved as an article or as
a new revision of one; or both steps at once (API and CLI)."""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import Iterable

from sqlmodel import Session, select

from workbench.errors import InvalidContentError, NotFoundError, TooLargeError
from workbench.services import articles
from workbench.services.revisions import store_revision
from workbench.services.schemas import ArticleMeta
from workbench.store.models import Article, ImportDraft, User, utcnow
from workbench.store.unit_of_work import writes

DRAFT_LIFETIME = timedelta(days=2)


@writes
def start_import(
    db: Session,
    *,
    actor: User | None,
    data: bytes,
    media_type: str,
    origin: str,
    max_bytes: int,
    charset: str | None = None,
    source_url: str | None = None,
    article: Article | None = None,
    fallback: tuple[bytes, str] | None = None,
) -> ImportDraft:
    """Clean the input and keep it as a draft for the user to review in the preview.

    ``fallback`` (bytes, media type) is cleaned instead when the input yields no kept text: a
    paste's plain text behind its HTML flavour.
    """
    result = None
    if fallback is not None:
        try:
            result = articles.clean_blocks(data, media_type, max_bytes=max_bytes, charset=charset, url=source_url)
        except (InvalidContentError, TooLargeError):
            result = None
        if result is None or not any(block.kept for block in result.blocks):
            (data, media_type), result = fallback, None
    if result is None:
        result = articles.clean_blocks(data, media_type, max_bytes=max_bytes, charset=charset, url=source_url)
    meta = dict(result.meta)
    if source_url:
        meta["source_url"] = source_url
    draft = ImportDraft(
        key=secrets.token_urlsafe(24),
        user_id=actor.id,
        article_id=article.id if article else None,
        original=data,
        original_media_type=media_type,
        origin=origin,
        blocks=[block.to_dict() for block in result.blocks],
        meta=meta,
    )
    _forget_old_drafts(db)
    db.add(draft)
    db.commit()
    return draft


def get_draft(db: Session, *, key: str, actor: User) -> ImportDraft:
    draft = db.exec(select(ImportDraft).where(ImportDraft.key == key, ImportDraft.user_id == actor.id)).first()
    if draft is None:
        raise NotFoundError("This import preview no longer exists; start the import again.")
    return draft


@writes
def retitle_draft(db: Session, *, draft: ImportDraft, title: str) -> None:
    """Give the draft the title the user typed in the import form."""
    draft.meta = dict(draft.meta, title=title)
    db.add(draft)


@writes
def discard_draft(db: Session, *, key: str, actor: User) -> None:
    db.delete(get_draft(db, key=key, actor=actor))


@writes
def commit_draft(db: Session, *, draft: ImportDraft, actor: User, keep: Iterable[int], meta: ArticleMeta) -> Article:
    """Save a draft as a new article (or a new revision) with the blocks the user chose to keep."""
    keep = set(keep)
    blocks = [dict(block, kept=i in keep) for i, block in enumerate(draft.blocks)]
    if draft.article_id:
        article = articles.get_article(db, draft.article_id)
        store_revision(db, article=article, actor=actor, original=draft.original,
                       media_type=draft.original_media_type, origin=draft.origin, blocks=blocks, meta=meta,
                       draft=draft)
        return article
    article, _revision = articles.stage(db, actor=actor, article=None, original=draft.original,
                               media_type=draft.original_media_type, origin=draft.origin, blocks=blocks, meta=meta)
    db.delete(draft)
    db.commit()
    return article


@writes
def import_article(
    db: Session,
    *,
    actor: User | None,
    data: bytes,
    media_type: str,
    origin: str,
    max_bytes: int,
    charset: str | None = None,
    overrides: dict | None = None,
    article: Article | None = None,
) -> Article:
    """Import in one step with the cleaner's own choices (API and CLI); with ``article``, as its
    new revision (see :func:`workbench.services.revisions.store_revision`)."""
    blocks, meta = articles.clean_import(data, media_type, max_bytes=max_bytes, charset=charset, overrides=overrides)
    if article is not None:
        store_revision(db, article=article, actor=actor, original=data, media_type=media_type, origin=origin,
                       blocks=blocks, meta=meta)
        return article
    article, _revision = articles.stage(db, actor=actor, article=None, original=data, media_type=media_type, origin=origin,
                               blocks=blocks, meta=meta)
    db.commit()
    return article


def _forget_old_drafts(db: Session) -> None:
    for old in db.exec(select(ImportDraft).where(ImportDraft.created < utcnow() - DRAFT_LIFETIME)):
        db.delete(old)
