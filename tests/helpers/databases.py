"""The databases tests run on: SQLite always, PostgreSQL when WORKBENCH_TEST_DATABASE_URL is set."""

from __future__ import annotations

import os
import sqlite3

import pytest
from sqlalchemy import text

PG_URL = os.environ.get("WORKBENCH_TEST_DATABASE_URL")
BACKENDS = ["sqlite"] + (["postgresql"] if PG_URL else [])


def with_search_path(url: str, schema: str) -> str:
    """``url`` with every connection's search path set to ``schema``."""
    separator = "&" if "?" in url else "?"
    return f"{url}{separator}options=-csearch_path%3D{schema}"


def truncate_postgres(engine, schema: str) -> None:
    """Empty every table of ``schema`` but the migration record."""
    with engine.begin() as conn:
        tables = conn.execute(text(
            "SELECT tablename FROM pg_tables WHERE schemaname = :schema AND tablename <> 'alembic_version'"
        ), {"schema": schema}).scalars().all()
        conn.execute(text("TRUNCATE " + ", ".join(f'"{t}"' for t in tables) + " RESTART IDENTITY CASCADE"))


def sqlite_path(app) -> str:
    url = app.config["DATABASE_URL"]
    if not url.startswith("sqlite:///"):
        pytest.skip("SQLite only")
    return url[len("sqlite:///"):]


def write_lock_is_free(path: str) -> bool:
    """Whether another connection could start writing right now (it does not wait)."""
    other = sqlite3.connect(path, timeout=0, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
        other.execute("ROLLBACK")
        return True
    except sqlite3.OperationalError as err:
        assert "locked" in str(err)
        return False
    finally:
        other.close()
