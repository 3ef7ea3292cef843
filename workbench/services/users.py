"""User accounts: creation, passwords, roles, deactivation, listing.

Every change of password, role or active state ends the user's sessions (``auth.end_sessions``).
"""

from __future__ import annotations

import re

from sqlmodel import Session, select

from workbench.errors import InvalidContentError, NotFoundError
from workbench.services.accounts import (
    end_sessions,
    hash_password,
    validate_new_password,
)
from workbench.store.models import Role, User
from workbench.store.unit_of_work import reads, writes

USERNAME_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{1,63}$")


def parse_role(role: str) -> Role:
    try:
        return Role(role.strip().lower())
    except ValueError:
        names = ", ".join(r.value for r in Role)
        raise InvalidContentError(f"Unknown role {role!r}; choose one of {names}.", code="bad_role") from None


@writes
def create_user(db: Session, *, username: str, password: str, role: str, display_name: str = "") -> User:
    username = username.strip().lower()
    if not USERNAME_RE.match(username):
        raise InvalidContentError(
            "A username has 2 to 64 characters: letters, digits, dot, dash or underscore.", code="bad_username"
        )
    if db.exec(select(User).where(User.username == username)).first() is not None:
        raise InvalidContentError(f"The username {username!r} is taken.", code="username_taken")
    validate_new_password(password)
    user = User(username=username, display_name=display_name.strip() or username,
                password_hash=hash_password(password), role=parse_role(role).value)
    db.add(user)
    db.commit()
    return user


@writes
def set_role(db: Session, *, user: User, role: str, actor: User) -> User:
    new_role = parse_role(role)
    if user.id == actor.id and new_role != Role.admin:
        raise InvalidContentError("You cannot take away your own admin role; ask another admin.", code="self_demotion")
    if user.role != new_role.value:
        user.role = new_role.value
        end_sessions(user)
        db.add(user)
        db.commit()
    return user


@writes
def set_password(db: Session, *, user: User, password: str) -> User:
    """Give ``user`` a new password; every session signed in with the old one ends."""
    validate_new_password(password)
    user.password_hash = hash_password(password)
    end_sessions(user)
    db.add(user)
    db.commit()
    return user


@writes
def set_active(db: Session, *, user: User, active: bool, actor: User | None = None) -> User:
    """Deactivate (no sign-in, no tokens; history stays attributable) or reactivate ``user``.

    Either way their sessions end: one made before deactivation must not come back with reactivation.
    """
    if actor is not None and user.id == actor.id and not active:
        raise InvalidContentError("You cannot deactivate yourself; ask another admin.", code="self_deactivation")
    if user.active != active:
        user.active = active
        end_sessions(user)
        db.add(user)
        db.commit()
    return user


@reads
def user_or_none(db: Session, user_id: int) -> User | None:
    return db.get(User, user_id)


def get_user(db: Session, user_id: int) -> User:
    user = db.get(User, user_id)
    if user is None:
        raise NotFoundError(f"There is no user {user_id}.")
    return user


def find_user(db: Session, username: str) -> User:
    user = db.exec(select(User).where(User.username == username.strip().lower())).first()
    if user is None:
        raise NotFoundError(f"There is no user {username!r}.")
    return user


def names_of(db: Session, user_ids) -> dict[int, str]:
    """The names shown for these users (display name, else username), by id."""
    rows = db.exec(select(User.id, User.display_name, User.username).where(User.id.in_(set(user_ids) or {0})))
    return {u.id: u.display_name or u.username for u in rows}


def users_by_id(db: Session) -> dict[int, User]:
    return {u.id: u for u in db.exec(select(User))}


def list_users(db: Session) -> list[User]:
    return list(db.exec(select(User).order_by(User.username)).all())
