"""The database engine of each app, the request's session, and schema migration."""

from __future__ import annotations

import time
import weakref
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from flask import Flask, current_app, g
from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DisconnectionError
from sqlmodel import Session, create_engine

from workbench.store.writer_queue import queue_for_writing, writer_queue_connection

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
_ENGINE_KEY = "workbench.engine"


def make_engine(url: str, *, sqlite_busy_timeout_ms: int = 5000) -> Engine:
    """Create an engine; SQLite gets WAL, a busy timeout and enforced foreign keys."""
    if url.startswith("sqlite"):
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
            # A request that changes things takes SQLite's write lock when its transaction starts.
            # With a plain BEGIN, a transaction that read a row and then writes it fails at once if
            # another writer committed in between (WAL snapshots cannot be upgraded), instead of
            # waiting its turn and then seeing the other writer's version.
            # Reads inside `read_phase` are the exception: they run before the lock is needed, each
            # on its own (no BEGIN), and the lock is taken when the first write comes.
            # Straight to the driver: this runs for every transaction.
            dbapi_connection = conn.connection.dbapi_connection
            if _begin_reading(conn):
                return
            if state_changing_request():
                queue_for_writing(dbapi_connection)
                dbapi_connection.execute("BEGIN IMMEDIATE")
            else:
                dbapi_connection.execute("BEGIN")

        _watch_for_writes_after_reading(engine)
        return engine
    if url.startswith("postgresql://"):
        # Use psycopg 3, the driver this project installs.
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    engine = create_engine(url)
    _ping_idle_connections(engine)

    @event.listens_for(engine, "begin")
    def _postgresql_begin(conn):
        # Reads inside `read_phase` run in autocommit: no BEGIN and COMMIT round trips around them.
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


#: In a connection's ``info``: it is serving a read phase, outside any database transaction.
_READING = "workbench.reading"


def _begin_reading(conn: Connection) -> bool:
    """At the start of a transaction: whether it is a read phase's, which begins nothing yet."""
    reading = state_changing_request() and in_read_phase()
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
        if not in_read_phase():
            start_writing(conn)
        elif context is not None and (context.isinsert or context.isupdate or context.isdelete):
            raise RuntimeError("read_phase() must not write")


def start_writing(conn: Connection) -> None:
    """After a read phase, begin the transaction its writes run in (a no-op when one has begun).

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
    """Whether ``conn`` is still in a read phase's autocommit reads (no transaction yet)."""
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


def state_changing_request() -> bool:
    from flask import has_request_context, request

    return has_request_context() and request.method not in ("GET", "HEAD", "OPTIONS")


def in_read_phase() -> bool:
    from flask import has_app_context

    return has_app_context() and g.get("_read_phase", False)


@contextmanager
def read_phase(db: Session) -> Iterator[Session]:
    """Reads a state-changing request makes before it writes, outside any database transaction.

    Each read stands on its own (SQLite without BEGIN, PostgreSQL in autocommit), so on SQLite
    no write lock is held and on PostgreSQL no BEGIN and COMMIT round trips are spent. The
    session's first statement after the block begins the transaction the writes run in (on
    SQLite: the writer queue, then the lock). Those writes must re-check what they rely on and
    could have changed in between. What the block loaded stays usable. Several read phases in a
    row share the same reading connection. Elsewhere (a request that only reads, or a session
    whose transaction has begun) the block is just the block.
    """
    if not state_changing_request() or in_read_phase() or db.new or db.dirty or db.deleted:
        yield db
        return
    g._read_phase = True
    try:
        if db.in_transaction() and not is_reading(db.connection()):
            g._read_phase = False  # the session's transaction has begun: a plain block
            yield db
            return
        try:
            yield db
        except BaseException:
            db.rollback()
            raise
        if db.new or db.dirty or db.deleted:
            db.rollback()
            raise RuntimeError("read_phase() must not write")
    finally:
        g._read_phase = False


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
