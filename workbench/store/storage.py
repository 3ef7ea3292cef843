"""Storage failures: a full disk or a read-only database told apart from other errors, the latest
one each part of the app met, and the probes behind ``/healthz``.

Two parts can fail: the ``database`` (full, read-only, a disk error, unreachable) and the
``storage`` of the instance folder, where exports and the secret key are written (full, not
writable). A request that meets such a failure is answered 503 (``storage_unavailable``), and
the failure is remembered for ``FAULT_MEMORY_SECONDS`` so that ``/healthz`` reports it even when
its own cheap probes cannot see it (a database whose last free page just went).
"""

from __future__ import annotations

import errno
import os
import shutil
import sqlite3
import time
from pathlib import Path

import psycopg
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError

OK = "ok"
FULL = "full"
READ_ONLY = "read-only"
DISK_ERROR = "disk error"
UNREACHABLE = "unreachable"
NOT_WRITABLE = "not writable"

#: How long a failure a request met is reported by the health check.
FAULT_MEMORY_SECONDS = 60.0
#: Less free space than this in the instance folder counts as full: an export may need several MB.
LOW_SPACE_BYTES = 8 * 1024 * 1024

_FAULTS_KEY = "workbench.storage_faults"

# SQLite's primary result codes (the low byte of an extended code).
_SQLITE_STATES = {13: FULL, 8: READ_ONLY, 10: DISK_ERROR}
# PostgreSQL: disk_full, and read_only_sql_transaction (a standby, or default_transaction_read_only).
_SQLSTATES = {"53100": FULL, "25006": READ_ONLY}
_OS_STATES = {errno.ENOSPC: FULL, errno.EDQUOT: FULL, errno.EROFS: NOT_WRITABLE, errno.EACCES: NOT_WRITABLE,
              errno.EPERM: NOT_WRITABLE}

MESSAGES = {
    ("database", FULL): "Storage is full: the database could not save this, so nothing was saved. "
                        "Ask an administrator to free disk space, then try again.",
    ("database", READ_ONLY): "The database is read-only at the moment, so nothing was saved. "
                             "Reading still works; try again later or ask an administrator.",
    ("database", DISK_ERROR): "The database's disk reported an error, so nothing was saved. "
                              "Ask an administrator to check the server's storage.",
    ("storage", FULL): "Storage is full: the server could not write the file, so nothing was saved. "
                       "Ask an administrator to free disk space, then try again.",
    ("storage", NOT_WRITABLE): "The server's storage is not writable, so the file could not be written. "
                               "Ask an administrator to check the instance folder's permissions.",
}


def database_failure(err: BaseException) -> str | None:
    """FULL, READ_ONLY or DISK_ERROR for a driver error (wrapped by SQLAlchemy or not), else None."""
    if isinstance(err, DBAPIError):
        err = err.orig
    if isinstance(err, sqlite3.Error):
        code = getattr(err, "sqlite_errorcode", None)
        return _SQLITE_STATES.get(code & 0xFF) if isinstance(code, int) else None
    if isinstance(err, psycopg.Error):
        return _SQLSTATES.get(err.sqlstate or "")
    return None


def file_failure(err: OSError) -> str | None:
    """FULL or NOT_WRITABLE for an error writing a file, else None."""
    return _OS_STATES.get(err.errno)


def note_fault(app, part: str, state: str) -> None:
    """Remember that ``part`` just failed in ``state`` (per process: each worker reports what it met)."""
    app.extensions.setdefault(_FAULTS_KEY, {})[part] = (state, time.monotonic())


def recent_fault(app, part: str) -> str | None:
    found = app.extensions.get(_FAULTS_KEY, {}).get(part)
    if found is None or time.monotonic() - found[1] > FAULT_MEMORY_SECONDS:
        return None
    return found[0]


def probe_database(engine: Engine) -> str:
    """Whether the database answers and could take a write; cheap enough for every health check.

    SQLite: a table created in a transaction that is rolled back (it needs a free page, so a full
    database fails it too); when another writer holds the lock, that writer shows it is writable.
    PostgreSQL: whether a new transaction would be read-only.
    """
    try:
        if engine.dialect.name == "sqlite":
            return _probe_sqlite(engine)
        with engine.connect() as conn:
            read_only = conn.execute(text("SELECT current_setting('transaction_read_only')")).scalar()
            conn.rollback()
        return READ_ONLY if read_only == "on" else OK
    except (DBAPIError, sqlite3.Error, psycopg.Error) as err:
        return database_failure(err) or UNREACHABLE


def _probe_sqlite(engine: Engine) -> str:
    raw = engine.raw_connection()
    try:
        driver = raw.driver_connection
        timeout = driver.execute("PRAGMA busy_timeout").fetchone()[0]
        driver.execute("PRAGMA busy_timeout = 0")  # never wait behind the writers
        try:
            try:
                driver.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError as err:
                if getattr(err, "sqlite_errorcode", 0) & 0xFF == 5:  # SQLITE_BUSY: someone is writing
                    return OK
                raise
            try:
                driver.execute("CREATE TABLE workbench_health_probe (x INTEGER)")
            finally:
                driver.execute("ROLLBACK")
        finally:
            # The connection goes back to the pool: its writers must wait their turn again.
            driver.execute(f"PRAGMA busy_timeout = {int(timeout)}")
        return OK
    finally:
        raw.close()


def probe_folder(folder: Path) -> str:
    """Whether files can be written in ``folder`` (the instance folder): writable, with room left."""
    try:
        if not os.access(folder, os.W_OK):
            return NOT_WRITABLE
        if shutil.disk_usage(folder).free < LOW_SPACE_BYTES:
            return FULL
    except OSError:
        return NOT_WRITABLE
    return OK
