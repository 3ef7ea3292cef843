"""An article's annotation container and its pages, made by the export's loader
(``exports.data.load_annotated``) and kept, like the W3C export, under the stamps of their claims.

Reading a page comes in two steps. ``stamped`` reads what tells the page's values apart without
reading them (the claims' ids and versions, the values of their related rows): that names the
representation exactly, so its ETag is made from it and a conditional GET is answered from it
alone. ``body`` then gives the document: kept, or made and kept under those stamps.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Callable, Hashable, NamedTuple

from sqlalchemy import func
from sqlalchemy import select as sa_select
from sqlmodel import Session

from workbench.errors import NotFoundError
from workbench.memo import Memo
from workbench.services.exports import data as export_data
from workbench.services.exports import w3c
from workbench.services.rating import rating_scale
from workbench.store import claim_stamps
from workbench.store.models import Article, Claim
from workbench.store.unit_of_work import reads

#: The most annotations a client may ask one page to hold (``limit``).
MAX_LIMIT = 1000
#: What a container shows of its annotations: their descriptions (the default), their IRIs, or
#: nothing but the container (protocol §4.1).
FORMS = ("descriptions", "iris", "minimal")

#: Container documents as made, by everything they show (``KeptPage``).
_kept_pages = Memo(max_chars=8_000_000)


class Shape(NamedTuple):
    """Which document of the container: the container itself (``page`` None, its first page
    embedded unless ``form`` is minimal) or one of its pages, ``size`` annotations a page."""

    page: int | None
    size: int
    form: str


class KeptPage(NamedTuple):
    """Everything a container document shows: its memo key, and what its ETag is made from."""

    shape: Shape
    collection_id: str
    #: The address of its first page (the others follow the same pattern).
    first_page: str
    context: str
    title: str
    scale: tuple
    total: int
    #: The page's claims: (id, version, created, modified, creator, revision) for descriptions,
    #: their ids for IRIs, nothing for the minimal container.
    stamps: tuple
    #: What the related rows described come to (``claim_stamps.related_stamp``).
    related: Hashable


@dataclass
class Stamped:
    key: KeptPage
    article_id: int
    #: The ids of the page's first and last claims (None: it shows none).
    first: int | None = None
    last: int | None = None

    @property
    def conditions(self) -> list:
        """The conditions on Claim that choose the page's claims (empty: it shows none); made
        only when the page is made, not for a page kept or a conditional GET."""
        if self.first is None:
            return []
        return _article_conditions(self.article_id) + [Claim.id >= self.first, Claim.id <= self.last]

    @property
    def stamp(self) -> bytes:
        """What the representation is a function of, as bytes (its ETag is made from them)."""
        return repr(self.key).encode("utf-8")

    @property
    def page_count(self) -> int:
        return max(1, -(-self.key.total // self.key.shape.size))


def _article_conditions(article_id: int) -> list:
    return [Claim.article_id == article_id, Claim.deleted == False]  # noqa: E712


@reads
def stamped(db: Session, *, article: Article, shape: Shape, links: w3c.Links, collection_id: str,
            page_url: Callable[[int, bool], str], config) -> Stamped:
    """The stamps of the document ``shape`` names: 404 for a page past the last."""
    if shape.form not in FORMS:
        raise ValueError(f"unknown form {shape.form!r}")
    number = shape.page or 0
    iris = shape.form == "iris"
    described = not iris and (shape.page is not None or shape.form != "minimal")
    stamps: tuple = ()
    related: Hashable = ()
    first = last = None
    if described:
        total, first, last, digest = claim_stamps.page_stamp(db.connection(), article.id, number * shape.size,
                                                             shape.size)
        if first is not None:
            stamps = (first, last, digest)
            related = claim_stamps.related_stamp(db.connection(), article.id, first, last)
    else:
        conditions = _article_conditions(article.id)
        total = db.exec(sa_select(func.count()).select_from(Claim).where(*conditions)).one()[0]
        if shape.page is not None or (iris and total):
            rows = db.exec(sa_select(Claim.id).where(*conditions).order_by(Claim.id)
                           .offset(number * shape.size).limit(shape.size)).all()
            stamps = tuple(row[0] for row in rows)
            if stamps:
                first, last = stamps[0], stamps[-1]
    page_count = max(1, -(-total // shape.size))
    if shape.page is not None and number >= page_count:
        raise NotFoundError(f"There is no page {number}; pages run from 0 to {page_count - 1}.")
    key = KeptPage(shape, collection_id, page_url(0, iris), links.context, article.title,
                   tuple(rating_scale(config)), total, stamps, related)
    return Stamped(key, article.id, first, last)


@reads
def body(db: Session, stamped_page: Stamped, *, links: w3c.Links, page_url: Callable[[int, bool], str],
         config) -> tuple[bytes, KeptPage]:
    """The document, kept or made, with the key it is the document of: ``stamped_page``'s, unless
    a claim changed since its stamps were read (the document then shows the change, and is not kept)."""
    key = stamped_page.key
    found = _kept_pages.lookup(key)
    if found is not None:
        return found, key
    shape = key.shape
    iris = shape.form == "iris"
    number = shape.page or 0
    made_key = key
    items: list | None = None
    if stamped_page.conditions and (shape.page is not None or shape.form != "minimal"):
        exported, _values = export_data.load_annotated(db, stamped_page.conditions, config=config, links=links,
                                                           order=(Claim.id,), first_number=number * shape.size + 1)
        if iris:
            items = [links.annotation(item.claim.article_id, item.claim.id) for item in exported]
            now = tuple(item.claim.id for item in exported)
            made_key = key._replace(stamps=now)
        else:
            # Described in full, each with its own @context, as a client reading them one by one expects.
            items = [w3c.annotation(item.claim, links=links, revision_number=item.revision_number,
                                    creator=item.checker, sources=item.sources, verdict=item.verdict)
                     for item in exported]
            # Read again after the page's rows: unchanged, they are what the stamps named.
            article_id = exported[0].claim.article_id if exported else None
            if not exported or claim_stamps.page_stamp(
                    db.connection(), article_id, number * shape.size, shape.size)[1:] != key.stamps \
                    or claim_stamps.related_stamp(db.connection(), article_id, *key.stamps[:2]) != key.related:
                made_key = None
    elif shape.page is not None or shape.form != "minimal":
        items = []
    label = w3c.collection_label_of(key.title)
    page_count = stamped_page.page_count

    def page_document(embedded: bool) -> dict:
        return w3c.page(items or [], links=links, page_id=page_url(number, iris), collection_id=key.collection_id,
                        label=label, total=key.total, start_index=number * shape.size,
                        next_id=page_url(number + 1, iris) if number + 1 < page_count else None,
                        prev_id=page_url(number - 1, iris) if number > 0 else None, embedded=embedded)

    if shape.page is not None:
        document = page_document(embedded=False)
    else:
        if shape.form == "minimal":
            first: dict | str | None = page_url(0, False) if key.total else None
        else:
            first = page_document(embedded=True) if key.total else None
        document = w3c.collection(links=links, collection_id=key.collection_id, label=label, total=key.total,
                                  first=first, last_id=page_url(page_count - 1, iris) if key.total else None)
        document["type"] = ["BasicContainer", "AnnotationCollection"]
    content = json.dumps(document, ensure_ascii=False).encode("utf-8")
    if made_key is None:
        # Something changed between the two reads: its document is served under a key of its own
        # (never kept), so its ETag names what it shows.
        return content, key._replace(stamps=("changed", content))
    _kept_pages.store(made_key, content)
    return content, made_key
