"""The databases tests run on: SQLite always, PostgreSQL when WORKBENCH_TEST_DATABASE_URL is set."""

from __future__ import annotations

import os

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
