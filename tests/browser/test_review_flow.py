"""Review in real browsers: the full round trip through the queue, and a conflicting edit."""

import re

from playwright.sync_api import expect

from tests.helpers.browser import add_claim, add_source, sign_in

TEXT = "Review Headline\n\nThe council said spending on roads doubled to 40 million crowns."


def test_submit_request_changes_resubmit_approve(browser, live_server, import_text):
    article_id = import_text(TEXT)
    checker = browser.new_context(base_url=live_server.url).new_page()
    editor = browser.new_context(base_url=live_server.url).new_page()

    sign_in(checker, "checker")
    checker.goto(f"/articles/{article_id}")
    add_claim(checker, "doubled to 40 million crowns", verdict="mostly_false", rationale="The budget says 32m.")
    add_source(checker)
    checker.locator("#claim-detail").get_by_role("button", name="Submit for review").click()
    expect(checker.locator("#claim-detail .status")).to_have_text("in review")

    sign_in(editor, "editor")
    editor.get_by_role("link", name="Review queue").click()
    row = editor.locator("li.queue-row", has_text="doubled to 40 million crowns")
    expect(row).to_contain_text("Checker")
    row.get_by_text("Request changes").first.click()
    row.get_by_label("What should change").fill("Quote the budget line.")
    row.get_by_role("button", name="Request changes").click()
    expect(editor.locator("li.queue-row")).to_contain_text("Changes requested.")  # inline, no page load

    checker.goto("/articles")
    checker.get_by_role("link", name="Returned to you").click()
    expect(checker.locator(".reason")).to_contain_text("Quote the budget line.")
    checker.get_by_role("link", name="Review Headline").click()
    card = checker.locator("#claim-detail .claim-card")
    expect(card).to_contain_text("Changes requested: Quote the budget line.")
    card.get_by_text("Edit verdict, rationale and tags").click()
    card.get_by_label("Rationale").fill("The budget line reads 32 million crowns.")
    card.get_by_role("button", name="Save").click()
    expect(checker.locator("#claim-detail .rationale")).to_contain_text("32 million")
    checker.locator("#claim-detail").get_by_role("button", name="Submit for review").click()
    expect(checker.locator("#claim-detail .status")).to_have_text("in review")

    editor.goto("/review")
    editor.locator("li.queue-row", has_text="doubled to 40 million crowns").get_by_role("button", name="Approve").click()
    expect(editor.locator("li.queue-row")).to_contain_text("Approved.")
    editor.goto("/review")
    expect(editor.locator(".count")).to_have_text("0 claims waiting")
    checker.reload()
    expect(checker.locator("#claim-detail .status")).to_have_text("approved")
    expect(checker.locator("#article-text mark")).to_have_class(re.compile(r"\bs-approved\b"))


def test_second_editor_sees_the_conflict(browser, live_server, import_text):
    article_id = import_text(TEXT)
    first = browser.new_context(base_url=live_server.url).new_page()
    sign_in(first, "checker")
    first.goto(f"/articles/{article_id}")
    add_claim(first, "spending on roads", verdict="mixed", rationale="Original.")

    second = browser.new_context(base_url=live_server.url).new_page()
    sign_in(second, "editor")
    second.goto(f"/articles/{article_id}")
    second.locator("#article-text mark").click()
    card2 = second.locator("#claim-detail .claim-card")
    card2.get_by_text("Edit verdict, rationale and tags").click()

    # The first user saves a change while the second is still typing.
    first.goto(f"/articles/{article_id}")
    first.locator("#article-text mark").click()
    card1 = first.locator("#claim-detail .claim-card")
    card1.get_by_text("Edit verdict, rationale and tags").click()
    card1.get_by_label("Rationale").fill("Changed by the checker first.")
    card1.get_by_role("button", name="Save").click()
    expect(first.locator("#claim-detail .rationale")).to_contain_text("Changed by the checker first.")

    card2.get_by_label("Rationale").fill("The editor's version.")
    card2.get_by_role("button", name="Save").click()
    conflict = second.locator("#claim-detail .conflict")
    expect(conflict).to_contain_text("changed by Checker")
    expect(conflict).to_contain_text("Changed by the checker first.")   # their version
    expect(conflict).to_contain_text("The editor's version.")            # yours, not lost
    # Reapplying on purpose works: the form now carries the current version.
    second.locator("#claim-detail").get_by_role("button", name="Save").click()
    expect(second.locator("#claim-detail .rationale")).to_contain_text("The editor's version.")
