"""Pasting from a browser: the clipboard's HTML flavour is cleaned as a web page, unless the user picks the text."""

from playwright.sync_api import expect

from tests.helpers.browser import sign_in

ARTICLE = [
    "The harbour board approved a plan on Monday to dredge the eastern channel before the winter storms arrive.",
    "Dredging will cost 4.2 million and take eleven weeks, the board said, with work starting in September.",
    "Fishing crews had asked for the work for three years, saying silt had closed the channel at low tide.",
]
HTML = ("<html><body><nav><a href='/'>Home</a> <a href='/news'>News</a> <a href='/sport'>Sport</a></nav>"
        "<article><h1>Harbour Board Approves Channel Dredging</h1>" + "".join(f"<p>{p}</p>" for p in ARTICLE)
        + "</article><aside><h2>Elsewhere</h2><ul><li><a href='/a'>Cat rescued from crane</a></li>"
        "<li><a href='/b'>Bakery wins a national prize</a></li></ul></aside></body></html>")
# The same copy as plain text: the side list is two bare lines the line cleaner cannot tell from the article.
TEXT = "Harbour Board Approves Channel Dredging\n\n" + "\n\n".join(ARTICLE) + "\n\nCat rescued from crane"

PASTE_JS = """([html, text]) => {
  const area = document.getElementById('field-content');
  area.focus();
  const data = new DataTransfer();
  data.setData('text/html', html);
  data.setData('text/plain', text);
  area.dispatchEvent(new ClipboardEvent('paste', {clipboardData: data, bubbles: true, cancelable: true}));
  area.value = text;  // a synthetic paste inserts nothing: put the plain text in, as the browser would
}"""


def kept_blocks(page):
    page.wait_for_url("**/import/*")
    return page.locator("li.block:has(input:checked) .block-text").all_inner_texts()


def test_a_paste_with_html_is_cleaned_as_a_web_page(page):
    sign_in(page, "checker")
    page.goto("/import")
    note = page.locator("#paste-note")
    expect(note).to_be_hidden()
    page.evaluate(PASTE_JS, [HTML, TEXT])
    expect(note).to_be_visible()
    expect(note).to_contain_text("cleaned as a web page")
    page.get_by_role("button", name="Preview").click()
    kept = kept_blocks(page)
    assert kept == ARTICLE
    expect(page.get_by_label("Title", exact=True)).to_have_value("Harbour Board Approves Channel Dredging")
    assert page.console_errors == []


def test_the_user_can_use_the_plain_text_instead(page):
    sign_in(page, "checker")
    page.goto("/import")
    page.evaluate(PASTE_JS, [HTML, TEXT])
    page.get_by_role("button", name="Use the plain text instead").click()
    expect(page.locator("#paste-note")).to_be_hidden()
    assert page.locator("input[name=content_html]").input_value() == ""
    page.get_by_role("button", name="Preview").click()
    assert kept_blocks(page)[-1] == "Cat rescued from crane"


def test_editing_the_pasted_text_by_hand_drops_the_html(page):
    sign_in(page, "checker")
    page.goto("/import")
    page.evaluate(PASTE_JS, [HTML, TEXT])
    page.get_by_label("Article text or HTML").press("End")
    page.keyboard.type(" Updated.")
    expect(page.locator("#paste-note")).to_be_hidden()
    assert page.locator("input[name=content_html]").input_value() == ""
