"""Reading a W3C Web Annotation sent to the API into claim fields, selectors and sources."""

from __future__ import annotations

from dataclasses import dataclass, field

from workbench.errors import InvalidContentError, MalformedRequestError
from workbench.services.schemas import ClaimFields, SourceInput, claim_fields_input
from workbench.text import claim_fields


@dataclass
class AnnotationInput:
    start: int | None
    end: int | None
    exact: str | None
    prefix: str
    suffix: str
    target_source: str | None
    fields: ClaimFields
    sources: list[SourceInput] = field(default_factory=list)
    #: The client's canonical IRI for the annotation, and the IRI it was copied from (``via``,
    #: or the ``id`` it carried), both kept as given.
    canonical: str | None = None
    via: str | None = None


def _as_list(value) -> list:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def parse_annotation(data: dict) -> AnnotationInput:
    """Claim input from an annotation in the project's mapping (see ``exports.w3c``).

    :raises MalformedRequestError: not an annotation at all (400).
    :raises InvalidContentError: an annotation whose selectors or bodies cannot be used (422).
    """
    if not isinstance(data, dict):
        raise MalformedRequestError("The body must be a JSON object: a W3C Web Annotation.")
    if data.get("type") not in ("Annotation", ["Annotation"]):
        raise MalformedRequestError('The body must be a W3C Web Annotation ("type": "Annotation").')
    target = data.get("target")
    if isinstance(target, list):
        if len(target) != 1:
            raise InvalidContentError("A claim has exactly one target.", code="bad_selector")
        target = target[0]
    if not isinstance(target, dict):
        raise InvalidContentError("The target must be an object with a selector.", code="bad_selector")
    # The IRI of the revision it is on, written as a string or, by a JSON-LD processor, as a node with that id.
    if isinstance(target.get("source"), dict):
        target = dict(target, source=target["source"].get("id"))
    if target.get("source") is not None and not isinstance(target["source"], str):
        raise InvalidContentError("The target's source must be the IRI of a revision of the article.",
                                  code="bad_selector")

    start = end = None
    exact = None
    prefix = suffix = ""
    for selector in _as_list(target.get("selector")):
        if not isinstance(selector, dict):
            raise InvalidContentError("Each selector must be an object.", code="bad_selector")
        kind = selector.get("type")
        if kind == "TextPositionSelector":
            start, end = selector.get("start"), selector.get("end")
            if not all(isinstance(v, int) and not isinstance(v, bool) for v in (start, end)):
                raise InvalidContentError("TextPositionSelector needs whole-number start and end.", code="bad_selector")
        elif kind == "TextQuoteSelector":
            exact = selector.get("exact")
            prefix, suffix = selector.get("prefix") or "", selector.get("suffix") or ""
            if not isinstance(exact, str) or not exact:
                raise InvalidContentError("TextQuoteSelector needs the exact text.", code="bad_selector")
            if not isinstance(prefix, str) or not isinstance(suffix, str):
                raise InvalidContentError("prefix and suffix must be text.", code="bad_selector")
        else:
            raise InvalidContentError(
                f"Unsupported selector {kind!r}: use TextPositionSelector and TextQuoteSelector.", code="bad_selector"
            )
    if start is None and exact is None:
        raise InvalidContentError("The target needs a TextPositionSelector or a TextQuoteSelector.",
                                  code="bad_selector")

    # Each claim field with a W3C purpose (``claim_fields``) is read from the TextualBody of that purpose.
    by_purpose = {f.w3c_purpose: f for f in claim_fields.declared() if f.w3c_purpose}
    values: dict = {f.name: [] for f in by_purpose.values() if f.kind == "tags"}
    sources = []
    for body in _as_list(data.get("body")):
        if not isinstance(body, dict):
            raise InvalidContentError("Each body must be an object.", code="bad_body")
        purpose = body.get("purpose")
        if body.get("type") == "TextualBody":
            value = body.get("value")
            if not isinstance(value, str):
                raise InvalidContentError("A TextualBody needs a text value.", code="bad_body")
            if not isinstance(purpose, str) or purpose not in by_purpose:
                raise InvalidContentError(f"Unsupported TextualBody purpose {purpose!r}; use one of "
                                          f"{', '.join(by_purpose)}.", code="bad_body")
            target_field = by_purpose[purpose]
            if target_field.kind == "tags":
                values[target_field.name].append(value)
            else:
                values[target_field.name] = value
        elif body.get("type") == "SpecificResource" and purpose == "linking":
            sources.append(_source(body))
        else:
            raise InvalidContentError(
                f"Bodies are TextualBody ({', '.join(by_purpose)}) or SpecificResource with purpose linking.",
                code="bad_body",
            )
    if "bodyValue" in data and "commenting" in by_purpose and isinstance(data["bodyValue"], str):
        values[by_purpose["commenting"].name] = data["bodyValue"]
    return AnnotationInput(start=start, end=end, exact=exact, prefix=prefix, suffix=suffix,
                           target_source=target.get("source"), fields=claim_fields_input(**values), sources=sources,
                           canonical=_iri(data, "canonical"), via=_iri(data, "via") or _iri(data, "id"))


#: Longest IRI kept (the column's size).
MAX_IRI = 2000


def _iri(data: dict, key: str) -> str | None:
    """An IRI property of the annotation (one IRI: a list of one is taken as it), or None."""
    value = data.get(key)
    if isinstance(value, list) and len(value) == 1:
        value = value[0]
    if value is None or value == "":
        return None
    if not isinstance(value, str) or ":" not in value or any(c.isspace() for c in value):
        raise InvalidContentError(f"{key} must be one IRI (like urn:uuid:… or https://…).", code="bad_iri")
    if len(value) > MAX_IRI:
        raise InvalidContentError(f"{key} is longer than {MAX_IRI} characters.", code="bad_iri")
    return value


def _source(body: dict) -> SourceInput:
    url = body.get("source")
    if isinstance(url, dict):
        url = url.get("id")
    if not isinstance(url, str):
        raise InvalidContentError("A linking body needs its source URL.", code="bad_url")
    state = body.get("state") if isinstance(body.get("state"), dict) else {}

    def text(key):
        value = body.get(key)
        return value if isinstance(value, str) else None

    # The archived copy: a TimeState's cached copy, or (without a date) the project's archivedCopy,
    # written as an IRI or, by a JSON-LD processor, as a node with that id.
    copy = body.get("archivedCopy")
    copy = copy.get("id") if isinstance(copy, dict) else copy
    archived = state.get("cached") if isinstance(state.get("cached"), str) else copy if isinstance(copy, str) else None
    return SourceInput(
        url=url, title=text("title") or "", publisher=text("publisher"), date_published=text("datePublished"),
        archived_url=archived,
        archived_date=state.get("sourceDate") if isinstance(state.get("sourceDate"), str) else None,
        excerpt=text("excerpt") or "", stance=text("stance") or "context",
    )
