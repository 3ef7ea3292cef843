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
