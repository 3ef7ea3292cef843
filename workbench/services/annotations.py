"""Claims as W3C annotations, with what the presenter needs loaded in a few queries.

The related rows (sources, creators, revision numbers) are read as plain rows, not ORM objects:
an export of hundreds of claims needs nothing but their values, and reads them several times
faster so.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import select
from sqlmodel import Session

from workbench.services.exports import w3c
from workbench.services.rating import verdict_for
from workbench.store.models import Claim, ClaimSource, Revision, Source, User
from workbench.store.unit_of_work import reads


@dataclass(frozen=True)
class Related:
    """What annotations show of rows other than their claims."""

    #: claim id -> [(link, source)], in the order the claim lists them.
    sources: dict
    #: user id -> (id, username, display_name).
    users: dict
    #: revision id -> revision number.
    numbers: dict
    #: Every value above, hashable: the annotations are a function of it and of the claims.
    fingerprint: tuple


def load_related(db: Session, claims: list, *, chosen_by: list | None = None) -> Related:
    """Sources, creators and revision numbers of ``claims`` (anything with their ``id``,
    ``creator_id`` and ``revision_id``).

    ``chosen_by``, the conditions on Claim that chose ``claims`` when there are any, finds the
    rows through them: a short statement, where a list of hundreds of ids costs more to send and
    parse than the rows themselves.
    """
    if not claims:
        return Related({}, {}, {}, ())
    if chosen_by is not None:
        claim_ids = select(Claim.id).where(*chosen_by)
        creator_ids = select(Claim.creator_id).where(*chosen_by)
        revision_ids = select(Claim.revision_id).where(*chosen_by)
    else:
        claim_ids = [c.id for c in claims]
        creator_ids = {c.creator_id for c in claims}
        revision_ids = {c.revision_id for c in claims}
    links = db.exec(select(ClaimSource.__table__).where(ClaimSource.claim_id.in_(claim_ids))
                    .order_by(ClaimSource.position, ClaimSource.id)).all()
    source_rows = db.exec(select(Source.__table__).where(Source.id.in_(
        select(ClaimSource.source_id).where(ClaimSource.claim_id.in_(claim_ids)))).order_by(Source.id)).all()
    by_id = {source.id: source for source in source_rows}
    sources: dict[int, list] = defaultdict(list)
    for link in links:
        sources[link.claim_id].append((link, by_id[link.source_id]))
    user_rows = db.exec(select(User.id, User.username, User.display_name)
                        .where(User.id.in_(creator_ids)).order_by(User.id)).all()
    number_rows = db.exec(select(Revision.id, Revision.number)
                          .where(Revision.id.in_(revision_ids)).order_by(Revision.id)).all()
    return Related(sources=sources, users={u.id: u for u in user_rows}, numbers=dict(number_rows),
                   fingerprint=tuple(tuple(map(tuple, rows)) for rows in (links, source_rows, user_rows, number_rows)))


@reads
def annotations_for(db: Session, claims: list, *, links: w3c.Links, embedded: bool = False,
                    config: dict | None = None) -> list[dict]:
    """Each claim as an annotation; sources, creators and revisions are fetched in bulk."""
    return annotations_from(claims, load_related(db, claims), links=links, embedded=embedded, config=config)


def annotations_from(claims: list, related: Related, *, links: w3c.Links, embedded: bool = False,
                     config: dict | None = None) -> list[dict]:
    return [
        w3c.annotation(claim, links=links, revision_number=related.numbers[claim.revision_id],
                       creator=related.users.get(claim.creator_id), sources=related.sources.get(claim.id, []),
                       verdict=verdict_for(claim.verdict, config), embedded=embedded)
        for claim in claims
    ]


def annotation_of_new_claim(claim: Claim, *, revision: Revision, creator: User, links: w3c.Links,
                            config: dict | None = None) -> dict:
    """A claim just created, without sources, as an annotation: from what the caller holds, no queries."""
    return w3c.annotation(claim, links=links, revision_number=revision.number, creator=creator, sources=[],
                          verdict=verdict_for(claim.verdict, config))
