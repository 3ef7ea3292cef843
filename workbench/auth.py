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
import logging
import hashlib
import hmac
import secrets
import time
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Callable

from flask import Flask, current_app, flash, g, redirect, request, session, url_for
from flask.sessions import SecureCookieSessionInterface
from sqlalchemy import bindparam, update
from sqlalchemy.exc import InternalError, OperationalError
from sqlmodel import Session, select
from werkzeug.security import check_password_hash, generate_password_hash

from workbench import throttle
from workbench.csrf import SAFE_METHODS
from workbench.driver_statements import DriverStatements
from workbench.errors import ForbiddenError, InvalidContentError, NotAuthenticatedError
from workbench.models import ApiToken, Role, User, utcnow
from workbench.orm_rows import attach_loaded

ROLE_RANK = {Role.viewer: 0, Role.checker: 1, Role.editor: 2, Role.admin: 3}

#: The least role each action needs. Routes name an action, never a role.
PERMISSIONS: dict[str, Role | None] = {
    "public": None,  # sign-in page, health check, static files
    "read": Role.viewer,
    "import_article": Role.checker,
    "annotate": Role.checker,
    "review": Role.editor,
    "manage_users": Role.admin,
    "purge": Role.admin,  # erase a withdrawn claim's content
}

TOKEN_PREFIX = "wbt_"
# Compared against when the username is unknown, so timing does not reveal which names exist.
_DUMMY_HASH = generate_password_hash("not-a-real-password")


def role_allows(role: str | Role, action: str) -> bool:
    needed = PERMISSIONS[action]
    if needed is None:
        return True
    try:
        return ROLE_RANK[Role(role)] >= ROLE_RANK[needed]
    except ValueError:
        return False


def hash_password(password: str) -> str:
    """Hash with the configured method (scrypt by default; tests choose a faster one)."""
    from flask import current_app, has_app_context

    method = current_app.config.get("PASSWORD_HASH_METHOD", "scrypt") if has_app_context() else "scrypt"
    return generate_password_hash(password, method=method)


def validate_new_password(password: str) -> None:
    if len(password) < 8:
        raise InvalidContentError("The password must have at least 8 characters.", code="weak_password")


def authenticate(db: Session, username: str, password: str) -> User | None:
    """The active user with these credentials, or None."""
    user = db.exec(select(User).where(User.username == username.strip().lower())).first()
    if user is None:
        check_password_hash(_DUMMY_HASH, password)
        return None
    if not check_password_hash(user.password_hash, password) or not user.active:
        return None
    return user


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(db: Session, user: User, label: str = "") -> str:
    """Create an API token for ``user`` and return it; only its hash is stored."""
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    db.add(ApiToken(user_id=user.id, token_hash=hash_token(token), prefix=token[:10], label=label))
    db.commit()
    return token


_TOKEN_AND_USER = DriverStatements(
    select(ApiToken.id.label("token_id"), ApiToken.token_hash, ApiToken.prefix.label("token_prefix"),
           ApiToken.revoked, ApiToken.last_used, *User.__table__.columns)
    .join(User, User.id == ApiToken.user_id)
    .where(ApiToken.token_hash == bindparam("token_hash")))
_USER_COLUMNS = [column.key for column in User.__table__.columns]


@dataclass(frozen=True)
class TokenUse:
    """The token a request came with: what ``note_token_use`` needs."""

    id: int
    prefix: str
    last_used: datetime | None


def token_and_user(db: Session, token: str) -> tuple[TokenUse, User] | None:
    """The token and its active user, or None when the token is unknown, revoked or its user
    inactive. Only reads (see ``note_token_use``): one light query, no ORM loading."""
    conn = db.connection()
    lookup = _TOKEN_AND_USER.for_dialect(conn.dialect)
    found = lookup.first(conn, lookup.convert({"token_hash": hash_token(token)}))
    if found is None:
        return None
    # The lookup is by hash; compare again in constant time for good measure.
    if found["revoked"] or not hmac.compare_digest(found["token_hash"], hash_token(token)) or not found["active"]:
        return None
    user = attach_loaded(db, User, {key: found[key] for key in _USER_COLUMNS})
    return TokenUse(found["token_id"], found["token_prefix"], found["last_used"]), user


#: How stale a token's "last used" time may get; recording every request would cost a write each.
TOKEN_USE_RESOLUTION = timedelta(minutes=10)


def note_token_use(db: Session, row: TokenUse) -> None:
    """Record when a token was last used, at most every few minutes, in a transaction of its own.

    Best effort: under write contention the note is skipped rather than failing the request.
    Called before the request's own transaction begins, so it never waits for that one.
    """
    now = utcnow()
    last = row.last_used if row.last_used is None or row.last_used.tzinfo else row.last_used.replace(tzinfo=timezone.utc)
    if last is not None and now - last < TOKEN_USE_RESOLUTION:
        return
    try:
        with db.get_bind().begin() as conn:
            conn.execute(update(ApiToken).where(ApiToken.id == row.id).values(last_used=now))
    except (OperationalError, InternalError):  # busy, full or read-only (PostgreSQL's is an InternalError)
        logging.getLogger(__name__).info("skipped recording the use of token %s (database busy or read-only)",
                                         row.prefix)


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
    from workbench.db import get_session, read_phase

    # Refused before the lookup while this address has sent too many bad tokens.
    throttle.check_token_use()
    with read_phase(get_session()) as db:
        found = token_and_user(db, token.strip())
    if found is None:
        throttle.note_token_failure()
        g.auth_error = "The API token is not valid."
    else:
        row, g.user = found
        note_token_use(db, row)


def load_user() -> None:
    """Before each request: find the user from the bearer token (API) or the session (pages)."""
    from workbench.db import get_session, read_phase

    g.user = None
    if request.path.startswith("/api/"):
        _load_token_user()
        return
    user_id = session.get("user_id")
    if user_id is None:
        return
    with read_phase(get_session()) as db:
        user = db.get(User, user_id) if isinstance(user_id, int) else None
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


def end_sessions(user: User) -> None:
    """End every session of ``user``, on every device and server; the caller commits.

    Raised in the database (not read, added and written back), so that two changes at once
    both count.
    """
    user.session_version = User.session_version + 1


def logout(db: Session) -> None:
    """Sign out: ends all of the signed-in user's sessions, not only this browser's, since a cookie
    cannot be ended alone and a copy of it may be elsewhere."""
    user = current_user()
    if user is not None:
        end_sessions(user)
        db.commit()
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
                if not role_allows(user.role, action):
                    raise ForbiddenError(
                        f"Your role ({user.role}) may not {action.replace('_', ' ')}; "
                        f"it needs {PERMISSIONS[action].value} or above."
                    )
            return view(*args, **kwargs)

        wrapped.workbench_permission = action  # checked by the test that every route declares one
        return wrapped

    return decorator


class PagesOnlySessionInterface(SecureCookieSessionInterface):
    """The cookie session, for pages only: under /api/ it is never opened (nothing is read from
    a cookie, and no cookie is ever set), since the API takes bearer tokens alone."""

    def open_session(self, app: Flask, request):
        if request.path.startswith("/api/"):
            return self.make_null_session(app)
        return super().open_session(app, request)

    def get_cookie_secure(self, app: Flask) -> bool:
        # Over HTTPS the cookie is never sent over plain HTTP, where it could be read on the way.
        from workbench.security import served_over_https

        return super().get_cookie_secure(app) or served_over_https()


def init_app(app: Flask) -> None:
    app.session_interface = PagesOnlySessionInterface()
    app.before_request(load_user)

    @app.context_processor
    def _inject_user():
        user = current_user()
        return {"current_user": user, "can": lambda action: user is not None and role_allows(user.role, action)}
