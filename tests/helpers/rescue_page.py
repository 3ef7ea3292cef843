"""A draft's blocks in the shape the cleaner leaves them: menus above, an article with dropped
blocks in it, footers below. Tests put them in a draft to check the preview's layout."""

from __future__ import annotations

from sqlmodel import select

from workbench.store.models import ImportDraft


def block(text: str, role: str = "body", reason: str = "article text", context: str = "") -> dict:
    return {"text": text, "role": role, "reason": reason, "context": context, "kept": role == "body"}


LOST = "The mayor said the money would repair the deck before winter."
BLOCKS = [
    block("Home | World | Business | Sport | Culture", "junk", "navigation"),
    block("Sign in to your account", "junk", "not part of the article (navigation)", "navigation"),
    block("Live: the week in pictures", "junk", "not part of the article (navigation)", "navigation"),
    block("Get our morning briefing in your inbox", "junk", "newsletter or subscription prompt"),
    block("Share this story", "junk", "share or social widget"),
    block("Council Raises Bridge Tolls", "title", "headline (used as the title)"),
    block("The council voted on Tuesday to raise tolls on the old bridge by a fifth."),
    block("Photo: City Archive", "junk", "photo caption or credit"),
    block(LOST, "junk", "not part of the article"),
    block("Drivers' groups said they would challenge the decision."),
    block("The council voted on Tuesday to raise tolls on the old bridge by a fifth.", "junk", "repeated text"),
    block("The new tolls start in March."),
    block("Ferry fares to rise", "junk", "related or recent news list"),
    block("School roof repaired", "junk", "related or recent news list"),
    block("Market hall reopens", "junk", "related or recent news list"),
    block("About us", "junk", "not part of the article (page footer)", "page footer"),
    block("Contact", "junk", "not part of the article (page footer)", "page footer"),
    block("Careers", "junk", "not part of the article (page footer)", "page footer"),
    block("Advertise with us", "junk", "not part of the article (page footer)", "page footer"),
    block("© 2025 The Gazette. All rights reserved.", "junk", "copyright footer"),
]


def put_blocks(db, url: str, blocks: list[dict] = BLOCKS) -> None:
    """Give the draft at ``url`` (/import/<key>) these blocks."""
    key = url.rstrip("/").rsplit("/", 1)[-1]
    draft = db.exec(select(ImportDraft).where(ImportDraft.key == key)).one()
    draft.blocks = [dict(b) for b in blocks]
    db.add(draft)
    db.commit()
