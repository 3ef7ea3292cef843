"""No lost writes: claims created under load survive gunicorn being killed (SIGKILL) and restarted."""

import http.client
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid

import pytest
from sqlalchemy import text

from tests.conftest import BACKENDS, PG_URL, ROOT
from workbench import create_app
from workbench.store.db import get_engine, get_session, make_engine, upgrade_database

LOAD_SECONDS = 1.5
CLIENTS = 8


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(params=BACKENDS)
def database(request, tmp_path, sqlite_template):
    if request.param == "sqlite":
        path = tmp_path / "durable.sqlite3"
        shutil.copy(sqlite_template, path)
        yield f"sqlite:///{path}"
        return
    schema = f"workbench_dur_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    admin = make_engine(PG_URL)
    with admin.begin() as conn:
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    url = f"{PG_URL}{'&' if '?' in PG_URL else '?'}options=-csearch_path%3D{schema}"
    engine = make_engine(url)
    upgrade_database(engine)
    engine.dispose()
    yield url
    with admin.begin() as conn:
        conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
    admin.dispose()


def prepare(database_url: str, instance) -> tuple[str, int]:
    """A checker's token and an article, written before the server starts."""
    from workbench.services.accounts import create_token
    from workbench.services.imports import import_article
    from workbench.services.users import create_user

    app = create_app({"DATABASE_URL": database_url, "INSTANCE_PATH": str(instance), "SECRET_KEY": "durability",
                      "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000"})
    with app.app_context():
        db = get_session()
        checker = create_user(db, username="checker", password="durable-pass", role="checker")
        token = create_token(db, checker)
        article = import_article(db, actor=checker, data=b"Headline\n\nThe rate rose by 40% last year.",
                                 media_type="text/plain", origin="test", max_bytes=10**6)
        article_id = article.id
    get_engine(app).dispose()
    return token, article_id


class Server:
    def __init__(self, database_url: str, instance):
        self.port = free_port()
        self.env = dict(os.environ, WORKBENCH_DATABASE_URL=database_url, WORKBENCH_INSTANCE_PATH=str(instance),
                        WORKBENCH_SECRET_KEY="durability", WORKBENCH_BIND=f"127.0.0.1:{self.port}",
                        WORKBENCH_WORKERS="2", WORKBENCH_THREADS="4", WORKBENCH_LOG_LEVEL="warning")
        self.process = None

    def start(self):
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "gunicorn.conf.py"), "workbench:create_app()"],
            cwd=ROOT, env=self.env, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/healthz", timeout=1) as r:
                    if r.status == 200:
                        return
            except OSError:
                time.sleep(0.1)
        self.kill()
        raise RuntimeError("gunicorn did not start")

    def kill(self):
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)  # master and workers, with no chance to clean up
            self.process.wait(10)

    def request(self, method, path, token, body=None):
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(f"http://127.0.0.1:{self.port}{path}", data=data, method=method,
                                     headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=10) as response:
            return response.status, json.loads(response.read()), response.headers


def test_acknowledged_claims_survive_sigkill(database, tmp_path):
    token, article_id = prepare(database, tmp_path / "instance")
    server = Server(database, tmp_path / "instance")
    server.start()
    acknowledged, lock, stop = [], threading.Lock(), threading.Event()
    annotation = {"type": "Annotation", "body": [{"type": "TextualBody", "purpose": "assessing", "value": "false"}],
                  "target": {"selector": [{"type": "TextQuoteSelector", "exact": "rose by 40%"}]}}

    def client():
        while not stop.is_set():
            try:
                status, body, headers = server.request("POST", f"/api/articles/{article_id}/annotations/", token,
                                                       annotation)
            except (OSError, urllib.error.URLError, http.client.HTTPException):
                continue  # the server is gone (or went mid-answer): not acknowledged
            if status == 201:
                with lock:
                    acknowledged.append(int(headers["Location"].rsplit("/", 1)[1]))

    threads = [threading.Thread(target=client) for _ in range(CLIENTS)]
    try:
        for t in threads:
            t.start()
        time.sleep(LOAD_SECONDS)
        server.kill()  # mid-load
        time.sleep(0.2)
        stop.set()
        for t in threads:
            t.join(15)
        assert len(acknowledged) > 10, "the load did not get going"
        server.start()
        for claim_id in acknowledged:
            status, body, _ = server.request("GET", f"/api/annotations/{claim_id}", token)
            assert status == 200 and body["target"]["selector"][0]["exact"] == "rose by 40%"
    finally:
        stop.set()
        server.kill()

    # The database is consistent: every claim has its creation event, nothing half-written.
    engine = make_engine(database)
    with engine.connect() as conn:
        if database.startswith("sqlite"):
            assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
        claims = conn.execute(text("SELECT id FROM claim")).scalars().all()
        created = conn.execute(text("SELECT claim_id FROM history_event WHERE action = 'created'")).scalars().all()
        assert sorted(claims) == sorted(created)
        assert set(acknowledged) <= set(claims)
    engine.dispose()
