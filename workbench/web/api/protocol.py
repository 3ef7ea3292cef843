"""The HTTP side of the W3C Web Annotation Protocol: the Link and Allow headers of each kind of
resource, strong ETags made from the representation itself, conditional requests (Werkzeug's own
parsing of If-Match and If-None-Match), the client's Prefer header, and content negotiation.

Every annotation endpoint names its kind in ``KINDS``; ``add_protocol_headers`` then gives its
Link and Allow on every answer, OPTIONS and errors included (protocol §4 and §5: "on all
responses").
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from flask import Response, current_app, request
from werkzeug.exceptions import HTTPException, MethodNotAllowed

from workbench.errors import NotAcceptableError, StaleVersionError
from workbench.services.exports import w3c

LDP = "http://www.w3.org/ns/ldp#"
OA = "http://www.w3.org/ns/oa#"
CONSTRAINED_BY = f'<http://www.w3.org/TR/annotation-protocol/>; rel="{LDP}constrainedBy"'

#: The three preferences a client may send for a container or a page (protocol §4.1 and §4.2).
PREFER_IRIS = f"{OA}PreferContainedIRIs"
PREFER_DESCRIPTIONS = f"{OA}PreferContainedDescriptions"
PREFER_MINIMAL = f"{LDP}PreferMinimalContainer"

ACCEPT_POST = 'application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"'
#: What the annotation endpoints can give: the media type the protocol names, and plain JSON.
PRODUCES = ("application/ld+json", "application/json")


def _type_links(*types: str) -> str:
    return ", ".join(f'<{iri}>; rel="type"' for iri in types)


@dataclass(frozen=True)
class Kind:
    link: str
    allow: str


CONTAINER = Kind(link=", ".join([_type_links(f"{LDP}BasicContainer", f"{OA}AnnotationCollection",
                                             f"{LDP}Resource"), CONSTRAINED_BY]),
                 allow="GET, HEAD, OPTIONS, POST")
PAGE = Kind(link=_type_links(f"{OA}AnnotationPage", f"{LDP}Resource"), allow="GET, HEAD, OPTIONS")
ANNOTATION = Kind(link=_type_links(f"{LDP}Resource"), allow="GET, HEAD, OPTIONS, PUT, DELETE")
ACTION = Kind(link=_type_links(f"{LDP}Resource"), allow="OPTIONS, POST")

#: Endpoint -> its kind. The container's pages share its endpoint, told apart by ``?page=``.
KINDS = {
    "api.list_annotations": CONTAINER,
    "api.create_annotation": CONTAINER,
    "api.get_annotation": ANNOTATION,
    "api.replace_annotation": ANNOTATION,
    "api.delete_annotation": ANNOTATION,
    "api.review_annotation": ACTION,
    "api.search_annotations": PAGE,
}


def _endpoint() -> str | None:
    """The endpoint of the request's path; for a method the path does not allow (405), the one
    its GET or POST would reach."""
    if request.url_rule is not None:
        return request.url_rule.endpoint
    if not isinstance(request.routing_exception, MethodNotAllowed):
        return None
    adapter = current_app.url_map.bind_to_environ(request.environ)
    for method in ("GET", "POST"):
        try:
            return adapter.match(method=method, return_rule=True)[0].endpoint
        except HTTPException:
            continue
    return None


def kind_of_request() -> Kind | None:
    endpoint = _endpoint()
    if endpoint not in KINDS:
        return None
    kind = KINDS[endpoint]
    if kind is CONTAINER and "page" in request.args:
        return PAGE
    return kind


def add_protocol_headers(response: Response) -> Response:
    """Link and Allow for the resource asked for, on every answer: OPTIONS, errors, 304s."""
    kind = kind_of_request()
    if kind is not None:
        response.headers.setdefault("Link", kind.link)
        response.headers["Allow"] = kind.allow
        if kind is CONTAINER:
            response.headers.setdefault("Accept-Post", ACCEPT_POST)
    return response


def require_acceptable() -> None:
    """406 when the client accepts neither JSON-LD nor JSON (say ``Accept: text/turtle``)."""
    accept = request.accept_mimetypes
    if not request.headers.get("Accept") or accept.best_match(PRODUCES):
        return
    # A media type with parameters (the anno.jsonld profile) names the same type.
    if any(quality > 0 and value.split(";")[0].strip().lower() in PRODUCES for value, quality in accept):
        return
    raise NotAcceptableError(
        f"This resource is given as {w3c.MEDIA_TYPE} (or application/json); "
        f"the request accepts only {request.headers['Accept'][:200]}.")


# --- preferences ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Preference:
    #: "iris", "descriptions" or "minimal".
    form: str
    #: Whether the client asked for it (the answer then carries Preference-Applied).
    asked: bool


def preference() -> Preference:
    """The representation the client prefers (RFC 7240, protocol §4.1): the contained IRIs, their
    descriptions (the default) or the minimal container. ``include`` wins over ``omit``; omitting
    the descriptions asks for the IRIs."""
    include: set[str] = set()
    omit: set[str] = set()
    for header in request.headers.getlist("Prefer"):
        for preference_text in header.split(","):
            parts = [p.strip() for p in preference_text.split(";")]
            if not parts or parts[0].replace(" ", "") != "return=representation":
                continue
            for part in parts[1:]:
                name, _, value = part.partition("=")
                iris = set(value.strip().strip('"').split())
                if name.strip() == "include":
                    include |= iris
                elif name.strip() == "omit":
                    omit |= iris
    if PREFER_MINIMAL in include:
        return Preference("minimal", True)
    if PREFER_IRIS in include:
        return Preference("iris", True)
    if PREFER_DESCRIPTIONS in include:
        return Preference("descriptions", True)
    if PREFER_DESCRIPTIONS in omit:
        return Preference("iris", True)
    return Preference("descriptions", False)


# --- representations, ETags and conditions -------------------------------------------------------

def representation(data: dict) -> bytes:
    return json.dumps(data, ensure_ascii=False).encode("utf-8")


def strong_etag(body: bytes) -> str:
    """The representation's own tag, unquoted: any change to any byte of it (a shared source's
    title, a creator's name) gives another. The site's own root in its IRIs is left out, so that
    a client reaching the app under two names (or schemes) gets the same tag for the same state."""
    root = request.url_root.encode("utf-8")
    return hashlib.sha256(body.replace(root, b"/")).hexdigest()[:32]


def ld_response(data: dict, status: int = 200, headers: dict | None = None, *,
                conditional: bool = False) -> Response:
    """JSON-LD with the protocol's media type and a strong ETag; ``conditional`` answers a GET's
    If-None-Match (weak comparison, lists and ``*``, as Werkzeug reads them) with 304."""
    body = representation(data)
    tag = strong_etag(body)
    if conditional:
        answered = answer_from_tag(tag, headers)
        if answered is not None:
            return answered
    return tagged_response(body, tag, status, headers)


def answer_from_tag(tag: str, headers: dict | None = None) -> Response | None:
    """A GET's conditions against the representation's tag: 412 when If-Match names another
    (strong comparison), 304 when If-None-Match names it (weak comparison, RFC 9110 §13.2.2, in
    that order); None when the representation is to be sent. A tag the client holds may carry
    the suffix of a compressed body (``compression.SUFFIXES``): it names the same representation."""
    if request.if_match and not (request.if_match.star_tag or any(request.if_match.contains(t)
                                                                   for t in tag_variants(tag))):
        raise StaleVersionError(f'The resource has changed: its ETag is now "{tag}".')
    if any(request.if_none_match.contains_weak(t) for t in tag_variants(tag)):
        response = Response(status=304, headers=headers)
        response.set_etag(tag)
        return response
    return None


def tagged_response(body: bytes, tag: str, status: int = 200, headers: dict | None = None) -> Response:
    response = Response(body, status=status, content_type=w3c.MEDIA_TYPE, headers=headers)
    response.set_etag(tag)
    return response


def tag_variants(tag: str) -> tuple[str, ...]:
    """The tag and the tags of its compressed bodies (``web.compression``)."""
    from workbench.web.compression import SUFFIXES

    return (tag,) + tuple(tag + suffix for suffix in SUFFIXES)


def check_if_match(current_tag: str) -> None:
    """A change needs If-Match naming the current representation by its strong tag (or ``*``):
    weak tags never match (RFC 9110 §13.1.1). The caller says 428 when the header is absent."""
    condition = request.if_match
    if condition.star_tag or any(condition.contains(t) for t in tag_variants(current_tag)):
        return
    raise StaleVersionError(
        f'The annotation has changed: its ETag is now "{current_tag}". Fetch it again before changing it.')
