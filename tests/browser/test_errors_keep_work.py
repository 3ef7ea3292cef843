"""Errors never lose work: a 413, a 422, a 409, a 500 or a dropped connection leaves the form as the
user filled it, with the message in place."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.helpers.browser import add_claim, add_source, sign_in

MB = 1024 * 1024


def test_an_upload_over_the_limit_keeps_the_form_and_says_why(page, tmp_path):
    sign_in(page, "checker")
    page.goto("/import?via=upload")
    # The limit is stated before anything is sent.
    expect(page.locator("#import-limit")).to_have_text("The limit is 5 MB, whether pasted, uploaded or fetched.")
    big = tmp_path / "big.txt"
    big.write_bytes(b"Words of a long article.\n" * (6 * MB // 25))
    page.get_by_label("Title (optional)").fill("My title")
    page.get_by_label("File").set_input_files(big)
    # Refused in the page before its upload ...
    expect(page.get_by_role("alert")).to_contain_text("larger than the limit of 5 MB")
    # ... and by the server, should the page's check be bypassed: its 413 shows in place.
    page.evaluate("""() => { const f = document.getElementById('field-file');
                             f.setCustomValidity(''); delete f.dataset.maxBytes; }""")
    page.get_by_role("button", name="Preview").click()
    expect(page.get_by_role("alert").filter(has_text="request is larger")).to_have_text(
        "The request is larger than the limit of 5 MB.")
    expect(page.get_by_label("Title (optional)")).to_have_value("My title")
    assert page.evaluate("document.getElementById('field-file').files[0].name") == "big.txt"
    expect(page.get_by_role("button", name="Preview")).to_be_enabled()


def test_a_server_error_or_a_dropped_connection_keeps_what_was_typed(page, import_text):
    article_id = import_text("Ferry Headline\n\nThe ferry carried 40 million passengers last year.")
    sign_in(page, "checker")
    page.goto(f"/articles/{article_id}")
    add_claim(page, "40 million passengers")
    comment = page.get_by_role("textbox", name="Comment")
    comment.fill("A long comment I would hate to type again.")
    comments = f"**/claims/*/comments"
    # A 500 from the server, as its error handler answers htmx.
    page.route(comments, lambda route: route.fulfill(
        status=500, headers={"X-Workbench-Error": "inline", "Content-Type": "text/html"},
        body='<p class="flash flash-error" role="alert">Something went wrong on the server; nothing was saved.</p>'))
    page.get_by_role("button", name="Add comment").click()
    expect(page.get_by_role("alert")).to_have_text("Something went wrong on the server; nothing was saved.")
    expect(comment).to_have_value("A long comment I would hate to type again.")
    # The connection drops.
    page.unroute(comments)
    page.route(comments, lambda route: route.abort("connectionreset"))
    page.get_by_role("button", name="Add comment").click()
    expect(page.get_by_role("alert")).to_contain_text("connection to the server was lost")
    expect(comment).to_have_value("A long comment I would hate to type again.")
    # It comes back: the same form sends, and the message goes.
    page.unroute(comments)
    page.get_by_role("button", name="Add comment").click()
    expect(page.locator("#claim-detail .comment")).to_have_count(1)
    expect(page.locator("[data-request-error]")).to_have_count(0)


def test_a_refused_step_and_a_refused_quote_keep_the_form(page, import_text):
    article_id = import_text("Ferry Headline\n\nThe ferry carried 40 million passengers last year.")
    sign_in(page, "checker")
    page.goto(f"/articles/{article_id}")
    # 422: submitting without a source says what is missing, the panel stays.
    add_claim(page, "40 million passengers")
    page.get_by_role("button", name="Submit for review").click()
    expect(page.locator("#claim-detail .review-actions [role=alert]")).to_contain_text("source")
    add_source(page)
    # The claim is edited in another tab meanwhile: this tab's Submit is refused as stale, the
    # message shows in the panel, and the comment typed in it meanwhile is still there.
    other = page.context.new_page()
    other.goto(page.url)
    page.get_by_role("textbox", name="Comment").fill("Typed before the refusal.")
    other.locator("#claim-list a").first.click()
    other.locator("#claim-detail details.edit-box > summary").click()
    other.locator("#claim-detail .edit-box").get_by_label("Rationale").fill("Changed in the other tab.")
    other.locator("#claim-detail .edit-box").get_by_role("button", name="Save").click()
    expect(other.locator("#claim-detail .rendered").first).to_contain_text("Changed in the other tab.")
    other.close()
    page.get_by_role("button", name="Submit for review").click()
    expect(page.locator("#claim-detail .review-actions [role=alert]")).to_contain_text("Checker")
    expect(page.get_by_role("textbox", name="Comment")).to_have_value("Typed before the refusal.")


def test_a_long_fetch_shows_progress_and_can_be_stopped(page):
    import socket

    # A server that takes the connection and never answers: the import waits on it.
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(1)
    try:
        sign_in(page, "checker")
        page.goto("/import?via=url")
        url = f"http://127.0.0.1:{silent.getsockname()[1]}/slow"
        page.get_by_label("URL").fill(url)
        page.get_by_role("button", name="Preview").click()
        progress = page.locator("#import-progress")
        expect(progress).to_be_visible()
        progress.get_by_role("button", name="Cancel").click()
        expect(page.get_by_role("status").filter(has_text="Stopped")).to_be_visible()
        expect(progress).to_be_hidden()
        expect(page.get_by_label("URL")).to_have_value(url)
        expect(page.get_by_role("button", name="Preview")).to_be_enabled()
    finally:
        silent.close()
