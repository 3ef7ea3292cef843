"""The IRIs the API and the exports give annotations, revisions and users, for this request's host."""

from __future__ import annotations

import weakref

from flask import current_app, request, url_for

from workbench.memo import Memo
from workbench.services.exports import w3c

#: By (application, weakly; site root). The Host header chooses the root: the bound keeps a
#: stream of made-up hosts from growing it.
_made = Memo(max_entries=32)


def links() -> w3c.Links:
    """IRIs for this request's scheme and host; made from URL patterns built once per site root,
    since an export names every annotation, revision and user in it (url_for would be called
    thousands of times)."""
    return _made.get((weakref.ref(current_app._get_current_object()), request.url_root), lambda: w3c.Links(
        context=url_for("api.context", _external=True),
        annotation=url_pattern("api.get_annotation", "article_id", "annotation_id"),
        revision=url_pattern("api.get_revision", "article_id", "number"),
        user=url_pattern("api.get_user", "user_id"),
        article=url_pattern("articles.show", "article_id"),
        claim_page=url_pattern("articles.show", "article_id", "claim"),
        collection=_collection_pattern(),
    ))


def _collection_pattern():
    """The IRI of an article's W3C export, by article id and ``include``."""
    by_include = {include: url_pattern("api.export_article", "article_id", format="jsonld", include=include)
                  for include in ("approved", "all")}

    def build(article_id: int, include: str) -> str:
        return by_include[include](article_id)

    return build


def url_pattern(endpoint: str, *names: str, **fixed: str):
    """A function of ``names`` (integers, in the order the URL has them) giving what
    ``url_for(endpoint, ..., **fixed, _external=True)`` gives."""
    marks = {name: str(7_000_000_000_000_000_001 + index) for index, name in enumerate(names)}
    url = url_for(endpoint, _external=True, **fixed, **{name: int(mark) for name, mark in marks.items()})
    pieces: list[str] = []
    for mark in reversed(list(marks.values())):
        url, found, tail = url.rpartition(mark)
        if not found:
            raise ValueError(f"{endpoint} does not put {mark} in its path")
        pieces.insert(0, tail)
    head = url

    def build(*values: int) -> str:
        return head + "".join(f"{int(value)}{tail}" for value, tail in zip(values, pieces))

    return build
