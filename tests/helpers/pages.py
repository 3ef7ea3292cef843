"""The HTML pages from tests: the CSRF token a page carries, and signing in through the real form."""

from __future__ import annotations

import re

from tests.helpers.apps import PASSWORDS

_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_token(html: str) -> str:
    """The CSRF token of the first form in ``html`` (fails the test where there is none)."""
    found = _CSRF.search(html)
    assert found, "the page has no CSRF token"
    return found.group(1)


class AuthActions:
    """Sign in through the real form, keeping the CSRF token for later posts."""

    def __init__(self, client):
        self._client = client
        self.csrf = None

    def login_as(self, role: str):
        token = csrf_token(self._client.get("/login").text)
        response = self._client.post("/login", data={"username": role, "password": PASSWORDS[role],
                                                      "csrf_token": token})
        assert response.status_code == 302, response.text
        # Signing in starts a new session, and with it a new CSRF token.
        self.fresh_token()
        return response

    def fresh_token(self) -> str:
        self.csrf = csrf_token(self._client.get("/articles").text)
        return self.csrf

    def post(self, url: str, data: dict | None = None, **kwargs):
        data = dict(data or {})
        data.setdefault("csrf_token", self.csrf or self.fresh_token())
        return self._client.post(url, data=data, **kwargs)
