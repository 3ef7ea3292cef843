"""Real Chromium from tests: signing in, selecting words as a mouse would, adding claims and sources."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.helpers.apps import PASSWORDS


def sign_in(page, role: str):
    page.goto("/login")
    page.get_by_label("Username").fill(role)
    page.get_by_label("Password").fill(PASSWORDS[role])
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/articles")


SELECT_JS = """([phrase, occurrence]) => {
  // Select the words as a mouse drag would: a DOM range over the article's text nodes.
  const root = document.getElementById('article-text');
  const text = Array.from(root.querySelectorAll('p[data-offset]')).map(p => p.textContent).join('\\n\\n');
  let at = -1;
  for (let i = 0; i <= occurrence; i++) at = text.indexOf(phrase, at + 1);
  if (at < 0) return false;
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  const ps = Array.from(root.querySelectorAll('p[data-offset]'));
  function point(offset) {   // offset in UTF-16 units of the joined text
    let base = 0;
    for (const p of ps) {
      const len = p.textContent.length;
      if (offset <= base + len) {
        let rest = offset - base;
        const w = document.createTreeWalker(p, NodeFilter.SHOW_TEXT);
        let n;
        while ((n = w.nextNode())) { if (rest <= n.data.length) return [n, rest]; rest -= n.data.length; }
      }
      base += len + 2;
    }
  }
  const [sn, so] = point(at), [en, eo] = point(at + phrase.length);
  const r = document.createRange(); r.setStart(sn, so); r.setEnd(en, eo);
  const s = getSelection(); s.removeAllRanges(); s.addRange(r);
  document.dispatchEvent(new Event('selectionchange'));
  return true;
}"""


def select_words(page, phrase: str, occurrence: int = 0):
    assert page.evaluate(SELECT_JS, [phrase, occurrence]), phrase


def add_claim(page, phrase, *, occurrence=0, verdict="false", rationale="Checked.", tags=""):
    select_words(page, phrase, occurrence)
    page.get_by_role("button", name="Add claim").click()
    form = page.locator("#new-claim")
    expect(form.locator("[data-quote]")).to_have_text(phrase)
    form.get_by_label("Verdict").select_option(verdict)
    form.get_by_label("Rationale").fill(rationale)
    form.get_by_label("Tags").fill(tags)
    form.get_by_role("button", name="Save").click()
    expect(page.locator("#claim-detail .claim-card blockquote.quote")).to_have_text(phrase)


def add_source(page, url="https://budget.example/roads"):
    card = page.locator("#claim-detail .claim-card")
    card.get_by_text("Add a source").click()
    card.get_by_label("URL", exact=True).fill(url)
    card.get_by_label("Title", exact=True).fill("Council budget")
    card.get_by_role("button", name="Add source").click()
    expect(page.locator("#claim-detail .source")).to_have_count(1)


FOCUSED_JS = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return "";
  const label = el.getAttribute("aria-label") || (el.labels && el.labels[0] && el.labels[0].textContent)
    || el.textContent || el.value || "";
  return label.replace(/\\s+/g, " ").trim();
}"""


def focused_name(page) -> str:
    """The accessible name (near enough: aria-label, label, text) of the element holding the focus."""
    return page.evaluate(FOCUSED_JS)


def tab_to(page, name: str, *, limit: int = 120, backwards: bool = False) -> None:
    """Press Tab (Shift+Tab backwards) until the focus is on an element whose name starts with ``name``."""
    key = "Shift+Tab" if backwards else "Tab"
    for _ in range(limit):
        page.keyboard.press(key)
        if focused_name(page).startswith(name):
            return
    raise AssertionError(f"{name!r} never took the focus in {limit} presses of {key}")
