"""The export pipeline: one loaded value, and presenters that are functions of it alone."""

import pytest
from sqlalchemy import event

from workbench.services.articles import get_article, get_revision
from workbench.services.exports import data as export_data
from workbench.services.exports.service import FORMATS, build
from workbench.services.schemas import ClaimFields
from workbench.store.db import get_engine, get_session
from workbench.store.models import Claim, User
from workbench.web.links import links


def loaded(app, article_id, fmt, include):
    """What build() makes of the article, and the value its presenter gets, with the IRIs of a request."""
    with app.test_request_context("/", base_url="https://desk.example"):
        db = get_session()
        article = get_article(db, article_id)
        made = build(db, article=article, fmt=fmt, include=include, links=links())
        data = export_data.load(db, article=article, revision=get_revision(db, article), include=include,
                                config=app.config, links=links(), reads=FORMATS[fmt].reads)
    return made, data


@pytest.mark.parametrize("include", ["approved", "all"])
@pytest.mark.parametrize("fmt", ["md", "csv", "claimreview", "jsonld", "html"])
def test_presenters_need_neither_request_nor_database(app, exported, fmt, include):  # noqa: F811
    made, data = loaded(app, exported["article_id"], fmt, include)
    statements = []
    event.listen(get_engine(app), "before_cursor_execute", lambda *args: statements.append(args[2]))
    if fmt == "html":
        # A template of the app's renders it: the application, but no request (url_for would fail).
        with app.app_context():
            content = FORMATS[fmt].present(data)
        # Nothing but the time of making differs.
        assert _without_time(content) == _without_time(made.content)
    else:
        content = FORMATS[fmt].present(data)
        assert content == made.content
    assert statements == []
    assert (b"https://desk.example/" in content) == (fmt not in ("csv", "md"))


def test_addresses_are_data(app, exported):  # noqa: F811
    _, data = loaded(app, exported["article_id"], "html", "all")
    assert data.article_url == f"https://desk.example/articles/{exported['article_id']}"
    assert data.collection_url == (f"https://desk.example/api/articles/{exported['article_id']}/export"
                                   "?format=jsonld&include=all")
    assert [item.page_url for item in data.claims] == [
        f"https://desk.example/articles/{exported['article_id']}?claim={item.claim.id}" for item in data.claims]


def _without_time(report: bytes) -> bytes:
    start = report.index(b"Report generated ")
    return report[:start] + report[report.index(b".</p>", start):]


def test_w3c_export_is_kept_until_a_claim_changes(app, exported):  # noqa: F811
    from workbench.memo import forget_everything
    from workbench.services.claims import update_claim

    forget_everything()
    statements = []
    event.listen(get_engine(app), "before_cursor_execute", lambda *args: statements.append(args[2]))
    first, _ = loaded(app, exported["article_id"], "jsonld", "all")
    made_count = len(statements)
    statements.clear()
    again, _ = loaded(app, exported["article_id"], "jsonld", "all")
    # The second build (without the test's own load) read the stamps and related rows only.
    assert again.content == first.content
    assert len(statements) < made_count
    with app.app_context():
        db = get_session()
        claim_id = exported["claims"]["since it opened in 2009"]
        claim = db.get(Claim, claim_id)
        update_claim(db, claim=claim, actor=db.get(User, claim.creator_id), expected_version=claim.version,
                     fields=ClaimFields(verdict=claim.verdict, rationale="Changed.", tags=claim.tags))
    changed, _ = loaded(app, exported["article_id"], "jsonld", "all")
    assert b"Changed." in changed.content and changed.content != first.content
