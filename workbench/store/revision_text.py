"""An article's revision, loaded light: what claim creation needs, cheaply.

Claim creation runs on every selection a checker saves, and it needs the current revision's
text to check the quote. A revision never changes once stored, and its text is identified by
its SHA-256, so texts are kept in a memo keyed by that hash: a lookup is one light query for the
ids, number and hash. The revision comes back as a ``Revision`` loaded light: those columns and
its text, detached (joining the session would cost more than the rest of the lookup); reading
any other column raises ``DetachedInstanceError``. What is current can
change at any moment; the write re-checks it in its own transaction (see
``claims.create_claim``). A caller that retries with a fresh look when that check fails may skip
even the query (``recent_current_revision``): it gets the revision this process last saw current.
"""

from __future__ import annotations

import weakref

from sqlalchemy import bindparam, select
from sqlmodel import Session

from workbench.errors import NotFoundError
from workbench.memo import Memo
from workbench.store.models import Article, Revision
from workbench.store.orm_rows import detached_loaded

_CURRENT = (select(Revision.id, Revision.number, Revision.sha256)
            .join(Article, (Article.id == Revision.article_id) & (Article.current_revision == Revision.number))
            .where(Article.id == bindparam("article_id")))
_NUMBERED = (select(Revision.id, Revision.number, Revision.sha256)
             .where(Revision.article_id == bindparam("article_id"), Revision.number == bindparam("number")))
_TEXT = select(Revision.canonical_text).where(Revision.id == bindparam("revision_id"))

#: Canonical texts by their SHA-256.
_texts = Memo(max_entries=64)
#: (the database's engine, weakly, article id) -> its current revision's id, number and hash, as
#: this process last saw them. Not a pure function's result: each look replaces what was kept.
_current = Memo(max_entries=1024)


def current_revision(db: Session, article_id: int) -> Revision:
    """The article's current revision, loaded light (404 when there is no such article)."""
    row = db.connection().execute(_CURRENT, {"article_id": article_id}).first()
    if row is None:
        raise NotFoundError(f"There is no article {article_id}.")
    _current.store((weakref.ref(db.get_bind()), article_id), tuple(row))
    return _light(db, article_id, row)


def recent_current_revision(db: Session, article_id: int) -> Revision | None:
    """The revision this process last saw current, without a query, if it saw one: only for a
    caller whose write re-checks that it is still current, and which asks ``current_revision``
    when it is not."""
    seen = _current.lookup((weakref.ref(db.get_bind()), article_id))
    return None if seen is None else _light(db, article_id, seen)


def numbered_revision(db: Session, article_id: int, number: int) -> Revision:
    row = db.connection().execute(_NUMBERED, {"article_id": article_id, "number": number}).first()
    if row is None:
        raise NotFoundError(f"Article {article_id} has no revision {number}.")
    return _light(db, article_id, row)


def _light(db: Session, article_id: int, row) -> Revision:
    revision_id, number, sha256 = row
    text = _texts.get(sha256, lambda: db.connection().execute(_TEXT, {"revision_id": revision_id}).scalar_one())
    return detached_loaded(Revision, {"id": revision_id, "article_id": article_id, "number": number,
                                        "sha256": sha256, "canonical_text": text})
