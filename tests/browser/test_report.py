"""The exported report opened from a file in Chromium with JavaScript disabled."""

import re

from playwright.sync_api import expect

from tests.http.test_exports import PAYLOAD


def test_report_works_without_javascript(browser, live_server, import_text, tmp_path):
    from workbench.articles import get_revision
    from workbench.claims import add_source, create_claim
    from workbench.db import get_session
    from workbench.models import Article, User
    from workbench.review import transition
    from workbench.schemas import ClaimFields, SourceInput
    from sqlmodel import select

    article_id = import_text("Report Headline\n\nThe council said spending doubled to 40 million crowns.")
    app = live_server.app
    with app.app_context():
        db = get_session()
        checker = db.exec(select(User).where(User.username == "checker")).one()
        editor = db.exec(select(User).where(User.username == "editor")).one()
        article = db.get(Article, article_id)
        revision = get_revision(db, article)
        start = revision.canonical_text.index("doubled to 40 million crowns")
        claim = create_claim(db, revision=revision, actor=checker, start=start, end=start + 28,
                             exact="doubled to 40 million crowns",
                             fields=ClaimFields(verdict="false", rationale=f"It rose 10%. {PAYLOAD}"))
        add_source(db, claim=claim, actor=checker, expected_version=None,
                   data=SourceInput(url="https://budget.example/2024", title=f"Budget {PAYLOAD}"))
        transition(db, claim=claim, action="submit", actor=checker)
        transition(db, claim=claim, action="approve", actor=editor)
        with app.test_request_context("/", base_url=live_server.url):
            from workbench.exports.service import build

            report = build(db, article=article, fmt="html").content
    path = tmp_path / "report.html"
    path.write_bytes(report)

    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    requests = []
    page.on("request", lambda r: requests.append(r.url))
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(path.as_uri())
    mark = page.locator(".article mark")
    expect(mark).to_have_text("doubled to 40 million crowns")
    expect(mark).to_have_class(re.compile(r"\bv-o1\b"))
    expect(page.locator(".article sup a")).to_have_text("1")
    expect(page.get_by_role("img", name="Claims by verdict")).to_be_visible()
    expect(page.locator("svg g text").first).to_have_text("False")
    expect(page.locator("article.claim .badge")).to_have_text("False")
    # The highlight is painted in the verdict's colour.
    colour = mark.evaluate("m => getComputedStyle(m).backgroundColor")
    assert colour == "rgb(249, 212, 209)"
    assert requests == [path.as_uri()] and dialogs == []
    context.close()
