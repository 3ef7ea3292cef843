"""Every page and panel state through axe-core in Chromium: no serious or critical violation."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.helpers.axe import blocking_violations
from tests.helpers.browser import select_words, sign_in


def demo_ids(server):
    from sqlmodel import select

    from workbench.store.db import get_session
    from workbench.store.models import Claim

    with server.app.app_context():
        found = get_session().exec(select(Claim)).all()
        return server.app.config["DEMO_ARTICLE_ID"], {c.exact: c.id for c in found}, \
            {c.status: c.id for c in found if not c.deleted}, [c.id for c in found if c.deleted]


def test_axe_finds_nothing_serious_on_any_page_or_panel_state(demo_page, demo_server):
    page = demo_page
    article_id, by_words, by_status, withdrawn = demo_ids(demo_server)
    found = []

    def check(state):
        found.extend(blocking_violations(page, state))

    page.goto("/login")
    check("sign-in")
    sign_in(page, "editor")
    check("articles")
    page.goto(f"/articles/{article_id}")
    check("article with claims, orphan and withdrawn")
    page.locator("#article-text mark[tabindex]").first.click()
    expect(page.locator("#claim-detail .claim-card")).to_be_visible()
    check("claim open")
    page.locator("#claim-detail details.edit-box > summary").click()
    page.locator("#claim-detail details.add-source > summary").click()
    page.locator("#claim-detail details.history > summary").click()
    check("claim edit, source and history open")
    select_words(page, "regional assembly")
    expect(page.get_by_role("button", name="Add claim")).to_be_visible()
    check("words selected")
    page.get_by_role("button", name="Add claim").click()
    check("new claim form")
    page.goto(f"/articles/{article_id}")
    select_words(page, "regional assembly")
    page.get_by_role("button", name="Re-attach to selection").click()
    expect(page.locator(".reattach-confirm")).to_be_visible()
    check("re-attach confirmation, old and new words side by side")
    page.goto(f"/articles/{article_id}?claim={by_status['in_review']}")
    check("claim in review (approve, request changes)")
    for url, state in [("/review", "review queue"), (f"/claims/{by_status['approved']}/history", "claim history"),
                       (f"/articles/{article_id}/diff", "revision differences"),
                       (f"/articles/{article_id}/revisions/2/report", "re-anchoring report"),
                       (f"/articles/{article_id}?revision=1", "an earlier revision"),
                       (f"/claims/{withdrawn[0]}", "withdrawn claim (410)"), ("/nothing-here", "not found"),
                       ("/import", "import: paste"), ("/import?via=upload", "import: upload"),
                       ("/import?via=url", "import: url")]:
        page.goto(url)
        check(state)
    page.get_by_label("URL").fill("not a url")
    page.get_by_role("button", name="Preview").click()
    check("import error")
    page.goto("/import")
    page.get_by_label("Article text or HTML").fill("A Title\n\nShare this article\n\nThe words of the article itself.")
    page.get_by_role("button", name="Preview").click()
    expect(page.get_by_role("button", name="Save", exact=True)).to_be_visible()
    check("import preview")
    page.context.clear_cookies()
    sign_in(page, "checker")
    page.goto("/my/claims")
    check("returned to you")
    page.context.clear_cookies()
    sign_in(page, "admin")
    for url, state in [("/admin/users", "users"), ("/admin/settings", "settings")]:
        page.goto(url)
        check(state)
    assert found == [], "\n".join(found)
    assert [e for e in page.console_errors if not e.startswith("Failed to load resource")] == []
