"""Guessing is slowed: failed sign-ins are counted per address, per account and per both, and bad
API tokens per address; the real user elsewhere still gets in, and a success costs nothing."""

import os
import re
import socket
import uuid

import pytest

from tests.helpers.api import assert_api_error
from tests.helpers.apps import PASSWORDS, make_test_app
from tests.helpers.pages import csrf_token


class Browser:
    """A browser at one network address, holding the CSRF token of its session."""

    def __init__(self, app, address: str, **environ):
        self.client = app.test_client()
        self.environ = {"REMOTE_ADDR": address, **environ}
        self.csrf = self._token("/login")

    def _token(self, path: str) -> str:
        page = self.client.get(path, environ_base=self.environ)
        return csrf_token(page.text)

    def sign_in(self, username: str, password: str, **kwargs):
        response = self.client.post("/login", data={"username": username, "password": password,
                                                    "csrf_token": self.csrf},
                                    environ_base=self.environ, **kwargs)
        if response.status_code == 302:  # signed in: a new session, with a new token
            self.csrf = self._token("/articles")
        return response


@pytest.fixture
def another_app(database_url, tmp_path):
    """``another_app(**settings)``: one more app server on the test's database (its engine disposed after)."""
    from workbench.store.db import get_engine

    made = []

    def make(**settings):
        made.append(make_test_app(database_url, tmp_path / f"instance-{len(made)}", **settings))
        return made[-1]

    yield make
    for app in made:
        get_engine(app).dispose()


def assert_throttled(response, window: int = 15 * 60):
    assert response.status_code == 429, response.status_code
    retry_after = int(response.headers["Retry-After"])
    assert 0 < retry_after <= window
    assert "Too many sign-in attempts" in response.text
    minutes = int(re.search(r"try again in (\d+) minutes?", response.text).group(1))
    assert minutes == -(-retry_after // 60)  # the page says the wait the header gives, in whole minutes
    # The form is there to try again later.
    assert 'name="password"' in response.text


def test_wrong_passwords_from_one_address_are_throttled_but_the_user_elsewhere_gets_in(app, users):
    attacker = Browser(app, "203.0.113.7")
    for _ in range(5):
        assert attacker.sign_in("checker", "guess").status_code == 401
    # The sixth try is refused before the password is looked at: even the right one.
    assert_throttled(attacker.sign_in("checker", "guess"))
    assert_throttled(attacker.sign_in("checker", PASSWORDS["checker"]))
    # The real user, at another address, signs in as usual.
    assert Browser(app, "198.51.100.20").sign_in("checker", PASSWORDS["checker"]).status_code == 302
    # And the attacker's address may still sign in to other accounts, for now.
    assert attacker.sign_in("editor", PASSWORDS["editor"]).status_code == 302


def test_the_username_is_counted_as_signed_in_with(app, users):
    attacker = Browser(app, "203.0.113.8")
    for name in ["Checker", " checker", "CHECKER ", "checker", "checker"]:
        assert attacker.sign_in(name, "guess").status_code == 401
    assert attacker.sign_in("checker", "guess").status_code == 429


def test_successful_sign_ins_are_not_counted_and_clear_earlier_mistakes(app, users):
    browser = Browser(app, "198.51.100.21")
    for _ in range(10):
        assert browser.sign_in("viewer", PASSWORDS["viewer"]).status_code == 302
    for _ in range(3):
        for _ in range(4):
            assert browser.sign_in("viewer", "typo").status_code == 401
        assert browser.sign_in("viewer", PASSWORDS["viewer"]).status_code == 302


@pytest.mark.parametrize("app_config", [{"SIGN_IN_ADDRESS_LIMIT": "8 per 15 minutes"}])
def test_one_address_trying_many_accounts_is_throttled(app, users):
    attacker = Browser(app, "203.0.113.9")
    for name in ["admin", "editor", "checker", "viewer"] * 2:
        assert attacker.sign_in(name, "password1").status_code == 401
    assert_throttled(attacker.sign_in("someone-else", "password1"))
    assert Browser(app, "198.51.100.22").sign_in("checker", PASSWORDS["checker"]).status_code == 302


@pytest.mark.parametrize("app_config", [{"SIGN_IN_ACCOUNT_LIMIT": "12 per hour"}])
def test_many_addresses_guessing_one_account_are_slowed(app, users):
    for n in range(12):
        assert Browser(app, f"192.0.2.{n + 1}").sign_in("editor", f"guess{n}").status_code == 401
    assert_throttled(Browser(app, "192.0.2.100").sign_in("editor", "guess"), window=3600)


def test_addresses_in_one_ipv6_network_count_as_one(app, users):
    for n in range(5):
        assert Browser(app, f"2001:db8:1:2::{n + 1:x}").sign_in("checker", "guess").status_code == 401
    assert Browser(app, "2001:db8:1:2:ffff::1").sign_in("checker", "guess").status_code == 429
    assert Browser(app, "2001:db8:1:3::1").sign_in("checker", PASSWORDS["checker"]).status_code == 302


def test_a_forged_forwarded_for_header_does_not_escape_the_count(app, users):
    for n in range(5):
        browser = Browser(app, "203.0.113.10")
        response = browser.sign_in("checker", "guess", headers={"X-Forwarded-For": f"10.9.9.{n}"})
        assert response.status_code == 401
    assert Browser(app, "203.0.113.10").sign_in("checker", "guess",
                                                 headers={"X-Forwarded-For": "10.9.9.99"}).status_code == 429


@pytest.mark.parametrize("app_config", [{"PROXY_FIX": 1}])
def test_behind_a_trusted_proxy_the_forwarded_address_is_counted(app, users):
    def from_client(address):
        return Browser(app, "10.0.0.2", HTTP_X_FORWARDED_FOR=address)

    for _ in range(5):
        assert from_client("203.0.113.11").sign_in("checker", "guess").status_code == 401
    assert from_client("203.0.113.11").sign_in("checker", "guess").status_code == 429
    assert from_client("198.51.100.23").sign_in("checker", PASSWORDS["checker"]).status_code == 302


def test_each_app_keeps_its_own_count(app, users, another_app):
    attacker = Browser(app, "203.0.113.12")
    for _ in range(5):
        attacker.sign_in("checker", "guess")
    assert attacker.sign_in("checker", "guess").status_code == 429
    other = another_app()
    assert Browser(other, "203.0.113.12").sign_in("checker", PASSWORDS["checker"]).status_code == 302


@pytest.mark.parametrize("app_config", [{"RATELIMIT_STORAGE_URL": "redis://127.0.0.1:9/0"}])
def test_a_storage_that_does_not_answer_lets_sign_in_go_on(app, users, caplog):
    browser = Browser(app, "203.0.113.14")
    for _ in range(6):
        assert browser.sign_in("checker", "guess").status_code == 401
    assert browser.sign_in("checker", PASSWORDS["checker"]).status_code == 302
    assert "throttle's storage failed" in caplog.text


def test_a_malformed_limit_stops_the_app_at_start(database_url, tmp_path):
    with pytest.raises(ValueError):
        make_test_app(database_url, tmp_path / "instance", SIGN_IN_LIMIT="five a minute")


def test_bad_api_tokens_from_one_address_are_throttled(client, api_as):
    good = api_as("checker")
    attacker = {"REMOTE_ADDR": "203.0.113.13"}
    for n in range(10):
        response = client.get("/api/articles", headers={"Authorization": f"Bearer wbt_guess{n}"},
                              environ_base=attacker)
        assert_api_error(response, 401, "unauthenticated")
    response = client.get("/api/articles", headers={"Authorization": "Bearer wbt_guess"}, environ_base=attacker)
    error = assert_api_error(response, 429, "too_many_requests")
    assert "try again in" in error["message"]
    assert 0 < int(response.headers["Retry-After"]) <= 15 * 60
    # A valid token from that address waits too; from another address it works.
    assert_api_error(good.get("/api/articles", environ_base=attacker), 429, "too_many_requests")
    assert good.get("/api/articles", environ_base={"REMOTE_ADDR": "198.51.100.24"}).status_code == 200
    # Requests with a good token are not counted.
    for _ in range(15):
        assert good.get("/api/articles", environ_base={"REMOTE_ADDR": "198.51.100.25"}).status_code == 200


def _redis_is_here() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
    except OSError:
        return False
    return True


@pytest.mark.skipif(not _redis_is_here(), reason="no Redis at 127.0.0.1:6379")
def test_app_servers_sharing_redis_share_the_count(another_app):
    """Two app servers on one Redis: failures on one count on the other."""
    from workbench.services.users import create_user
    from workbench.store.db import get_session

    settings = {"RATELIMIT_STORAGE_URL": os.environ.get("WORKBENCH_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")}
    first, second = another_app(**settings), another_app(**settings)
    # A user and an address of their own for each run: the counts outlive the test in Redis.
    run = uuid.uuid4().hex[:8]
    with first.app_context():
        create_user(get_session(), username=f"checker-{run}", password="the right password", role="checker")
    address = f"2001:db8:{run[:4]}:{run[4:]}::1"
    for n in range(5):
        server = first if n % 2 else second
        assert Browser(server, address).sign_in(f"checker-{run}", "guess").status_code == 401
    assert Browser(first, address).sign_in(f"checker-{run}", "the right password").status_code == 429
    assert Browser(second, address).sign_in(f"checker-{run}", "the right password").status_code == 429
    assert Browser(second, f"2001:db8:{run[:4]}:ffff::1").sign_in(f"checker-{run}",
                                                                 "the right password").status_code == 302
