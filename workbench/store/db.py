"""The database engine of each app, the request's session, and schema migration."""

from __future__ import annotations

import sqlite3
import time
import weakref
from contextvars import ContextVar
from pathlib import Path

from flask import Flask, current_app, g
from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DisconnectionError
from sqlmodel import Session, create_engine

from workbench.store.writer_queue import queue_for_writing, writer_queue_connection

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
_ENGINE_KEY = "workbench.engine"


#: How long connecting to PostgreSQL may take before it counts as unreachable.
PG_CONNECT_TIMEOUT_SECONDS = 10


#: The claims' stamps join rows with SQLite's JSON functions, built in from 3.38.
SQLITE_NEEDED = (3, 38)


def make_engine(url: str, *, sqlite_busy_timeout_ms: int = 5000) -> Engine:
    """Create an engine; SQLite gets WAL, a busy timeout and enforced foreign keys."""
    if url.startswith("sqlite"):
        if sqlite3.sqlite_version_info < SQLITE_NEEDED:
            raise RuntimeError(f"Workbench needs SQLite {'.'.join(map(str, SQLITE_NEEDED))} or newer; this Python "
                               f"has {sqlite3.sqlite_version}. Use a newer Python build, or PostgreSQL "
                               f"(WORKBENCH_DATABASE_URL).")
        path = url[len("sqlite:///"):] if url.startswith("sqlite:///") else ""
        connect_args = {"check_same_thread": False, "timeout": sqlite_busy_timeout_ms / 1000}
        if path and path != ":memory:":
            connect_args["factory"] = writer_queue_connection(path + ".writers")
        engine = create_engine(url, connect_args=connect_args)

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn, _record):  # pragma: no cover - exercised by every test
            cursor = dbapi_conn.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute(f"PRAGMA busy_timeout={int(sqlite_busy_timeout_ms)}")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.close()
            # We emit BEGIN ourselves (below) instead of the driver's implicit one.
            dbapi_conn.isolation_level = None

        @event.listens_for(engine, "begin")
        def _sqlite_begin(conn):
            # A unit of work that writes (store.unit_of_work.writing) takes SQLite's write lock when
            # its transaction starts. With a plain BEGIN, a transaction that read a row and then
            # writes it fails at once if another writer committed in between (WAL snapshots cannot
            # be upgraded), instead of waiting its turn and then seeing the other writer's version.
            # Reads in `reading` run before the lock is needed, each on its own (no BEGIN), and
            # the lock is taken when the first write comes. Anything else begins a plain BEGIN.
            # Straight to the driver: this runs for every transaction.
            dbapi_connection = conn.connection.dbapi_connection
            if _begin_reading(conn):
                return
            if _MODE.get() == WRITING:
                queue_for_writing(dbapi_connection)
                dbapi_connection.execute("BEGIN IMMEDIATE")
            else:
                dbapi_connection.execute("BEGIN")

        _watch_for_writes_after_reading(engine)
        return engine
    if url.startswith("postgresql://"):
        # Use psycopg 3, the driver this project installs.
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    # A database host that stops answering must not hold a request (or the health check) for the
    # driver's two minutes: connecting gives up after PG_CONNECT_TIMEOUT_SECONDS, unless the URL
    # says otherwise (``?connect_timeout=N``).
    connect_args = {} if "connect_timeout=" in url else {"connect_timeout": PG_CONNECT_TIMEOUT_SECONDS}
    engine = create_engine(url, connect_args=connect_args)
    _ping_idle_connections(engine)

    @event.listens_for(engine, "begin")
    def _postgresql_begin(conn):
        # Reads inside `reading` run in autocommit: no BEGIN and COMMIT round trips around them.
        _begin_reading(conn)

    @event.listens_for(engine, "checkin")
    def _no_autocommit_in_the_pool(dbapi_connection, record):
        if record.info.get(_READING):
            record.info[_READING] = False
            try:
                dbapi_connection.autocommit = False
            except Exception:  # noqa: BLE001 - a closed connection: its next use fails and is replaced
                pass

    _watch_for_writes_after_reading(engine)
    return engine


#: In a connection's ``info``: it is serving reads outside any database transaction.
_READING = "workbench.reading"

#: The kind of unit of work running in this thread (see store.unit_of_work): READING, WRITING or None.
READING, WRITING = "reading", "writing"
_MODE: ContextVar[str | None] = ContextVar("workbench.unit_of_work", default=None)


def transaction_mode() -> str | None:
    return _MODE.get()


def set_transaction_mode(mode: str | None):
    """Set the mode; returns the token that ``reset_transaction_mode`` takes."""
    return _MODE.set(mode)


def reset_transaction_mode(token) -> None:
    _MODE.reset(token)


def _begin_reading(conn: Connection) -> bool:
    """At the start of a transaction: whether it serves `reading`, which begins nothing yet."""
    reading = _MODE.get() == READING
    info = conn.info
    if reading:
        info[_READING] = True
        if conn.dialect.name != "sqlite":
            conn.connection.dbapi_connection.autocommit = True
    elif info.get(_READING):  # left from the connection's last transaction
        info[_READING] = False
        if conn.dialect.name != "sqlite":
            conn.connection.dbapi_connection.autocommit = False
    return reading


def _watch_for_writes_after_reading(engine: Engine) -> None:
    @event.listens_for(engine, "before_cursor_execute")
    def _write_after_reading(conn, _cursor, _statement, _parameters, context, _executemany):
        if not conn.info.get(_READING):
            return
        mode = _MODE.get()
        writes = context is not None and (context.isinsert or context.isupdate or context.isdelete)
        if mode == READING:
            if writes:
                raise RuntimeError("reading() must not write")
        elif mode == WRITING or writes:
            # Inside `writing` every statement runs in its transaction; outside any unit of
            # work, reads go on without one and a write begins one.
            start_writing(conn)


def start_writing(conn: Connection) -> None:
    """After reads outside a transaction, begin the transaction its writes run in (a no-op when one has begun).

    On SQLite this waits in the writer queue and takes the write lock (BEGIN IMMEDIATE); on
    PostgreSQL the connection leaves autocommit, so the next statement begins the transaction.
    Statements sent through SQLAlchemy call this themselves; code that talks to the driver
    directly (``driver_statements``) calls it first.
    """
    info = conn.info
    if not info.get(_READING):
        return
    info[_READING] = False
    dbapi_connection = conn.connection.dbapi_connection
    if conn.dialect.name == "sqlite":
        queue_for_writing(dbapi_connection)
        dbapi_connection.execute("BEGIN IMMEDIATE")
    else:
        dbapi_connection.autocommit = False


def is_reading(conn: Connection) -> bool:
    """Whether ``conn`` is still serving autocommit reads (no transaction yet)."""
    return bool(conn.info.get(_READING))


#: A pooled connection unused for longer than this is checked before a request gets it.
PING_AFTER_IDLE_SECONDS = 10.0


def _ping_idle_connections(engine: Engine) -> None:
    """Check a connection that sat idle in the pool before handing it out (the database may have
    restarted meanwhile); one in steady use is not, which spares a round trip on every request."""

    @event.listens_for(engine, "checkin")
    def _note_idle_since(_dbapi_connection, record):
        record.info["idle_since"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _ping_if_idle(dbapi_connection, record, _proxy):
        idle_since = record.info.get("idle_since")
        if idle_since is None or time.monotonic() - idle_since < PING_AFTER_IDLE_SECONDS:
            return
        try:
            dbapi_connection.execute(";")
            dbapi_connection.rollback()
        except Exception as err:  # noqa: BLE001 - any failure means: not this connection
            # The pool discards this connection and tries another (a new one if need be).
            raise DisconnectionError(f"pooled connection failed its check: {err}") from err


def get_engine(app: Flask | None = None) -> Engine:
    app = app or current_app
    return app.extensions[_ENGINE_KEY]


def get_session() -> Session:
    """The session of this request (or CLI command), opened on first use."""
    if "db_session" not in g:
        g.db_session = Session(get_engine(), expire_on_commit=False)
    return g.db_session


def close_session(_exc: BaseException | None = None) -> None:
    session = g.pop("db_session", None)
    if session is not None:
        session.close()


def alembic_config(engine: Engine):
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.attributes["engine"] = engine
    return cfg


def upgrade_database(engine: Engine, revision: str = "head") -> None:
    """Create or migrate the schema to ``revision`` with Alembic."""
    from alembic import command

    command.upgrade(alembic_config(engine), revision)


_ENGINES: "weakref.WeakSet[Engine]" = weakref.WeakSet()


def dispose_engines() -> None:
    """Drop pooled connections (after a fork: a child must open its own)."""
    for engine in _ENGINES:
        engine.dispose(close=False)


def init_app(app: Flask) -> None:
    url = app.config["DATABASE_URL"]
    if url.startswith("sqlite:///"):
        Path(url[len("sqlite:///"):]).parent.mkdir(parents=True, exist_ok=True)
    app.extensions[_ENGINE_KEY] = make_engine(url, sqlite_busy_timeout_ms=app.config["SQLITE_BUSY_TIMEOUT_MS"])
    _ENGINES.add(app.extensions[_ENGINE_KEY])
    app.teardown_appcontext(close_session)
