"""Units of work: services say how they use the database, and the store picks the transaction.

``reading(db)``: reads outside any write transaction. Each read stands on its own (SQLite
without BEGIN, PostgreSQL in autocommit), so on SQLite no write lock is held and on PostgreSQL
no BEGIN and COMMIT round trips are spent. What the block loaded stays usable; writing in it
raises. Inside ``writing`` it is a plain block.

``writing(db)``: one write transaction. On SQLite it waits in the writer queue and takes the
write lock (BEGIN IMMEDIATE) at its first statement, not before: preparing what to write costs
no lock time. It commits when the block ends (objects stay loaded: the session does not expire
them on commit) and rolls back on an error, leaving the session usable for the answer. Writes
must re-check what they rely on and could have changed since it was read (claims carry a version
the ORM checks). ``writing`` inside ``writing`` or ``reading`` raises; a service called by another
service's unit of work joins it through :func:`writes`.

Outside both, a session reads in a plain transaction (SQLite's BEGIN takes no lock).
"""

from __future__ import annotations

import functools
from contextlib import contextmanager
from typing import Callable, Iterator, TypeVar

from sqlalchemy.engine import Connection, Engine
from sqlmodel import Session

from workbench.store.db import (
    READING,
    WRITING,
    is_reading,
    reset_transaction_mode,
    set_transaction_mode,
    transaction_mode,
)

F = TypeVar("F", bound=Callable)


def _pending(db: Session) -> bool:
    return bool(db.new or db.dirty or db.deleted)


@contextmanager
def reading(db: Session) -> Iterator[Session]:
    """Reads outside any write transaction (see the module's docstring)."""
    if transaction_mode() is not None or _pending(db):
        yield db
        return
    if db.in_transaction() and not is_reading(db.connection()):
        yield db  # a plain transaction has begun: its reads take no lock either
        return
    token = set_transaction_mode(READING)
    try:
        yield db
        if _pending(db):
            db.rollback()
            raise RuntimeError("reading() must not write")
    finally:
        reset_transaction_mode(token)


@contextmanager
def writing(db: Session) -> Iterator[Session]:
    """One write transaction: committed at the end, rolled back on an error."""
    mode = transaction_mode()
    if mode == WRITING:
        raise RuntimeError("writing() is open already: a unit of work cannot nest another")
    if mode == READING:
        raise RuntimeError("writing() inside reading(): end the reads first")
    was_reading = False
    if db.in_transaction():
        conn = db.connection()
        was_reading = is_reading(conn)
        if not was_reading and conn.dialect.name == "sqlite":
            # A plain (deferred) transaction cannot become a writer safely: end it, so that the
            # write transaction begins with BEGIN IMMEDIATE.
            db.commit()
    token = set_transaction_mode(WRITING)
    try:
        yield db
        db.commit()
    except BaseException:
        db.rollback()
        raise
    finally:
        reset_transaction_mode(token)
    if was_reading:
        # What follows (the answer) reads as before the writes: outside any transaction.
        token = set_transaction_mode(READING)
        try:
            db.connection()
        finally:
            reset_transaction_mode(token)


def writes(service: F) -> F:
    """Run the service (whose first argument is the session) as one ``writing`` unit of work, or
    as part of the one its caller has open."""

    @functools.wraps(service)
    def run(db: Session, *args, **kwargs):
        if transaction_mode() == WRITING:
            return service(db, *args, **kwargs)
        with writing(db):
            return service(db, *args, **kwargs)

    return run  # type: ignore[return-value]


def reads(service: F) -> F:
    """Run the service (whose first argument is the session) inside ``reading``."""

    @functools.wraps(service)
    def run(db: Session, *args, **kwargs):
        with reading(db):
            return service(db, *args, **kwargs)

    return run  # type: ignore[return-value]


@contextmanager
def writing_connection(engine: Engine) -> Iterator[Connection]:
    """A write transaction on a connection of its own (not the session's), committed at the end."""
    token = set_transaction_mode(WRITING)
    try:
        with engine.begin() as conn:
            yield conn
    finally:
        reset_transaction_mode(token)
