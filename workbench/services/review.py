"""The review workflow: which transitions exist, who may make them, and what each needs.

    draft ──submit──▶ in_review ──approve──▶ approved ──reopen (reason)──▶ draft
                        │  ▲
       request_changes  │  │ submit (resubmit)
           (comment)    ▼  │
                    changes_requested

Checks run in a fixed order, so every caller gets the same answer: the role (403), then the
current status (409), then what the transition needs (422), then the four-eyes rule (403).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, func, select

from workbench.errors import (
    ForbiddenError,
    InvalidContentError,
    InvalidTransitionError,
    MalformedRequestError,
)
from workbench.services import approvals
from workbench.services.accounts import role_allows
from workbench.services.claims import can_edit, check_version, commit_change, record
from workbench.store.models import (
    Claim,
    ClaimSource,
    Comment,
    ReviewStatus,
    User,
    utcnow,
)
from workbench.store.unit_of_work import writes

S = ReviewStatus


@dataclass(frozen=True)
class Transition:
    sources: frozenset[str]
    target: str
    #: The permission (accounts.PERMISSIONS) this transition needs.
    permission: str
    #: A comment is required (request_changes: what to change; reopen: why).
    needs_comment: bool = False
    label: str = ""


TRANSITIONS: dict[str, Transition] = {
    "submit": Transition(frozenset({S.draft, S.changes_requested}), S.in_review, "annotate", label="Submit for review"),
    "approve": Transition(frozenset({S.in_review}), S.approved, "review", label="Approve"),
    "request_changes": Transition(frozenset({S.in_review}), S.changes_requested, "review", needs_comment=True,
                                  label="Request changes"),
    "reopen": Transition(frozenset({S.approved}), S.draft, "review", needs_comment=True, label="Reopen"),
}


def allowed_actions(actor: User | None, claim: Claim) -> list[str]:
    """Actions to offer this user on this claim now (the page shows only these buttons)."""
    if actor is None:
        return []
    actions = []
    for name, transition in TRANSITIONS.items():
        if claim.status not in transition.sources or not role_allows(actor.role, transition.permission):
            continue
        if name == "submit" and not can_edit(actor, claim):
            continue
        actions.append(name)
    return actions


def missing_for_submit(db: Session, claim: Claim) -> list[str]:
    missing = []
    if not claim.verdict:
        missing.append("a verdict")
    if not claim.rationale.strip():
        missing.append("a rationale")
    sources = db.exec(select(func.count()).select_from(ClaimSource).where(ClaimSource.claim_id == claim.id)).one()
    if not sources:
        missing.append("at least one source")
    return missing


@writes
def transition(db: Session, *, claim: Claim, action: str, actor: User, comment: str = "",
               expected_version: int | None = None, four_eyes: bool = True) -> Claim:
    """Move ``claim`` through the workflow, recording who, when and why.

    :raises MalformedRequestError: unknown action (400).
    :raises ForbiddenError: wrong role, not the claim's checker, or the four-eyes rule (403).
    :raises InvalidTransitionError: not possible from the claim's status (409).
    :raises InvalidContentError: a submission lacking verdict, rationale or source, or a missing comment (422).
    :raises StaleVersionError: ``expected_version`` is not current, or another change won a race (412).
    """
    step = TRANSITIONS.get(action)
    if step is None:
        raise MalformedRequestError(f"Unknown action {action!r}; use one of {', '.join(TRANSITIONS)}.")
    if not role_allows(actor.role, step.permission):
        raise ForbiddenError(f"Your role ({actor.role}) may not {step.label.lower()}; editors review claims.")
    if action == "submit" and not can_edit(actor, claim):
        raise ForbiddenError("Only the claim's checker or an editor may submit it for review.")
    if _done_already(db, claim, step, actor, expected_version):
        return claim  # the same button pressed twice: the step was taken once
    check_version(claim, expected_version, db)
    if claim.status not in step.sources:
        allowed = " or ".join(sorted(s.replace("_", " ") for s in step.sources))
        raise InvalidTransitionError(
            f"Cannot {step.label.lower()}: the claim is {claim.status.replace('_', ' ')}, and this needs it {allowed}."
        )
    comment = (comment or "").strip()
    if action == "submit":
        missing = missing_for_submit(db, claim)
        if missing:
            raise InvalidContentError(f"Before submitting, add {_join(missing)}.", code="incomplete_claim")
    if step.needs_comment and not comment:
        what = "what should change" if action == "request_changes" else "why it is reopened"
        raise InvalidContentError(f"{step.label} needs a comment saying {what}.", code="comment_required")
    if action == "approve" and four_eyes and actor.id in {claim.creator_id, claim.last_editor_id}:
        role = "created" if actor.id == claim.creator_id else "last edited"
        raise ForbiddenError(
            f"Four-eyes rule: you {role} this claim, so another editor must approve it.", code="four_eyes"
        )

    old = claim.status
    claim.status = step.target
    claim.status_changed = claim.modified = utcnow()
    if action == "approve":
        approvals.approve(db, claim=claim, actor=actor)
    elif action == "reopen":
        approvals.end_approval(db, claim=claim, reason=f"Reopened: {comment}")
    db.add(claim)
    record(db, claim=claim, article_id=claim.article_id, actor=actor, action="transition",
           changes={"status": [old, step.target]}, note=comment)
    if comment:
        db.add(Comment(claim_id=claim.id, author_id=actor.id, body=f"**{step.label}:** {comment}"))
    commit_change(db, claim, expected_version)
    return claim


def _done_already(db: Session, claim: Claim, step: Transition, actor: User, expected: int | None) -> bool:
    """Whether the claim moved on from ``expected`` by this very step, taken by this actor."""
    from workbench.store.models import HistoryEvent

    if expected is None or int(expected) >= claim.version or claim.status != step.target:
        return False
    last = db.exec(select(HistoryEvent).where(HistoryEvent.claim_id == claim.id)
                   .order_by(HistoryEvent.id.desc()).limit(1)).first()
    return (last is not None and last.action == "transition" and last.actor_id == actor.id
            and last.changes.get("status", [None, None])[1] == step.target)


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


# --- queries for the queue and notifications ---------------------------------------------------

def review_queue(db: Session, *, article_id: int | None = None, checker_id: int | None = None,
                 verdict: str | None = None) -> list[Claim]:
    """Claims waiting for review across all articles, oldest first."""
    query = select(Claim).where(Claim.status == S.in_review, Claim.deleted == False)  # noqa: E712
    if article_id:
        query = query.where(Claim.article_id == article_id)
    if checker_id:
        query = query.where(Claim.creator_id == checker_id)
    if verdict:
        query = query.where(Claim.verdict == verdict)
    return list(db.exec(query.order_by(Claim.status_changed, Claim.id)).all())


def queue_count(db: Session) -> int:
    return db.exec(select(func.count()).select_from(Claim).where(
        Claim.status == S.in_review, Claim.deleted == False)).one()  # noqa: E712


def _returned(user: User):
    return (Claim.creator_id == user.id, Claim.status == S.changes_requested, Claim.deleted == False)  # noqa: E712


def returned_count(db: Session, user: User) -> int:
    """How many of the user's claims came back with changes requested (shown on every page)."""
    return db.exec(select(func.count()).select_from(Claim).where(*_returned(user))).one()


def latest_reason(db: Session, claim: Claim) -> str:
    """The comment of the claim's latest transition (why changes were requested, or why reopened)."""
    from workbench.store.models import HistoryEvent

    event = db.exec(select(HistoryEvent).where(HistoryEvent.claim_id == claim.id, HistoryEvent.action == "transition")
                    .order_by(HistoryEvent.id.desc()).limit(1)).first()
    return event.note if event else ""


def latest_withdrawal(db: Session, claim: Claim) -> str:
    """Why the claim's approval was last withdrawn (shown while it waits for re-review)."""
    from workbench.store.models import HistoryEvent

    event = db.exec(select(HistoryEvent).where(HistoryEvent.claim_id == claim.id,
                                               HistoryEvent.action == "approval_withdrawn")
                    .order_by(HistoryEvent.id.desc()).limit(1)).first()
    return event.note if event else ""


def returned_claims(db: Session, user: User) -> list[tuple[Claim, str]]:
    """The user's claims sent back with changes requested, each with the editor's latest reason."""
    claims = db.exec(select(Claim).where(*_returned(user)).order_by(Claim.status_changed.desc())).all()
    return [(claim, latest_reason(db, claim)) for claim in claims]
