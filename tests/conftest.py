"""Fixtures: an app on a fresh database per test (SQLite, and PostgreSQL when configured),
clients signed in by role, an API client with a bearer token, and factories. The helpers
they use, and that tests import, are in tests/helpers."""

from __future__ import annotations

import os
import shutil
import uuid
from pathlib import Path

import pytest
from sqlalchemy import text

from tests.helpers import factories
from tests.helpers.api import ApiClient
from tests.helpers.apps import PASSWORDS, make_test_app
from tests.helpers.databases import (
    BACKENDS,
    PG_URL,
    truncate_postgres,
    with_search_path,
)
from tests.helpers.pages import AuthActions
from tests.helpers.servers import Site
from workbench.services.accounts import create_token
from workbench.store.db import get_session, make_engine, upgrade_database
from workbench.store.models import User


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory) -> Path:
    """A migrated SQLite file; each test gets its own copy (migrating per test is slow)."""
    path = tmp_path_factory.mktemp("template") / "template.sqlite3"
    engine = make_engine(f"sqlite:///{path}")
    upgrade_database(engine)
    engine.dispose()
    return path


@pytest.fixture(scope="session")
def postgres_url():
    """A schema of its own for this test run (runs may share the database), migrated from empty."""
    schema = f"workbench_test_{os.getpid()}"
    admin = make_engine(PG_URL)
    with admin.begin() as conn:
        conn.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    url = with_search_path(PG_URL, schema)
    engine = make_engine(url)
    upgrade_database(engine)
    yield url, engine, schema
    engine.dispose()
    with admin.begin() as conn:
        conn.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
    admin.dispose()


@pytest.fixture(params=BACKENDS)
def database_url(request, tmp_path, sqlite_template) -> str:
    if request.param == "postgresql":
        url, engine, schema = request.getfixturevalue("postgres_url")
        truncate_postgres(engine, schema)  # isolate the database for each test
        return url
    path = tmp_path / "workbench.sqlite3"
    shutil.copy(sqlite_template, path)
    return f"sqlite:///{path}"


@pytest.fixture
def app_config() -> dict:
    """Override to change settings for one test module."""
    return {}


@pytest.fixture
def app(database_url, tmp_path, app_config):
    app = make_test_app(database_url, tmp_path / "instance", **app_config)
    yield app
    from workbench.store.db import get_engine

    get_engine(app).dispose()


@pytest.fixture
def db(app):
    """A session of the test's own: not the one requests use, so tests see only what was committed."""
    from sqlmodel import Session

    from workbench.store.db import get_engine

    with Session(get_engine(app), expire_on_commit=False) as session:
        yield session


@pytest.fixture
def users(app) -> dict[str, User]:
    """One user of each role, username = role, password = PASSWORDS[role]."""
    from workbench.services.users import create_user

    with app.app_context():
        session = get_session()
        made = {role: create_user(session, username=role, password=pw, role=role, display_name=role.title())
                for role, pw in PASSWORDS.items()}
    return made


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def auth(client, users) -> AuthActions:
    return AuthActions(client)


@pytest.fixture
def api_as(app, client, users):
    """``api_as("checker")``: an API client holding a token of that role's user."""

    def make(role: str) -> ApiClient:
        with app.app_context():
            token = create_token(get_session(), get_session().get(User, users[role].id))
        return ApiClient(client, token)

    return make


@pytest.fixture
def make_article(app, users):
    """Import an article (plain text) as the checker and return its id."""

    def make(text: str = factories.ARTICLE_TEXT, **overrides):
        with app.app_context():
            session = get_session()
            return factories.make_article(session, session.get(User, users["checker"].id), text, **overrides).id

    return make


@pytest.fixture
def site():
    server = Site()
    yield server
    server.close()


@pytest.fixture(params=BACKENDS)
def server_database(request, tmp_path, sqlite_template):
    """The URL of a migrated database of its own, for a server in other processes (gunicorn)."""
    if request.param == "sqlite":
        path = tmp_path / "durable.sqlite3"
        shutil.copy(sqlite_template, path)
        yield f"sqlite:///{path}"
        return
    schema = f"workbench_dur_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    admin = make_engine(PG_URL)
    with admin.begin() as conn:
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    url = with_search_path(PG_URL, schema)
    engine = make_engine(url)
    upgrade_database(engine)
    engine.dispose()
    yield url
    with admin.begin() as conn:
        conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
    admin.dispose()
