"""schema.org ClaimReview for approved claims with a verdict (JSON-LD)."""

from __future__ import annotations

import re

from workbench.services.exports.data import ExportData, ExportedClaim
from workbench.text.json_text import indented

SUMMARY_LENGTH = 75


def summarize(quote: str, limit: int = SUMMARY_LENGTH) -> str:
    """A short form of the quoted claim: whole when it fits, else cut at a word and marked with '…'."""
    text = " ".join(quote.split())
    if len(text) <= limit:
        return text
    sentence = re.split(r"(?<=[.!?。！？])\s", text, maxsplit=1)[0]
    if len(sentence) <= limit:
        return sentence
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:")
    return (cut or text[: limit - 1]) + "…"


def publishable(item: ExportedClaim) -> bool:
    """Approved, still as approved, and with a verdict."""
    return item.verdict is not None and item.published


def claim_review(item: ExportedClaim, data: ExportData) -> dict:
    revision = data.revision
    rating = {"@type": "Rating", "alternateName": item.verdict.label}
    if item.verdict.ordinal is not None:
        rating.update({"ratingValue": item.verdict.ordinal, "bestRating": 5, "worstRating": 1})
    claim: dict = {"@type": "Claim"}
    if revision.publisher:
        claim["author"] = {"@type": "Organization", "name": revision.publisher}
    elif revision.byline:
        claim["author"] = {"@type": "Person", "name": revision.byline}
    if revision.published:
        claim["datePublished"] = revision.published.isoformat()
    for f in data.fields:
        value = getattr(item.claim, f.name)
        if f.claimreview and value:
            claim[f.claimreview] = ", ".join(value) if f.kind == "tags" else value
    appearance = revision.source_url or data.article.source_url
    if appearance:
        claim["appearance"] = {"@type": "CreativeWork", "url": appearance}
    review = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": item.page_url,
        "claimReviewed": summarize(item.claim.exact),
        "reviewRating": rating,
        "itemReviewed": claim,
        "author": {"@type": "Organization", "name": data.org_name},
    }
    if item.approved_at:
        first = item.first_approved_at or item.approved_at
        review["datePublished"] = first.date().isoformat()
        if item.approved_at != first:
            # Approved again after a change: the published review was modified.
            review["dateModified"] = item.approved_at.isoformat(timespec="seconds").replace("+00:00", "Z")
    return review


def claim_reviews(data: ExportData) -> list[dict]:
    """ClaimReviews for the approved claims with a verdict, whatever ``include`` says."""
    return [claim_review(item, data) for item in data.claims if publishable(item)]


def render(data: ExportData) -> bytes:
    return indented(claim_reviews(data))
