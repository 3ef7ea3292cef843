"""New revisions of an article, and claims following their words into them.

A new revision is stored in one transaction with the re-anchoring of every claim of the article
(see :func:`workbench.text.anchoring.reanchor`): kept, moved, changed (its words were edited; a similarity
score is kept) or orphan (its words are gone). Orphans stay on the revision they last fitted,
listed on the article page, until someone re-attaches them to new words or retires them.
Where each claim sat on the earlier revision is kept, so old revisions read as they were.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy.orm.attributes import flag_modified
from sqlmodel import Session, select

from workbench.errors import InvalidContentError, InvalidTransitionError
from workbench.services import approvals
from workbench.services.articles import clean_import, stage
from workbench.services.claims import (
    ShownClaim,
    commit_change,
    record,
    require_edit,
    shown_on_revision,
    touch,
    withdraw,
)
from workbench.services.schemas import ArticleMeta
from workbench.store.models import (
    Article,
    Claim,
    ClaimAnchor,
    HistoryEvent,
    ImportDraft,
    Revision,
    User,
)
from workbench.store.unit_of_work import writes
from workbench.text.anchoring import (
    AnchorError,
    TextDiff,
    build_selectors,
    reanchor,
    verify_quote,
)

STATES = ("kept", "moved", "changed", "orphan")


@dataclass
class ReanchorItem:
    claim_id: int
    state: str
    score: float
    old_start: int
    old_end: int
    old_text: str
    new_start: int | None
    new_end: int | None
    new_text: str | None


@dataclass
class ReanchorReport:
    article_id: int
    from_revision: int
    to_revision: int
    items: list[ReanchorItem] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        return {state: sum(1 for i in self.items if i.state == state) for state in STATES}

    def notable(self) -> list[ReanchorItem]:
        """The cases a person should look at: everything but claims kept in place."""
        return [i for i in self.items if i.state != "kept"]

    def to_dict(self) -> dict:
        return {
            "article": self.article_id, "from_revision": self.from_revision, "to_revision": self.to_revision,
            "counts": self.counts(),
            "claims": [{"id": i.claim_id, "state": i.state, "score": i.score,
                        "old": {"start": i.old_start, "end": i.old_end, "exact": i.old_text},
                        "new": None if i.new_start is None else
                        {"start": i.new_start, "end": i.new_end, "exact": i.new_text}} for i in self.items],
        }


@writes
def store_revision(db: Session, *, article: Article, actor: User | None, original: bytes, media_type: str,
                   origin: str, blocks: list[dict], meta: ArticleMeta, draft: ImportDraft | None = None
                   ) -> tuple[Revision, ReanchorReport]:
    """Store a new revision of ``article`` and re-anchor its claims onto it, in one transaction.

    Every way of making a revision (the API, the page's preview, fetching the source again) comes
    here: the revision and its claims' new anchors commit together or not at all, so no claim is
    left behind on an earlier revision by a failure in between. ``draft``, the preview it was
    made from, goes with the same commit.
    """
    try:
        article, revision = stage(db, actor=actor, article=article, original=original, media_type=media_type,
                                  origin=origin, blocks=blocks, meta=meta)
        report = reanchor_claims(db, article=article, new=revision, actor=actor)
        if draft is not None:
            db.delete(draft)
        db.commit()
    except BaseException:
        db.rollback()
        raise
    return revision, report


def reanchor_claims(db: Session, *, article: Article, new: Revision, actor: User | None) -> ReanchorReport:
    """Move the article's claims onto ``new``; one history event per claim. Does not commit: it is
    part of the transaction that stores ``new`` (see :func:`store_revision`)."""
    previous = db.exec(select(Revision).where(Revision.article_id == article.id, Revision.number == new.number - 1)
                       ).one()
    report = ReanchorReport(article_id=article.id, from_revision=previous.number, to_revision=new.number)
    # Each claim is locked until the revision commits (FOR NO KEY UPDATE on PostgreSQL; SQLite's
    # write lock is held already), and read as it is now, not as this session may have loaded it:
    # an edit that committed first is re-anchored here; one that commits later finds the claim's
    # version moved on and is refused as stale (412), never written back onto the old revision.
    claims = db.exec(select(Claim).where(Claim.article_id == article.id, Claim.deleted == False,  # noqa: E712
                                         Claim.revision_id != new.id).order_by(Claim.start, Claim.id)
                     .with_for_update(key_share=True).execution_options(populate_existing=True)).all()
    # The snapshots already kept, read at once: a query a claim would also flush the claims before
    # it one by one, and the claims stay locked for as long as this takes.
    snapshots = {(claim_id, revision_id) for claim_id, revision_id in db.exec(
        select(ClaimAnchor.claim_id, ClaimAnchor.revision_id).join(Claim, Claim.id == ClaimAnchor.claim_id)
        .where(Claim.article_id == article.id)).all()}
    texts: dict[int, Revision] = {previous.id: previous}
    diffs: dict[int, TextDiff] = {}
    for claim in claims:
        old = texts.get(claim.revision_id) or db.get(Revision, claim.revision_id)
        texts[old.id] = old
        if old.id not in diffs:
            diffs[old.id] = TextDiff(old.canonical_text, new.canonical_text)
        result = reanchor(old.canonical_text, new.canonical_text, start=claim.start, end=claim.end,
                          exact=claim.exact, prefix=claim.prefix, suffix=claim.suffix, diff=diffs[old.id])
        item = ReanchorItem(claim_id=claim.id, state=result.state, score=result.score, old_start=claim.start,
                            old_end=claim.end, old_text=claim.exact, new_start=result.start, new_end=result.end,
                            new_text=None if result.start is None else new.canonical_text[result.start:result.end])
        report.items.append(item)
        changes = {"revision": [old.number, new.number], "state": [claim.anchor_state, _anchor_state(result.state)],
                   "start": [claim.start, result.start], "end": [claim.end, result.end]}
        if item.new_text is not None and item.new_text != claim.exact:
            changes["quote"] = [claim.exact, item.new_text]
        if result.state != "orphan":
            if (claim.id, old.id) not in snapshots:
                db.add(ClaimAnchor(claim_id=claim.id, revision_id=old.id, start=claim.start, end=claim.end,
                                   exact=claim.exact, prefix=claim.prefix, suffix=claim.suffix,
                                   verdict=claim.verdict, status=claim.status))
            selectors = build_selectors(new.canonical_text, result.start, result.end)
            claim.revision_id, claim.start, claim.end = new.id, selectors.start, selectors.end
            claim.exact, claim.prefix, claim.suffix = selectors.exact, selectors.prefix, selectors.suffix
        claim.anchor_state = _anchor_state(result.state)
        # A new version even for an orphan that stays where it was: an edit (or a re-attachment
        # to the words of the revision it saw as current) read before this revision is refused.
        flag_modified(claim, "anchor_state")
        db.add(claim)
        record(db, claim=claim, article_id=article.id, actor=actor, action="reanchored", changes=changes,
               note=f"{result.state}; score {result.score:.2f}")
        _follow_approval(db, claim, item, new.number)
    # One line for the article's corrections log, so it need not count the claims' events.
    db.add(HistoryEvent(article_id=article.id, actor_id=actor.id if actor else None, action="reanchoring",
                        changes={"revision": [previous.number, new.number], "counts": report.counts()}))
    db.flush()
    return report


def _follow_approval(db: Session, claim: Claim, item: ReanchorItem, number: int) -> None:
    """Kept and moved words keep their approval; edited or lost words take it away (the
    approval guard withdraws it at commit, with this as the reason)."""
    if claim.status != "approved":
        return
    if item.state in ("kept", "moved"):
        approvals.carry(db, claim=claim, note=f"its words are unchanged in revision {number} ({item.state}).")
    elif item.state == "changed" and item.new_text == item.old_text:
        approvals.note_cause(db, claim.id, f"Its words stand in a changed context in revision {number} "
                                           f"(context score {item.score:.2f}): “{item.old_text}”.")
    elif item.state == "changed":
        approvals.note_cause(db, claim.id, f"Its words changed in revision {number} (similarity {item.score:.2f}): "
                                           f"“{item.old_text}” became “{item.new_text}”.")
    else:
        approvals.note_cause(db, claim.id, f"Its words are gone from revision {number}: the claim is orphaned "
                                           f"(it quoted “{item.old_text}”).")


@writes
def add_revision(db: Session, *, article: Article, actor: User, data: bytes, media_type: str, origin: str,
                 max_bytes: int, charset: str | None = None, overrides: dict | None = None
                 ) -> tuple[Revision, ReanchorReport]:
    """Store a new revision (cleaned like an import) and re-anchor the article's claims onto it."""
    blocks, meta = clean_import(data, media_type, max_bytes=max_bytes, charset=charset, overrides=overrides)
    return store_revision(db, article=article, actor=actor, original=data, media_type=media_type, origin=origin,
                          blocks=blocks, meta=meta)


def _anchor_state(state: str) -> str:
    return {"kept": "anchored", "moved": "anchored", "changed": "changed", "orphan": "orphan"}[state]


def report_for(db: Session, *, article: Article, number: int) -> ReanchorReport:
    """The re-anchoring report of revision ``number``, read back from the history."""
    report = ReanchorReport(article_id=article.id, from_revision=number - 1, to_revision=number)
    events = db.exec(select(HistoryEvent).where(HistoryEvent.article_id == article.id,
                                                HistoryEvent.action == "reanchored")
                     .order_by(HistoryEvent.id)).all()
    for event in events:
        if event.changes.get("revision", [None, None])[1] != number:
            continue
        state = event.note.split(";")[0]
        score = float(event.note.rsplit(" ", 1)[1]) if "score" in event.note else 0.0
        old_quote = event.changes.get("quote", [None, None])[0]
        claim = db.get(Claim, event.claim_id)
        old_text = old_quote or (claim.exact if claim else "")
        new_quote = event.changes.get("quote", [None, None])[1] or (None if state == "orphan" else old_text)
        report.items.append(ReanchorItem(
            claim_id=event.claim_id, state=state, score=score, old_start=event.changes["start"][0],
            old_end=event.changes["end"][0], old_text=old_text, new_start=event.changes["start"][1],
            new_end=event.changes["end"][1], new_text=new_quote))
    return report


def orphans(db: Session, article: Article) -> list[Claim]:
    return list(db.exec(select(Claim).where(Claim.article_id == article.id, Claim.anchor_state == "orphan",
                                            Claim.deleted == False).order_by(Claim.id)).all())  # noqa: E712


@writes
def reattach(db: Session, *, claim: Claim, revision: Revision, actor: User, start: int, end: int, exact: str,
             expected_version: int | None) -> Claim:
    """Attach an orphan (or any claim) to words the user selected in the current revision."""
    require_edit(actor, claim)
    if claim.deleted:
        raise InvalidTransitionError("This claim was retired; it cannot be re-attached.")
    try:
        selectors = verify_quote(revision.canonical_text, start, end, exact)
    except AnchorError as err:
        raise InvalidContentError(f"The selection does not match the article: {err}.", code="quote_mismatch") from None
    old_revision = db.get(Revision, claim.revision_id)
    # Re-attaching is an edit: it counts for the four-eyes rule and takes an approval away.
    approvals.note_cause(db, claim.id, f"Re-attached to other words by {actor.display_name or actor.username}: "
                                       f"“{selectors.exact}” in revision {revision.number}.")
    touch(db, claim, actor)
    record(db, claim=claim, article_id=claim.article_id, actor=actor, action="reattached",
           changes={"revision": [old_revision.number, revision.number], "quote": [claim.exact, selectors.exact],
                    "start": [claim.start, selectors.start], "end": [claim.end, selectors.end],
                    "state": [claim.anchor_state, "anchored"]})
    claim.revision_id, claim.start, claim.end = revision.id, selectors.start, selectors.end
    claim.exact, claim.prefix, claim.suffix = selectors.exact, selectors.prefix, selectors.suffix
    claim.anchor_state = "anchored"
    db.add(claim)
    commit_change(db, claim, expected_version)
    return claim


@writes
def retire(db: Session, *, claim: Claim, actor: User, reason: str, expected_version: int | None) -> Claim:
    """Retire a claim whose words are gone: hidden from the article, kept with its history."""
    require_edit(actor, claim)
    reason = (reason or "").strip()
    if not reason:
        raise InvalidContentError("Say why the claim is retired.", code="comment_required")
    withdraw(db, claim=claim, actor=actor, kind="retired", reason=reason)
    commit_change(db, claim, expected_version)
    return claim


def claims_as_of(db: Session, revision: Revision) -> list[ShownClaim]:
    """The claims of a revision as they were on it: current ones, and snapshots of those that moved on."""
    # Orphans stay on the revision they last fitted, and show there as they were.
    shown = shown_on_revision(db, revision)
    for anchor, claim in db.exec(select(ClaimAnchor, Claim).join(Claim, Claim.id == ClaimAnchor.claim_id)
                                 .where(ClaimAnchor.revision_id == revision.id)).all():
        shown.append(ShownClaim(claim.id, anchor.start, anchor.end, anchor.exact, anchor.verdict, anchor.status,
                                claim.creator_id))
    return sorted(shown, key=lambda c: (c.start, c.end, c.id))
