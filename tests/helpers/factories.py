"""Things made through the services, as users would make them: articles, claims, and the article
the export tests share."""

from __future__ import annotations

from workbench.services.articles import get_revision
from workbench.services.claims import add_comment, add_source, create_claim
from workbench.services.imports import import_article
from workbench.services.review import transition
from workbench.services.schemas import ClaimFields, SourceInput
from workbench.store.models import Article, Claim, User

ARTICLE_TEXT = "A Headline\n\nThe first paragraph says a thing.\n\nThe second one says more."


def make_article(db, actor: User, text: str = ARTICLE_TEXT, **overrides) -> Article:
    """Import ``text`` (plain text) as ``actor``; ``overrides`` as the import form's fields."""
    return import_article(db, actor=actor, data=text.encode(), media_type="text/plain", origin="test",
                          max_bytes=5_000_000, overrides=overrides)


def make_claim(db, article: Article, actor: User, words: str, **fields) -> Claim:
    """A claim on the first place ``words`` stand in the article's current revision."""
    revision = get_revision(db, article)
    start = revision.canonical_text.index(words)
    return create_claim(db, revision=revision, actor=actor, start=start, end=start + len(words), exact=words,
                        fields=ClaimFields(**fields))


# The export tests' article: user fields carry markup that must never run.
EXPORT_TEXT = ("Bridge Tolls Headline\n\n"
               "👍 The minister said tolls paid for the bridge twice over since it opened in 2009, and that traffic "
               "more than doubled in a decade while commuters saved twenty-five minutes on every single working "
               "day.\n\n"
               "Receipts reached 830 million crowns, the treasury said.")
PAYLOAD = '<img src=x onerror="alert(1)"><script>alert(2)</script>'
LONG = ("traffic more than doubled in a decade while commuters saved twenty-five minutes on every single "
        "working day")


def make_exported(db, checker: User, editor: User) -> dict:
    """Four claims: three approved (one long, one 'misleading'), one draft; payloads in user fields.
    Returns the article's id and the claims' ids by their words."""
    article = make_article(db, checker, EXPORT_TEXT, source_url="https://gazette.example/bridge",
                           publisher="Northern Gazette", published="2025-03-14")
    made = {}
    for words, verdict, approve in [("tolls paid for the bridge twice over", "false", True),
                                    (LONG, "mostly_false", True),
                                    ("830 million crowns", "misleading", True),
                                    ("since it opened in 2009", "true", False)]:
        claim = make_claim(db, article, checker, words, verdict=verdict,
                           rationale=f"Because **{verdict}**. {PAYLOAD}", tags=["bridge", PAYLOAD])
        add_source(db, claim=claim, actor=checker, expected_version=None, data=SourceInput(
            url="https://stats.example/2024", title=f"Bulletin {PAYLOAD}", publisher="Statistics office",
            date_published="2024-03-01", archived_url="https://archive.example/2024",
            archived_date="2024-03-02T10:00:00Z", excerpt=f"Excerpt {PAYLOAD}", stance="contradicts"))
        add_comment(db, claim=claim, actor=checker, body=f"Comment {PAYLOAD}")
        if approve:
            transition(db, claim=claim, action="submit", actor=checker)
            transition(db, claim=claim, action="approve", actor=editor)
        made[words] = claim.id
    return {"article_id": article.id, "claims": made}
