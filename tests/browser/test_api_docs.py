"""The API docs page in Chromium: the vendored Swagger UI shows every operation of the description
under the app's own Content-Security-Policy, with nothing refused and nothing fetched elsewhere."""

from __future__ import annotations

from playwright.sync_api import expect


def test_docs_page_lists_the_operations_without_a_policy_violation(browser, live_server):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    # Init scripts run whatever the page's policy: they watch for violations of it.
    context.add_init_script("window.__violations = []; document.addEventListener('securitypolicyviolation',"
                            " e => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));")
    page = context.new_page()
    console, requested = [], []
    page.on("console", lambda msg: console.append(msg.text))
    page.on("pageerror", lambda err: console.append(str(err)))
    page.on("request", lambda request: requested.append(request.url))
    response = page.goto("/api/docs")
    assert response.status == 200
    assert "'unsafe-inline'" not in response.headers["content-security-policy"]

    description = page.request.get("/api/openapi.json").json()
    expect(page.locator(".opblock")).to_have_count(sum(len(ops) for ops in description["paths"].values()))
    listed = page.locator(".opblock-summary-path")
    expect(listed.filter(has_text="/api/articles/{article_id}/annotations/").first).to_be_visible()
    article = page.locator(".opblock-get", has=page.locator("[data-path='/api/articles/{article_id}']"))
    expect(article.locator(".opblock-summary-description")).to_have_text(
        description["paths"]["/api/articles/{article_id}"]["get"]["summary"])

    # An operation opens with its parameters and the responses the description names.
    article.locator(".opblock-summary").click()
    expect(article.locator(".parameters .parameter__name").first).to_contain_text("article_id")
    expect(article.locator(".responses-table .response-col_status", has_text="404")).to_be_visible()

    assert page.evaluate("window.__violations") == []
    assert not [text for text in console if "Content Security Policy" in text or "Refused" in text], console
    assert all(url.startswith(live_server.url) for url in requested), requested
    context.close()
