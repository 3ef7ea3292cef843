"""A full disk or a read-only database: a clear 503 (``storage_unavailable``) instead of a 500,
nothing stored is changed, reading still works, and ``/healthz`` names the part that fails."""

from __future__ import annotations

import errno
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import event, text
from sqlmodel import func, select

from tests.helpers.api import assert_api_error
from tests.helpers.apps import make_test_app
from workbench.store.db import get_engine
from workbench.store.models import Article, Claim, ImportDraft, Revision

TEXT = "Storage Headline\n\nThe minister said tolls paid for the bridge twice over.\n\nReceipts were 830 million."
BIG = "Big Headline\n\n" + "\n\n".join(f"Paragraph {i} says the harbour walls cost {i} million crowns, "
                                        f"according to the audit office's report of that year." * 3
                                        for i in range(400))


def on_every_connection(app, *statements: str) -> None:
    """Run ``statements`` on every connection the app opens from now on (its pool emptied first)."""
    engine = get_engine(app)
    engine.dispose()

    @event.listens_for(engine, "connect")
    def _run(dbapi_connection, _record):
        cursor = dbapi_connection.cursor()
        for statement in statements:
            if "{page_count}" in statement:
                cursor.execute("PRAGMA page_count")
                statement = statement.format(page_count=cursor.fetchone()[0])
            cursor.execute(statement)
        cursor.close()
        if engine.dialect.name != "sqlite":
            dbapi_connection.commit()


@pytest.fixture
def full_database(app, database_url):
    """Make the app's database full: SQLite may not grow by a page; PostgreSQL answers disk_full (53100)
    to every write of an article, revision or claim, as it does when it cannot extend a file."""
    if database_url.startswith("sqlite"):
        def fill():
            on_every_connection(app, "PRAGMA max_page_count = {page_count}")
        yield fill
        return
    engine = get_engine(app)
    tables = ["article", "revision", "claim", "import_draft", "history_event"]

    def fill():
        with engine.begin() as conn:
            conn.execute(text("CREATE FUNCTION workbench_disk_full() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                              "RAISE EXCEPTION 'could not extend file: No space left on device' "
                              "USING ERRCODE = 'disk_full'; END $$"))
            for table in tables:
                conn.execute(text(f'CREATE TRIGGER disk_full BEFORE INSERT OR UPDATE ON "{table}" '
                                  "FOR EACH ROW EXECUTE FUNCTION workbench_disk_full()"))
        engine.dispose()

    yield fill
    with engine.begin() as conn:
        conn.execute(text("DROP FUNCTION IF EXISTS workbench_disk_full() CASCADE"))


@pytest.fixture
def read_only_database(app, database_url):
    def make_read_only():
        if database_url.startswith("sqlite"):
            on_every_connection(app, "PRAGMA query_only = 1")
        else:
            on_every_connection(app, "SET default_transaction_read_only = on")

    return make_read_only


def counts(db) -> dict:
    db.rollback()
    found = {model.__name__: db.exec(select(func.count()).select_from(model)).one()
             for model in (Article, Revision, Claim, ImportDraft)}
    db.rollback()  # hold no transaction open (dropping the disk-full trigger would wait for it)
    return found


def health(client) -> tuple[int, dict]:
    response = client.get("/healthz")
    return response.status_code, response.get_json()


def page_message(response) -> str:
    assert response.status_code == 503, response.text[:500]
    soup = BeautifulSoup(response.text, "html.parser")
    return soup.select_one(".error-page, [role=alert]").get_text(" ", strip=True)


def test_healthy_app_says_which_parts_it_checked(client):
    assert health(client) == (200, {"status": "ok", "checks": {"database": "ok", "storage": "ok"}})


def test_full_database_is_503_and_nothing_changes(client, auth, api_as, make_article, db, full_database):
    article_id = make_article(TEXT)
    api = api_as("checker")
    auth.login_as("checker")
    before = counts(db)
    full_database()

    error = assert_api_error(api.post("/api/articles", json={"text": BIG}), 503, "storage_unavailable")
    assert "Storage is full" in error["message"] and "nothing was saved" in error["message"]
    assert_api_error(api.post(f"/api/articles/{article_id}/revisions", json={"text": BIG}), 503,
                     "storage_unavailable")
    assert "Storage is full" in page_message(auth.post("/import", data={"via": "paste", "content": BIG}))
    htmx = auth.post("/import", data={"via": "paste", "content": BIG}, headers={"HX-Request": "true"})
    assert htmx.status_code == 503 and "Storage is full" in htmx.text

    assert counts(db) == before
    assert api.get(f"/api/articles/{article_id}").status_code == 200  # reading still works
    status, body = health(client)
    assert (status, body["status"], body["checks"]["database"]) == (503, "degraded", "full")


def test_read_only_database_is_503_and_reading_still_works(client, auth, api_as, make_article, db,
                                                           read_only_database):
    article_id = make_article(TEXT)
    api, viewer = api_as("checker"), api_as("viewer")
    text_ = api.get(f"/api/articles/{article_id}").get_json()["revision"]["text"]
    auth.login_as("checker")
    before = counts(db)
    read_only_database()

    start = text_.index("tolls paid")
    annotation = {"type": "Annotation", "motivation": "assessing",
                  "body": [{"type": "TextualBody", "purpose": "commenting", "value": "Because."}],
                  "target": {"selector": [{"type": "TextPositionSelector", "start": start, "end": start + 10}]}}
    error = assert_api_error(api.post(f"/api/articles/{article_id}/annotations/", json=annotation), 503,
                             "storage_unavailable")
    assert "The database is read-only" in error["message"]
    assert_api_error(api.post("/api/articles", json={"text": TEXT + " again"}), 503, "storage_unavailable")
    message = page_message(auth.post(f"/articles/{article_id}/claims", data={
        "start": start, "end": start + 10, "exact": "tolls paid", "verdict": "false"}))
    assert "The database is read-only" in message

    assert counts(db) == before
    # Pages and the API still read (a token's first use is noted in a write, which is skipped).
    assert client.get(f"/articles/{article_id}").status_code == 200
    assert viewer.get(f"/api/articles/{article_id}").status_code == 200
    status, body = health(client)
    assert (status, body) == (503, {"status": "degraded", "checks": {"database": "read-only", "storage": "ok"}})


def test_health_check_sees_a_read_only_database_by_itself(client, read_only_database):
    read_only_database()
    assert health(client) == (503, {"status": "degraded", "checks": {"database": "read-only", "storage": "ok"}})


@pytest.mark.parametrize("code, state, words", [(errno.ENOSPC, "full", "Storage is full"),
                                                 (errno.EROFS, "not writable", "not writable")])
def test_export_on_a_full_disk_is_503_and_leaves_no_partial_file(client, auth, make_article, monkeypatch, app,
                                                                  code, state, words):
    article_id = make_article(TEXT)
    auth.login_as("viewer")
    exports = Path(app.instance_path) / "exports"
    real_write_text = Path.write_text

    def write_text(self, *args, **kwargs):
        if self.parent == exports:
            raise OSError(code, "simulated")
        return real_write_text(self, *args, **kwargs)

    # The report's bytes are written, then its description fails: neither may stay behind.
    monkeypatch.setattr(Path, "write_text", write_text)
    assert words in page_message(auth.post(f"/articles/{article_id}/exports", data={"format": "md"}))
    htmx = auth.post(f"/articles/{article_id}/exports", data={"format": "md"}, headers={"HX-Request": "true"})
    assert htmx.status_code == 503 and words in htmx.text
    assert list(exports.iterdir()) == []
    status, body = health(client)
    assert (status, body) == (503, {"status": "degraded", "checks": {"database": "ok", "storage": state}})


def test_unreachable_database_is_reported(tmp_path):

    app = make_test_app("postgresql://nobody@127.0.0.1:1/none?connect_timeout=2", tmp_path / "instance")
    status, body = health(app.test_client())
    assert (status, body) == (503, {"status": "degraded", "checks": {"database": "unreachable", "storage": "ok"}})


def test_secret_key_that_cannot_be_written_is_a_clear_error(tmp_path, monkeypatch):
    from workbench import create_app
    from workbench.errors import StorageUnavailableError

    def full(self, *args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(Path, "write_text", full)
    with pytest.raises(StorageUnavailableError, match=re.escape("WORKBENCH_SECRET_KEY")):
        create_app({"TESTING": True, "INSTANCE_PATH": str(tmp_path / "instance"),
                    "DATABASE_URL": f"sqlite:///{tmp_path / 'x.sqlite3'}"})
    assert list((tmp_path / "instance").iterdir()) == []


def test_health_probe_leaves_the_connections_as_they_were(app, client, database_url, read_only_database):
    if not database_url.startswith("sqlite"):
        pytest.skip("SQLite's busy timeout")
    read_only_database()
    assert health(client)[0] == 503  # the probe's write was refused...
    with get_engine(app).connect() as conn:  # ...and the pooled connection still waits its turn to write
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 5000
        assert conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE name LIKE '%probe%'").all() == []
