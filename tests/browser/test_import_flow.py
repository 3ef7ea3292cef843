"""A checker imports the messy sample in the browser and reads it cleaned."""

from playwright.sync_api import expect

from tests.helpers.apps import shared_path
from tests.helpers.browser import sign_in


def test_paste_preview_save_and_read(page):
    raw = shared_path("samples", "hk-trafficking-response.txt").read_text(encoding="utf-8")
    sign_in(page, "checker")
    assert page.evaluate("window.htmx && htmx.version").startswith("4.0")

    page.get_by_role("link", name="Import", exact=True).click()
    page.get_by_label("Article text or HTML").fill(raw)
    page.get_by_role("button", name="Preview").click()

    # The preview lists every block; the junk is dropped, the body kept.
    page.wait_for_url("**/import/*")
    expect(page.get_by_label("Title", exact=True)).to_have_value("US Report On Human Trafficking In Hong Kong 'biased'")
    expect(page.get_by_label("Published", exact=True)).to_have_value("2022-07-20")
    kept = page.locator("li.block:has(input:checked) .block-text").all_inner_texts()
    dropped = page.locator("li.block:not(:has(input:checked)) .block-text").all_inner_texts()
    assert kept[0].startswith("The government on Wednesday objected") and kept[-1].endswith("it added.")
    assert "Share this story" in dropped and "RECENT NEWS" in dropped and "facebook" in dropped

    # Flip one dropped block back in, by its checkbox, then flip it out again.
    share = page.locator("li.block", has_text="Share this story").get_by_role("checkbox")
    share.check()
    expect(page.locator("li.block", has_text="Share this story").locator(".when-kept")).to_be_visible()
    share.uncheck()

    page.get_by_role("button", name="Save").click()
    page.wait_for_url("**/articles/*")
    expect(page.get_by_role("heading", level=1)).to_have_text("US Report On Human Trafficking In Hong Kong 'biased'")
    text = page.locator("article").inner_text()
    assert text.strip().startswith("The government on Wednesday objected")
    assert text.strip().endswith("it added.")
    for junk in ["jQuery", "Share this story", "facebook", "File photo", "RECENT NEWS", "Read more"]:
        assert junk not in text
    assert page.console_errors == []


def test_import_shows_progress_and_errors_inline(page):
    sign_in(page, "checker")
    page.goto("/import?via=url")
    page.get_by_label("URL").fill("http://127.0.0.1:9/nothing-listens-here")
    page.get_by_role("button", name="Preview").click()
    # htmx swaps the form with the error in place; the typed URL is still there.
    expect(page.get_by_role("alert")).to_contain_text("Could not fetch")
    expect(page.get_by_label("URL")).to_have_value("http://127.0.0.1:9/nothing-listens-here")
    assert page.url.endswith("/import?via=url")
