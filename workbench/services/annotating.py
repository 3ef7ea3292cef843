"""A claim made from a W3C annotation: the revision it targets, its words followed onto the
current text, then the claim (the reads before the write hold no write lock)."""

from __future__ import annotations

from dataclasses import replace
from typing import Callable

from sqlmodel import Session

from workbench.errors import ConflictError, InvalidContentError
from workbench.services import claims
from workbench.services.annotation_input import AnnotationInput
from workbench.store.models import Claim, Revision, User
from workbench.store.revision_text import (
    current_revision,
    numbered_revision,
    recent_current_revision,
)
from workbench.store.unit_of_work import reading
from workbench.text.anchoring import build_selectors, locate_quote, reanchor

#: (article id, revision number) -> the revision's IRI, as a target names it.
RevisionIri = Callable[[int, int], str]


def create_annotated_claim(db: Session, *, article_id: int, parsed: AnnotationInput, actor: User,
                           revision_iri: RevisionIri) -> tuple[Claim, Revision]:
    """The new claim and the revision it is on."""
    with reading(db):
        # The revision this process last saw current will do: the write checks it still is.
        current = recent_current_revision(db, article_id)
        recent = current is not None
        if current is None:
            current = current_revision(db, article_id)
    try:
        return _create_on(db, current, parsed, actor, revision_iri)
    except (ConflictError, InvalidContentError):
        if not recent:
            raise
        with reading(db):
            fresh = current_revision(db, article_id)
        if fresh.number == current.number:
            raise
    # The article had moved on since this process last saw it: once more, on its current text.
    return _create_on(db, fresh, parsed, actor, revision_iri)


def _create_on(db: Session, current: Revision, parsed: AnnotationInput, actor: User,
               revision_iri: RevisionIri) -> tuple[Claim, Revision]:
    with reading(db):
        revision = _target_revision(db, parsed.target_source, current, revision_iri)
        if revision.id != current.id:
            # Claims live on the current text: words quoted from an earlier revision follow into it.
            parsed = follow_into(parsed, revision, current)
            revision = current
    claim = claims.create_claim(db, revision=revision, actor=actor,
                                start=parsed.start, end=parsed.end, exact=parsed.exact, prefix=parsed.prefix,
                                suffix=parsed.suffix, fields=parsed.fields, sources=parsed.sources,
                                canonical=parsed.canonical, via=parsed.via)
    return claim, revision


def follow_into(parsed: AnnotationInput, old: Revision, current: Revision) -> AnnotationInput:
    """Selectors given for revision ``old``, moved onto ``current`` the way re-anchoring moves claims."""
    text = old.canonical_text
    start = parsed.start
    if start is None:
        start = locate_quote(text, parsed.exact or "", parsed.prefix, parsed.suffix)
    end = parsed.end if parsed.start is not None else (start + len(parsed.exact) if start is not None else None)
    exact = text[start:end] if start is not None and end is not None and 0 <= start < end <= len(text) else None
    if exact is None or (parsed.exact is not None and parsed.exact != exact):
        raise InvalidContentError(f"The target does not match revision {old.number} of the article.",
                                  code="quote_mismatch")
    selectors = build_selectors(text, start, end)
    result = reanchor(text, current.canonical_text, start=start, end=end, exact=exact, prefix=selectors.prefix,
                      suffix=selectors.suffix)
    if result.state == "orphan":
        raise InvalidContentError(
            f"The quoted words of revision {old.number} are gone from the current revision {current.number}.",
            code="quote_mismatch")
    return replace(parsed, start=result.start, end=result.end,
                   exact=current.canonical_text[result.start:result.end], prefix="", suffix="")


def _target_revision(db: Session, target_source: str | None, current: Revision,
                     revision_iri: RevisionIri) -> Revision:
    """The revision a target names by its IRI (any revision of this article), else the current one."""
    if target_source:
        # Revisions are numbered 1, 2, ... up to the current one.
        for number in range(current.number - 1, 0, -1):
            if target_source == revision_iri(current.article_id, number):
                return numbered_revision(db, current.article_id, number)
    return current
