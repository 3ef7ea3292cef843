"""How a signed-in session ends: sign-out, a changed password, role or account, and its lifetimes;
and the cookie's Secure flag with HSTS when the app is reached over HTTPS."""

import re

import pytest
from bs4 import BeautifulSoup
from sqlmodel import select

from tests.helpers.apps import PASSWORDS
from tests.helpers.pages import AuthActions, csrf_token
from workbench.store.models import User

HOUR = 3600


def signed_in(app, role: str, **client_kwargs):
    """A fresh browser signed in as ``role``: its client, its form helper and its session cookie's value."""
    browser = app.test_client(**client_kwargs)
    auth = AuthActions(browser)
    auth.login_as(role)
    return browser, auth, browser.get_cookie("session").value


def replay(app, cookie: str):
    """Another client presenting a captured session cookie, as an attacker who copied it would."""
    thief = app.test_client()
    thief.set_cookie("session", cookie)
    return thief


def assert_sent_to_sign_in(response):
    assert response.status_code == 302, response.status_code
    assert response.headers["Location"].startswith("/login")


def test_a_cookie_captured_before_sign_out_no_longer_signs_in(app, users):
    browser, auth, cookie = signed_in(app, "checker")
    assert replay(app, cookie).get("/articles").status_code == 200  # the copy works while signed in
    assert_sent_to_sign_in(auth.post("/logout"))
    assert_sent_to_sign_in(replay(app, cookie).get("/articles"))
    assert_sent_to_sign_in(browser.get("/articles"))


def test_sign_out_ends_every_session_of_the_user(app, users):
    """The session is signed, not stored: signing out ends all of that user's sessions, on every device."""
    _laptop, laptop_auth, _ = signed_in(app, "checker")
    phone, _, _ = signed_in(app, "checker")
    other_user, _, _ = signed_in(app, "editor")
    laptop_auth.post("/logout")
    assert_sent_to_sign_in(phone.get("/articles"))
    assert other_user.get("/articles").status_code == 200
    # Signing in again works at once.
    AuthActions(phone).login_as("checker")
    assert phone.get("/articles").status_code == 200


def test_a_role_change_ends_the_users_sessions(app, users, db):
    _, _, cookie = signed_in(app, "editor")
    _, admin, _ = signed_in(app, "admin")
    assert admin.post(f"/admin/users/{users['editor'].id}/role", data={"role": "viewer"}).status_code == 302
    assert_sent_to_sign_in(replay(app, cookie).get("/articles"))


def test_choosing_the_same_role_again_changes_nothing(app, users):
    _, _, cookie = signed_in(app, "editor")
    _, admin, _ = signed_in(app, "admin")
    admin.post(f"/admin/users/{users['editor'].id}/role", data={"role": "editor"})
    assert replay(app, cookie).get("/articles").status_code == 200


def test_a_password_set_by_an_admin_ends_the_users_sessions(app, users, db):
    _, _, cookie = signed_in(app, "checker")
    admin_browser, admin, _ = signed_in(app, "admin")
    response = admin.post(f"/admin/users/{users['checker'].id}/password", data={"password": "a new long password"})
    assert response.status_code == 302
    assert "checker" in admin_browser.get("/admin/users").text  # the admin stays signed in
    assert_sent_to_sign_in(replay(app, cookie).get("/articles"))
    # The new password signs in; the old one does not.
    fresh = app.test_client()
    page = fresh.get("/login")
    token = csrf_token(page.text)
    old = fresh.post("/login", data={"username": "checker", "password": PASSWORDS["checker"], "csrf_token": token})
    assert old.status_code == 401
    new = fresh.post("/login", data={"username": "checker", "password": "a new long password", "csrf_token": token})
    assert new.status_code == 302


def test_a_short_password_is_refused_and_changes_nothing(app, users):
    _, _, cookie = signed_in(app, "checker")
    _, admin, _ = signed_in(app, "admin")
    response = admin.post(f"/admin/users/{users['checker'].id}/password", data={"password": "short"})
    assert response.status_code == 422 and "at least 8" in response.text
    assert replay(app, cookie).get("/articles").status_code == 200


def test_admins_own_password_change_keeps_their_session_and_ends_the_others(app, users):
    _, _, elsewhere = signed_in(app, "admin")
    here, admin, _ = signed_in(app, "admin")
    assert admin.post(f"/admin/users/{users['admin'].id}/password",
                      data={"password": "another long password"}).status_code == 302
    assert here.get("/admin/users").status_code == 200
    assert_sent_to_sign_in(replay(app, elsewhere).get("/articles"))


def test_deactivation_ends_the_session_and_reactivation_does_not_revive_it(app, users, db):
    _, _, cookie = signed_in(app, "checker")
    admin_browser, admin, _ = signed_in(app, "admin")
    checker_id = users["checker"].id
    assert admin.post(f"/admin/users/{checker_id}/active", data={"active": "0"}).status_code == 302
    assert_sent_to_sign_in(replay(app, cookie).get("/articles"))
    soup = BeautifulSoup(admin_browser.get("/admin/users").text, "html.parser")
    row = next(tr for tr in soup.select("tbody tr") if tr.td.text == "checker")
    assert "deactivated" in row.text.lower()
    assert admin.post(f"/admin/users/{checker_id}/active", data={"active": "1"}).status_code == 302
    # The account works again, but only with a new sign-in.
    assert_sent_to_sign_in(replay(app, cookie).get("/articles"))
    browser, _, _ = signed_in(app, "checker")
    assert browser.get("/articles").status_code == 200


def test_an_admin_cannot_deactivate_themselves(app, users):
    _, admin, _ = signed_in(app, "admin")
    response = admin.post(f"/admin/users/{users['admin'].id}/active", data={"active": "0"})
    assert response.status_code == 422 and "another admin" in response.text


def test_the_command_line_ends_sessions_when_it_sets_a_password_or_deactivates(app, users, runner, db):
    _, _, cookie = signed_in(app, "viewer")
    result = runner.invoke(args=["users", "set-password", "viewer", "--password-stdin"], input="brand new password\n")
    assert result.exit_code == 0, result.output
    assert_sent_to_sign_in(replay(app, cookie).get("/articles"))

    _, _, cookie = signed_in(app, "editor")
    result = runner.invoke(args=["users", "deactivate", "editor"])
    assert result.exit_code == 0, result.output
    assert_sent_to_sign_in(replay(app, cookie).get("/articles"))
    result = runner.invoke(args=["users", "activate", "editor"])
    assert result.exit_code == 0, result.output
    assert_sent_to_sign_in(replay(app, cookie).get("/articles"))
    db.rollback()
    assert db.exec(select(User).where(User.username == "editor")).one().active


def test_a_form_sent_after_the_session_ended_says_so(app, users):
    _browser, auth, _ = signed_in(app, "checker")
    _, admin, _ = signed_in(app, "admin")
    admin.post(f"/admin/users/{users['checker'].id}/password", data={"password": "yet another password"})
    response = auth.post("/import", data={"via": "paste", "content": "Headline\n\nWords."},
                         headers={"HX-Request": "true", "X-CSRF-Token": auth.csrf})
    assert response.status_code == 401
    assert "sign in again" in response.text


def _age(browser, **seconds_ago):
    """Move the session's clock back: its sign-in and last activity happened this long ago."""
    with browser.session_transaction() as state:
        for key, ago in seconds_ago.items():
            state[key] = state[key] - ago


def test_an_idle_session_expires(app, users):
    browser, _, _ = signed_in(app, "checker")
    _age(browser, seen=2 * HOUR + 60)  # the default idle lifetime is 120 minutes
    assert_sent_to_sign_in(browser.get("/articles"))
    page = browser.get("/login")
    assert "Your session expired" in page.text and "sign in again" in page.text
    assert_sent_to_sign_in(browser.get("/articles"))


def test_activity_keeps_a_session_alive(app, users):
    browser, _, _ = signed_in(app, "checker")
    for _ in range(3):  # 3 × 100 minutes of use, each step within the idle lifetime
        _age(browser, seen=100 * 60, signed_in=100 * 60)
        assert browser.get("/articles").status_code == 200


def test_a_session_ends_after_its_absolute_lifetime_however_active(app, users):
    browser, _, _ = signed_in(app, "checker")
    _age(browser, signed_in=12 * HOUR + 60)  # the default absolute lifetime is 12 hours
    assert_sent_to_sign_in(browser.get("/articles"))
    assert "Your session expired" in browser.get("/login").text


@pytest.mark.parametrize("app_config", [{"SESSION_IDLE_MINUTES": 5, "SESSION_MAX_HOURS": 1}])
def test_the_lifetimes_are_settings(app, users):
    browser, _, _ = signed_in(app, "checker")
    _age(browser, seen=4 * 60)
    assert browser.get("/articles").status_code == 200
    _age(browser, seen=6 * 60)
    assert_sent_to_sign_in(browser.get("/articles"))
    browser, _, _ = signed_in(app, "checker")
    _age(browser, signed_in=HOUR + 1)
    assert_sent_to_sign_in(browser.get("/articles"))


def test_a_session_made_without_the_sign_in_timestamps_is_refused(app, users):
    browser, _, _ = signed_in(app, "checker")
    with browser.session_transaction() as state:
        del state["signed_in"]
    assert_sent_to_sign_in(browser.get("/articles"))


def _has_secure_flag(set_cookie: str) -> bool:
    return "secure" in [part.strip().lower() for part in set_cookie.split(";")]


def _sign_in_response(app, **client_kwargs):
    browser = app.test_client()
    page = browser.get("/login", **client_kwargs)
    token = csrf_token(page.text)
    response = browser.post("/login", data={"username": "viewer", "password": PASSWORDS["viewer"],
                                            "csrf_token": token}, **client_kwargs)
    assert response.status_code == 302
    return page, response


def test_plain_http_has_no_secure_flag_and_no_hsts(app, users):
    page, response = _sign_in_response(app)
    assert not _has_secure_flag(response.headers["Set-Cookie"])
    assert "Strict-Transport-Security" not in page.headers


def test_a_client_cannot_claim_https_without_the_proxy_setting(app, users):
    page, response = _sign_in_response(app, headers={"X-Forwarded-Proto": "https"})
    assert not _has_secure_flag(response.headers["Set-Cookie"])
    assert "Strict-Transport-Security" not in page.headers


@pytest.mark.parametrize("app_config", [{"PUBLIC_URL": "https://workbench.example.org"}])
def test_an_https_public_url_makes_the_cookie_secure_and_sends_hsts(app, users):
    page, response = _sign_in_response(app)
    assert _has_secure_flag(response.headers["Set-Cookie"])
    assert page.headers["Strict-Transport-Security"].startswith("max-age=")
    assert int(re.search(r"max-age=(\d+)", page.headers["Strict-Transport-Security"]).group(1)) >= 180 * 86400


@pytest.mark.parametrize("app_config", [{"PROXY_FIX": 1}])
def test_behind_a_trusted_proxy_its_forwarded_https_counts(app, users):
    page, response = _sign_in_response(app, headers={"X-Forwarded-Proto": "https"})
    assert _has_secure_flag(response.headers["Set-Cookie"])
    assert "Strict-Transport-Security" in page.headers
    page, response = _sign_in_response(app, headers={"X-Forwarded-Proto": "http"})
    assert not _has_secure_flag(response.headers["Set-Cookie"])
    assert "Strict-Transport-Security" not in page.headers
