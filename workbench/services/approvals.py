"""Approvals bound to content: what an editor approved, and the guard that takes an approval
away as soon as the approved content changes, whichever path changed it.

An approval covers a claim's words (revision, span, quote, anchoring state), its verdict,
rationale and tags, and its sources with their stance. Its digest is stored on the claim
(``approved_digest``). Before every commit the guard looks at the approved claims that the
transaction touched — directly, through their source links, or through a shared source — and
sends back to review any whose content no longer has that digest, with a history event saying
why. Paths need not remember to do it: a page edit, an API PUT, a re-anchoring and an edit of a
shared source all end in a commit.
"""

from __future__ import annotations

import hashlib
import json
from itertools import chain

from sqlalchemy import event
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.orm import Session as OrmSession
from sqlmodel import Session, select

from workbench.store.models import (
    Claim,
    ClaimApproval,
    ClaimSource,
    HistoryEvent,
    ReviewStatus,
    Revision,
    Source,
    User,
    utcnow,
)
from workbench.text import claim_fields

#: The keys of a claim's content that an approval covers (and its digest hashes), but its fields
#: (``claim_fields``, those declared ``approved``), which come between the words and the sources.
WORDS = ("revision_id", "start", "end", "exact", "anchor_state")


def covered() -> tuple[str, ...]:
    """The keys of a claim's content that an approval covers (and its digest hashes)."""
    return (*WORDS, *claim_fields.approved_names(), "sources")
SOURCE_FIELDS = ("url", "title", "publisher", "date_published", "archived_url", "archived_date", "excerpt", "stance")

_TOUCHED = "workbench.services.approvals.touched_claims"
_TOUCHED_SOURCES = "workbench.services.approvals.touched_sources"
_CAUSES = "workbench.services.approvals.causes"
_ACTOR = "workbench.services.approvals.actor_id"
_ENFORCING = "workbench.services.approvals.enforcing"


# --- content ----------------------------------------------------------------------------------

def _plain(value):
    return value.isoformat() if hasattr(value, "isoformat") else value


def source_content(link, source) -> dict:
    """A cited source as an approval covers it (``link`` and ``source`` are rows or instances)."""
    values = {name: _plain(getattr(source, name)) for name in SOURCE_FIELDS if name not in ("excerpt", "stance")}
    values.update(excerpt=link.excerpt or "", stance=link.stance)
    return values


def claim_content(claim, sources, revision_number: int | None = None) -> dict:
    """The content of ``claim`` with its ``sources`` [(link, source)], as plain JSON values."""
    content = {
        "revision_id": claim.revision_id, "start": claim.start, "end": claim.end, "exact": claim.exact,
        "anchor_state": claim.anchor_state,
        **{f.name: _field_content(f, getattr(claim, f.name)) for f in claim_fields.declared() if f.approved},
        "sources": sorted((source_content(link, source) for link, source in sources), key=lambda s: s["url"]),
    }
    if revision_number is not None:
        content["revision"] = revision_number
    return content


def _field_content(f: claim_fields.ClaimField, value):
    if f.kind == "tags":
        return sorted(value or [])
    return value if f.kind == "verdict" else value or ""


def _differs(before, after) -> bool:
    """Two values of one key differ; an empty value and none (a field declared since the
    approval) do not."""
    return before != after and bool(before or after)


def content_digest(content: dict) -> str:
    """SHA-256 of the covered part of ``content``, independent of key order. A field not declared
    ``digest_when_empty`` counts only once it has a value (see ``claim_fields.ClaimField``)."""
    fields = {f.name: f for f in claim_fields.declared()}
    hashed = {key: content.get(key) for key in covered()
              if key not in fields or fields[key].digest_when_empty or content.get(key)}
    text = json.dumps(hashed, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def content_of(db: Session, claim: Claim) -> dict:
    """The claim's content as stored now (pending changes flushed first)."""
    rows = db.exec(select(ClaimSource, Source).join(Source, Source.id == ClaimSource.source_id)
                   .where(ClaimSource.claim_id == claim.id)).all()
    revision = db.get(Revision, claim.revision_id)
    return claim_content(claim, rows, revision.number if revision else None)


def is_covered(claim, sources) -> bool:
    """Whether ``claim`` is approved and its content is still what the approval covers."""
    return (claim.status == ReviewStatus.approved and claim.approved_digest is not None
            and content_digest(claim_content(claim, sources)) == claim.approved_digest)


# --- what services tell the guard ---------------------------------------------------------------

def note_actor(db: Session, actor_id: int | None) -> None:
    """Who is making this transaction's changes (named in a withdrawal's history event)."""
    db.info[_ACTOR] = actor_id


def note_cause(db: Session, claim_id: int, cause: str) -> None:
    """Why ``claim_id``'s content is changing, when the change itself does not say it."""
    db.info.setdefault(_CAUSES, {})[claim_id] = cause


# --- approving and carrying ---------------------------------------------------------------------

def current_approval(db: Session, claim: Claim) -> ClaimApproval | None:
    """The approval now covering ``claim`` (read without flushing: see :func:`approve`)."""
    with db.no_autoflush:
        return db.exec(select(ClaimApproval).where(ClaimApproval.claim_id == claim.id,
                                                   ClaimApproval.withdrawn_at == None)  # noqa: E711
                       .order_by(ClaimApproval.id.desc()).limit(1)).first()


def approve(db: Session, *, claim: Claim, actor: User) -> ClaimApproval:
    """Record what ``actor`` approves: a snapshot of the claim's content now.

    Nothing is flushed here: a competing change to the claim then surfaces at the caller's
    commit, as a stale version, like any other lost race."""
    with db.no_autoflush:
        content = content_of(db, claim)
    digest = content_digest(content)
    approval = ClaimApproval(claim_id=claim.id, approved_by_id=actor.id, content=content, digest=digest,
                             verdict=claim.verdict)
    db.add(approval)
    claim.approved_digest = digest
    claim.re_review = False
    db.add(claim)
    return approval


def end_approval(db: Session, *, claim: Claim, reason: str) -> None:
    """The claim stops being approved on purpose (reopened or withdrawn): its approval ends."""
    approval = current_approval(db, claim)
    if approval is not None:
        approval.withdrawn_at = utcnow()
        approval.withdrawn_reason = reason
        db.add(approval)
    claim.approved_digest = None
    db.add(claim)


def carry(db: Session, *, claim: Claim, note: str) -> None:
    """The claim's words moved unchanged into a new revision: its approval follows them."""
    approval = current_approval(db, claim)
    if claim.status != ReviewStatus.approved or approval is None:
        return
    revision = db.get(Revision, claim.revision_id)
    content = dict(approval.content, revision_id=claim.revision_id, start=claim.start, end=claim.end,
                   exact=claim.exact, anchor_state=claim.anchor_state, revision=revision.number)
    if content_digest(content) != content_digest(content_of(db, claim)):
        return  # something else changed too: the guard will withdraw it
    approval.content = content
    approval.digest = claim.approved_digest = content_digest(content)
    db.add(approval)
    db.add(claim)
    db.add(HistoryEvent(article_id=claim.article_id, claim_id=claim.id, actor_id=None, action="approval_kept",
                        changes={"revision": [None, revision.number]}, note=note))


# --- the guard ---------------------------------------------------------------------------------

@event.listens_for(OrmSession, "before_flush")
def _collect(session, _flush_context, _instances) -> None:
    """Note the claims and sources each flush writes; the guard looks at them before commit."""
    claims = session.info.setdefault(_TOUCHED, set())
    sources = session.info.setdefault(_TOUCHED_SOURCES, set())
    for obj in chain(session.new, session.dirty, session.deleted):
        if isinstance(obj, Claim) and obj.id is not None:
            claims.add(obj.id)
        elif isinstance(obj, ClaimSource):
            claims.add(obj.claim_id)
        elif isinstance(obj, Source) and obj.id is not None:
            sources.add(obj.id)


@event.listens_for(OrmSession, "before_commit")
def _enforce(session) -> None:
    """Withdraw the approval of every touched claim whose content is no longer what was approved."""
    if session.info.get(_ENFORCING):
        return
    session.info[_ENFORCING] = True
    try:
        for _round in range(3):  # a withdrawal is itself a change: look once more, then stop
            session.flush()
            claim_ids = session.info.pop(_TOUCHED, set())
            source_ids = session.info.pop(_TOUCHED_SOURCES, set())
            for claim in _approved_among(session, claim_ids, source_ids):
                content = content_of(session, claim)
                if content_digest(content) != claim.approved_digest:
                    _withdraw(session, claim, content)
            if not (session.new or session.dirty or session.deleted):
                break
    finally:
        session.info.pop(_CAUSES, None)
        session.info.pop(_ACTOR, None)
        session.info[_ENFORCING] = False


def _approved_among(session, claim_ids: set, source_ids: set) -> list[Claim]:
    """The approved claims among those touched. Claims the session holds are judged without a
    query (a claim being edited is usually one); others, and users of a shared source, are read."""
    approved, unknown = [], set()
    for claim_id in claim_ids:
        held = session.identity_map.get(_claim_key(claim_id))
        if held is None:
            unknown.add(claim_id)
        elif held.status == ReviewStatus.approved and not held.deleted:
            approved.append(held)
    if source_ids:
        unknown |= set(session.exec(select(ClaimSource.claim_id).where(ClaimSource.source_id.in_(source_ids))).all())
        unknown -= {c.id for c in approved}
    if unknown:
        approved += session.exec(select(Claim).where(Claim.id.in_(unknown), Claim.status == ReviewStatus.approved,
                                                     Claim.deleted == False)).all()  # noqa: E712
    return approved


def _claim_key(claim_id: int):
    return sa_inspect(Claim).identity_key_from_primary_key([claim_id])


def _withdraw(session, claim: Claim, content: dict) -> None:
    approval = current_approval(session, claim)
    before = approval.content if approval is not None else {}
    actor_id = session.info.get(_ACTOR)
    reason = session.info.get(_CAUSES, {}).get(claim.id) or describe_change(session, before, content, actor_id)
    if approval is not None:
        approval.withdrawn_at = utcnow()
        approval.withdrawn_reason = reason
        session.add(approval)
    changes = {key: [before.get(key), content.get(key)] for key in ("exact", *claim_fields.approved_names(), "sources")
               if _differs(before.get(key), content.get(key))}
    if "exact" in changes:
        changes["quote"] = changes.pop("exact")
    changes["status"] = [claim.status, ReviewStatus.in_review.value]
    claim.status = ReviewStatus.in_review.value
    claim.status_changed = utcnow()
    claim.approved_digest = None
    claim.re_review = True
    session.add(claim)
    session.add(HistoryEvent(article_id=claim.article_id, claim_id=claim.id, actor_id=actor_id,
                             action="approval_withdrawn", changes=changes, note=reason))


#: How a reason names what changed, but the fields (their labels, in lower case).
WORD_NAMES = {"exact": "quote", "sources": "sources", "revision_id": "revision", "start": "position",
              "end": "position", "anchor_state": "anchoring"}


def describe_change(session, before: dict, after: dict, actor_id: int | None) -> str:
    """"Verdict and rationale changed by Ana": what differs from the approved content, and who."""
    names = {**WORD_NAMES, **{name: label.lower() for name, label in claim_fields.labels().items()}}
    fields: list[str] = []
    for key in covered():
        if _differs(before.get(key), after.get(key)) and names[key] not in fields:
            fields.append(names[key])
    if not fields:
        fields = ["content"]
    what = fields[0] if len(fields) == 1 else ", ".join(fields[:-1]) + " and " + fields[-1]
    actor = session.get(User, actor_id) if actor_id else None
    who = f" by {actor.display_name or actor.username}" if actor else ""
    return f"{what[0].upper()}{what[1:]} changed after approval{who}."
