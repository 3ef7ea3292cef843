"""Claims as W3C annotations, with what the presenter needs loaded in a few queries."""

from __future__ import annotations

from collections import defaultdict

from sqlmodel import Session, select

from workbench.exports import w3c
from workbench.models import Claim, ClaimSource, Revision, Source, User
from workbench.rating import verdict_for


def annotations_for(db: Session, claims: list[Claim], *, links: w3c.Links, embedded: bool = False,
                    config: dict | None = None) -> list[dict]:
    """Each claim as an annotation; sources, creators and revisions are fetched in bulk."""
    if not claims:
        return []
    ids = [c.id for c in claims]
    sources: dict[int, list] = defaultdict(list)
    for link, source in db.exec(select(ClaimSource, Source).join(Source, Source.id == ClaimSource.source_id)
                                .where(ClaimSource.claim_id.in_(ids))
                                .order_by(ClaimSource.position, ClaimSource.id)).all():
        sources[link.claim_id].append((link, source))
    users = {u.id: u for u in db.exec(select(User).where(User.id.in_({c.creator_id for c in claims}))).all()}
    numbers = dict(db.exec(select(Revision.id, Revision.number)
                           .where(Revision.id.in_({c.revision_id for c in claims}))).all())
    return [
        w3c.annotation(claim, links=links, revision_number=numbers[claim.revision_id],
                       creator=users.get(claim.creator_id), sources=sources[claim.id],
                       verdict=verdict_for(claim.verdict, config), embedded=embedded)
        for claim in claims
    ]


def annotation_of_new_claim(claim: Claim, *, revision: Revision, creator: User, links: w3c.Links,
                            config: dict | None = None) -> dict:
    """A claim just created, without sources, as an annotation: from what the caller holds, no queries."""
    return w3c.annotation(claim, links=links, revision_number=revision.number, creator=creator, sources=[],
                          verdict=verdict_for(claim.verdict, config))
