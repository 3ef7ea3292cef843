"""CSRF protection for every state-changing request made with the session cookie.

A random token lives in the session; forms send it as ``csrf_token`` and htmx sends it
as the ``X-CSRF-Token`` header (set once on ``<body>`` with ``hx-headers:inherited``).
The JSON API is exempt because it accepts bearer tokens only, never cookies.
"""

from __future__ import annotations

import hmac
import secrets

from flask import Flask, request, session

from workbench.errors import ForbiddenError

SAFE_METHODS = {"GET", "HEAD", "OPTIONS", "TRACE"}
HEADER = "X-CSRF-Token"
FIELD = "csrf_token"


def csrf_token() -> str:
    if "csrf" not in session:
        session["csrf"] = secrets.token_urlsafe(32)
    return session["csrf"]


def check_csrf() -> None:
    if request.method in SAFE_METHODS or request.path.startswith("/api/"):
        return
    expected = session.get("csrf")
    sent = request.headers.get(HEADER) or request.form.get(FIELD)
    # Compared as bytes: compare_digest refuses str with non-ASCII characters, which anyone can send.
    if not expected or not sent or not hmac.compare_digest(expected.encode(), sent.encode("utf-8", "replace")):
        raise ForbiddenError(
            "The form had expired or did not come from this site (CSRF check failed). Reload the page and try again.",
            code="csrf_failed",
        )


def init_app(app: Flask) -> None:
    app.before_request(check_csrf)
    app.jinja_env.globals["csrf_token"] = csrf_token
