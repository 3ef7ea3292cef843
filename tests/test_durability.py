"""No lost writes: claims created under load survive gunicorn being killed (SIGKILL) and restarted."""

import http.client
import threading
import time
import urllib.error
import urllib.request

from sqlalchemy import text

from tests.helpers import factories
from tests.helpers.servers import Server
from workbench import create_app
from workbench.store.db import get_engine, get_session, make_engine

LOAD_SECONDS = 1.5
CLIENTS = 8


def prepare(database_url: str, instance) -> tuple[str, int]:
    """A checker's token and an article, written before the server starts."""
    from workbench.services.accounts import create_token
    from workbench.services.users import create_user

    app = create_app({"DATABASE_URL": database_url, "INSTANCE_PATH": str(instance), "SECRET_KEY": "durability",
                      "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000"})
    with app.app_context():
        db = get_session()
        checker = create_user(db, username="checker", password="durable-pass", role="checker")
        token = create_token(db, checker)
        article = factories.make_article(db, checker, "Headline\n\nThe rate rose by 40% last year.")
        article_id = article.id
    get_engine(app).dispose()
    return token, article_id


def test_acknowledged_claims_survive_sigkill(server_database, tmp_path):
    token, article_id = prepare(server_database, tmp_path / "instance")
    server = Server(server_database, tmp_path / "instance")
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
            status, body, _ = server.request("GET", f"/api/articles/{article_id}/annotations/{claim_id}", token)
            assert status == 200 and body["target"]["selector"][0]["exact"] == "rose by 40%"
    finally:
        stop.set()
        server.kill()

    # The database is consistent: every claim has its creation event, nothing half-written.
    engine = make_engine(server_database)
    with engine.connect() as conn:
        if server_database.startswith("sqlite"):
            assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
        claims = conn.execute(text("SELECT id FROM claim")).scalars().all()
        created = conn.execute(text("SELECT claim_id FROM history_event WHERE action = 'created'")).scalars().all()
        assert sorted(claims) == sorted(created)
        assert set(acknowledged) <= set(claims)
    engine.dispose()
