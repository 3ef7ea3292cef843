"""Arabic and Hebrew paragraphs run right to left; selecting and highlighting in them works, by a
range as a script makes it and by a real mouse drag."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.helpers.browser import select_words, sign_in

ARABIC = "قال الوزير إن الرسوم دفعت ثمن الجسر مرتين منذ افتتاحه عام 2009."
HEBREW = "השר אמר שהאגרות שילמו את הגשר פעמיים מאז 2009, לדבריו."
MIXED = "The minister's words, «دفعت ثمن الجسر», were repeated in English."
TEXT = f"Bridge Headline\n\n{ARABIC}\n\n{HEBREW}\n\n{MIXED}"

RECTS_JS = """(phrase) => {
  for (const p of document.querySelectorAll('#article-text p')) {
    const node = p.firstChild, at = node.data.indexOf(phrase);
    if (at < 0) continue;
    const range = document.createRange();
    range.setStart(node, at); range.setEnd(node, at + phrase.length);
    const r = range.getBoundingClientRect();
    return {left: r.left, right: r.right, y: r.top + r.height / 2};
  }
  return null;
}"""


def save_claim(page, phrase):
    page.get_by_role("button", name="Add claim").click()
    expect(page.locator("#new-claim [data-quote]")).to_have_text(phrase)
    page.locator("#new-claim").get_by_label("Verdict").select_option("false")
    page.locator("#new-claim").get_by_role("button", name="Save").click()
    expect(page.locator("#claim-detail .claim-card blockquote.quote")).to_have_text(phrase)


def test_rtl_paragraphs_select_and_highlight(page, import_text):
    article_id = import_text(TEXT)
    sign_in(page, "checker")
    page.goto(f"/articles/{article_id}")
    paragraphs = page.locator("#article-text p")
    directions = paragraphs.evaluate_all("ps => ps.map(p => getComputedStyle(p).direction)")
    assert directions == ["rtl", "rtl", "ltr"]
    # The full stop ends the Arabic line on its left.
    stop = page.evaluate("""() => { const p = document.querySelector('#article-text p'); const r = document.createRange();
        r.setStart(p.firstChild, p.firstChild.data.length - 1); r.setEnd(p.firstChild, p.firstChild.data.length);
        const box = p.getBoundingClientRect(), dot = r.getBoundingClientRect();
        return {dot: dot.left, left: box.left, right: box.right}; }""")
    assert stop["dot"] - stop["left"] < (stop["right"] - stop["left"]) / 2

    # Arabic, selected as a range.
    select_words(page, "دفعت ثمن الجسر")
    save_claim(page, "دفعت ثمن الجسر")
    expect(paragraphs.nth(0).locator("mark")).to_have_text("دفعت ثمن الجسر")
    expect(page.locator("#claim-detail blockquote.quote")).to_have_attribute("dir", "auto")
    assert page.locator("#claim-detail blockquote.quote").evaluate("q => getComputedStyle(q).direction") == "rtl"

    # Hebrew, dragged with the mouse from its first word (on the right) to its last (on the left).
    box = page.evaluate(RECTS_JS, "שילמו את הגשר")
    page.mouse.move(box["right"] - 1, box["y"])
    page.mouse.down()
    page.mouse.move((box["left"] + box["right"]) / 2, box["y"], steps=3)
    expect(page.get_by_role("button", name="Add claim")).to_have_count(0)  # not while the drag goes on
    page.mouse.move(box["left"] + 1, box["y"], steps=3)
    page.mouse.up()
    save_claim(page, "שילמו את הגשר")
    expect(paragraphs.nth(1).locator("mark")).to_have_text("שילמו את הגשר")

    # Arabic words inside an English paragraph.
    select_words(page, "دفعت ثمن الجسر", 1)
    save_claim(page, "دفعت ثمن الجسر")
    expect(paragraphs.nth(2).locator("mark")).to_have_text("دفعت ثمن الجسر")
    marks = page.locator("#article-text mark[tabindex]")
    expect(marks).to_have_count(3)
    assert page.console_errors == []
