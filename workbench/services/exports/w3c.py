"""Claims as W3C Web Annotations (JSON-LD), and the collections and pages that hold them.

The mapping: motivation "assessing"; the verdict is a TextualBody with purpose "assessing",
the rationale one with purpose "commenting" (text/markdown), each tag one with purpose
"tagging", each source a SpecificResource with purpose "linking" whose archived copy is a
TimeState (with the date it was archived; a copy without a date is ``archivedCopy``). Status,
source details and the verdict's label are extension properties defined by the project's own
context, which follows the W3C context.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Callable

from workbench.services.rating import Verdict
from workbench.store.models import Claim, ClaimSource, Source, User
from workbench.text import claim_fields
from workbench.text.json_text import indented

W3C_CONTEXT = "http://www.w3.org/ns/anno.jsonld"
MEDIA_TYPE = 'application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"'


def project_context(namespace: str) -> dict:
    """The JSON-LD context naming Workbench's extension properties."""
    return {
        "@context": {
            "wb": namespace,
            "dcterms": "http://purl.org/dc/terms/",
            "schema": "http://schema.org/",
            "reviewStatus": "wb:reviewStatus",
            "version": "wb:version",
            "verdictLabel": "wb:verdictLabel",
            "verdictOrdinal": "wb:verdictOrdinal",
            "stance": "wb:stance",
            "excerpt": "wb:excerpt",
            "archivedCopy": {"@id": "wb:archivedCopy", "@type": "@id"},
            "title": "dcterms:title",
            "publisher": "dcterms:publisher",
            "datePublished": {"@id": "schema:datePublished", "@type": "http://www.w3.org/2001/XMLSchema#date"},
        }
    }


@dataclass
class Links:
    """How to name things with IRIs and where the app shows them; supplied by the web layer."""

    context: str
    #: An annotation's IRI, inside its article's container: by article id and claim id.
    annotation: Callable[[int, int], str]
    revision: Callable[[int, int], str]
    user: Callable[[int], str]
    #: The article's page, by article id.
    article: Callable[[int], str]
    #: One claim on its article's page, by article id and claim id.
    claim_page: Callable[[int, int], str]
    #: An article's claims as one W3C collection, by article id and ``include``.
    collection: Callable[[int, str], str]


def iso(moment: datetime | None) -> str | None:
    if moment is None:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z")


def contexts(links: Links) -> list:
    return [W3C_CONTEXT, links.context]


def annotation(claim: Claim, *, links: Links, revision_number: int, creator: User | None,
               sources: list[tuple[ClaimSource, Source]], verdict: Verdict | None,
               embedded: bool = False, fields: tuple | None = None) -> dict:
    """One claim as a W3C Annotation. ``embedded`` leaves out @context (a page's applies);
    ``fields``, the claim fields shown (``claim_fields``; all declared ones unless given)."""
    bodies: list[dict] = []
    for f in claim_fields.declared() if fields is None else fields:
        if f.w3c_purpose:
            bodies += field_bodies(f, getattr(claim, f.name), verdict)
    for link, source in sources:
        bodies.append(source_body(link, source))

    data: dict = {} if embedded else {"@context": contexts(links)}
    data.update({
        "id": links.annotation(claim.article_id, claim.id),
        "type": "Annotation",
        "motivation": "assessing",
        "created": iso(claim.created),
        "modified": iso(claim.modified),
    })
    if creator is not None:
        data["creator"] = {"id": links.user(creator.id), "type": "Person",
                           "name": creator.display_name or creator.username, "nickname": creator.username}
    if bodies:
        data["body"] = bodies
    data["target"] = {
        "type": "SpecificResource",
        "source": links.revision(claim.article_id, revision_number),
        "selector": [
            {"type": "TextQuoteSelector", "exact": claim.exact, "prefix": claim.prefix, "suffix": claim.suffix},
            {"type": "TextPositionSelector", "start": claim.start, "end": claim.end},
        ],
    }
    if claim.canonical:
        data["canonical"] = claim.canonical
    if claim.via:
        data["via"] = claim.via
    data["reviewStatus"] = claim.status
    data["version"] = claim.version
    return data


def field_bodies(f, value, verdict: Verdict | None) -> list[dict]:
    """A claim field's TextualBodies: one for each tag, one for any other value, none when empty."""
    if not value:
        return []
    if f.kind == "tags":
        return [{"type": "TextualBody", "purpose": f.w3c_purpose, "value": tag} for tag in value]
    body = {"type": "TextualBody", "purpose": f.w3c_purpose, "value": value,
            "format": "text/markdown" if f.kind == "markdown" else "text/plain"}
    if f.kind == "verdict" and verdict is not None:
        body["verdictLabel"] = verdict.label
        if verdict.ordinal is not None:
            body["verdictOrdinal"] = verdict.ordinal
    return [body]


def source_body(link: ClaimSource, source: Source) -> dict:
    body: dict = {"type": "SpecificResource", "purpose": "linking", "source": source.url, "stance": link.stance}
    if source.title:
        body["title"] = source.title
    if source.publisher:
        body["publisher"] = source.publisher
    if source.date_published:
        body["datePublished"] = source.date_published.isoformat()
    if link.excerpt:
        body["excerpt"] = link.excerpt
    if source.archived_date:
        state = {"type": "TimeState", "sourceDate": iso(source.archived_date)}
        if source.archived_url:
            state["cached"] = source.archived_url
        body["state"] = state
    elif source.archived_url:
        # The model's TimeState must say when (sourceDate): a copy of unknown date goes in the
        # project's own property, which the API reads back as well.
        body["archivedCopy"] = source.archived_url
    return body


def page(items: list, *, links: Links, page_id: str, collection_id: str, label: str, total: int,
         start_index: int, next_id: str | None, prev_id: str | None, embedded: bool = False) -> dict:
    """An AnnotationPage; ``partOf`` describes its collection (id, label, total), as in model §5.2."""
    data: dict = {} if embedded else {"@context": contexts(links)}
    data.update({"id": page_id, "type": "AnnotationPage",
                 "partOf": {"id": collection_id, "label": label, "total": total},
                 "startIndex": start_index, "items": items})
    if next_id:
        data["next"] = next_id
    if prev_id:
        data["prev"] = prev_id
    return data


def collection(*, links: Links, collection_id: str, label: str, total: int, first: dict | str | None,
               last_id: str | None) -> dict:
    data = {"@context": contexts(links), "id": collection_id, "type": "AnnotationCollection", "label": label,
            "total": total}
    if first is not None:
        data["first"] = first
    if last_id:
        data["last"] = last_id
    return data


def render(data) -> bytes:
    """An export (``exports.data.ExportData``) as one AnnotationCollection.

    Made an annotation at a time: the collection is printed around a stand-in for its items, and
    each annotation is printed alone and indented to its place, so the values of thousands of
    annotations are never held at once. The text is the one the whole value would print as."""
    links = data.links
    label = collection_label(data.article)
    if not data.claims:
        return indented(export_collection([], links=links, collection_id=data.collection_url, label=label))
    outline = indented(export_collection([_ITEMS], links=links, collection_id=data.collection_url, label=label,
                                         total=len(data.claims)))
    hole = outline.rindex(_ITEMS_PRINTED)
    indent = b"\n" + b" " * (hole - outline.rindex(b"\n", 0, hole) - 1)
    out = io.BytesIO()
    out.write(outline[:hole])
    for number, item in enumerate(data.claims):
        if number:
            out.write(b"," + indent)
        out.write(indented(annotation(item.claim, links=links, revision_number=data.revision.number,
                                      creator=item.checker, sources=item.sources, verdict=item.verdict,
                                      embedded=True, fields=data.fields)).replace(b"\n", indent))
    out.write(outline[hole + len(_ITEMS_PRINTED):])
    return out.getvalue()


#: What stands for the items while the collection around them is printed (JSON text escapes it:
#: no value a claim holds prints the same).
_ITEMS = "\x00items\x00"
_ITEMS_PRINTED = indented(_ITEMS)


def collection_label(article) -> str:
    return collection_label_of(article.title)


def collection_label_of(title: str) -> str:
    return f"Claims in “{title}”"


def export_collection(annotations: list, *, links: Links, collection_id: str, label: str,
                      total: int | None = None) -> dict:
    """The whole set as one AnnotationCollection whose first (and only) page holds every annotation
    (``total`` of them: as many as ``annotations`` unless given)."""
    page_id = collection_id + "#page-1"
    total = len(annotations) if total is None else total
    first = page(annotations, links=links, page_id=page_id, collection_id=collection_id, label=label,
                 total=total, start_index=0, next_id=None, prev_id=None, embedded=True)
    data = collection(links=links, collection_id=collection_id, label=label, total=total,
                      first=first, last_id=page_id)
    return data
