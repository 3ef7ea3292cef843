"""``/api/articles``: import, list and read articles."""

from __future__ import annotations

from flask import current_app, jsonify, request, url_for
from pydantic import ValidationError

from workbench.errors import InvalidContentError, MalformedRequestError
from workbench.memo import Memo
from workbench.services import articles, imports
from workbench.services.ingest import ARTICLE_MEDIA_TYPES, fetch_with_settings
from workbench.services.schemas import ArticleImport
from workbench.store.db import get_session
from workbench.store.models import Article, Revision
from workbench.web import auth
from workbench.web.api import protocol
from workbench.web.api.blueprint import api
from workbench.web.params import count_arg
from workbench.web.request_input import article_content

MAX_PAGE_SIZE = 200


def parse_json(model):
    """Validate the request body against ``model``; 400 when it is not JSON of that shape."""
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise MalformedRequestError("The body must be a JSON object (Content-Type: application/json).")
    try:
        return model.model_validate(data)
    except ValidationError as err:
        first = err.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "body"
        raise MalformedRequestError(f"{where}: {first['msg']}.") from None


def article_json(article: Article, revision: Revision | None = None) -> dict:
    data = {
        "id": article.id,
        "url": url_for("api.get_article", article_id=article.id, _external=True),
        "title": article.title,
        "source_url": article.source_url,
        "created": article.created.isoformat(),
        "modified": article.modified.isoformat(),
        "current_revision": article.current_revision,
    }
    if revision is not None:
        data["revision"] = revision_dict(revision)
    return data


def revision_dict(revision: Revision) -> dict:
    return {
        "url": url_for("api.get_revision", article_id=revision.article_id, number=revision.number, _external=True),
        "number": revision.number,
        "title": revision.title,
        "publisher": revision.publisher,
        "byline": revision.byline,
        "published": revision.published.isoformat() if revision.published else None,
        "language": revision.language,
        "source_url": revision.source_url,
        "sha256": revision.sha256,
        "origin": revision.origin,
        "created": revision.created.isoformat(),
        "text": revision.canonical_text,
        "blocks": {"kept": sum(1 for b in revision.blocks if b["kept"]),
                   "dropped": sum(1 for b in revision.blocks if not b["kept"])},
    }


def revision_json(revision: Revision):
    return jsonify(dict(revision_dict(revision), article=url_for("api.get_article", article_id=revision.article_id,
                                                                  _external=True)))


def _import_body(body: ArticleImport) -> tuple[bytes, str, str, str | None, str | None]:
    """(bytes, media type, origin, charset, source url) for the one input the body gives."""
    given = [name for name in ("text", "html", "url") if getattr(body, name)]
    if len(given) != 1:
        raise MalformedRequestError("Give exactly one of text, html or url.")
    config = current_app.config
    if body.url:
        fetched = fetch_with_settings(body.url, config)
        return fetched.body, fetched.media_type, fetched.url, fetched.charset, fetched.url
    # A JSON string is Unicode already: whatever its <meta charset> says, these bytes are UTF-8.
    if body.html is not None:
        return body.html.encode("utf-8"), "text/html", "api", "utf-8", None
    return body.text.encode("utf-8"), "text/plain", "api", "utf-8", None


def _raw_import() -> tuple[bytes, str, str | None, ArticleImport]:
    """The page sent as the body itself (``Content-Type: text/html; charset=...``), metadata in the
    query string; its bytes are decoded like a fetched page's."""
    fields = {k: v for k, v in request.args.items() if k in ("title", "source_url", "publisher", "published")}
    try:
        meta = ArticleImport.model_validate(fields)
    except ValidationError as err:
        first = err.errors()[0]
        raise MalformedRequestError(f"{'.'.join(str(p) for p in first['loc'])}: {first['msg']}.") from None
    return request.get_data(), request.mimetype, request.mimetype_params.get("charset"), meta


def _import_request() -> tuple[bytes, str, str, str | None, dict]:
    """(bytes, media type, origin, charset, metadata overrides) from an import or revision request body."""
    if request.mimetype in ARTICLE_MEDIA_TYPES:
        data, media_type, charset, body = _raw_import()
        origin, fetched_url = "api", None
    else:
        body = parse_json(ArticleImport)
        data, media_type, origin, charset, fetched_url = _import_body(body)
    if not data.strip():
        raise InvalidContentError("There is nothing to import: the text is empty.", code="empty")
    overrides = {"title": body.title, "publisher": body.publisher, "published": body.published,
                 "source_url": body.source_url or fetched_url}
    return data, media_type, origin, charset, overrides


@api.post("/articles")
@auth.requires("import_article")
@article_content("text", "html")
def create_article():
    data, media_type, origin, charset, overrides = _import_request()
    db = get_session()
    article = imports.import_article(db, actor=auth.current_user(), data=data, media_type=media_type, origin=origin,
                                      charset=charset, max_bytes=current_app.config["MAX_IMPORT_BYTES"], overrides=overrides)
    response = jsonify(article_json(article, articles.get_revision(db, article)))
    response.status_code = 201
    response.headers["Location"] = url_for("api.get_article", article_id=article.id, _external=True)
    return response


@api.get("/articles")
@auth.requires("read")
def list_articles():
    limit = count_arg("limit", 50, minimum=1, maximum=MAX_PAGE_SIZE)
    offset = count_arg("offset", 0)
    rows, total = articles.list_articles(get_session(), search=request.args.get("q", ""), limit=limit, offset=offset)
    return jsonify({"total": total, "limit": limit, "offset": offset, "items": [article_json(a) for a in rows]})


#: The fields of an article's representation, and of its revision's (``revision.text``).
ARTICLE_FIELDS = ("id", "url", "title", "source_url", "created", "modified", "current_revision", "revision")
REVISION_FIELDS = ("url", "number", "title", "publisher", "byline", "published", "language", "source_url", "sha256",
                   "origin", "created", "text", "blocks")
#: What every sparse representation keeps: what names the article.
ALWAYS_GIVEN = ("id", "url")


def chosen_fields() -> set[str] | None:
    """``?fields=``: the comma-separated fields the client wants (``revision.number``, say, for
    one of the revision's; ``revision`` for all of them), or None for the whole article. A client
    that has the text already leaves ``revision.text`` out. 422 for a name the article lacks."""
    raw = request.args.get("fields")
    if raw is None:
        return None
    names = [name.strip() for name in raw.split(",") if name.strip()]
    known = ARTICLE_FIELDS + tuple(f"revision.{name}" for name in REVISION_FIELDS)
    unknown = [name for name in names if name not in known]
    if unknown or not names:
        raise InvalidContentError(
            f"fields names the article's fields to give, from {', '.join(known)}; "
            + (f"it has no {unknown[0][:40]!r}." if unknown else "none was named."), code="bad_parameter")
    return set(names) | set(ALWAYS_GIVEN)


def sparse(data: dict, names: set[str]) -> dict:
    """``data`` with only the fields ``names`` (``chosen_fields``) asks for."""
    shown = {key: value for key, value in data.items() if key in names}
    of_revision = {name.split(".", 1)[1] for name in names if name.startswith("revision.")}
    if of_revision and "revision" not in names and data.get("revision") is not None:
        shown["revision"] = {key: value for key, value in data["revision"].items() if key in of_revision}
    return shown


#: Article representations kept by the article's row and its (never changed) revision: a read
#: between changes costs one light query. Bounded by their bytes (a 10,000-word article is about
#: 70 KB).
_representations = Memo(8_000_000)


class _Representation(bytes):
    """A representation's JSON, with its strong ETag (``tag``)."""


@api.get("/articles/<int:article_id>")
@auth.requires("read")
def get_article(article_id: int):
    """The article with its current revision; ``?fields=`` gives only the fields named. A strong
    ETag answers a conditional GET with 304."""
    names = chosen_fields()
    db = get_session()
    article, revision = articles.get_article_and_revision(db, article_id, with_text=False)
    key = (request.url_root, article.id, article.title, article.source_url, article.created, article.modified,
           article.current_revision, revision.id, None if names is None else tuple(sorted(names)))

    def make() -> _Representation:
        data = article_json(article, revision)
        body = _Representation(current_app.json.dumps(data if names is None else sparse(data, names)).encode() + b"\n")
        body.tag = protocol.strong_etag(body)
        return body

    body = _representations.get(key, make)
    answered = protocol.answer_from_tag(body.tag, {"Vary": "Accept-Encoding"})
    if answered is not None:
        return answered
    response = current_app.response_class(bytes(body), mimetype="application/json")
    response.set_etag(body.tag)
    return response


@api.post("/articles/<int:article_id>/revisions")
@auth.requires("import_article")
@article_content("text", "html")
def create_revision(article_id: int):
    """A new revision (same body as an import); answers with the re-anchoring report."""
    from workbench.services.revisions import add_revision

    db = get_session()
    article = articles.get_article(db, article_id)  # a 404 before fetching anything
    # Fetching and cleaning happen before the write, which re-reads the article.
    data, media_type, origin, charset, overrides = _import_request()
    revision, report = add_revision(db, article=article, actor=auth.current_user(), data=data, media_type=media_type,
                                    origin=origin, charset=charset, max_bytes=current_app.config["MAX_IMPORT_BYTES"],
                                    overrides=overrides)
    response = jsonify({"revision": revision_dict(revision), "reanchoring": report.to_dict()})
    response.status_code = 201
    response.headers["Location"] = revision_dict(revision)["url"]
    return response
