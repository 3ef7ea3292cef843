"""Everything an export needs about one article, loaded in a few queries: the one value every
presenter is a function of, with the addresses it shows as plain strings."""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from typing import Callable, NamedTuple

from sqlalchemy import Text, cast, func
from sqlalchemy import select as sa_select
from sqlmodel import Session, select

from workbench.memo import Memo
from workbench.services import approvals
from workbench.services import corrections as corrections_log
from workbench.services.annotations import load_related
from workbench.services.exports.w3c import Links
from workbench.services.rating import Verdict, rating_scale, verdict_for
from workbench.store.models import (
    Article,
    Claim,
    ClaimApproval,
    ClaimSource,
    HistoryEvent,
    Revision,
    Source,
    User,
)
from workbench.text import claim_fields

INCLUDE_CHOICES = ("approved", "all")
#: What a presenter reads: the whole report (history, approvals, reviewers, corrections), or just
#: what annotations show (each claim with its sources and creator, read as plain rows: several
#: times faster for hundreds of claims).
READS = ("report", "annotations")
#: The history a published report shows of each claim: what changed its content or its review
#: (comments are the desk's own discussion, and stay out).
PUBLISHED_HISTORY = ("created", "updated", "transition", "reanchored", "reattached", "approval_withdrawn",
                     "approval_kept", "source_added", "source_updated", "source_removed")


#: Whether a claim's content is what its approval covers, by its version and sources' values.
_covered = Memo(max_entries=50_000)


class PublishedEvent(NamedTuple):
    """A history event as the report shows it, read as a plain row: its changes stay JSON text
    until shown, so a report whose history tables are kept decodes none of them. Its values never
    change (history is append-only), and they are the key of its kept table."""

    id: int
    at: datetime
    action: str
    actor_id: int | None
    note: str
    changes_json: str | None

    @property
    def changes(self) -> dict:
        return json.loads(self.changes_json) if self.changes_json else {}


@dataclass
class ExportedClaim:
    number: int
    claim: Claim
    verdict: Verdict | None
    sources: list[tuple[ClaimSource, Source]]
    checker: User | None
    reviewer: User | None
    approved_at: datetime | None
    #: Transitions and corrections, oldest first: (event, actor). Read when asked for
    #: (``ExportData.load_history``); what names them exactly, meanwhile: (count, last event id).
    history: list[tuple[PublishedEvent, User | None]] = field(default_factory=list)
    history_stamp: tuple = ()
    #: When a review of this claim was first published (approved), if it was approved before.
    first_approved_at: datetime | None = None
    #: The claim on the article's page.
    page_url: str = ""
    #: The number of the revision the claim is on.
    revision_number: int = 0

    @cached_property
    def published(self) -> bool:
        """Approved, and its content is still what the approval covers (checked once per load:
        the loader, the presenters and the ClaimReviews all ask). Kept by the claim's version
        and its sources' values, since digesting thousands of claims' content costs more than
        reading them."""
        claim = self.claim
        try:
            key = (claim.id, claim.version, claim.created, claim.status, claim.approved_digest,
                   tuple(tuple(link) + tuple(source) for link, source in self.sources), claim_fields.declared())
            hash(key)
        except TypeError:  # sources as ORM objects: checked each time
            return approvals.is_covered(claim, self.sources)
        return _covered.get(key, lambda: approvals.is_covered(claim, self.sources))


@dataclass
class ExportData:
    article: Article
    revision: Revision
    claims: list[ExportedClaim]
    include: str
    scale: list[Verdict]
    org_name: str
    generated: datetime
    #: The article's corrections log (workbench.services.corrections), oldest first.
    corrections: list = field(default_factory=list)
    #: The article's page.
    article_url: str = ""
    #: The IRI of the W3C collection of these claims.
    collection_url: str = ""
    #: The IRIs of annotations, revisions and users (made by the web layer).
    links: Links | None = None
    #: What the values of the related rows read come to (``annotations.Related.fingerprint``),
    #: where they were read as plain rows.
    fingerprint: tuple = ()
    #: How to print the report: ``pdf.html_to_pdf``'s options.
    printing: dict = field(default_factory=dict)
    #: The claim's fields the presenters show (``claim_fields``), in order.
    fields: tuple = field(default_factory=claim_fields.declared)
    #: Fills in the ``history`` of the claims given (a presenter asks only for what it must show).
    load_history: Callable[[list[ExportedClaim]], None] = lambda claims: None
    #: Every user's (id, display name, username): what the names in histories come from.
    user_names: tuple = ()


#: Paper sizes in inches (width, height), as Chromium's printToPDF takes them.
PAPER = {"A4": (8.27, 11.69), "Letter": (8.5, 11.0), "Legal": (8.5, 14.0), "A5": (5.83, 8.27)}
#: Regions whose offices use US paper sizes (CLDR's paper-size data): Letter, everywhere else A4.
LETTER_REGIONS = {"US", "CA", "MX", "PH", "CL", "CO", "VE", "GT", "PR", "CR", "PA", "DO", "SV", "NI"}


def paper_size(config) -> str:
    """The paper PDFs are printed on: ``PDF_PAPER`` when set, else by the ``LOCALE`` setting's
    region (en-US: Letter), else A4."""
    chosen = str(config.get("PDF_PAPER") or "").strip()
    if chosen:
        for name in PAPER:
            if name.lower() == chosen.lower():
                return name
        raise ValueError(f"PDF_PAPER must be one of {', '.join(PAPER)}, not {chosen!r}.")
    region = str(config.get("LOCALE") or "").replace("_", "-").split(".")[0].split("-")[1:]
    return "Letter" if region and region[-1].upper() in LETTER_REGIONS else "A4"


def load(db: Session, *, article: Article, revision: Revision, include: str = "approved", config: dict,
         links: Links, reads: str = "report") -> ExportData:
    """Claims on ``revision`` (approved only unless ``include == "all"``), numbered in text order,
    with what ``reads`` asks for (see ``READS``)."""
    from workbench.store.models import utcnow

    shown = dict(article=article, revision=revision, include=include, scale=rating_scale(config),
                 org_name=config["ORG_NAME"], generated=utcnow(), fields=claim_fields.declared(),
                 article_url=links.article(article.id), collection_url=links.collection(article.id, include),
                 links=links,
                 printing={"max_memory": config["PDF_MAX_MEMORY_MB"] * 2**20, "run_as": config["PDF_USER"],
                           "paper": paper_size(config)})
    if reads == "annotations":
        exported, fingerprint = load_annotated(db, export_conditions(revision, include), config=config, links=links,
                                               order=(Claim.start, Claim.end, Claim.id))
        return ExportData(claims=exported, fingerprint=fingerprint, **shown)
    claims = claims_for(db, revision=revision, include=include)

    # Sources as plain rows, found through the conditions that chose the claims (see load_related).
    sources = load_related(db, claims, chosen_by=export_conditions(revision, include)).sources
    users = {u.id: u for u in db.exec(select(User)).all()}
    chosen = select(Claim.id).where(*export_conditions(revision, include))
    stamps = {claim_id: (count, last) for claim_id, count, last in db.exec(
        sa_select(HistoryEvent.claim_id, func.count(), func.max(HistoryEvent.id))
        .where(HistoryEvent.claim_id.in_(chosen), HistoryEvent.action.in_(PUBLISHED_HISTORY))
        .group_by(HistoryEvent.claim_id)).all()}

    def load_history(wanted: list[ExportedClaim]) -> None:
        for part in range(0, len(wanted), 500):
            by_id = {item.claim.id: item for item in wanted[part:part + 500]}
            for item in by_id.values():
                item.history = []
            for claim_id, *values in db.exec(
                    sa_select(HistoryEvent.claim_id, HistoryEvent.id, HistoryEvent.at, HistoryEvent.action,
                              HistoryEvent.actor_id, HistoryEvent.note, cast(HistoryEvent.changes, Text))
                    .where(HistoryEvent.claim_id.in_(list(by_id)), HistoryEvent.action.in_(PUBLISHED_HISTORY))
                    .order_by(HistoryEvent.at, HistoryEvent.id)).all():
                event = PublishedEvent(*values)
                by_id[claim_id].history.append((event, users.get(event.actor_id)))

    current = {a.claim_id: a for a in db.exec(
        sa_select(ClaimApproval.claim_id, ClaimApproval.approved_by_id, ClaimApproval.approved_at).where(
            ClaimApproval.claim_id.in_(select(Claim.id).where(*export_conditions(revision, include))),
            ClaimApproval.withdrawn_at == None)).all()}  # noqa: E711
    first = corrections_log.last_changed(db, chosen)

    exported = []
    for claim in claims:
        approval = current.get(claim.id) if claim.status == "approved" else None
        item = ExportedClaim(
            number=len(exported) + 1, claim=claim, verdict=verdict_for(claim.verdict, config),
            sources=sources.get(claim.id, []), checker=users.get(claim.creator_id),
            reviewer=users.get(approval.approved_by_id) if approval else None,
            approved_at=approval.approved_at if approval else None, history_stamp=stamps.get(claim.id, (0, 0)),
            first_approved_at=first[claim.id][0] if claim.id in first else None,
            page_url=links.claim_page(article.id, claim.id),
        )
        if include == "approved" and not item.published:
            continue  # its content is not what was approved: never published (the guard should have said so)
        exported.append(item)
    return ExportData(claims=exported, corrections=corrections_log.log(db, article, config=config),
                      load_history=load_history,
                      user_names=tuple(sorted((u.id, u.display_name, u.username) for u in users.values())), **shown)


def load_annotated(db: Session, conditions: list, *, config, links: Links, order: tuple,
                   first_number: int = 1) -> tuple[list[ExportedClaim], tuple]:
    """What annotations show of the claims ``conditions`` choose, in ``order``: each claim with its
    sources, creator and revision number as plain rows; no history, reviewers or corrections
    (annotations show none of them). Also what the related rows read come to
    (``annotations.Related.fingerprint``)."""
    claims = list(db.exec(select(Claim).where(*conditions).order_by(*order)).all())
    related = load_related(db, claims, chosen_by=conditions)
    exported = [ExportedClaim(number=number, claim=claim, verdict=verdict_for(claim.verdict, config),
                              sources=related.sources.get(claim.id, []),
                              checker=related.users.get(claim.creator_id), reviewer=None, approved_at=None,
                              page_url=links.claim_page(claim.article_id, claim.id),
                              revision_number=related.numbers.get(claim.revision_id, 0))
                for number, claim in enumerate(claims, start=first_number)]
    return exported, related.fingerprint


def claims_for(db: Session, *, revision: Revision, include: str = "approved") -> list[Claim]:
    """The claims an export holds, in text order."""
    return list(db.exec(select(Claim).where(*export_conditions(revision, include))
                        .order_by(Claim.start, Claim.end, Claim.id)).all())


def claim_stamps_for(db: Session, *, revision: Revision, include: str = "approved") -> list:
    """What tells the same claims' values apart, without reading them: each claim's id and
    version (every change raises it; its ETag relies on that too) and its creation and last
    change as stored (so a claim of another database with the same id and version differs),
    with ``creator_id`` and ``revision_id`` for the rows related to it."""
    return list(db.exec(sa_select(Claim.id, Claim.version, cast(Claim.created, Text), cast(Claim.modified, Text),
                                  Claim.creator_id, Claim.revision_id)
                        .where(*export_conditions(revision, include)).order_by(Claim.start, Claim.end, Claim.id)).all())


def export_conditions(revision: Revision, include: str) -> list:
    """The conditions on Claim that choose an export's claims."""
    conditions = [Claim.revision_id == revision.id, Claim.deleted == False]  # noqa: E712
    if include == "approved":
        conditions += [Claim.status == "approved", Claim.approved_digest != None]  # noqa: E711
    return conditions


def related_fingerprint(db: Session, stamps: list, *, revision: Revision, include: str) -> tuple:
    """What ``load(reads="annotations")`` would read of the rows related to the claims ``stamps``
    name (``claim_stamps_for``), without reading the claims."""
    return load_related(db, stamps, chosen_by=export_conditions(revision, include)).fingerprint


def name_of(user: User | None) -> str:
    return (user.display_name or user.username) if user else ""
