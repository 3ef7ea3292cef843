"""Operations: the health check, structured request logs, SQLite settings, migrations on both databases."""

import json
import logging
import os
import uuid

import pytest
from alembic import command
from sqlalchemy import inspect, text

from tests.helpers.databases import PG_URL
from workbench.store.db import alembic_config, get_engine, make_engine, upgrade_database


def test_health(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "checks": {"database": "ok", "storage": "ok"}}


def _closed_port_url() -> str:
    from tests.helpers.servers import free_port

    return f"postgresql+psycopg://postgres@127.0.0.1:{free_port()}/workbench"  # nothing listens there


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_health_answers_503_json_naming_the_database_when_it_is_down(backend, tmp_path):
    """A database that cannot be opened (SQLite: the file is a folder; PostgreSQL: nothing listens
    on the port): 503 in JSON naming the part that fails, for a load balancer and for a signed-in
    operator's browser alike (whose session cookie is not looked up)."""
    from tests.helpers.apps import make_test_app

    if backend == "sqlite":
        (tmp_path / "db.sqlite3").mkdir()
        url = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    else:
        url = _closed_port_url()
    app = make_test_app(url, tmp_path / "instance")
    client = app.test_client()
    plain = client.get("/healthz")
    with client.session_transaction() as session:
        session.update({"user_id": 1, "version": 0, "signed_in": 1, "seen": 1})
    for response in (plain, client.get("/healthz"), client.get("/healthz", headers={"Authorization": "Bearer x"})):
        assert response.status_code == 503 and response.is_json, response.text[:200]
        assert response.get_json() == {"status": "degraded", "checks": {"database": "unreachable", "storage": "ok"}}
    get_engine(app).dispose()


def test_health_does_not_hang_on_a_database_server_that_never_answers(tmp_path, monkeypatch):
    """A PostgreSQL host that takes the connection and then says nothing (hung, or a dead address
    behind a proxy): the health check gives up after the connect timeout and answers 503."""
    import socket
    import time

    import workbench.store.db
    from tests.helpers.apps import make_test_app

    monkeypatch.setattr(workbench.store.db, "PG_CONNECT_TIMEOUT_SECONDS", 2)
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)  # the kernel completes the handshake; nobody ever reads or writes
        url = f"postgresql+psycopg://postgres@127.0.0.1:{silent.getsockname()[1]}/workbench"
        app = make_test_app(url, tmp_path / "instance")
        started = time.monotonic()
        response = app.test_client().get("/healthz")
        took = time.monotonic() - started
        get_engine(app).dispose()
    assert response.status_code == 503 and response.get_json()["checks"]["database"] == "unreachable"
    assert took < 10, f"the health check took {took:.1f} s"


def test_each_request_is_logged_with_its_fields(client, auth, caplog):
    auth.login_as("viewer")
    with caplog.at_level(logging.INFO, logger="workbench.request"):
        response = client.get("/articles", headers={"X-Request-Id": "abc123"})
    record = next(r for r in caplog.records if r.name == "workbench.request" and r.fields["path"] == "/articles")
    assert record.fields["method"] == "GET" and record.fields["status"] == 200
    assert record.fields["user"] == "viewer" and record.fields["request_id"] == "abc123"
    assert record.fields["duration_ms"] >= 0
    assert response.headers["X-Request-Id"] == "abc123"


def test_json_formatter_writes_one_json_object():
    import json

    from workbench.web.request_log import JsonFormatter

    record = logging.LogRecord("workbench.request", logging.INFO, __file__, 1, "request", None, None)
    record.fields = {"method": "GET", "status": 200}
    line = JsonFormatter().format(record)
    assert json.loads(line)["status"] == 200 and "\n" not in line


def test_sqlite_runs_in_wal_mode_with_a_busy_timeout(app):
    if not app.config["DATABASE_URL"].startswith("sqlite"):
        pytest.skip("SQLite only")
    with get_engine(app).connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 5000
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


@pytest.fixture(params=["sqlite"] + (["postgresql"] if PG_URL else []))
def empty_database(request, tmp_path):
    """An engine on an empty database (a fresh SQLite file, or a fresh PostgreSQL schema)."""
    if request.param == "sqlite":
        engine = make_engine(f"sqlite:///{tmp_path / 'empty.sqlite3'}")
        yield engine
        engine.dispose()
        return
    schema = f"workbench_mig_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    admin = make_engine(PG_URL)
    with admin.begin() as conn:
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    engine = make_engine(f"{PG_URL}{'&' if '?' in PG_URL else '?'}options=-csearch_path%3D{schema}")
    yield engine
    engine.dispose()
    with admin.begin() as conn:
        conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
    admin.dispose()


def test_migrations_upgrade_from_each_previous_revision(empty_database):
    """From empty to 0001, then each later revision in turn; data written early survives."""
    config = alembic_config(empty_database)
    command.upgrade(config, "0001")
    with empty_database.begin() as conn:
        conn.execute(text('INSERT INTO "user" (username, display_name, password_hash, role, active, created) '
                          "VALUES ('early', 'Early', 'x', 'admin', true, CURRENT_TIMESTAMP)"))
    for target in ("0002", "0003"):
        command.upgrade(config, target)
    with empty_database.begin() as conn:  # an article imported before revisions counted their blocks
        conn.execute(text("INSERT INTO article (title, created, modified, current_revision) "
                          "VALUES ('Early', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 1)"))
        conn.execute(text(
            "INSERT INTO revision (article_id, number, original, original_media_type, origin, canonical_text, html, "
            "sha256, blocks, title, created) VALUES (1, 1, :original, 'text/plain', 'paste', 'Text', '<p>Text</p>', "
            "'x', :blocks, 'Early', CURRENT_TIMESTAMP)"),
            {"original": b"Text", "blocks": json.dumps([{"text": "Text", "kept": True}, {"text": "Share", "kept": False},
                                                        {"text": "Ad", "kept": False}])})
    command.upgrade(config, "head")
    with empty_database.connect() as conn:
        assert conn.execute(text("SELECT blocks_kept, blocks_dropped FROM revision")).one() == (1, 2)
    tables = set(inspect(empty_database).get_table_names())
    assert {"claim_anchor", "history_event", "claim"} <= tables
    assert "status_changed" in {c["name"] for c in inspect(empty_database).get_columns("claim")}
    with empty_database.connect() as conn:
        assert conn.execute(text('SELECT username FROM "user"')).scalar() == "early"


def test_migrations_downgrade_and_upgrade_again(empty_database):
    config = alembic_config(empty_database)
    upgrade_database(empty_database)
    command.downgrade(config, "0001")
    assert "claim_anchor" not in inspect(empty_database).get_table_names()
    upgrade_database(empty_database)
    assert "claim_anchor" in inspect(empty_database).get_table_names()


def _end_backend_of(pid: int) -> None:
    admin = make_engine(PG_URL)
    try:
        with admin.connect() as conn:
            conn.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
            conn.commit()
    finally:
        admin.dispose()


@pytest.fixture
def ended_pooled_connection():
    """An engine whose one pooled connection the server has ended (as a restart would); its backend pid."""
    if not PG_URL:
        pytest.skip("needs PostgreSQL (WORKBENCH_TEST_DATABASE_URL)")
    engine = make_engine(PG_URL)
    with engine.connect() as conn:
        backend = conn.execute(text("SELECT pg_backend_pid()")).scalar()
    _end_backend_of(backend)
    yield engine, backend
    engine.dispose()


def test_a_pooled_connection_lost_while_idle_is_replaced_unnoticed(ended_pooled_connection, monkeypatch):
    """The database restarted while the connection sat idle in the pool: the next user gets a
    working connection, not an error."""
    import workbench.store.db

    engine, ended_backend = ended_pooled_connection
    monkeypatch.setattr(workbench.store.db, "PING_AFTER_IDLE_SECONDS", 0.0)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT pg_backend_pid()")).scalar() != ended_backend


def test_a_connection_in_steady_use_is_handed_out_unchecked(ended_pooled_connection, monkeypatch):
    """Within the idle threshold there is no check (no round trip): a connection the server ended a
    moment ago fails on first use instead, and the pool then replaces it."""
    from sqlalchemy.exc import OperationalError

    import workbench.store.db

    engine, ended_backend = ended_pooled_connection
    monkeypatch.setattr(workbench.store.db, "PING_AFTER_IDLE_SECONDS", 3600.0)
    with pytest.raises(OperationalError):
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    with engine.connect() as conn:
        assert conn.execute(text("SELECT pg_backend_pid()")).scalar() != ended_backend
