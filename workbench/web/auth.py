"""Who is asking, and what they may do. Every route declares its permission here.

Pages authenticate with the session cookie; the JSON API only with bearer tokens,
so that a browser's cookies can never be used to call it (no CSRF surface there).

A session is a signed cookie, not a stored row, so it is ended by what it is checked against on
every request: the user's ``session_version`` (raised by sign-out, a new password, a role change
and (de)activation, which ends all of that user's sessions at once, on every server), and its
idle and absolute lifetimes (``SESSION_IDLE_MINUTES``, ``SESSION_MAX_HOURS``) from the times
it carries.
"""

from __future__ import annotations

import functools
import time
from typing import Callable

from flask import Flask, current_app, flash, g, redirect, request, session, url_for
from flask.sessions import SecureCookieSessionInterface
from sqlmodel import Session

from workbench.errors import ForbiddenError, NotAuthenticatedError
from workbench.services.accounts import (
    PERMISSIONS,
    note_token_use,
    role_allows,
    session_user,
    sign_out_everywhere,
    token_and_user,
)
from workbench.store.models import User
from workbench.web import throttle
from workbench.web.csrf import SAFE_METHODS


def current_user() -> User | None:
    return g.get("user")


SESSION_ENDED = "Your session has ended (signed out, or the account's password, role or status changed); sign in again."
SESSION_EXPIRED_IDLE = "Your session expired after {minutes} minutes without activity; sign in again."
SESSION_EXPIRED_MAX = "Your session expired: sessions last at most {hours} hours. Sign in again."
#: How stale the session's "last seen" time may get: refreshing it re-sends the cookie.
SEEN_RESOLUTION_SECONDS = 60


def _session_end(user: User | None, now: float) -> str | None:
    """Why the session must end now, or None while it may go on."""
    if user is None or not user.active or session.get("version") != user.session_version:
        return SESSION_ENDED
    signed_in, seen = session.get("signed_in"), session.get("seen")
    if not isinstance(signed_in, int) or not isinstance(seen, int):
        return SESSION_ENDED  # made before sessions carried their times
    config = current_app.config
    if now - signed_in > int(config["SESSION_MAX_HOURS"]) * 3600:
        return SESSION_EXPIRED_MAX.format(hours=config["SESSION_MAX_HOURS"])
    if now - seen > int(config["SESSION_IDLE_MINUTES"]) * 60:
        return SESSION_EXPIRED_IDLE.format(minutes=config["SESSION_IDLE_MINUTES"])
    return None


def _load_token_user() -> None:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return
    from workbench.store.db import get_session

    # Refused before the lookup while this address has sent too many bad tokens.
    throttle.check_token_use()
    db = get_session()
    found = token_and_user(db, token.strip())
    if found is None:
        throttle.note_token_failure()
        g.auth_error = "The API token is not valid."
    else:
        row, g.user = found
        g.token_read_only = row.read_only
        note_token_use(db, row)


def load_user() -> None:
    """Before each request: find the user from the bearer token (API) or the session (pages)."""
    from workbench.store.db import get_session

    g.user = None
    if getattr(current_app.view_functions.get(request.endpoint or ""), "workbench_without_user", False):
        return
    if request.path.startswith("/api/"):
        _load_token_user()
        return
    user_id = session.get("user_id")
    if user_id is None:
        return
    user = session_user(get_session(), user_id)
    now = int(time.time())
    reason = _session_end(user, now)
    if reason is not None:
        session.clear()
        if request.method not in SAFE_METHODS:
            # Say why the form was refused, rather than fail it on the CSRF token gone with the session.
            raise NotAuthenticatedError(reason, code="session_ended")
        flash(reason, "info")  # shown on the sign-in page the request is sent to
        return
    if now - session["seen"] >= SEEN_RESOLUTION_SECONDS:
        session["seen"] = now
    g.user = user


def login(user: User) -> None:
    """Start a session for ``user``: a new one, so none from before (fixation) carries over."""
    session.clear()
    now = int(time.time())
    session.update({"user_id": user.id, "version": user.session_version, "signed_in": now, "seen": now})
    session.permanent = False


def logout(db: Session) -> None:
    """Sign out: ends all of the signed-in user's sessions, not only this browser's, since a cookie
    cannot be ended alone and a copy of it may be elsewhere."""
    user = current_user()
    if user is not None:
        sign_out_everywhere(db, user)
    session.clear()


def requires(action: str) -> Callable:
    """Route decorator: the user must be signed in with a role allowed to do ``action``."""
    if action not in PERMISSIONS:
        raise KeyError(f"unknown action {action!r}")

    def decorator(view: Callable) -> Callable:
        @functools.wraps(view)
        def wrapped(*args, **kwargs):
            if PERMISSIONS[action] is not None:
                user = current_user()
                if user is None:
                    if request.path.startswith("/api/"):
                        raise NotAuthenticatedError(
                            g.get("auth_error") or "Send an API token as 'Authorization: Bearer <token>'."
                        )
                    return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
                if g.get("token_read_only") and request.method not in SAFE_METHODS:
                    # Checked before the role: the token's scope narrows whatever its user may do.
                    raise ForbiddenError("This API token is read-only: it may read, not change anything. "
                                         "Use a token with write access.", code="read_only_token")
                if not role_allows(user.role, action):
                    raise ForbiddenError(
                        f"Your role ({user.role}) may not {action.replace('_', ' ')}; "
                        f"it needs {PERMISSIONS[action].value} or above."
                    )
            return view(*args, **kwargs)

        wrapped.workbench_permission = action  # checked by the test that every route declares one
        return wrapped

    return decorator


def without_user(view: Callable) -> Callable:
    """Route decorator: nobody is looked up for this route, so it answers with the database down
    (the health check, whose callers may well carry a session cookie)."""
    view.workbench_without_user = True
    return view


class PagesOnlySessionInterface(SecureCookieSessionInterface):
    """The cookie session, for pages only: under /api/ it is never opened (nothing is read from
    a cookie, and no cookie is ever set), since the API takes bearer tokens alone."""

    def open_session(self, app: Flask, request):
        if request.path.startswith("/api/"):
            return self.make_null_session(app)
        return super().open_session(app, request)

    def get_cookie_secure(self, app: Flask) -> bool:
        # Over HTTPS the cookie is never sent over plain HTTP, where it could be read on the way.
        from workbench.web.security import served_over_https

        return super().get_cookie_secure(app) or served_over_https()


def init_app(app: Flask) -> None:
    app.session_interface = PagesOnlySessionInterface()
    app.before_request(load_user)

    @app.context_processor
    def _inject_user():
        user = current_user()
        return {"current_user": user, "can": lambda action: user is not None and role_allows(user.role, action)}
