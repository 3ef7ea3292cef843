"""An article's corrections log: every change a reader of its published report would care about.

New revisions (with how their claims followed), approvals withdrawn and why, verdicts changed
after approval, published claims withdrawn, reopened and purged. Read from the append-only
history and the approval snapshots, oldest first. Pages and every report show the same log.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, select

from workbench.models import Article, Claim, ClaimApproval, HistoryEvent, User
from workbench.rating import verdict_for

KINDS = {
    "revision": "New revision",
    "approval_withdrawn": "Approval withdrawn",
    "verdict_changed": "Verdict changed",
    "withdrawn": "Claim withdrawn",
    "reopened": "Claim reopened",
    "purged": "Claim removed",
}

_EVENTS = ("revision", "reanchored", "approval_withdrawn", "transition", "deleted", "retired", "purged")


@dataclass(frozen=True)
class Correction:
    at: datetime
    #: One of :data:`KINDS`.
    kind: str
    #: A sentence for readers, in plain text.
    text: str
    claim_id: int | None = None

    @property
    def label(self) -> str:
        return KINDS[self.kind]


def log(db: Session, article: Article, *, config: dict | None = None) -> list[Correction]:
    """The article's corrections, oldest first."""
    events = db.exec(select(HistoryEvent).where(HistoryEvent.article_id == article.id,
                                                HistoryEvent.action.in_(_EVENTS))
                     .order_by(HistoryEvent.at, HistoryEvent.id)).all()
    approvals = db.exec(select(ClaimApproval).join(Claim, Claim.id == ClaimApproval.claim_id)
                        .where(Claim.article_id == article.id).order_by(ClaimApproval.id)).all()
    if not events and not approvals:
        return []
    claims = {c.id: c for c in db.exec(select(Claim).where(Claim.article_id == article.id)).all()}
    users = {u.id: u for u in db.exec(select(User)).all()}
    ever_approved = {a.claim_id for a in approvals}
    followed: dict[int, Counter] = defaultdict(Counter)
    for event in events:
        if event.action == "reanchored":
            followed[event.changes.get("revision", [None, None])[1]][event.note.split(";")[0]] += 1

    def name(user_id):
        user = users.get(user_id)
        return (user.display_name or user.username) if user else "the system"

    def claim_words(claim_id, quote=None):
        claim = claims.get(claim_id)
        quote = quote if quote is not None else (claim.exact if claim else "")
        return f"claim {claim_id} (“{_short(quote)}”)" if quote else f"claim {claim_id}"

    found: list[Correction] = []
    for event in events:
        if event.action == "revision":
            number = event.changes.get("revision", [None, None])[1]
            counts = followed.get(number, Counter())
            found.append(Correction(event.at, "revision", (
                f"Revision {number} of the article was imported by {name(event.actor_id)}: its claims were "
                f"{counts['kept']} kept, {counts['moved']} moved, {counts['changed']} changed and "
                f"{counts['orphan']} orphaned.")))
        elif event.action == "approval_withdrawn":
            quote = (event.changes.get("quote") or [None])[0]
            found.append(Correction(event.at, "approval_withdrawn", (
                f"The approval of {claim_words(event.claim_id, quote)} was withdrawn, and the claim went back "
                f"to review: {event.note}"), event.claim_id))
        elif event.action == "transition" and event.changes.get("status") == ["approved", "draft"]:
            found.append(Correction(event.at, "reopened", (
                f"{name(event.actor_id)} reopened {claim_words(event.claim_id)}: {event.note}"), event.claim_id))
        elif event.action in ("deleted", "retired") and event.claim_id in ever_approved:
            found.append(Correction(event.at, "withdrawn", (
                f"{name(event.actor_id)} {event.action} {claim_words(event.claim_id)}: "
                f"{event.note or 'no reason given'}"), event.claim_id))
        elif event.action == "purged" and event.claim_id in ever_approved:
            found.append(Correction(event.at, "purged", (
                f"An administrator removed claim {event.claim_id}: {event.note}"), event.claim_id))

    last_verdict: dict[int, str | None] = {}
    for approval in approvals:
        verdict = approval.content.get("verdict")
        before = last_verdict.get(approval.claim_id, verdict)
        if before != verdict:
            old, new = verdict_for(before, config), verdict_for(verdict, config)
            found.append(Correction(approval.approved_at, "verdict_changed", (
                f"The verdict on {claim_words(approval.claim_id, approval.content.get('exact'))} changed from "
                f"{old.label if old else 'none'} to {new.label if new else 'none'}, approved by "
                f"{name(approval.approved_by_id)}."), approval.claim_id))
        last_verdict[approval.claim_id] = verdict
    return sorted(found, key=lambda c: c.at)


def last_changed(db: Session, claim_ids: list[int]) -> dict[int, tuple[datetime, datetime]]:
    """Per claim approved more than once: (first approval, latest approval) — when a published
    review first appeared, and when it last changed."""
    rows = db.exec(select(ClaimApproval.claim_id, ClaimApproval.approved_at)
                   .where(ClaimApproval.claim_id.in_(claim_ids or [0])).order_by(ClaimApproval.id)).all()
    moments: dict[int, list[datetime]] = defaultdict(list)
    for claim_id, at in rows:
        moments[claim_id].append(at)
    return {claim_id: (times[0], times[-1]) for claim_id, times in moments.items()}


def _short(text: str, limit: int = 80) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"
