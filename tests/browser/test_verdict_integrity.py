"""An approved claim whose words a correction changed is no longer published as approved: the
report says why, the queue flags it, and approving it again publishes the new words."""

import re

from bs4 import BeautifulSoup
from playwright.sync_api import expect

from tests.helpers.browser import add_claim, add_source, sign_in

TEXT = "Toll Headline\n\nThe council said the tolls raised 412 million crowns last year.\n\nTraffic stayed flat."
CORRECTED = TEXT.replace("412 million", "420 million")


def report_claims(page, article_id) -> tuple[list[str], str]:
    """Build the approved-only HTML report in the Export panel and read it: (claim quotes, corrections)."""
    page.goto(f"/articles/{article_id}")
    page.get_by_label("Format").select_option("html")
    page.get_by_role("button", name="Build export").click()
    link = page.locator("#export-result a")
    expect(link).to_be_visible()
    report = page.request.get(link.get_attribute("href"))
    assert report.ok
    html = BeautifulSoup(report.text(), "html.parser")
    return [q.text for q in html.select("article.claim blockquote")], html.select_one("#corrections").text


def test_a_correction_takes_the_approval_away_until_approved_again(browser, live_server, import_text):
    article_id = import_text(TEXT)
    checker = browser.new_context(base_url=live_server.url).new_page()
    editor = browser.new_context(base_url=live_server.url).new_page()

    sign_in(checker, "checker")
    checker.goto(f"/articles/{article_id}")
    add_claim(checker, "tolls raised 412 million crowns", verdict="true", rationale="The accounts say 412m.")
    add_source(checker)
    checker.locator("#claim-detail").get_by_role("button", name="Submit for review").click()
    expect(checker.locator("#claim-detail .status")).to_have_text("in review")

    sign_in(editor, "editor")
    editor.goto("/review")
    editor.locator("li.queue-row", has_text="412 million").get_by_role("button", name="Approve").click()
    expect(editor.locator("li.queue-row")).to_contain_text("Approved.")
    quotes, _ = report_claims(editor, article_id)
    assert quotes == ["tolls raised 412 million crowns"]

    # The article is corrected: a new revision pasted through the import preview.
    checker.goto(f"/import?article={article_id}")
    checker.get_by_label("Article text or HTML").fill(CORRECTED)
    checker.get_by_role("button", name="Preview").click()
    checker.get_by_role("button", name="Save").click()
    expect(checker.get_by_text("changed", exact=False).first).to_be_visible()

    quotes, corrections = report_claims(editor, article_id)
    assert quotes == []  # no longer published as approved
    assert "Approval withdrawn" in corrections and "420 million" in corrections and "revision 2" in corrections

    editor.goto("/review")
    row = editor.locator("li.queue-row", has_text="420 million")
    expect(row.locator(".badge-re-review")).to_have_text("Re-review")
    expect(row.locator(".re-review-reason")).to_contain_text("412 million")
    row.get_by_role("button", name="Approve").click()
    expect(editor.locator("li.queue-row")).to_contain_text("Approved.")

    quotes, corrections = report_claims(editor, article_id)
    assert quotes == ["tolls raised 420 million crowns"]
    assert re.search(r"New revision\.\s+Revision 2", corrections)
