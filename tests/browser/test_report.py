"""The exported report opened from a file in Chromium with JavaScript disabled."""

import re

from playwright.sync_api import expect

from tests.helpers.factories import PAYLOAD, make_claim


def test_report_works_without_javascript(browser, live_server, import_text, tmp_path):
    from sqlmodel import select

    from workbench.services.claims import add_source
    from workbench.services.review import transition
    from workbench.services.schemas import SourceInput
    from workbench.store.db import get_session
    from workbench.store.models import Article, User

    article_id = import_text("Report Headline\n\nThe council said spending doubled to 40 million crowns.")
    app = live_server.app
    with app.app_context():
        db = get_session()
        checker = db.exec(select(User).where(User.username == "checker")).one()
        editor = db.exec(select(User).where(User.username == "editor")).one()
        article = db.get(Article, article_id)
        claim = make_claim(db, article, checker, "doubled to 40 million crowns", verdict="false",
                           rationale=f"It rose 10%. {PAYLOAD}")
        add_source(db, claim=claim, actor=checker, expected_version=None,
                   data=SourceInput(url="https://budget.example/2024", title=f"Budget {PAYLOAD}"))
        transition(db, claim=claim, action="submit", actor=checker)
        transition(db, claim=claim, action="approve", actor=editor)
        with app.test_request_context("/", base_url=live_server.url):
            from workbench.services.exports.service import build
            from workbench.web.links import links

            report = build(db, article=article, fmt="html", links=links()).content
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
    assert colour == "rgb(246, 196, 192)"
    assert requests == [path.as_uri()] and dialogs == []
    context.close()


def test_report_served_inline_by_the_api_keeps_its_styling(browser, live_server, import_text):
    """The API serves the report under a policy of its own: its one <style> block applies, nothing else
    may (no script runs, nothing is fetched), and Chromium reports no violation."""
    from sqlmodel import select

    from workbench.services.accounts import create_token
    from workbench.store.db import get_session
    from workbench.store.models import Article, User

    article_id = import_text("Inline Headline\n\nThe council said spending doubled to 40 million crowns.")
    with live_server.app.app_context():
        db = get_session()
        checker = db.exec(select(User).where(User.username == "checker")).one()
        make_claim(db, db.get(Article, article_id), checker, "doubled", verdict="false", rationale="It rose 10%.")
        token = create_token(db, checker)

    context = browser.new_context(base_url=live_server.url, extra_http_headers={"Authorization": f"Bearer {token}"})
    # Init scripts run whatever the page's policy: they watch for violations of it.
    context.add_init_script("window.__violations = []; document.addEventListener('securitypolicyviolation',"
                            " e => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));")
    page = context.new_page()
    console = []
    page.on("console", lambda msg: console.append(msg.text))
    response = page.goto(f"/api/articles/{article_id}/export?format=html&include=all")
    assert response.status == 200 and response.headers["content-type"].startswith("text/html")
    assert "attachment" not in response.headers["content-disposition"]
    mark = page.locator(".article mark")
    expect(mark).to_have_text("doubled")
    # The verdict's colour and the report's paper, from its own stylesheet (not the browser's defaults).
    assert mark.evaluate("m => getComputedStyle(m).backgroundColor") == "rgb(246, 196, 192)"
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(251, 250, 247)"
    assert page.evaluate("window.__violations") == []
    assert not [text for text in console if "Content Security Policy" in text], console
    policy = response.headers["content-security-policy"]
    assert "script-src 'none'" in policy and "'unsafe-inline'" not in policy and "default-src 'none'" in policy
    context.close()
