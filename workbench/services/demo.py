"""The demo article a first run shows: claims in every status, sources, comments, a second revision.

Made through the same services people use, so the demo is what a newsroom's week would leave behind:
approved, in review, returned, draft and withdrawn claims, one orphaned by the corrected revision.
"""

from __future__ import annotations

from workbench.services import claims, imports, review, revisions
from workbench.services.articles import get_revision
from workbench.services.schemas import ClaimFields, SourceInput
from workbench.store.models import Article, User

STATS = SourceInput(url="https://stats.port-averly.example/crossings/2024", title="Annual crossing counts 2024",
                    publisher="Port Averly statistics office", date_published="2025-02-03",
                    archived_url="https://archive.example/stats.port-averly.example/crossings/2024",
                    archived_date="2025-03-14T12:00:00Z",
                    excerpt="14.2 million vehicle crossings in 2024 (8.1 million in 2014).", stance="contradicts")
CONCESSION = SourceInput(url="https://treasury.port-averly.example/concession-2006", title="Harbour Bridge concession",
                         publisher="Regional treasury", date_published="2006-09-01",
                         excerpt="The operator remits 35 percent of gross toll receipts.", stance="contradicts")
BUDGET = SourceInput(url="https://assembly.port-averly.example/budget/2009", title="Bridge construction accounts",
                     publisher="Regional assembly", date_published="2010-01-20",
                     excerpt="Final construction cost: 412 million crowns.", stance="supports")

#: (words, verdict, rationale, tags, sources, what happens to it)
CLAIMS = [
    ("have \"paid for the bridge twice over\"", "false",
     "Receipts of 830 million crowns went mostly to the operator: the treasury's **35 percent** share is "
     "about 290 million, less than the 412 million the bridge cost.", ["tolls", "public money"],
     [CONCESSION, BUDGET], "approve"),
    ("The bridge cost 412 million crowns to build", "true",
     "The assembly's final accounts give the same figure.", ["tolls"], [BUDGET], "approve"),
    ("toll receipts had reached 830 million crowns", "mostly_true",
     "Gross receipts, as the operator reports them; the minister did not say they were gross.", ["tolls"],
     [CONCESSION], "submit"),
    ("traffic on the bridge had \"more than doubled\" in a decade", "mostly_false",
     "From 8.1 to 14.2 million crossings is a rise of 75 percent, not a doubling.", ["traffic"], [STATS], "return"),
    ("the average commuter now saves 25 minutes a day", "unproven",
     "No survey of commuting times since the ferry closed.", ["traffic"], [], "draft"),
    ("passes 35 percent of receipts to the regional treasury", "true",
     "A term of the concession, not a claim anyone made.", [], [CONCESSION], "withdraw"),
]


def seed_demo(db, *, checker: User, editor: User, original: bytes, corrected: bytes, max_bytes: int) -> Article:
    """Import the demo article as ``checker``, claim and review it, then bring in its corrected revision."""
    article = imports.import_article(db, actor=checker, data=original, media_type="text/plain", origin="demo",
                                     max_bytes=max_bytes)
    revision = get_revision(db, article)
    for words, verdict, rationale, tags, sources, fate in CLAIMS:
        start = revision.canonical_text.index(words)
        claim = claims.create_claim(db, revision=revision, actor=checker, start=start, end=start + len(words),
                                    exact=words, fields=ClaimFields(verdict=verdict, rationale=rationale, tags=tags))
        for source in sources:
            claims.add_source(db, claim=claim, actor=checker, data=source, expected_version=None)
        if fate in ("approve", "submit", "return"):
            review.transition(db, claim=claim, action="submit", actor=checker)
        if fate == "approve":
            claims.add_comment(db, claim=claim, actor=editor, body="Checked against the accounts. Approving.")
            review.transition(db, claim=claim, action="approve", actor=editor)
        elif fate == "return":
            review.transition(db, claim=claim, action="request_changes", actor=editor,
                              comment="Say which years the bulletin compares, and link the bulletin itself.")
        elif fate == "draft":
            claims.add_comment(db, claim=claim, actor=checker, body="Asked the ministry for its source.")
        elif fate == "withdraw":
            claims.delete_claim(db, claim=claim, actor=checker, expected_version=None,
                                reason="Not a claim: the concession's terms, quoted as background.")
    # The correction drops the commuting figure: its claim is orphaned, the others follow their words.
    revisions.add_revision(db, article=article, actor=editor, data=corrected, media_type="text/plain",
                           origin="demo", max_bytes=max_bytes)
    return article
