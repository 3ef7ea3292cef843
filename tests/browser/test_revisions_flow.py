"""An orphaned claim is re-attached in the browser by selecting its new words, seen beside its old
ones; words not much like them are attached only once confirmed."""

from playwright.sync_api import expect
from sqlmodel import select

from tests.helpers.browser import add_claim, select_words, sign_in
from workbench.store.db import get_session
from workbench.store.models import Claim, User


def test_reattach_an_orphan_by_selecting_new_words(page, live_server, import_text):
    article_id = import_text("Revision Headline\n\nThe old sentence about 40 million crowns.\n\nAnother line stays.")
    sign_in(page, "checker")
    page.goto(f"/articles/{article_id}")
    add_claim(page, "about 40 million crowns")
    with live_server.app.app_context():
        from workbench.services.articles import get_article
        from workbench.services.revisions import add_revision

        db = get_session()
        checker = db.exec(select(User).where(User.username == "checker")).one()
        add_revision(db, article=get_article(db, article_id), actor=checker, origin="test", max_bytes=10**6,
                     media_type="text/plain",
                     data=b"Revision Headline\n\nA rewritten line on spending of 32 million crowns.\n\nAnother line stays.")
    page.goto(f"/articles/{article_id}")
    orphans = page.locator(".orphans")
    expect(orphans.locator("blockquote").first).to_have_text("about 40 million crowns")
    # Without a selection the page says what to do.
    orphans.get_by_role("button", name="Re-attach to selection").click()
    expect(orphans.get_by_role("alert")).to_contain_text("Select the new words")
    select_words(page, "spending of 32 million crowns")
    # Old and new words side by side, before anything is sent.
    expect(orphans.locator("[data-new-words]")).to_have_text("spending of 32 million crowns")
    orphans.get_by_role("button", name="Re-attach to selection").click()
    # They are not much alike: the page asks, showing both, and nothing has changed yet.
    confirm = page.locator(".reattach-confirm")
    expect(confirm).to_contain_text("not much like")
    expect(page.locator(".orphans .reattach-sides blockquote")).to_have_text(
        ["about 40 million crowns", "spending of 32 million crowns"])
    expect(page.locator("#article-text mark")).to_have_count(0)
    confirm.get_by_role("button", name="Re-attach anyway").click()
    expect(page.locator("#article-text mark")).to_have_text(["spending of 32 million crowns"])
    expect(page.locator(".orphans")).to_have_count(0)
    with live_server.app.app_context():
        claim = get_session().exec(select(Claim)).one()
        assert (claim.exact, claim.anchor_state) == ("spending of 32 million crowns", "anchored")
