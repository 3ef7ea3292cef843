"""API tokens in a real browser: made on the Tokens page, copied once, used by an API call over HTTP,
revoked, and refused from then on."""

import json
import urllib.error
import urllib.request

from playwright.sync_api import expect

from tests.helpers.browser import sign_in


def _api_get(base_url: str, token: str, path: str = "/api/articles") -> int:
    request = urllib.request.Request(base_url + path, headers={"Authorization": f"Bearer {token}"})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            json.loads(response.read())
            return response.status
    except urllib.error.HTTPError as err:
        err.close()
        return err.code


def test_token_lifecycle(browser, live_server):
    context = browser.new_context(base_url=live_server.url)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda err: errors.append(str(err)))
    sign_in(page, "checker")
    page.get_by_role("link", name="API tokens").click()
    expect(page.get_by_role("heading", name="API tokens", level=1)).to_be_visible()
    page.get_by_label("Name").fill("CMS import")
    page.get_by_role("button", name="Create token").click()

    # Shown once, and the Copy button puts exactly that on the clipboard.
    shown = page.get_by_label("New token")
    expect(shown).to_be_visible()
    token = shown.input_value()
    assert token.startswith("wbt_")
    page.get_by_role("button", name="Copy token").click()
    expect(page.get_by_text("Copied.")).to_be_visible()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == token
    row = page.get_by_role("row", name="CMS import")
    expect(row).to_contain_text("Never")

    # The copied token works against the API, and the page shows it was used.
    assert _api_get(live_server.url, copied) == 200
    page.reload()
    expect(page.get_by_label("New token")).to_have_count(0)  # not shown again
    assert token not in page.content()
    expect(page.get_by_role("row", name="CMS import")).not_to_contain_text("Never")

    page.get_by_role("button", name="Revoke token CMS import").click()
    expect(page.get_by_role("status").filter(has_text="is revoked")).to_be_visible()  # in place, by htmx
    expect(page.get_by_role("row", name="CMS import")).to_contain_text("Revoked")
    assert _api_get(live_server.url, copied) == 401
    assert errors == []
    context.close()
