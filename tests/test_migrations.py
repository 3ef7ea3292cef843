"""Alembic migrations: from empty to head, and the result matches the models."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect
from sqlmodel import SQLModel

from workbench import models  # noqa: F401
from workbench.db import get_engine, upgrade_database


def test_migrated_schema_matches_the_models(app):
    engine = get_engine(app)
    upgrade_database(engine)  # already at head: a no-op that must not fail
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), SQLModel.metadata)
    assert diff == []


def test_every_table_exists(app):
    names = set(inspect(get_engine(app)).get_table_names())
    assert set(SQLModel.metadata.tables) <= names and "alembic_version" in names


def test_upgrade_from_empty(tmp_path):
    from workbench.db import make_engine

    engine = make_engine(f"sqlite:///{tmp_path / 'fresh.sqlite3'}")
    upgrade_database(engine)
    assert "revision" in inspect(engine).get_table_names()
    engine.dispose()


def test_users_from_before_the_session_version_get_one(tmp_path):
    from sqlalchemy import text

    from workbench.db import make_engine

    engine = make_engine(f"sqlite:///{tmp_path / 'old.sqlite3'}")
    upgrade_database(engine, "0004")
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO user (username, display_name, password_hash, role, active, created) "
                          "VALUES ('ana', 'Ana', 'x', 'checker', 1, '2025-01-01 00:00:00')"))
    upgrade_database(engine)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT session_version FROM user WHERE username = 'ana'")).scalar_one() == 0
    engine.dispose()
