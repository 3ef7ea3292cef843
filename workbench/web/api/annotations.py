"""The W3C Web Annotation Protocol endpoints: an annotation container per article, and annotations."""

from __future__ import annotations

import json

from flask import Response, current_app, request, url_for

from workbench.errors import (
    InvalidContentError,
    MalformedRequestError,
    NotFoundError,
    PreconditionRequiredError,
)
from workbench.services import articles, claims, containers, search
from workbench.services.annotating import create_annotated_claim
from workbench.services.annotation_input import parse_annotation
from workbench.services.annotations import annotation_of_new_claim, annotations_for
from workbench.services.exports import w3c
from workbench.store.db import get_session
from workbench.store.models import Claim, User
from workbench.web import auth
from workbench.web.api import protocol
from workbench.web.api.blueprint import api
from workbench.web.links import links
from workbench.web.params import count_arg, id_arg

#: Annotations on one page of a container (the setting ``ANNOTATION_PAGE_SIZE`` changes it).
PAGE_SIZE = 100


def page_size() -> int:
    return max(1, int(current_app.config.get("ANNOTATION_PAGE_SIZE") or PAGE_SIZE))


def annotation_data(claim: Claim) -> dict:
    return annotations_for(get_session(), [claim], links=links())[0]


def _annotation_response(claim: Claim, status: int = 200, extra: dict | None = None, data: dict | None = None,
                         *, conditional: bool = False) -> Response:
    if data is None:
        data = annotation_data(claim)
    headers = {"Vary": "Accept"}
    headers.update(extra or {})
    return protocol.ld_response(data, status, headers, conditional=conditional)


def current_etag(claim: Claim) -> str:
    """The strong ETag of the claim's representation as it is now."""
    return protocol.strong_etag(protocol.representation(annotation_data(claim)))


def expected_version(claim: Claim) -> int:
    """The version the client's If-Match names: 428 without one, 412 when it names another
    representation than the current one (or is weak)."""
    if not request.headers.get("If-Match"):
        raise PreconditionRequiredError("Send If-Match with the annotation's ETag to change it.")
    protocol.check_if_match(current_etag(claim))
    return claim.version


def annotation_in(article_id: int, annotation_id: int) -> Claim:
    """The claim ``annotation_id`` of article ``article_id``'s container: 404 when it is another
    article's, 410 once withdrawn."""
    db = get_session()
    claim = claims.get_claim(db, annotation_id, include_deleted=True)
    if claim.article_id != article_id:
        raise NotFoundError(f"Article {article_id} has no annotation {annotation_id}.")
    if claim.deleted:
        raise claims.gone_error(db, claim)
    return claim


def _json_body() -> dict:
    data = request.get_json(silent=True)
    if data is None:
        raise MalformedRequestError("The body must be JSON: a W3C Web Annotation.")
    return data


@api.get("/context.jsonld")
@auth.requires("public")
def context():
    response = Response(json.dumps(w3c.project_context(url_for("api.context", _external=True) + "#")),
                        mimetype="application/ld+json")
    response.headers["Cache-Control"] = "public, max-age=86400"
    return response


@api.get("/users/<int:user_id>")
@auth.requires("read")
def get_user(user_id: int):
    user = get_session().get(User, user_id)
    if user is None:
        raise NotFoundError(f"There is no user {user_id}.")
    return protocol.ld_response({"@context": "http://www.w3.org/ns/anno.jsonld",
                        "id": url_for("api.get_user", user_id=user.id, _external=True), "type": "Person",
                        "name": user.display_name or user.username, "nickname": user.username})


@api.get("/articles/<int:article_id>/annotations/")
@auth.requires("read")
def list_annotations(article_id: int):
    """The container (an AnnotationCollection and an LDP BasicContainer), or one of its pages with
    ``?page=N`` (``&iris=1``: the annotations' IRIs alone; ``&limit=L``: L annotations a page, up
    to ``containers.MAX_LIMIT``). Prefer chooses what is embedded. The ETag is made from the
    stamps of what the document shows, so a conditional GET is answered without making it."""
    protocol.require_acceptable()
    db = get_session()
    article = articles.get_article(db, article_id)
    limit_given = request.args.get("limit") not in (None, "")
    size = count_arg("limit", page_size(), minimum=1, maximum=containers.MAX_LIMIT)
    collection_id = url_for("api.list_annotations", article_id=article.id, _external=True)
    preferred = protocol.preference()
    headers = {"Vary": "Accept, Prefer"}
    if preferred.asked:
        headers["Preference-Applied"] = "return=representation"

    def page_url(number: int, iris: bool) -> str:
        args = {"iris": 1} if iris else {}
        if limit_given:
            args["limit"] = size
        return url_for("api.list_annotations", article_id=article.id, **args, page=number, _external=True)

    if request.args.get("page") is not None:
        number = count_arg("page", 0)
        iris = _iris_arg() if not preferred.asked else preferred.form != "descriptions"
        shape = containers.Shape(number, size, "iris" if iris else "descriptions")
        headers["Content-Location"] = page_url(number, iris)
    else:
        shape = containers.Shape(None, size, preferred.form)
        headers["Content-Location"] = collection_id
    config = current_app.config
    stamped = containers.stamped(db, article=article, shape=shape, links=links(), collection_id=collection_id,
                                 page_url=page_url, config=config)
    tag = protocol.strong_etag(stamped.stamp)
    answered = protocol.answer_from_tag(tag, headers)
    if answered is not None:
        return answered
    content, key = containers.body(db, stamped, links=links(), page_url=page_url, config=config)
    if key is not stamped.key:  # a claim changed since its stamps were read: the body shows the change
        tag = protocol.strong_etag(repr(key).encode("utf-8"))
    return protocol.tagged_response(content, tag, headers=headers)


def _iris_arg() -> bool:
    raw = request.args.get("iris", "0")
    if raw not in ("0", "1"):
        raise InvalidContentError(f"iris must be 0 or 1, not {raw[:40]!r}.", code="bad_parameter")
    return raw == "1"


@api.post("/articles/<int:article_id>/annotations/")
@auth.requires("annotate")
def create_annotation(article_id: int):
    protocol.require_acceptable()
    parsed = parse_annotation(_json_body())
    user = auth.current_user()
    claim, revision = create_annotated_claim(
        get_session(), article_id=article_id, parsed=parsed, actor=user,
        revision_iri=lambda article, number: url_for("api.get_revision", article_id=article, number=number,
                                                     _external=True))
    # A claim without sources is presented from what is in hand; sources are read back with it.
    data = None if parsed.sources else annotation_of_new_claim(claim, revision=revision, creator=user, links=links())
    location = data["id"] if data else links().annotation(claim.article_id, claim.id)
    return _annotation_response(claim, 201, {"Location": location, "Content-Location": location}, data)


ANNOTATION_PATH = "/articles/<int:article_id>/annotations/<int:annotation_id>"


@api.get(ANNOTATION_PATH)
@auth.requires("read")
def get_annotation(article_id: int, annotation_id: int):
    protocol.require_acceptable()
    claim = annotation_in(article_id, annotation_id)
    return _annotation_response(claim, conditional=True)


@api.put(ANNOTATION_PATH)
@auth.requires("annotate")
def replace_annotation(article_id: int, annotation_id: int):
    protocol.require_acceptable()
    db = get_session()
    claim = annotation_in(article_id, annotation_id)
    claims.require_edit(auth.current_user(), claim)
    version = expected_version(claim)
    parsed = parse_annotation(_json_body())
    claims.replace_claim(db, claim=claim, actor=auth.current_user(), expected_version=version, fields=parsed.fields,
                         sources=parsed.sources, start=parsed.start, end=parsed.end, exact=parsed.exact,
                         canonical=parsed.canonical)
    return _annotation_response(claim)


@api.delete(ANNOTATION_PATH)
@auth.requires("annotate")
def delete_annotation(article_id: int, annotation_id: int):
    db = get_session()
    claim = annotation_in(article_id, annotation_id)
    claims.require_edit(auth.current_user(), claim)
    claims.delete_claim(db, claim=claim, actor=auth.current_user(), expected_version=expected_version(claim),
                        reason=_withdrawal_reason())
    return Response(status=204)


def _withdrawal_reason() -> str:
    """Why a claim is deleted: ``?reason=`` or a JSON body ``{"reason": ...}`` (an approved claim needs one)."""
    body = request.get_json(silent=True) if request.content_length else None
    reason = body.get("reason") if isinstance(body, dict) else request.args.get("reason", "")
    if not isinstance(reason, str):
        raise MalformedRequestError("reason must be text.")
    return reason


@api.get("/articles/<int:article_id>/revisions/<int:number>")
@auth.requires("read")
def get_revision(article_id: int, number: int):
    from workbench.web.api.articles import revision_json

    db = get_session()
    article = articles.get_article(db, article_id)
    return revision_json(articles.get_revision(db, article, number))




@api.post(ANNOTATION_PATH + "/review")
@auth.requires("annotate")
def review_annotation(article_id: int, annotation_id: int):
    """``{action: submit | approve | request_changes | reopen, comment?}``; If-Match is optional here."""
    from workbench.services.review import transition
    from workbench.services.settings import get_setting

    protocol.require_acceptable()
    db = get_session()
    claim = annotation_in(article_id, annotation_id)
    body = request.get_json(silent=True)
    if not isinstance(body, dict) or not isinstance(body.get("action"), str):
        raise MalformedRequestError('The body must be JSON like {"action": "approve", "comment": "..."}.')
    comment = body.get("comment") or ""
    if not isinstance(comment, str):
        raise MalformedRequestError("comment must be text.")
    expected = expected_version(claim) if request.headers.get("If-Match") else None
    transition(db, claim=claim, action=body["action"], actor=auth.current_user(), comment=comment,
               expected_version=expected, four_eyes=bool(get_setting(db, "FOUR_EYES")))
    return _annotation_response(claim)


@auth.requires("read")
def moved_annotation(annotation_id: int, rest: str = ""):
    """The IRIs annotations had before they sat inside their container: 308 (the method and body
    are sent again) to where they are now."""
    claim = claims.get_claim(get_session(), annotation_id, include_deleted=True)
    target = links().annotation(claim.article_id, claim.id) + rest
    if request.query_string:
        target += "?" + request.query_string.decode("latin-1")
    return Response(status=308, headers={"Location": target})


api.add_url_rule("/annotations/<int:annotation_id>", "moved_annotation", moved_annotation,
                 methods=["GET", "PUT", "DELETE"])
api.add_url_rule("/annotations/<int:annotation_id>/review", "moved_review", moved_annotation,
                 methods=["POST"], defaults={"rest": "/review"})


#: The most annotations one page of search results holds: as many as a container's page.
MAX_SEARCH_LIMIT = containers.MAX_LIMIT
SEARCH_FILTERS = ("q", "verdict", "status", "tag", "checker", "article", "from", "to")


@api.get("/search")
@auth.requires("read")
def search_annotations():
    """Annotations across articles, as pages (``limit``, ``offset``) of one AnnotationCollection:
    ``q`` (words of the quote or the rationale), ``verdict``, ``status``, ``tag``, ``checker``
    (a username), ``article`` (an id), ``from`` and ``to`` (days the claims were made, inclusive)."""
    protocol.require_acceptable()
    unknown = sorted(set(request.args) - set(SEARCH_FILTERS) - {"limit", "offset"})
    if unknown:
        raise InvalidContentError(f"Unknown search parameter {unknown[0][:40]!r}; the search takes "
                                  f"{', '.join(SEARCH_FILTERS)}, limit and offset.", code="bad_parameter")
    limit = count_arg("limit", PAGE_SIZE, minimum=1, maximum=MAX_SEARCH_LIMIT)
    offset = count_arg("offset", 0)
    article_id = id_arg("article")
    args = request.args
    query = search.claim_query(text=args.get("q", ""), verdict=args.get("verdict"), status=args.get("status"),
                               tag=args.get("tag"), checker=args.get("checker"), article_id=article_id,
                               created_from=args.get("from"), created_to=args.get("to"), config=current_app.config)
    db = get_session()
    rows, total = search.search_claims(db, query, limit=limit, offset=offset)
    filters = {name: args[name] for name in SEARCH_FILTERS if args.get(name, "").strip()}
    preferred = protocol.preference()
    iris = preferred.form != "descriptions"

    def page_url(start: int) -> str:
        return url_for("api.search_annotations", **filters, limit=limit, offset=start, _external=True)

    items = ([links().annotation(c.article_id, c.id) for c in rows] if iris
             else annotations_for(db, rows, links=links()))
    data = w3c.page(items, links=links(), page_id=page_url(offset),
                    collection_id=url_for("api.search_annotations", **filters, _external=True),
                    label="Annotations found", total=total, start_index=offset,
                    next_id=page_url(offset + limit) if offset + limit < total else None,
                    prev_id=page_url(max(0, offset - limit)) if offset > 0 else None)
    headers = {"Vary": "Accept, Prefer", "Content-Location": data["id"]}
    if preferred.asked:
        headers["Preference-Applied"] = "return=representation"
    return protocol.ld_response(data, headers=headers, conditional=True)
