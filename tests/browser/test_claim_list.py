"""A long article's claim list in the browser: searched and paged in place, the address kept in step,
and the keys that move between claims reaching every claim in the text whatever page the list shows."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.helpers.browser import sign_in

CLAIMS = 130


def busy_article(live_server, import_text) -> int:
    from sqlmodel import select

    from workbench.services.articles import get_article, get_revision
    from workbench.services.claims import create_claim
    from workbench.services.schemas import ClaimFields
    from workbench.store.db import get_session
    from workbench.store.models import User

    text = "Council Minutes\n\n" + "\n\n".join(" ".join(f"item{n}" for n in range(p * 10, p * 10 + 10))
                                              for p in range(CLAIMS // 10))
    article_id = import_text(text)
    with live_server.app.app_context():
        db = get_session()
        checker = db.exec(select(User).where(User.username == "checker")).one()
        revision = get_revision(db, get_article(db, article_id))
        for n in range(CLAIMS):
            start = re.search(rf"\bitem{n}\b", revision.canonical_text).start()
            create_claim(db, revision=revision, actor=checker, start=start, end=start + len(f"item{n}"),
                         exact=f"item{n}", fields=ClaimFields(verdict="false" if n % 2 else "true"))
    return article_id


def quotes(page) -> list[str]:
    return [q.strip("“” ") for q in page.locator("#claim-list .claim-quote").all_inner_texts()]


def test_search_and_pages_swap_the_list_and_keep_the_address(page, live_server, import_text):
    article_id = busy_article(live_server, import_text)
    sign_in(page, "viewer")
    page.goto(f"/articles/{article_id}")
    position = page.locator("#claims-position")
    expect(position).to_have_text("Claims 1–100 of 130")
    expect(page.locator("#article-text mark[tabindex]")).to_have_count(CLAIMS)

    page.get_by_role("link", name="Next 30 →").click()
    expect(position).to_have_text("Claims 101–130 of 130")
    assert page.url.endswith(f"/articles/{article_id}?page=2")
    assert quotes(page)[0] == "item100"

    page.get_by_label("Search claims").fill("item12")
    page.get_by_label("Verdict").select_option(label="False")
    page.get_by_role("button", name="Filter").click()
    expect(position).to_have_text(re.compile(r"Claims 1–5 of 5 found \(130 in all\)"))
    assert quotes(page) == ["item121", "item123", "item125", "item127", "item129"]
    assert "q=item12" in page.url and "verdict=false" in page.url and "page=" not in page.url

    # The browser's Back button returns to the list as it was, and a reload shows the same.
    page.go_back()
    expect(position).to_have_text("Claims 101–130 of 130")
    page.reload()
    expect(position).to_have_text("Claims 101–130 of 130")
    assert not page.console_errors


def test_the_keys_reach_claims_beyond_the_listed_page(page, live_server, import_text):
    article_id = busy_article(live_server, import_text)
    sign_in(page, "viewer")
    page.goto(f"/articles/{article_id}")
    last = page.locator("#article-text mark[tabindex]").last
    last.focus()
    expect(last).to_be_focused()
    page.keyboard.press("[")
    expect(page.locator("#article-text mark[tabindex]").nth(CLAIMS - 2)).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#claim-detail blockquote.quote")).to_have_text("item128")
    assert not page.console_errors
