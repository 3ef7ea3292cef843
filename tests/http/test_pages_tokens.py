"""The Tokens page: made with a name and shown once, listed with created and last-used times,
revoked; a read-only token refused every write; an admin sees and revokes everyone's."""

from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup

from tests.helpers.api import ApiClient, assert_api_error
from tests.helpers.pages import AuthActions

HTMX = {"HX-Request": "true"}


def _create(auth, name="CMS import", access="write", **kwargs):
    return auth.post("/tokens", data={"name": name, "access": access}, **kwargs)


def _shown_token(response) -> str:
    field = BeautifulSoup(response.text, "html.parser").find("input", id="new-token")
    assert field is not None, "no new token shown"
    return field["value"]


def _rows(html: str) -> list[dict]:
    table = BeautifulSoup(html, "html.parser").find("table")
    heads = [th.get_text(strip=True) for th in table.find("thead").find_all("th")]
    return [dict(zip(heads, (td.get_text(" ", strip=True) for td in tr.find_all("td"))))
            for tr in table.find("tbody").find_all("tr") if len(tr.find_all("td")) > 1]


def _revoke_url(html: str, name: str) -> str:
    button = BeautifulSoup(html, "html.parser").find("button", attrs={"aria-label": f"Revoke token {name}"})
    return button.find_parent("form")["action"]


def test_a_viewer_makes_a_token_sees_it_once_and_uses_it(client, auth):
    auth.login_as("viewer")
    made = _create(auth)
    assert made.status_code == 201 and made.headers["Cache-Control"] == "no-store"
    token = _shown_token(made)
    assert token.startswith("wbt_")
    # Shown once: the page afterwards lists it by its first characters, never the whole token.
    page = client.get("/tokens")
    assert token not in page.text and token[:10] in page.text
    [row] = _rows(page.text)
    assert row["Name"] == "CMS import" and row["Access"] == "Read and write" and row["Last used"] == "Never"
    assert ApiClient(client, token).get("/api/articles").status_code == 200
    [row] = _rows(client.get("/tokens").text)
    assert row["Last used"] != "Never" and row["Created"]


def test_a_token_needs_a_name_and_says_so(client, auth):
    auth.login_as("checker")
    refused = _create(auth, name="   ")
    assert refused.status_code == 422 and "Give the token a name" in refused.text
    assert BeautifulSoup(refused.text, "html.parser").find("input", id="new-token") is None
    long = _create(auth, name="x" * 201)
    assert long.status_code == 422 and "at most 200 characters" in long.text
    assert _rows(client.get("/tokens").text) == []


def test_a_read_only_token_reads_and_is_refused_every_write(client, auth):
    auth.login_as("checker")
    token = _shown_token(_create(auth, name="Archive reader", access="read"))
    api = ApiClient(client, token)
    assert api.get("/api/articles").status_code == 200
    error = assert_api_error(api.post("/api/articles", json={"text": "Headline\n\nWords."}), 403, "read_only_token")
    assert "read-only" in error["message"]
    assert_api_error(api.post("/api/articles/1/annotations/", json={}), 403, "read_only_token")
    assert _rows(client.get("/tokens").text)[0]["Access"] == "Read-only"
    # The same user's write token still writes: the scope is the token's, not the user's.
    writer = ApiClient(client, _shown_token(_create(auth, name="Importer")))
    assert writer.post("/api/articles", json={"text": "Headline\n\nWords here."}).status_code == 201


@pytest.mark.parametrize("htmx", [False, True], ids=["plain_post", "htmx"])
def test_a_revoked_token_is_refused_at_once(client, auth, htmx):
    auth.login_as("checker")
    token = _shown_token(_create(auth))
    api = ApiClient(client, token)
    assert api.get("/api/articles").status_code == 200
    revoked = auth.post(_revoke_url(client.get("/tokens").text, "CMS import"), headers=HTMX if htmx else {})
    if htmx:  # the list is swapped in place, with the message
        assert revoked.status_code == 200 and revoked.text.lstrip().startswith('<div id="tokens">')
        assert "is revoked" in revoked.text
    else:
        assert revoked.status_code == 302 and revoked.headers["Location"].endswith("/tokens")
    assert_api_error(api.get("/api/articles"), 401)
    [row] = _rows(client.get("/tokens").text)
    assert row["State"].startswith("Revoked")


def _signed_in(app, role: str):
    client = app.test_client()
    auth = AuthActions(client)
    auth.login_as(role)
    return client, auth


def test_users_see_and_revoke_only_their_own_tokens_and_admins_all(app, users):
    checker, checker_auth = _signed_in(app, "checker")
    checker_token = _shown_token(_create(checker_auth, name="Checker's"))
    checker_page = checker.get("/tokens").text
    editor, editor_auth = _signed_in(app, "editor")
    _create(editor_auth, name="Editor's")
    assert [row["Name"] for row in _rows(editor.get("/tokens").text)] == ["Editor's"]
    # The checker's token is not the editor's to revoke, nor to know of.
    assert editor_auth.post(_revoke_url(checker_page, "Checker's")).status_code == 404
    assert ApiClient(editor, checker_token).get("/api/articles").status_code == 200
    admin, admin_auth = _signed_in(app, "admin")
    admin_page = admin.get("/tokens").text
    assert {(row["Name"], row["User"]) for row in _rows(admin_page)} == {("Checker's", "checker"),
                                                                           ("Editor's", "editor")}
    assert admin_auth.post(_revoke_url(admin_page, "Checker's")).status_code == 302
    assert_api_error(ApiClient(admin, checker_token).get("/api/articles"), 401)


def test_deactivating_a_user_stops_their_tokens_and_sessions_at_once(app, users):
    checker, checker_auth = _signed_in(app, "checker")
    api = ApiClient(checker, _shown_token(_create(checker_auth, name="Nightly")))
    assert api.get("/api/articles").status_code == 200
    _, admin_auth = _signed_in(app, "admin")
    assert admin_auth.post(f"/admin/users/{users['checker'].id}/active", data={"active": "0"}).status_code == 302
    assert_api_error(api.get("/api/articles"), 401)
    assert checker.get("/tokens").status_code == 302  # signed out: sent to the sign-in page


def test_the_page_needs_a_session_and_its_forms_a_csrf_token(client, auth):
    assert client.get("/tokens").status_code == 302
    auth.login_as("viewer")
    refused = client.post("/tokens", data={"name": "No CSRF"})
    assert refused.status_code == 403 and "csrf" in refused.text.lower()
    assert _rows(client.get("/tokens").text) == []


def test_the_command_line_makes_read_only_tokens_too(app, runner, users, client):
    result = runner.invoke(args=["tokens", "create", "checker", "--label", "Script", "--read-only"])
    assert result.exit_code == 0, result.output
    api = ApiClient(client, result.output.strip())
    assert api.get("/api/articles").status_code == 200
    assert_api_error(api.post("/api/articles", json={"text": "Headline\n\nWords."}), 403, "read_only_token")


def test_every_page_links_to_the_tokens_page(client, auth):
    auth.login_as("viewer")
    nav = BeautifulSoup(client.get("/articles").text, "html.parser").find("nav", attrs={"aria-label": "Main"})
    assert nav.find("a", string=re.compile("API tokens"))["href"] == "/tokens"


def test_the_command_line_lists_and_revokes_tokens(app, runner, users, client):
    made = runner.invoke(args=["tokens", "create", "editor", "--label", "Archive sync"])
    api = ApiClient(client, made.output.strip())
    runner.invoke(args=["tokens", "create", "checker", "--label", "Other"])
    listed = runner.invoke(args=["tokens", "list", "editor"])
    assert listed.exit_code == 0, listed.output
    [line] = listed.output.splitlines()
    token_id, owner, name = line.split("\t")[:3]
    assert (owner, name) == ("editor", "Archive sync") and "read-write" in line and "live" in line
    assert len(runner.invoke(args=["tokens", "list"]).output.splitlines()) == 2
    revoked = runner.invoke(args=["tokens", "revoke", token_id])
    assert revoked.exit_code == 0 and "Revoked token" in revoked.output
    assert_api_error(api.get("/api/articles"), 401)
    assert "revoked" in runner.invoke(args=["tokens", "list", "editor"]).output
    missing = runner.invoke(args=["tokens", "revoke", "999"])
    assert missing.exit_code != 0 and "no token 999" in missing.output
