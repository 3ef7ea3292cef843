"""A checker finds a sentence the cleaner dropped and keeps its run with one click, or the keyboard."""

from playwright.sync_api import expect
from sqlmodel import Session

from tests.helpers.browser import sign_in
from tests.helpers.rescue_page import BLOCKS, LOST, put_blocks


def words(indexes):
    return sum(len(BLOCKS[i]["text"].split()) for i in indexes)


KEPT = [i for i, b in enumerate(BLOCKS) if b["kept"]]


def open_preview(page, live_server):
    from workbench.store.db import get_engine

    sign_in(page, "checker")
    page.goto("/import")
    page.get_by_label("Article text or HTML").fill("Placeholder\n\nSome text of the story.")
    page.get_by_role("button", name="Preview").click()
    page.wait_for_url("**/import/*")
    with Session(get_engine(live_server.app)) as db:
        put_blocks(db, page.url)
    page.reload()


def test_keep_a_run_with_one_click_and_with_the_keyboard(page, live_server):
    open_preview(page, live_server)
    kept_words = page.locator('[data-count="kept-words"]')
    dropped_words = page.locator('[data-count="dropped-words"]')
    all_words = words(range(len(BLOCKS)))
    expect(kept_words).to_have_text(str(words(KEPT)))
    expect(dropped_words).to_have_text(str(all_words - words(KEPT)))

    # The lost sentence sits, dropped, between the paragraphs it belongs with.
    run = page.locator("li.run", has_text=LOST)
    expect(run.locator("li.block", has_text=LOST)).to_contain_text("not in the article the extractor found")
    url = page.url
    run.get_by_role("button", name="Keep these 2 blocks").click()
    expect(run.get_by_role("checkbox")).to_have_count(2)
    for box in run.get_by_role("checkbox").all():
        expect(box).to_be_checked()
    expect(kept_words).to_have_text(str(words(KEPT + [7, 8])))
    expect(page.locator('[data-count="kept-blocks"]')).to_have_text("5")
    assert page.url == url  # no round trip
    # The same button drops them again, and keeps them again.
    toggle = run.get_by_role("button", name="Drop these 2 blocks again")
    toggle.click()
    expect(kept_words).to_have_text(str(words(KEPT)))
    run.get_by_role("button", name="Keep these 2 blocks").click()

    # By keyboard: the related list under the article, reached with Tab, kept with Enter.
    related = page.locator("li.run", has_text="Ferry fares to rise")
    button = related.get_by_role("button", name="Keep these 3 blocks")
    run.get_by_role("button").focus()
    for _ in range(40):
        page.keyboard.press("Tab")
        if button.evaluate("b => b === document.activeElement"):
            break
    assert button.evaluate("b => b.matches(':focus-visible')")
    page.keyboard.press("Enter")
    expect(related.get_by_role("button", name="Drop these 3 blocks again")).to_be_focused()
    expect(kept_words).to_have_text(str(words(KEPT + [7, 8, 12, 13, 14])))
    expect(dropped_words).to_have_text(str(all_words - words(KEPT + [7, 8, 12, 13, 14])))

    page.get_by_role("button", name="Save").click()
    page.wait_for_url("**/articles/*")
    paragraphs = page.locator("article p").all_inner_texts()
    assert paragraphs == [BLOCKS[i]["text"] for i in sorted(KEPT + [7, 8, 12, 13, 14])]
    assert LOST in paragraphs
    assert page.console_errors == []


def test_far_junk_is_folded_and_opens(page, live_server):
    open_preview(page, live_server)
    head = page.locator("li.run").first
    expect(head.locator(".run-title")).to_have_text("2 blocks dropped above the article")
    expect(head.locator("li.block").first).to_be_hidden()
    head.locator("summary.run-summary").click()
    expect(head.locator("li.block").first).to_be_visible()
    assert page.console_errors == []
