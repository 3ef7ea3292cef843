"""Signing in and out, the session cookie, CSRF, and role checks on every route."""

import pytest
from bs4 import BeautifulSoup

from workbench.services.accounts import PERMISSIONS


def test_sign_in_page_has_the_named_fields(client):
    soup = BeautifulSoup(client.get("/login").text, "html.parser")
    labels = {label.text.strip(): label["for"] for label in soup.find_all("label")}
    assert soup.find(id=labels["Username"])["name"] == "username"
    assert soup.find(id=labels["Password"])["type"] == "password"
    assert soup.find("button", string="Sign in") is not None


def test_sign_in_and_out(client, auth):
    response = auth.login_as("checker")
    assert response.headers["Location"] == "/articles"
    assert "checker" in client.get("/articles").text
    response = auth.post("/logout")
    assert response.status_code == 302
    assert client.get("/articles").status_code == 302  # back to the sign-in page


def test_wrong_password(client, users):
    page = client.get("/login")
    token = BeautifulSoup(page.text, "html.parser").find("input", {"name": "csrf_token"})["value"]
    response = client.post("/login", data={"username": "checker", "password": "nope", "csrf_token": token})
    assert response.status_code == 401
    assert "Wrong username or password" in response.text


def test_session_cookie_flags(client, auth):
    response = auth.login_as("viewer")
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_passwords_are_hashed(db, users):
    from workbench.store.models import User

    stored = db.get(User, users["admin"].id).password_hash
    assert "admin-password" not in stored and stored.startswith("pbkdf2:")


def test_next_goes_back_but_never_off_site(client, auth):
    page = client.get("/login?next=/import")
    csrf = BeautifulSoup(page.text, "html.parser").find("input", {"name": "csrf_token"})["value"]
    ok = client.post("/login?next=/import", data={"username": "checker", "password": "checker-password",
                                                  "csrf_token": csrf})
    assert ok.headers["Location"] == "/import"
    auth.post("/logout")
    page = client.get("/login")
    csrf = BeautifulSoup(page.text, "html.parser").find("input", {"name": "csrf_token"})["value"]
    evil = client.post("/login?next=//evil.example/x", data={"username": "checker", "password": "checker-password",
                                                             "csrf_token": csrf})
    assert evil.headers["Location"] == "/articles"


def test_anonymous_is_sent_to_sign_in(client):
    response = client.get("/import")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login?next=/import")


def test_post_without_csrf_token_is_refused(client, auth):
    auth.login_as("checker")
    response = client.post("/import", data={"via": "paste", "content": "Some text here."})
    assert response.status_code == 403 and "CSRF" in response.text


def test_htmx_post_with_csrf_header_is_accepted(client, auth):
    auth.login_as("checker")
    response = client.post("/import", data={"via": "paste", "content": "Headline\n\nSome text here."},
                           headers={"HX-Request": "true", "X-CSRF-Token": auth.csrf})
    assert response.status_code == 200 and response.headers["HX-Redirect"].startswith("/import/")


def test_htmx_post_with_wrong_csrf_header_is_refused(client, auth):
    auth.login_as("checker")
    response = client.post("/import", data={"via": "paste", "content": "Some text."},
                           headers={"HX-Request": "true", "X-CSRF-Token": "forged"})
    assert response.status_code == 403


def test_every_route_declares_a_permission(app):
    """Role checks live in accounts.PERMISSIONS; a route without one would be open by accident."""
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        view = app.view_functions[rule.endpoint]
        assert getattr(view, "workbench_permission", None) in PERMISSIONS, rule.rule


PAGES = [
    # (method, path, least role)
    ("GET", "/articles", "viewer"),
    ("GET", "/articles/{article}", "viewer"),
    ("GET", "/import", "checker"),
    ("POST", "/import", "checker"),
    ("GET", "/admin/users", "admin"),
    ("POST", "/admin/users", "admin"),
    ("POST", "/admin/users/1/role", "admin"),
    ("POST", "/admin/users/1/password", "admin"),
    ("POST", "/admin/users/2/active", "admin"),
    ("GET", "/review", "editor"),
    ("GET", "/my/claims", "checker"),
    ("GET", "/admin/settings", "admin"),
]
ROLES = ["viewer", "checker", "editor", "admin"]


@pytest.mark.parametrize("method, path, least", PAGES)
@pytest.mark.parametrize("role", ROLES)
def test_page_role_matrix(client, auth, make_article, method, path, least, role):
    article_id = make_article()
    auth.login_as(role)
    path = path.format(article=article_id)
    if method == "GET":
        response = client.get(path)
    else:
        response = auth.post(path, data={"via": "paste", "content": "Headline\n\nText here.", "role": "admin",
                                         "username": "newperson", "password": "long-enough-pw"})
    allowed = ROLES.index(role) >= ROLES.index(least)
    if allowed:
        assert response.status_code in (200, 302), (role, path, response.status_code)
    else:
        assert response.status_code == 403, (role, path, response.status_code)
        assert "may not" in response.text
