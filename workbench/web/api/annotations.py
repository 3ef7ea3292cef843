"""The W3C Web Annotation Protocol endpoints: an annotation container per article, and annotations."""

from __future__ import annotations

import json

from flask import Response, request, url_for

from workbench.errors import (
    MalformedRequestError,
    NotFoundError,
    PreconditionRequiredError,
    StaleVersionError,
)
from workbench.services import articles, claims
from workbench.services.annotating import create_annotated_claim
from workbench.services.annotation_input import parse_annotation
from workbench.services.annotations import annotation_of_new_claim, annotations_for
from workbench.services.exports import w3c
from workbench.store.db import get_session
from workbench.store.models import Claim, User
from workbench.web import auth
from workbench.web.api.blueprint import api
from workbench.web.links import links
from workbench.web.params import count_arg

PAGE_SIZE = 100
CONTAINER_LINKS = ", ".join([
    '<http://www.w3.org/ns/ldp#BasicContainer>; rel="type"',
    '<http://www.w3.org/TR/annotation-protocol/>; rel="http://www.w3.org/ns/ldp#constrainedBy"',
])
ANNOTATION_LINKS = '<http://www.w3.org/ns/ldp#Resource>; rel="type"'
PREFER_CONTAINED_IRIS = "http://www.w3.org/ns/oa#PreferContainedIRIs"


def ld_response(data: dict, status: int = 200, headers: dict | None = None) -> Response:
    return Response(json.dumps(data, ensure_ascii=False), status=status, content_type=w3c.MEDIA_TYPE,
                    headers=headers)


def etag(claim: Claim) -> str:
    return f'"claim-{claim.id}-v{claim.version}"'


def _annotation_response(claim: Claim, status: int = 200, extra: dict | None = None, data: dict | None = None) -> Response:
    if data is None:
        data = annotations_for(get_session(), [claim], links=links())[0]
    headers = {"ETag": etag(claim), "Link": ANNOTATION_LINKS, "Allow": "GET, PUT, DELETE, HEAD, OPTIONS",
               "Vary": "Accept"}
    headers.update(extra or {})
    return ld_response(data, status, headers)


def expected_version(claim: Claim) -> int:
    """The version the client's If-Match names: 428 without one, 412 when it is not the current one."""
    header = request.headers.get("If-Match")
    if not header:
        raise PreconditionRequiredError("Send If-Match with the annotation's ETag to change it.")
    tags = [tag.strip() for tag in header.split(",")]
    if "*" in tags or etag(claim) in tags or f"W/{etag(claim)}" in tags:
        return claim.version
    raise StaleVersionError(
        f"The annotation has changed: its ETag is now {etag(claim)}. Fetch it again before changing it."
    )


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
    return ld_response({"@context": "http://www.w3.org/ns/anno.jsonld",
                        "id": url_for("api.get_user", user_id=user.id, _external=True), "type": "Person",
                        "name": user.display_name or user.username, "nickname": user.username})


@api.get("/articles/<int:article_id>/annotations/")
@auth.requires("read")
def list_annotations(article_id: int):
    db = get_session()
    article = articles.get_article(db, article_id)
    total = claims.count_claims(db, article)
    collection_id = url_for("api.list_annotations", article_id=article.id, _external=True)
    page_count = max(1, -(-total // PAGE_SIZE))
    embed_iris = PREFER_CONTAINED_IRIS in request.headers.get("Prefer", "")

    label = f"Claims in “{article.title}”"

    def page_url(number: int) -> str:
        return url_for("api.list_annotations", article_id=article.id, page=number, _external=True)

    def build_page(number: int, embedded: bool) -> dict:
        rows = claims.claims_of_article(db, article, limit=PAGE_SIZE, offset=number * PAGE_SIZE)
        items = ([url_for("api.get_annotation", annotation_id=c.id, _external=True) for c in rows] if embed_iris
                 else annotations_for(db, rows, links=links(), embedded=True))
        return w3c.page(items, links=links(), page_id=page_url(number), collection_id=collection_id,
                        label=label, total=total, start_index=number * PAGE_SIZE,
                        next_id=page_url(number + 1) if number + 1 < page_count else None,
                        prev_id=page_url(number - 1) if number > 0 else None, embedded=embedded)

    if request.args.get("page") is not None:
        number = count_arg("page", 0)
        if number >= page_count:
            raise NotFoundError(f"There is no page {number}; pages run from 0 to {page_count - 1}.")
        return ld_response(build_page(number, embedded=False), headers={"Link": ANNOTATION_LINKS})
    data = w3c.collection(links=links(), collection_id=collection_id, label=label,
                          total=total, first=build_page(0, embedded=True) if total else None,
                          last_id=page_url(page_count - 1) if total else None)
    headers = {"Link": CONTAINER_LINKS, "Allow": "GET, POST, HEAD, OPTIONS",
               "Accept-Post": 'application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"', "Vary": "Accept, Prefer"}
    return ld_response(data, headers=headers)


@api.post("/articles/<int:article_id>/annotations/")
@auth.requires("annotate")
def create_annotation(article_id: int):
    parsed = parse_annotation(_json_body())
    user = auth.current_user()
    claim, revision = create_annotated_claim(
        get_session(), article_id=article_id, parsed=parsed, actor=user,
        revision_iri=lambda article, number: url_for("api.get_revision", article_id=article, number=number,
                                                     _external=True))
    # A claim without sources is presented from what is in hand; sources are read back with it.
    data = None if parsed.sources else annotation_of_new_claim(claim, revision=revision, creator=user, links=links())
    location = data["id"] if data else url_for("api.get_annotation", annotation_id=claim.id, _external=True)
    return _annotation_response(claim, 201, {"Location": location}, data)


@api.get("/annotations/<int:annotation_id>")
@auth.requires("read")
def get_annotation(annotation_id: int):
    claim = claims.get_claim(get_session(), annotation_id)
    if request.headers.get("If-None-Match") == etag(claim):
        return Response(status=304, headers={"ETag": etag(claim)})
    return _annotation_response(claim)


@api.put("/annotations/<int:annotation_id>")
@auth.requires("annotate")
def replace_annotation(annotation_id: int):
    db = get_session()
    claim = claims.get_claim(db, annotation_id)
    claims.require_edit(auth.current_user(), claim)
    version = expected_version(claim)
    parsed = parse_annotation(_json_body())
    claims.replace_claim(db, claim=claim, actor=auth.current_user(), expected_version=version, fields=parsed.fields,
                         sources=parsed.sources, start=parsed.start, end=parsed.end, exact=parsed.exact)
    return _annotation_response(claim)


@api.delete("/annotations/<int:annotation_id>")
@auth.requires("annotate")
def delete_annotation(annotation_id: int):
    db = get_session()
    claim = claims.get_claim(db, annotation_id)
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




@api.post("/annotations/<int:annotation_id>/review")
@auth.requires("annotate")
def review_annotation(annotation_id: int):
    """``{action: submit | approve | request_changes | reopen, comment?}``; If-Match is optional here."""
    from workbench.services.review import transition
    from workbench.services.settings import get_setting

    db = get_session()
    claim = claims.get_claim(db, annotation_id)
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
