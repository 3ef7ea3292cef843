"""An article's corrections log: every change a reader of its published report would care about.

New revisions (with how their claims followed), approvals withdrawn and why, verdicts changed
after approval, published claims withdrawn, reopened and purged. Read from the append-only
history and the approval snapshots, oldest first. Pages and every report show the same log.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple

from sqlalchemy import func
from sqlmodel import Session, select

from workbench.memo import Memo
from workbench.services.rating import verdict_for
from workbench.store import claim_stamps
from workbench.store.models import Article, Claim, ClaimApproval, HistoryEvent, User

KINDS = {
    "revision": "New revision",
    "approval_withdrawn": "Approval withdrawn",
    "verdict_changed": "Verdict changed",
    "withdrawn": "Claim withdrawn",
    "reopened": "Claim reopened",
    "purged": "Claim removed",
}

#: The history events the log is made from (reopens are transitions with a reason).
_EVENTS = ("revision", "reanchoring", "approval_withdrawn", "transition", "deleted", "retired", "purged")


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


class _Event(NamedTuple):
    """What the log reads of a history event."""

    id: int
    at: datetime
    action: str
    claim_id: int | None
    actor_id: int | None
    changes: dict
    note: str


class _Read(NamedTuple):
    """Everything the log is made from but its actors' names."""

    events: tuple[_Event, ...]
    approvals: tuple
    ever_approved: frozenset[int]
    quotes: dict[int, str]
    #: How each revision's claims followed it, by revision number.
    counts: dict
    actor_ids: frozenset[int]

    def __len__(self) -> int:  # the memo's measure: rows held
        return len(self.events) + len(self.approvals) + 1


#: What the log is made from, by article and history stamp (``history_stamp``): the page shows
#: the log on every view, and it changes only with the article's history.
_kept_reads = Memo(max_chars=200_000)


def log(db: Session, article: Article, *, config: dict | None = None, stamp: str | None = None) -> list[Correction]:
    """The article's corrections, oldest first. Reads only the few events that make it (not the
    per-claim re-anchoring events), so the article page can show it on every view. With the
    article's ``stamp`` (``history_stamp``), what it read for that stamp is read again only when
    the memo has let it go; its actors' names are read every time."""
    read = (_read(db, article) if stamp is None
            else _kept_reads.get((article.id, stamp), lambda: _read(db, article)))
    if not read.events and not read.approvals:
        return []
    users = {u.id: u.display_name or u.username for u in db.exec(
        select(User.id, User.display_name, User.username).where(User.id.in_(read.actor_ids - {None} or {0}))).all()}
    return _compose(read, users, config)


def history_stamp(db: Session, article: Article) -> str:
    """What names the article's history: its events are never changed or deleted, and every change
    to the article, its claims and their approvals adds one."""
    return claim_stamps.history_stamp(db.connection(), article.id)


def _read(db: Session, article: Article) -> _Read:
    # Two reads, each on an index of its own: the events of the log's kinds but transitions, and
    # the transitions that carry a reason (an article may hold thousands without one).
    kinds = [action for action in _EVENTS if action != "transition"]
    events = sorted([*db.exec(select(HistoryEvent).where(HistoryEvent.article_id == article.id,
                                                         HistoryEvent.action.in_(kinds))).all(),
                     *db.exec(select(HistoryEvent).where(HistoryEvent.article_id == article.id,
                                                         HistoryEvent.action == "transition",
                                                         HistoryEvent.note != "")).all()],
                    key=lambda event: (event.at, event.id))
    # A verdict can only have changed on a claim approved more than once: only those approvals are
    # read, as an article may hold thousands of claims approved once.
    approved_again = (select(ClaimApproval.claim_id).join(Claim, Claim.id == ClaimApproval.claim_id)
                      .where(Claim.article_id == article.id).group_by(ClaimApproval.claim_id)
                      .having(func.count() > 1))
    approvals = db.exec(select(ClaimApproval.claim_id, ClaimApproval.approved_by_id, ClaimApproval.approved_at,
                               ClaimApproval.verdict)
                        .where(ClaimApproval.claim_id.in_(approved_again)).order_by(ClaimApproval.id)).all()
    events = [_Event(e.id, e.at, e.action, e.claim_id, e.actor_id, e.changes, e.note) for e in events]
    if not events and not approvals:
        return _Read((), (), frozenset(), {}, {}, frozenset())
    withdrawn_ids = {e.claim_id for e in events if e.claim_id and e.action in ("deleted", "retired", "purged")}
    ever_approved = set(db.exec(select(ClaimApproval.claim_id).distinct()
                                .where(ClaimApproval.claim_id.in_(withdrawn_ids or {0}))).all())
    changed_verdicts = _changed_verdicts(approvals)
    # Only the quotes the log names are read: an article may hold thousands of approved claims.
    named = {e.claim_id for e in events if e.claim_id and (e.action != "deleted" and e.action != "retired"
                                                          or e.claim_id in ever_approved)}
    quotes = dict(db.exec(select(Claim.id, Claim.exact).where(Claim.id.in_(
        named | {a.claim_id for a in changed_verdicts} or {0}))).all())
    actor_ids = {e.actor_id for e in events} | {a.approved_by_id for a in approvals}
    counts = {e.changes.get("revision", [None, None])[1]: e.changes.get("counts", {})
              for e in events if e.action == "reanchoring"}
    for event in events:
        number = event.changes.get("revision", [None, None])[1]
        if event.action == "revision" and not counts.get(number):
            counts[number] = _count_reanchored(db, article, number)
    return _Read(tuple(events), tuple(approvals), frozenset(ever_approved), quotes, counts, frozenset(actor_ids))


def _compose(read: _Read, users: dict[int, str], config: dict | None) -> list[Correction]:
    events, ever_approved, quotes, counts = read.events, read.ever_approved, read.quotes, read.counts
    changed_verdicts = _changed_verdicts(read.approvals)

    def name(user_id):
        return users.get(user_id, "the system")

    def claim_words(claim_id, quote=None):
        quote = quote if quote is not None else quotes.get(claim_id, "")
        return f"claim {claim_id} (“{_short(quote)}”)" if quote else f"claim {claim_id}"

    found: list[Correction] = []
    for event in events:
        if event.action == "revision":
            number = event.changes.get("revision", [None, None])[1]
            followed = counts[number]
            found.append(Correction(event.at, "revision", (
                f"Revision {number} of the article was imported by {name(event.actor_id)}: its claims were "
                f"{followed.get('kept', 0)} kept, {followed.get('moved', 0)} moved, {followed.get('changed', 0)} "
                f"changed and {followed.get('orphan', 0)} orphaned.")))
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

    for approval, before in changed_verdicts.items():
        old, new = verdict_for(before, config), verdict_for(approval.verdict, config)
        found.append(Correction(approval.approved_at, "verdict_changed", (
            f"The verdict on {claim_words(approval.claim_id)} changed from {old.label if old else 'none'} to "
            f"{new.label if new else 'none'}, approved by {name(approval.approved_by_id)}."), approval.claim_id))
    return sorted(found, key=lambda c: c.at)


def _changed_verdicts(approvals) -> dict:
    """The approvals whose verdict differs from the claim's approval before, with that verdict."""
    changed, last_verdict = {}, {}
    for approval in approvals:
        before = last_verdict.get(approval.claim_id, approval.verdict)
        if before != approval.verdict:
            changed[approval] = before
        last_verdict[approval.claim_id] = approval.verdict
    return changed


def _count_reanchored(db: Session, article: Article, number: int) -> Counter:
    """How a revision's claims followed it, counted from their events (revisions stored before
    the log kept a line of its own for it)."""
    counter: Counter = Counter()
    for changes, note in db.exec(select(HistoryEvent.changes, HistoryEvent.note).where(
            HistoryEvent.article_id == article.id, HistoryEvent.action == "reanchored")).all():
        if changes.get("revision", [None, None])[1] == number:
            counter[note.split(";")[0]] += 1
    return counter


def last_changed(db: Session, claim_ids) -> dict[int, tuple[datetime, datetime]]:
    """Per claim approved more than once: (first approval, latest approval) — when a published
    review first appeared, and when it last changed. ``claim_ids``: a list, or a statement
    selecting them."""
    chosen = claim_ids if not isinstance(claim_ids, list) else (claim_ids or [0])
    again = (select(ClaimApproval.claim_id).where(ClaimApproval.claim_id.in_(chosen))
             .group_by(ClaimApproval.claim_id).having(func.count() > 1))
    rows = db.exec(select(ClaimApproval.claim_id, ClaimApproval.approved_at)
                   .where(ClaimApproval.claim_id.in_(again)).order_by(ClaimApproval.id)).all()
    moments: dict[int, list[datetime]] = defaultdict(list)
    for claim_id, at in rows:
        moments[claim_id].append(at)
    return {claim_id: (times[0], times[-1]) for claim_id, times in moments.items()}


def _short(text: str, limit: int = 80) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"
