"""A revision's identity and text, the way the claim-writing paths need them, cheaply.

Claim creation runs on every selection a checker saves, and it needs the current revision's
text to check the quote. A revision never changes once stored, and its text is identified by
its SHA-256, so texts are kept in a small in-process cache keyed by that hash: a lookup is one
light query for the ids, number and hash. What is current can change at any moment; the write
re-checks it in its own transaction (see ``claims.create_claim``). A caller that retries with a
fresh look when that check fails may skip even the query (``recent_ok``): it gets the revision
this process last saw current.
"""

from __future__ import annotations

import threading
import weakref
from collections import OrderedDict
from dataclasses import dataclass

from sqlalchemy import bindparam, select
from sqlalchemy.engine import Engine
from sqlmodel import Session

from workbench.errors import NotFoundError
from workbench.store.models import Article, Revision

CACHED_TEXTS = 64
CACHED_ARTICLES = 1024


@dataclass(frozen=True)
class RevisionText:
    id: int
    article_id: int
    number: int
    canonical_text: str
    #: Taken from what this process last saw, not read now: it may have been replaced since.
    recent: bool = False


_CURRENT = (select(Revision.id, Revision.number, Revision.sha256)
            .join(Article, (Article.id == Revision.article_id) & (Article.current_revision == Revision.number))
            .where(Article.id == bindparam("article_id")))
_NUMBERED = (select(Revision.id, Revision.number, Revision.sha256)
             .where(Revision.article_id == bindparam("article_id"), Revision.number == bindparam("number")))
_TEXT = select(Revision.canonical_text).where(Revision.id == bindparam("revision_id"))

_texts: OrderedDict[str, str] = OrderedDict()
# Per database (engine): article id -> the current revision's id, number and hash, as last seen.
_current: weakref.WeakKeyDictionary[Engine, OrderedDict[int, tuple[int, int, str]]] = weakref.WeakKeyDictionary()
_texts_lock = threading.Lock()


def current_revision_text(db: Session, article_id: int, *, recent_ok: bool = False) -> RevisionText:
    """The article's current revision (404 when there is no such article).

    With ``recent_ok``, the revision this process last saw current, without a query, if it saw
    one (marked ``recent``): only for a caller whose write re-checks that it is still current,
    and which asks again without ``recent_ok`` when it is not.
    """
    engine = db.get_bind()
    if recent_ok:
        with _texts_lock:
            seen = _current.get(engine, {}).get(article_id)
        if seen is not None:
            return _with_text(db, article_id, seen, recent=True)
    row = db.connection().execute(_CURRENT, {"article_id": article_id}).first()
    if row is None:
        raise NotFoundError(f"There is no article {article_id}.")
    with _texts_lock:
        seen = _current.setdefault(engine, OrderedDict())
        seen[article_id] = tuple(row)
        seen.move_to_end(article_id)
        while len(seen) > CACHED_ARTICLES:
            seen.popitem(last=False)
    return _with_text(db, article_id, row)


def revision_text(db: Session, article_id: int, number: int) -> RevisionText:
    row = db.connection().execute(_NUMBERED, {"article_id": article_id, "number": number}).first()
    if row is None:
        raise NotFoundError(f"Article {article_id} has no revision {number}.")
    return _with_text(db, article_id, row)


def _with_text(db: Session, article_id: int, row, recent: bool = False) -> RevisionText:
    revision_id, number, sha256 = row
    with _texts_lock:
        text = _texts.get(sha256)
        if text is not None:
            _texts.move_to_end(sha256)
    if text is None:
        text = db.connection().execute(_TEXT, {"revision_id": revision_id}).scalar_one()
        with _texts_lock:
            _texts[sha256] = text
            while len(_texts) > CACHED_TEXTS:
                _texts.popitem(last=False)
    return RevisionText(id=revision_id, article_id=article_id, number=number, canonical_text=text, recent=recent)
