"""Annotating in a real browser: selections become claims anchored to exactly those words."""

import re

from playwright.sync_api import expect
from sqlmodel import select

from tests.helpers.browser import add_claim, sign_in
from workbench.store.db import get_session
from workbench.store.models import Claim, Revision

TEXT = ("Bridge Tolls Headline\n\n"
        "Families 👨‍👩‍👧 and flags 🇭🇰 came first; then the minister said tolls paid for the bridge twice over.\n\n"
        "Receipts reached 830 million crowns by 2024, the treasury said.")


def stored_claims(live_server):
    with live_server.app.app_context():
        db = get_session()
        rows = db.exec(select(Claim, Revision).join(Revision, Revision.id == Claim.revision_id).order_by(Claim.id)).all()
        return [(claim, revision.canonical_text) for claim, revision in rows]


def test_claim_after_emoji_is_anchored_to_the_selected_words(page, live_server, import_text):
    article_id = import_text(TEXT)
    sign_in(page, "checker")
    page.goto(f"/articles/{article_id}")
    add_claim(page, "tolls paid for the bridge twice over", tags="bridge, tolls")
    # The highlight appears at once, without a page load, on exactly those words.
    expect(page.locator("#article-text mark")).to_have_text(["tolls paid for the bridge twice over"])
    [(claim, text)] = stored_claims(live_server)
    assert text[claim.start:claim.end] == "tolls paid for the bridge twice over" == claim.exact
    assert claim.tags == ["bridge", "tolls"] and claim.verdict == "false"
    assert page.console_errors == []


def test_two_overlapping_claims_and_choosing_between_them(page, live_server, import_text):
    article_id = import_text(TEXT)
    sign_in(page, "checker")
    page.goto(f"/articles/{article_id}")
    add_claim(page, "the minister said tolls paid", verdict="mixed")
    add_claim(page, "tolls paid for the bridge", verdict="false")
    marks = page.locator("#article-text mark")
    expect(marks).to_have_text(["the minister said ", "tolls paid", " for the bridge"])
    [first, second] = [c.id for c, _ in stored_claims(live_server)]
    overlap = page.locator("#article-text mark.overlap")
    expect(overlap).to_have_attribute("data-claims", f"{first} {second}")
    overlap.click()
    chooser = page.locator("#claim-detail .pick")
    expect(chooser.get_by_role("link")).to_have_count(2)
    chooser.get_by_role("link", name="tolls paid for the bridge").click()
    expect(page.locator("#claim-detail .claim-card blockquote.quote")).to_have_text("tolls paid for the bridge")
    expect(page.locator("#article-text mark.active")).to_have_count(2)


def test_claim_across_two_paragraphs(page, live_server, import_text):
    article_id = import_text(TEXT)
    sign_in(page, "checker")
    page.goto(f"/articles/{article_id}")
    add_claim(page, "twice over.\n\nReceipts reached 830 million crowns")
    [(claim, text)] = stored_claims(live_server)
    assert text[claim.start:claim.end] == "twice over.\n\nReceipts reached 830 million crowns"
    expect(page.locator("#article-text mark")).to_have_text(["twice over.", "Receipts reached 830 million crowns"])


def test_editing_a_claim_changes_its_colour(page, live_server, import_text):
    article_id = import_text(TEXT)
    sign_in(page, "checker")
    page.goto(f"/articles/{article_id}")
    add_claim(page, "830 million crowns", verdict="false")
    expect(page.locator("#article-text mark")).to_have_class(re.compile(r"\bv-o1 s-draft\b"))
    # Reload, open the claim from its highlight, edit it.
    page.goto(f"/articles/{article_id}")
    page.locator("#article-text mark").click()
    card = page.locator("#claim-detail .claim-card")
    card.get_by_text("Edit verdict, rationale and tags").click()
    card.get_by_label("Verdict").select_option("true")
    card.get_by_label("Rationale").fill("The **treasury** figure holds.")
    card.get_by_role("button", name="Save").click()
    expect(page.locator("#claim-detail .badge")).to_have_text("True")
    expect(page.locator("#claim-detail .rationale strong")).to_have_text("treasury")
    expect(page.locator("#article-text mark")).to_have_class(re.compile(r"\bv-o5 s-draft\b"))
    [(claim, _)] = stored_claims(live_server)
    assert claim.verdict == "true" and claim.version == 2


def test_creating_a_claim_with_the_keyboard_only(page, live_server, import_text):
    article_id = import_text("Keyboard Headline\n\n😀 Emoji first. The rate rose by 40% last year.")
    sign_in(page, "checker")
    page.goto(f"/articles/{article_id}")
    page.get_by_role("button", name="Select with keyboard").focus()
    page.keyboard.press("Enter")
    # Caret at the start of the article: move past "😀 Emoji first. " then select "The rate".
    for _ in range(len("😀 Emoji first. ")):
        page.keyboard.press("ArrowRight")
    for _ in range(len("The rate")):
        page.keyboard.press("Shift+ArrowRight")
    page.keyboard.press("a")
    form = page.locator("#new-claim")
    expect(form.locator("[data-quote]")).to_have_text("The rate")
    expect(form.get_by_label("Verdict")).to_be_focused()
    page.keyboard.press("ArrowDown")  # first verdict on the scale
    page.keyboard.press("Tab")
    page.keyboard.type("Typed with the keyboard.")
    form.get_by_role("button", name="Save").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#article-text mark")).to_have_text(["The rate"])
    [(claim, text)] = stored_claims(live_server)
    assert text[claim.start:claim.end] == "The rate" and claim.rationale == "Typed with the keyboard."
    # Typing in the article never changes it.
    assert "Keyboard" not in text


def test_sources_and_comments_in_the_panel(page, live_server, import_text):
    article_id = import_text(TEXT)
    sign_in(page, "checker")
    page.goto(f"/articles/{article_id}")
    add_claim(page, "830 million crowns")
    card = page.locator("#claim-detail .claim-card")
    card.get_by_text("Add a source").click()
    card.get_by_label("URL", exact=True).fill("https://treasury.example/report-2024")
    card.get_by_label("Title", exact=True).fill("Treasury annual report")
    card.get_by_label("Stance").select_option("supports")
    card.get_by_role("button", name="Add source").click()
    expect(page.locator("#claim-detail .source a").first).to_have_text("Treasury annual report")
    page.locator("#claim-detail").get_by_role("textbox", name="Comment").fill("Looks right to me.")
    page.locator("#claim-detail").get_by_role("button", name="Add comment").click()
    expect(page.locator("#claim-detail .comment")).to_contain_text("Looks right to me.")


TITLE_JS = """([fromTitle, toWords]) => {
  // From the headline's first letter to the end of toWords in the text, as a drag across both.
  const h1 = document.querySelector('.article-head h1');
  const p = document.querySelector('#article-text p');
  const r = document.createRange();
  r.setStart(h1.firstChild, 0);
  if (toWords) r.setEnd(p.firstChild, p.firstChild.data.indexOf(toWords) + toWords.length);
  else r.setEnd(h1.firstChild, h1.firstChild.data.length);
  const s = getSelection(); s.removeAllRanges(); s.addRange(r);
  document.dispatchEvent(new Event('selectionchange'));
}"""


def test_a_selection_across_the_headline_keeps_its_words_in_the_text_and_says_so(page, import_text):
    article_id = import_text("Toll Headline\n\nTolls paid for the bridge twice over, the minister said.")
    sign_in(page, "checker")
    page.goto(f"/articles/{article_id}")
    hint = page.locator("#selection-hint")
    # The headline alone makes no claim, and the page says why.
    page.evaluate(TITLE_JS, [True, None])
    expect(hint).to_contain_text("headline")
    expect(page.get_by_role("button", name="Add claim")).to_have_count(0)
    # Dragged from the headline into the text: the words in the text make the claim.
    page.evaluate(TITLE_JS, [True, "paid for the bridge"])
    expect(hint).to_contain_text("Only the words in the article's text count")
    page.get_by_role("button", name="Add claim").click()
    expect(page.locator("#new-claim [data-quote]")).to_have_text("Tolls paid for the bridge")
