"""The API's OpenAPI 3.1 description, served at ``/api/openapi.json``, and its docs page ``/api/docs``.

The document is assembled here, by hand, around the JSON Schemas of the pydantic models that
validate requests (``ArticleImport``, ``SourceInput``, the declared claim fields): OpenAPI 3.1
takes JSON Schema 2020-12 as it is, which is what ``model_json_schema()`` writes, so nothing
needs converting, and a generator (apispec, spectree, flask-openapi3) would add a dependency and
a second way of declaring routes without describing anything better. What the API answers is
described as it really is: W3C Web Annotations, AnnotationCollections and AnnotationPages as
``services/exports/w3c.py`` writes them.

Operations are described by path and method. The document holds only the operations the app has
(its URL map decides), so it never names a route that does not answer; a route without a
description fails ``tests/http/test_openapi.py``. Annotation IRIs are described both inside their
container (``/api/articles/{article_id}/annotations/{annotation_id}``) and at their first place
(``/api/annotations/{annotation_id}``), which answers 308 once the IRIs inside the container exist.
"""

from __future__ import annotations

import copy
import re
from importlib import metadata

from flask import current_app, render_template, url_for

from workbench.memo import memoized
from workbench.services.exports.service import FORMATS
from workbench.services.containers import MAX_LIMIT as MAX_CONTAINER_LIMIT
from workbench.services.exports.w3c import MEDIA_TYPE as ANNOTATION_MEDIA_TYPE
from workbench.services.ingest import ARTICLE_MEDIA_TYPES
from workbench.services.review import TRANSITIONS
from workbench.services.schemas import ArticleImport, SourceInput, claim_fields_model
from workbench.store.models import ReviewStatus, Stance
from workbench.text import claim_fields
from workbench.web import auth
from workbench.web.api.articles import ARTICLE_FIELDS, MAX_PAGE_SIZE, REVISION_FIELDS
from workbench.web.api.blueprint import api
from workbench.web.params import MAX_ID

LD_JSON = "application/ld+json"
JSON = "application/json"
REF = "#/components/schemas/{model}"
#: The docs page's renderer, vendored from npm (``scripts/vendor-swagger-ui.sh``).
SWAGGER_UI_VERSION = "5.35.0"
SWAGGER_UI_JS = f"vendor/swagger-ui/swagger-ui-bundle-{SWAGGER_UI_VERSION}.js"
SWAGGER_UI_CSS = f"vendor/swagger-ui/swagger-ui-{SWAGGER_UI_VERSION}.css"


def ref(name: str) -> dict:
    return {"$ref": REF.format(model=name)}


def _model_schemas(declared: tuple) -> dict:
    """Component schemas of the request models, with the models' own names."""
    schemas: dict = {}
    for model in (ArticleImport, SourceInput, claim_fields_model(declared)):
        schema = model.model_json_schema(ref_template=REF)
        schemas.update(schema.pop("$defs", {}))
        schemas[model.__name__] = schema
    return schemas


def _nullable(schema: dict) -> dict:
    return {"anyOf": [schema, {"type": "null"}]}


def _annotation_schemas(fields: tuple) -> dict:
    """W3C annotations as the API reads and writes them (see ``exports.w3c`` and ``annotation_input``)."""
    declared = [f for f in fields if f.w3c_purpose]
    purposes = [f.w3c_purpose for f in declared]
    source_props = SourceInput.model_json_schema()["properties"]

    def described(field: str, schema: dict) -> dict:
        """``schema`` for the linking body property that carries ``SourceInput.field``."""
        title = source_props[field].get("title")
        return dict(schema, description=f"The source's {title.lower() if title else field}.")

    quote = {"type": "object", "required": ["type", "exact"], "properties": {
        "type": {"const": "TextQuoteSelector"}, "exact": {"type": "string", "minLength": 1},
        "prefix": {"type": "string"}, "suffix": {"type": "string"}}}
    position = {"type": "object", "required": ["type", "start", "end"], "properties": {
        "type": {"const": "TextPositionSelector"},
        "start": {"type": "integer", "minimum": 0, "description": "Code point offset in the revision's text."},
        "end": {"type": "integer", "minimum": 0}}}
    time_state = {"type": "object", "required": ["type"], "properties": {
        "type": {"const": "TimeState"}, "cached": {"type": "string", "description": "The archived copy's URL."},
        "sourceDate": {"type": "string", "description": "When the copy was archived (ISO 8601)."}}}
    textual = {
        "type": "object", "required": ["type", "purpose", "value"],
        "description": "A claim field: " + "; ".join(f"purpose {f.w3c_purpose!r} is the {f.label.lower()}"
                                                     for f in declared) + ".",
        "properties": {
            "type": {"const": "TextualBody"}, "purpose": {"enum": purposes}, "value": {"type": "string"},
            "format": {"enum": ["text/plain", "text/markdown"]},
            "verdictLabel": {"type": "string", "description": "The verdict's label on the rating scale."},
            "verdictOrdinal": {"type": "integer", "description": "The verdict's rating, 5 the best."},
        }}
    linking = {
        "type": "object", "required": ["type", "purpose", "source"],
        "description": "A source the claim cites.",
        "properties": {
            "type": {"const": "SpecificResource"}, "purpose": {"const": "linking"},
            "source": described("url", {"type": "string"}),
            "title": described("title", {"type": "string"}),
            "publisher": described("publisher", {"type": "string"}),
            "datePublished": described("date_published", {"type": "string"}),
            "excerpt": described("excerpt", {"type": "string"}),
            "stance": described("stance", {"enum": [s.value for s in Stance]}),
            "state": time_state,
            "archivedCopy": described("archived_url", {"type": "string"}),
        }}
    person = {"type": "object", "required": ["id", "type", "name"], "properties": {
        "@context": {"type": "string"}, "id": {"type": "string"}, "type": {"const": "Person"},
        "name": {"type": "string"}, "nickname": {"type": "string"}}}
    contexts = {"anyOf": [{"type": "string"}, {"type": "array", "items": {"anyOf": [{"type": "string"},
                                                                                     {"type": "object"}]}}]}
    annotation = {
        "type": "object", "description": "A claim as a W3C Web Annotation.",
        "required": ["id", "type", "motivation", "target", "reviewStatus", "version"],
        "properties": {
            "@context": contexts, "id": {"type": "string", "description": "The annotation's IRI."},
            "type": {"const": "Annotation"}, "motivation": {"const": "assessing"},
            "created": _nullable({"type": "string"}), "modified": _nullable({"type": "string"}),
            "creator": ref("Person"),
            "body": {"type": "array", "items": {"anyOf": [ref("TextualBody"), ref("LinkingBody")]}},
            "target": {"type": "object", "required": ["type", "source", "selector"], "properties": {
                "type": {"const": "SpecificResource"},
                "source": {"type": "string", "description": "The IRI of the revision the claim is on."},
                "selector": {"type": "array", "items": {"anyOf": [ref("TextQuoteSelector"),
                                                                  ref("TextPositionSelector")]}}}},
            "reviewStatus": {"enum": [s.value for s in ReviewStatus]},
            "version": {"type": "integer", "description": "Raised by every change; the ETag names it."},
        }}
    annotation_input = {
        "type": "object", "required": ["type", "target"],
        "description": "A W3C Web Annotation in the project's mapping. The target needs a TextPositionSelector "
                       "or a TextQuoteSelector (both: the quote must be at the position); bodies are TextualBody "
                       "(" + ", ".join(purposes) + ") or SpecificResource with purpose linking. "
                       "The fields they carry are those of ClaimFields; a source's those of SourceInput.",
        "properties": {
            "@context": contexts,
            "type": {"anyOf": [{"const": "Annotation"}, {"type": "array", "items": {"const": "Annotation"},
                                                          "minItems": 1, "maxItems": 1}]},
            "motivation": {"type": "string"},
            "body": {"anyOf": [{"anyOf": [ref("TextualBody"), ref("LinkingBody")]},
                               {"type": "array", "items": {"anyOf": [ref("TextualBody"), ref("LinkingBody")]}}]},
            "bodyValue": {"type": "string", "description": "The rationale, when there is no commenting body."},
            "target": {"type": "object", "required": ["selector"], "properties": {
                "source": {"anyOf": [{"type": "string"}, {"type": "object", "required": ["id"],
                                                          "properties": {"id": {"type": "string"}}}],
                           "description": "The IRI of the revision the selectors apply to (an earlier one: the "
                                          "words are followed into the current text); the current one if absent."},
                "selector": {"type": "array", "minItems": 1, "items": {
                    "anyOf": [ref("TextQuoteSelector"), ref("TextPositionSelector")]}}}},
        }}
    part_of = {"type": "object", "required": ["id", "total"], "properties": {
        "id": {"type": "string"}, "label": {"type": "string"}, "total": {"type": "integer", "minimum": 0}}}
    page = {
        "type": "object", "description": "One page of a container's annotations.",
        "required": ["id", "type", "partOf", "startIndex", "items"],
        "properties": {
            "@context": contexts, "id": {"type": "string"}, "type": {"const": "AnnotationPage"},
            "partOf": part_of, "startIndex": {"type": "integer", "minimum": 0},
            "items": {"type": "array", "items": {"anyOf": [ref("Annotation"), {"type": "string"}]},
                      "description": "Annotations, or their IRIs alone when asked for with Prefer."},
            "next": {"type": "string"}, "prev": {"type": "string"},
        }}
    collection = {
        "type": "object", "description": "An article's claims as an annotation container.",
        "required": ["id", "type", "total"],
        "properties": {
            "@context": contexts, "id": {"type": "string"},
            "type": {"anyOf": [{"const": "AnnotationCollection"},
                               {"type": "array", "items": {"type": "string"}, "contains":
                                {"const": "AnnotationCollection"}}]},
            "label": {"type": "string"}, "total": {"type": "integer", "minimum": 0},
            "first": {"anyOf": [ref("AnnotationPage"), {"type": "string"}]}, "last": {"type": "string"},
        }}
    review = {
        "type": "object", "required": ["action"], "properties": {
            "action": {"enum": list(TRANSITIONS), "description": "; ".join(
                f"{name}: {t.label}" + (" (needs a comment)" if t.needs_comment else "")
                for name, t in TRANSITIONS.items())},
            "comment": {"type": "string"}}}
    return {"TextQuoteSelector": quote, "TextPositionSelector": position, "TextualBody": textual,
            "LinkingBody": linking, "Person": person, "Annotation": annotation, "AnnotationInput": annotation_input,
            "AnnotationPage": page, "AnnotationCollection": collection, "ReviewAction": review}


def _article_schemas() -> dict:
    text_or_null = _nullable({"type": "string"})
    revision = {"type": "object", "required": ["url", "number", "text", "sha256", "created"], "properties": {
        "url": {"type": "string"}, "article": {"type": "string"}, "number": {"type": "integer", "minimum": 1},
        "title": text_or_null, "publisher": text_or_null, "byline": text_or_null, "published": text_or_null,
        "language": text_or_null, "source_url": text_or_null, "sha256": {"type": "string"},
        "origin": {"type": "string"}, "created": {"type": "string"},
        "text": {"type": "string", "description": "The canonical text claims anchor to."},
        "blocks": {"type": "object", "properties": {"kept": {"type": "integer"}, "dropped": {"type": "integer"}}},
    }}
    article = {"type": "object", "required": ["id", "url", "title", "created", "modified", "current_revision"],
               "properties": {
                   "id": {"type": "integer"}, "url": {"type": "string"}, "title": {"type": "string"},
                   "source_url": text_or_null, "created": {"type": "string"}, "modified": {"type": "string"},
                   "current_revision": {"type": "integer"},
                   "revision": ref("Revision")}}
    # Some of the fields (``?fields=``): those asked for, of the same types.
    article_fields = {"type": "object", "required": ["id", "url"],
                      "properties": dict(article["properties"],
                                         revision={"type": "object", "properties": revision["properties"]})}
    listing = {"type": "object", "required": ["total", "limit", "offset", "items"], "properties": {
        "total": {"type": "integer", "minimum": 0}, "limit": {"type": "integer"}, "offset": {"type": "integer"},
        "items": {"type": "array", "items": ref("Article")}}}
    anchor = {"type": "object", "properties": {"start": {"type": "integer"}, "end": {"type": "integer"},
                                               "exact": {"type": "string"}}}
    report = {"type": "object", "required": ["revision", "reanchoring"], "properties": {
        "revision": ref("Revision"),
        "reanchoring": {"type": "object", "required": ["article", "from_revision", "to_revision", "counts", "claims"],
                        "properties": {
                            "article": {"type": "integer"}, "from_revision": {"type": "integer"},
                            "to_revision": {"type": "integer"},
                            "counts": {"type": "object", "additionalProperties": {"type": "integer"}},
                            "claims": {"type": "array", "items": {"type": "object", "properties": {
                                "id": {"type": "integer"}, "state": {"type": "string"}, "score": {"type": "number"},
                                "old": anchor, "new": _nullable(anchor)}}}}}}}
    error = {"type": "object", "required": ["error"], "properties": {"error": {
        "type": "object", "required": ["code", "message"],
        "properties": {"code": {"type": "string"}, "message": {"type": "string"}},
        "description": "A 410 adds who withdrew the claim, when and why, and its last quote and verdict."}}}
    return {"Revision": revision, "Article": article, "ArticleFields": article_fields, "ArticleList": listing,
            "RevisionReport": report, "Error": error}


# Responses -----------------------------------------------------------------------------------

ERRORS = {
    400: "Malformed: not JSON of the expected shape, or a parameter it cannot read.",
    401: "No API token, or one that is not valid.",
    403: "The token's user may not do this.",
    404: "There is no such article, revision, annotation or user.",
    409: "A conflict: a review action the claim's status does not allow, or a new revision arrived while "
         "the request was handled (send it again).",
    410: "The claim was withdrawn: who, when and why are in the error.",
    412: "If-Match names an old version: fetch the annotation again.",
    413: "The body is larger than the limit.",
    415: "A body of a media type this operation does not read.",
    422: "The content cannot be used (the message names the field).",
    428: "If-Match is required to change an annotation.",
    429: "Too many bad tokens from this address: try again later.",
    502: "The URL to import could not be fetched.",
    503: "The database or the disk is unavailable, or the server is busy: try again.",
    504: "Fetching the URL to import took too long.",
}
#: Every operation may answer these.
COMMON_ERRORS = (400, 401, 403, 404, 413, 422, 429, 503)


def error_responses(*statuses: int) -> dict:
    return {str(status): {"description": ERRORS[status], "content": {JSON: {"schema": ref("Error")}}}
            for status in sorted({*COMMON_ERRORS, *statuses})}


def ld(schema: str, description: str, headers: dict | None = None) -> dict:
    response = {"description": description, "content": {LD_JSON: {"schema": ref(schema)}}}
    if headers:
        response["headers"] = headers
    return response


def plain(schema: str, description: str, headers: dict | None = None) -> dict:
    response = {"description": description, "content": {JSON: {"schema": ref(schema)}}}
    if headers:
        response["headers"] = headers
    return response


def header(description: str) -> dict:
    return {"description": description, "required": True, "schema": {"type": "string", "minLength": 1}}


ETAG = header("The annotation's version, for If-Match and If-None-Match.")
LOCATION = header("The IRI of what was created.")
LINK = header('Link rel="type" headers (W3C Web Annotation Protocol).')


def id_param(name: str, what: str) -> dict:
    return {"name": name, "in": "path", "required": True, "description": what, "example": 1,
            "schema": {"type": "integer", "minimum": 1, "maximum": MAX_ID}}


def count_param(name: str, description: str, *, minimum: int = 0, maximum: int = MAX_ID) -> dict:
    return {"name": name, "in": "query", "required": False, "description": description,
            "schema": {"type": "integer", "minimum": minimum, "maximum": maximum}}


ARTICLE_ID = id_param("article_id", "The article's id.")
ANNOTATION_ID = id_param("annotation_id", "The claim's id.")
IF_MATCH = {"name": "If-Match", "in": "header", "required": True,
            "description": "The annotation's ETag (428 without it, 412 when it is not the current one).",
            "schema": {"type": "string"}}
IF_MATCH_OPTIONAL = dict(IF_MATCH, required=False,
                         description="The annotation's ETag, if the action must apply to that version only.")
IF_NONE_MATCH = {"name": "If-None-Match", "in": "header", "required": False,
                 "description": "An ETag the client holds: 304 while it is current.", "schema": {"type": "string"}}
PREFER = {"name": "Prefer", "in": "header", "required": False, "schema": {"type": "string"},
          "description": 'return=representation; include="http://www.w3.org/ns/oa#PreferContainedIRIs" (IRIs '
                         'only), PreferContainedDescriptions or http://www.w3.org/ns/ldp#PreferMinimalContainer.'}

IMPORT_BODY = {
    "required": True,
    "description": "Exactly one of text, html or url, with optional metadata; or the page itself as the "
                   "body (HTML, plain text or Markdown, its charset decoded like a fetched page's), the metadata "
                   "then in the query string.",
    "content": {JSON: {"schema": {"allOf": [ref("ArticleImport"), {"oneOf": [
        {"required": [name], "properties": {name: {"type": "string", "minLength": 1}}}
        for name in ("text", "html", "url")]}]},
                       "example": {"title": "Bridge tolls", "text": "Bridge Tolls\n\nThe minister said tolls paid "
                                   "for the bridge twice over since it opened in 2009.",
                                   "source_url": "https://news.example/bridge", "publisher": "Northern Gazette",
                                   "published": "2025-03-14"}},
                **{media: {"schema": {"type": "string"}} for media in sorted(ARTICLE_MEDIA_TYPES)}},
}
ANNOTATION_EXAMPLE = {
    "@context": "http://www.w3.org/ns/anno.jsonld", "type": "Annotation", "motivation": "assessing",
    "body": [{"type": "TextualBody", "purpose": "assessing", "value": "false"},
             {"type": "TextualBody", "purpose": "commenting", "value": "The accounts show **830m**.",
              "format": "text/markdown"},
             {"type": "TextualBody", "purpose": "tagging", "value": "tolls"},
             {"type": "SpecificResource", "purpose": "linking", "source": "https://stats.example/bridge-2024",
              "title": "Crossings bulletin", "stance": "contradicts"}],
    "target": {"selector": [{"type": "TextQuoteSelector", "exact": "The first paragraph"}]},
}
ANNOTATION_BODY = {"required": True, "content": {
    media: {"schema": ref("AnnotationInput"), "example": ANNOTATION_EXAMPLE} for media in (LD_JSON, JSON)}}
REVIEW_BODY = {"required": True, "content": {JSON: {"schema": ref("ReviewAction"),
                                                    "example": {"action": "submit"}}}}
REDIRECT = {"description": "The annotation's IRI is now inside its container: Location names it.",
            "headers": {"Location": LOCATION}}


def _export_content() -> dict:
    content: dict = {}
    for fmt in FORMATS.values():
        media = fmt.media_type.split(";")[0].strip()
        # ClaimReview is a list of reviews (empty when nothing is approved); the W3C export one collection.
        schema = {"type": ["object", "array"]} if media.endswith("json") else {"type": "string"}
        if media == "application/pdf":
            schema = {"type": "string", "contentMediaType": media}
        content.setdefault(media, {"schema": schema})
    return content


def _annotation_operations(path: str, params: list, *, moved: bool) -> dict:
    """The operations on one annotation; ``moved``: the path is the old IRI, answering 308."""
    if moved:
        redirect = {"308": REDIRECT, **error_responses()}
        return {
            (path, "get"): {"operationId": "get_annotation_old_iri", "summary": "The annotation's old IRI",
                            "tags": ["annotations"], "deprecated": True, "parameters": params,
                            "responses": redirect},
            (path, "put"): {"operationId": "replace_annotation_old_iri", "summary": "The annotation's old IRI",
                            "tags": ["annotations"], "deprecated": True, "parameters": params,
                            "responses": redirect},
            (path, "delete"): {"operationId": "delete_annotation_old_iri", "summary": "The annotation's old IRI",
                               "tags": ["annotations"], "deprecated": True, "parameters": params,
                               "responses": redirect},
            (path + "/review", "post"): {"operationId": "review_annotation_old_iri",
                                         "summary": "The annotation's old review address", "tags": ["review"],
                                         "deprecated": True, "parameters": params, "responses": redirect},
        }
    suffix = "" if path.startswith("/api/articles/") else "_at"
    annotation_headers = {"ETag": ETAG, "Link": LINK}
    return {
        (path, "get"): {
            "operationId": "get_annotation" + suffix, "summary": "One claim as a W3C annotation",
            "tags": ["annotations"], "parameters": [*params, IF_NONE_MATCH],
            "responses": {"200": ld("Annotation", "The annotation.", annotation_headers),
                          "304": {"description": "Not modified: the If-None-Match ETag is current.",
                                  "headers": {"ETag": ETAG}},
                          **error_responses(410)}},
        (path, "put"): {
            "operationId": "replace_annotation" + suffix, "summary": "Replace a claim",
            "description": "The whole claim from the annotation sent; If-Match with its current ETag.",
            "tags": ["annotations"], "parameters": [*params, IF_MATCH], "requestBody": ANNOTATION_BODY,
            "responses": {"200": ld("Annotation", "The annotation as it now is.", annotation_headers),
                          **error_responses(409, 410, 412, 415, 428)}},
        (path, "delete"): {
            "operationId": "delete_annotation" + suffix, "summary": "Withdraw a claim",
            "description": "The claim is withdrawn (kept, answering 410); an approved one needs a reason.",
            "tags": ["annotations"],
            "parameters": [*params, IF_MATCH, {"name": "reason", "in": "query", "required": False,
                                               "schema": {"type": "string"}, "description": "Why it is withdrawn."}],
            "responses": {"204": {"description": "Withdrawn."}, **error_responses(409, 410, 412, 428)}},
        (path + "/review", "post"): {
            "operationId": "review_annotation" + suffix, "summary": "A review action on a claim",
            "tags": ["review"], "parameters": [*params, IF_MATCH_OPTIONAL], "requestBody": REVIEW_BODY,
            "responses": {"200": ld("Annotation", "The annotation after the action.", annotation_headers),
                          **error_responses(409, 410, 412, 415)}},
    }


def operations(*, iris_in_container: bool) -> dict:
    """Every operation the API may have, by (OpenAPI path, method)."""
    articles = {
        ("/api/articles", "post"): {
            "operationId": "import_article", "summary": "Import an article", "tags": ["articles"],
            "parameters": [{"name": name, "in": "query", "required": False, "schema": {"type": "string"},
                            "description": f"{name} of a page sent as the body itself."}
                           for name in ("title", "source_url", "publisher", "published")],
            "requestBody": IMPORT_BODY,
            "responses": {"201": plain("Article", "The article and its first revision.", {"Location": LOCATION}),
                          **error_responses(415, 502, 504)}},
        ("/api/articles", "get"): {
            "operationId": "list_articles", "summary": "Articles, newest first", "tags": ["articles"],
            "parameters": [{"name": "q", "in": "query", "required": False, "schema": {"type": "string"},
                            "description": "Words in the title or source URL."},
                           count_param("limit", f"Page size (at most {MAX_PAGE_SIZE}).", minimum=1,
                                       maximum=MAX_PAGE_SIZE),
                           count_param("offset", "Articles to skip.")],
            "responses": {"200": plain("ArticleList", "A page of articles."), **error_responses()}},
        ("/api/articles/{article_id}", "get"): {
            "operationId": "get_article", "summary": "One article with its current revision's text",
            "tags": ["articles"],
            "parameters": [ARTICLE_ID, {
                "name": "fields", "in": "query", "required": False, "schema": {"type": "string"},
                "description": "Only these fields, comma-separated (id and url always): the article's "
                               f"({', '.join(ARTICLE_FIELDS)}) or its revision's as revision.name "
                               f"({', '.join(REVISION_FIELDS)}). Say fields=id,title,revision.number,"
                               "revision.sha256 to leave the text out."}],
            "responses": {"200": {"description": "The article (only the fields asked for, when fields is given).",
                                  "content": {JSON: {"schema": {"anyOf": [ref("Article"), ref("ArticleFields")]}}}},
                          **error_responses()}},
        ("/api/articles/{article_id}/revisions", "post"): {
            "operationId": "create_revision", "summary": "A new revision; its claims re-anchored",
            "tags": ["articles"], "parameters": [ARTICLE_ID], "requestBody": IMPORT_BODY,
            "responses": {"201": plain("RevisionReport", "The revision and the re-anchoring report.",
                                       {"Location": LOCATION}), **error_responses(409, 415, 502, 504)}},
        ("/api/articles/{article_id}/revisions/{number}", "get"): {
            "operationId": "get_revision", "summary": "One revision of an article", "tags": ["articles"],
            "parameters": [ARTICLE_ID, id_param("number", "The revision's number (1 is the first).")],
            "responses": {"200": plain("Revision", "The revision with its text."), **error_responses()}},
        ("/api/articles/{article_id}/export", "get"): {
            "operationId": "export_article", "summary": "An article's claims as a report or data",
            "tags": ["exports"],
            "parameters": [ARTICLE_ID,
                           {"name": "format", "in": "query", "required": False,
                            "schema": {"enum": list(FORMATS), "default": "html"},
                            "description": "; ".join(f"{k}: {f.label}" for k, f in FORMATS.items())},
                           {"name": "include", "in": "query", "required": False,
                            "schema": {"enum": ["approved", "all"], "default": "approved"},
                            "description": "Approved claims only, or all of them."},
                           {"name": "download", "in": "query", "required": False, "schema": {"type": "string"},
                            "description": "1: as an attachment; anything else shows it inline."}],
            "responses": {"200": {"description": "The export.", "content": _export_content()},
                          **error_responses()}},
        ("/api/articles/{article_id}/annotations/", "get"): {
            "operationId": "list_annotations", "summary": "The article's claims as an AnnotationCollection",
            "tags": ["annotations"],
            "parameters": [ARTICLE_ID, count_param("page", "A page of the container (0 is the first)."),
                           count_param("limit", f"Annotations on a page (at most {MAX_CONTAINER_LIMIT}; the "
                                                "ANNOTATION_PAGE_SIZE setting unless given).",
                                       minimum=1, maximum=MAX_CONTAINER_LIMIT),
                           {"name": "iris", "in": "query", "required": False, "schema": {"enum": ["0", "1"]},
                            "description": "1: a page holds the annotations' IRIs alone (Prefer wins over it)."},
                           PREFER],
            "responses": {"200": {"description": "The container, or one of its pages (an AnnotationPage) "
                                                 "when page is given.", "headers": {"Link": LINK},
                                  "content": {LD_JSON: {"schema": {"anyOf": [ref("AnnotationCollection"),
                                                                             ref("AnnotationPage")]}}}},
                          **error_responses()}},
        ("/api/articles/{article_id}/annotations/", "post"): {
            "operationId": "create_annotation", "summary": "Create a claim from a W3C annotation",
            "tags": ["annotations"], "parameters": [ARTICLE_ID], "requestBody": ANNOTATION_BODY,
            "responses": {"201": ld("Annotation", "The claim, as an annotation.",
                                    {"Location": LOCATION, "ETag": ETAG, "Link": LINK}),
                          **error_responses(409, 415)}},
        ("/api/search", "get"): {
            "operationId": "search_annotations", "summary": "Claims across articles",
            "tags": ["annotations"],
            "parameters": [{"name": name, "in": "query", "required": False, "schema": {"type": "string"},
                            "description": what} for name, what in (
                                ("q", "Words in the quote or the rationale."), ("verdict", "A verdict key."),
                                ("status", "A review status."), ("tag", "A tag."),
                                ("checker", "The checker's username."), ("article", "An article's id."),
                                ("from", "Created on or after (ISO date)."), ("to", "Created on or before."))]
            + [count_param("limit", f"Page size (at most {MAX_CONTAINER_LIMIT}, as on a container).", minimum=1,
                           maximum=MAX_CONTAINER_LIMIT),
               count_param("offset", "Claims to skip.")],
            "responses": {"200": ld("AnnotationPage", "A page of matching annotations."), **error_responses()}},
        ("/api/users/{user_id}", "get"): {
            "operationId": "get_user", "summary": "A user, as an annotation's creator", "tags": ["users"],
            "parameters": [id_param("user_id", "The user's id.")],
            "responses": {"200": ld("Person", "The user."), **error_responses()}},
        ("/api/context.jsonld", "get"): {
            "operationId": "get_context", "summary": "The JSON-LD context of the project's extension properties",
            "tags": ["annotations"], "security": [],
            "responses": {"200": {"description": "The context.", "content": {LD_JSON: {"schema": {
                "type": "object", "required": ["@context"]}}}}, **error_responses()}},
        ("/api/openapi.json", "get"): {
            "operationId": "get_openapi", "summary": "This description (OpenAPI 3.1)", "tags": ["about"],
            "security": [],
            "responses": {"200": {"description": "The description.",
                                  "content": {JSON: {"schema": {"type": "object", "required": ["openapi"]}}}},
                          **error_responses()}},
        ("/api/docs", "get"): {
            "operationId": "get_docs", "summary": "This description as a page", "tags": ["about"], "security": [],
            "responses": {"200": {"description": "The page.", "content": {"text/html": {"schema": {"type": "string"}}}},
                          **error_responses()}},
    }
    articles.update(_annotation_operations("/api/articles/{article_id}/annotations/{annotation_id}",
                                           [ARTICLE_ID, ANNOTATION_ID], moved=False))
    articles.update(_annotation_operations("/api/annotations/{annotation_id}", [ANNOTATION_ID],
                                           moved=iris_in_container))
    return articles


METHOD_ORDER = ["get", "post", "put", "patch", "delete"]
TAGS = [
    ("articles", "Importing articles and their revisions; their canonical text."),
    ("annotations", "Claims as W3C Web Annotations, in a container per article (W3C Web Annotation Protocol)."),
    ("review", "The review workflow: submit, approve, request changes, reopen."),
    ("exports", "Reports and data: HTML, Markdown, CSV, W3C JSON-LD, ClaimReview, PDF."),
    ("users", "Users as annotations' creators."),
    ("about", "This description."),
]


def openapi_path(rule: str) -> str:
    """A Werkzeug rule (``/api/articles/<int:article_id>``) as an OpenAPI path (``/api/articles/{article_id}``)."""
    return re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule)


def api_routes(app) -> list[tuple[str, str]]:
    """(OpenAPI path, method) of every API route the app has, HEAD and OPTIONS aside."""
    routes = set()
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/"):
            for method in rule.methods - {"HEAD", "OPTIONS"}:
                routes.add((openapi_path(rule.rule), method.lower()))
    return sorted(routes)


def document(app) -> dict:
    """The OpenAPI 3.1 description of the API ``app`` serves: its routes that are described.
    Kept for the routes it was made for: a caller must not change it."""
    return _document(tuple(api_routes(app)), claim_fields.declared())


@memoized(max_entries=4)
def _document(routes: tuple[tuple[str, str], ...], declared: tuple[claim_fields.ClaimField, ...]) -> dict:
    known = operations(iris_in_container=("/api/articles/{article_id}/annotations/{annotation_id}", "get") in routes)
    paths: dict = {}
    # Methods in reading order (and so a fuzzer reaches a DELETE after the rest).
    for path, method in sorted(routes, key=lambda route: (route[0], METHOD_ORDER.index(route[1]))):
        if (path, method) in known:
            paths.setdefault(path, {})[method] = copy.deepcopy(known[(path, method)])
    try:
        version = metadata.version("workbench")
    except metadata.PackageNotFoundError:  # pragma: no cover - run from a checkout never installed
        version = "0"
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Workbench API",
            "version": version,
            "summary": "Articles, claims as W3C Web Annotations, reviews and exports.",
            "description": "Bearer tokens per user (`flask --app workbench tokens create NAME`). Errors are "
                           '`{"error": {"code": ..., "message": ...}}`. Annotations follow the W3C Web '
                           "Annotation Protocol: JSON-LD with the profile of the W3C context "
                           f"(`{ANNOTATION_MEDIA_TYPE}`), an ETag on every annotation, paged containers.",
        },
        "jsonSchemaDialect": "https://spec.openapis.org/oas/3.1/dialect/base",
        "tags": [{"name": name, "description": what} for name, what in TAGS],
        "security": [{"bearer": []}],
        "paths": dict(sorted(paths.items())),
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer",
                                           "description": "An API token: `Authorization: Bearer <token>`."}},
            "schemas": {**_model_schemas(declared), **_article_schemas(), **_annotation_schemas(declared)},
        },
    }


@api.get("/openapi.json")
@auth.requires("public")
def openapi_json():
    response = current_app.json.response(document(current_app))
    response.headers["Cache-Control"] = "public, max-age=300"
    return response


@api.get("/docs")
@auth.requires("public")
def docs():
    return render_template("api/docs.html", description_url=url_for("api.openapi_json"),
                           swagger_ui_js=SWAGGER_UI_JS, swagger_ui_css=SWAGGER_UI_CSS)
