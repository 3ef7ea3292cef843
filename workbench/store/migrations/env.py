"""Alembic environment: migrates the engine handed over by ``workbench.store.db.upgrade_database``."""

from alembic import context
from sqlmodel import SQLModel

from workbench.store import models  # noqa: F401  (registers the tables on SQLModel.metadata)
from workbench.store.db import make_engine

config = context.config
target_metadata = SQLModel.metadata


def run_migrations_online() -> None:
    engine = config.attributes.get("engine")
    if engine is None:  # plain `alembic` command line: take the URL from the environment
        import os

        engine = make_engine(os.environ["WORKBENCH_DATABASE_URL"])
    with engine.begin() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            # SQLite cannot ALTER most things in place; batch mode rebuilds tables instead.
            render_as_batch=connection.dialect.name == "sqlite",
            compare_type=True,
        )
        context.run_migrations()


run_migrations_online()
