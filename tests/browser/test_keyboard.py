"""The whole way with the keyboard alone, as a screen reader user goes: sign in, select words, make
a claim, cite a source, submit it; an editor moves between claims with ] and [, approves, exports."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.helpers.browser import focused_name, tab_to

TEXT = ("Ferry Headline\n\nThe ferry carried 40 million passengers last year, the operator said.\n\n"
        "Fares rose twice in a decade.")


def keyboard_sign_in(page, role: str):
    from tests.helpers.apps import PASSWORDS

    page.goto("/login")
    tab_to(page, "Username")
    page.keyboard.type(role)
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORDS[role])
    page.keyboard.press("Enter")
    page.wait_for_url("**/articles")


def test_keyboard_only_from_sign_in_to_an_approved_claim_and_its_export(page, import_text):
    import_text(TEXT)
    keyboard_sign_in(page, "checker")
    tab_to(page, "Ferry Headline")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/articles/\d+$"))
    expect(page.locator("#claim-keys")).to_contain_text("next")  # the keys are shown in the page

    # Select "The ferry" with the caret: the "Add claim" button appears beside the words, and A opens the form.
    expect(page.get_by_role("button", name="Add claim")).to_have_count(0)
    tab_to(page, "Select with keyboard")
    page.keyboard.press("Enter")
    for _ in range(len("The ferry")):
        page.keyboard.press("Shift+ArrowRight")
    add = page.get_by_role("button", name="Add claim")
    expect(add).to_be_visible()
    expect(page.locator("#announcer")).to_contain_text("Add claim")
    words = page.locator("#article-text p").first.bounding_box()
    button = add.bounding_box()
    assert button["x"] >= words["x"] + words["width"], "the button covers the text"
    page.keyboard.press("a")
    expect(page.locator("#new-claim [data-quote]")).to_have_text("The ferry")
    assert focused_name(page).startswith("Verdict") or page.evaluate("document.activeElement.name") == "verdict"
    expect(page.get_by_role("button", name="Add claim")).to_have_count(0)
    page.keyboard.type("False")
    page.keyboard.press("Tab")
    page.keyboard.type("The operator's report says 31 million.")
    tab_to(page, "Save")
    page.keyboard.press("Enter")

    # Saved: the focus is on the saved claim, and the news is announced.
    card = page.locator("#claim-detail .claim-card")
    expect(card.locator("blockquote.quote")).to_have_text("The ferry")
    claim_id = card.get_attribute("data-claim")
    expect(page.locator("#announcer")).to_have_text(f"Claim {claim_id} saved.")
    assert focused_name(page) == f"Claim {claim_id}"
    mark = page.locator("#article-text mark[tabindex]")
    expect(mark).to_have_attribute("aria-label", f"Claim {claim_id}: False, draft — ‘The ferry’")

    tab_to(page, "Add a source")
    page.keyboard.press("Enter")
    tab_to(page, "URL")
    page.keyboard.type("https://ferry.example/annual-report")
    page.keyboard.press("Tab")
    page.keyboard.type("Annual report")
    page.keyboard.press("Enter")
    expect(page.locator("#claim-detail .source")).to_have_count(1)
    tab_to(page, "Submit for review", backwards=True)
    page.keyboard.press("Enter")
    expect(page.locator("#claim-detail .status")).to_have_text("in review")

    tab_to(page, "Sign out")
    page.keyboard.press("Enter")
    page.wait_for_url("**/login")
    keyboard_sign_in(page, "editor")
    tab_to(page, "Ferry Headline")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/articles/\d+$"))
    # ] goes to the claim, named for a screen reader; Enter opens it; Escape comes back to it.
    page.keyboard.press("]")
    assert focused_name(page) == f"Claim {claim_id}: False, in review — ‘The ferry’"
    page.keyboard.press("Enter")
    expect(card.locator(".status")).to_have_text("in review")
    expect(page.locator(f"#claim-title-{claim_id}")).to_be_focused()
    page.keyboard.press("Escape")
    assert focused_name(page).startswith(f"Claim {claim_id}: False")
    page.keyboard.press("Enter")
    expect(page.locator(f"#claim-title-{claim_id}")).to_be_focused()
    tab_to(page, "Approve")
    page.keyboard.press("Enter")
    expect(card.locator(".status")).to_have_text("approved")

    tab_to(page, "Format")
    page.keyboard.type("HTML")
    tab_to(page, "Build export")
    page.keyboard.press("Enter")
    link = page.locator("#export-result a[download]")
    expect(link).to_be_visible()
    tab_to(page, "Download")
    with page.expect_download() as download:
        page.keyboard.press("Enter")
    report = download.value.path().read_text()
    assert "The ferry" in report and "False" in report
    assert page.console_errors == []
