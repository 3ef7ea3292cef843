"""Accounts: roles and what each may do, passwords, API tokens."""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
import sqlite3
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from sqlalchemy import bindparam, update
from sqlalchemy.exc import InternalError, OperationalError
from sqlmodel import Session, select
from werkzeug.security import check_password_hash, generate_password_hash

from workbench.errors import InvalidContentError, NotFoundError
from workbench.store.driver_statements import DriverStatements
from workbench.store.models import ApiToken, Role, User, utcnow
from workbench.store.orm_rows import attach_loaded
from workbench.store.unit_of_work import reads, writes, writing_connection

ROLE_RANK = {Role.viewer: 0, Role.checker: 1, Role.editor: 2, Role.admin: 3}

#: The least role each action needs. Routes name an action, never a role.
PERMISSIONS: dict[str, Role | None] = {
    "public": None,  # sign-in page, health check, static files
    "read": Role.viewer,
    "import_article": Role.checker,
    "annotate": Role.checker,
    "review": Role.editor,
    "manage_users": Role.admin,
    "manage_tokens": Role.admin,  # see and revoke every user's API tokens, not only one's own
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


#: The longest name a token may have.
TOKEN_NAME_MAX = 200


@writes
def create_token(db: Session, user: User, label: str = "", *, read_only: bool = False) -> str:
    """Create an API token for ``user`` and return it; only its hash is stored.

    ``read_only``: the token may read what ``user`` may read, and is refused every write.
    """
    label = label.strip()
    if len(label) > TOKEN_NAME_MAX:
        raise InvalidContentError(f"A token's name may have at most {TOKEN_NAME_MAX} characters.",
                                  code="invalid_token_name")
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    db.add(ApiToken(user_id=user.id, token_hash=hash_token(token), prefix=token[:10], label=label,
                    read_only=read_only))
    db.commit()
    return token


def create_named_token(db: Session, *, user: User, name: str, read_only: bool) -> str:
    """A token made on the Tokens page: it must have a name, so its owner knows what to revoke."""
    if not name.strip():
        raise InvalidContentError("Give the token a name, such as what will use it.", code="invalid_token_name")
    return create_token(db, user, name, read_only=read_only)


@dataclass(frozen=True)
class TokenListing:
    """One token as the Tokens page lists it (never its hash)."""

    id: int
    name: str
    prefix: str
    owner: str
    read_only: bool
    created: datetime
    last_used: datetime | None
    revoked_at: datetime | None
    revoked: bool


@reads
def list_tokens(db: Session, *, actor: User | None, owner: User | None = None) -> list[TokenListing]:
    """The tokens ``actor`` may see: their own, or everyone's for an admin (and for the command
    line, ``actor=None``), narrowed to ``owner``'s when given; live ones first, newest first."""
    query = select(ApiToken, User.username).join(User, User.id == ApiToken.user_id)
    if actor is not None and not role_allows(actor.role, "manage_tokens"):
        query = query.where(ApiToken.user_id == actor.id)
    if owner is not None:
        query = query.where(ApiToken.user_id == owner.id)
    rows = db.exec(query.order_by(ApiToken.revoked, ApiToken.created.desc(), ApiToken.id.desc())).all()
    return [TokenListing(token.id, token.label, token.prefix, username, token.read_only, token.created,
                         token.last_used, token.revoked_at, token.revoked) for token, username in rows]


@writes
def revoke_token(db: Session, *, token_id: int, actor: User | None) -> ApiToken:
    """Revoke a token of ``actor``'s own (any token for an admin, or for the command line,
    ``actor=None``); it is refused from the next request on.

    Another user's token is "not found" to a non-admin, so ids do not tell whose tokens exist.
    Revoking a revoked token changes nothing.
    """
    token = db.get(ApiToken, token_id)
    if token is None or (actor is not None and token.user_id != actor.id
                         and not role_allows(actor.role, "manage_tokens")):
        raise NotFoundError(f"There is no token {token_id}{'' if actor is None else ' of yours'}.",
                            code="token_not_found")
    if not token.revoked:
        token.revoked, token.revoked_at = True, utcnow()
        token.revoked_by_id = actor.id if actor is not None else None
        db.add(token)
        db.commit()
    return token


_TOKEN_AND_USER = DriverStatements(
    select(ApiToken.id.label("token_id"), ApiToken.token_hash, ApiToken.prefix.label("token_prefix"),
           ApiToken.revoked, ApiToken.last_used, ApiToken.read_only, *User.__table__.columns)
    .join(User, User.id == ApiToken.user_id)
    .where(ApiToken.token_hash == bindparam("token_hash")))
_USER_COLUMNS = [column.key for column in User.__table__.columns]


@dataclass(frozen=True)
class TokenUse:
    """The token a request came with: what ``note_token_use`` needs."""

    id: int
    prefix: str
    last_used: datetime | None
    read_only: bool


@reads
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
    return TokenUse(found["token_id"], found["token_prefix"], found["last_used"], bool(found["read_only"])), user


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
        with writing_connection(db.get_bind()) as conn:
            conn.execute(update(ApiToken).where(ApiToken.id == row.id).values(last_used=now))
    except (OperationalError, InternalError, sqlite3.OperationalError):  # busy, full or read-only
        # (PostgreSQL's is an InternalError; SQLite's BEGIN IMMEDIATE fails straight from the driver)
        logging.getLogger(__name__).info("skipped recording the use of token %s (database busy or read-only)",
                                         row.prefix)


@reads
def session_user(db: Session, user_id) -> User | None:
    """The user a signed-in session names (None for an id that is not one)."""
    return db.get(User, user_id) if isinstance(user_id, int) else None


@writes
def sign_out_everywhere(db: Session, user: User) -> None:
    """End every session of ``user`` (see ``end_sessions``) and commit."""
    end_sessions(user)
    db.add(user)


def end_sessions(user: User) -> None:
    """End every session of ``user``, on every device and server; the caller commits.

    Raised in the database (not read, added and written back), so that two changes at once
    both count.
    """
    user.session_version = User.session_version + 1
