"""Reading an article's claims through the API (not a test): `make bench`.

One article of about 650 words with 200 one-span claims (a verdict, a rationale, a source each),
on SQLite. Prints:

- the peer-style read: the article and its 200 claims through the API over HTTP on loopback
  (Werkzeug's threaded server, a connection a request: the figures include its own cost)
  (``GET /api/articles/{id}`` and ``GET .../annotations/?limit=1000``, gzip accepted), sequential:
  p50, requests and bytes on the wire; the same once the claims are kept, and as conditional GETs;
- server time (in-process WSGI) of the container read against the W3C export of the same claims,
  both made from scratch (every memo emptied first) and kept.
"""

from __future__ import annotations

import http.client
import logging
import random
import re
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from werkzeug.serving import make_server  # noqa: E402

from workbench import create_app  # noqa: E402
from workbench.memo import forget_everything  # noqa: E402
from workbench.services.accounts import create_token  # noqa: E402
from workbench.services.articles import get_revision  # noqa: E402
from workbench.services.claims import create_claim  # noqa: E402
from workbench.services.imports import import_article  # noqa: E402
from workbench.services.schemas import ClaimFields, SourceInput  # noqa: E402
from workbench.services.users import create_user  # noqa: E402
from workbench.store.db import get_engine, get_session, upgrade_database  # noqa: E402

WORDS = 650
CLAIMS = 200
RUNS = 40
VOCABULARY = ("the council said tolls receipts bridge minister figures rose fell percent million crowns report "
              "audit year budget traffic ferry harbour assembly vote concession operator treasury").split()


def build(app, rng: random.Random) -> tuple[int, str]:
    paragraphs, words = [], 0
    while words < WORDS:
        n = rng.randint(40, 90)
        paragraphs.append(" ".join(rng.choice(VOCABULARY) for _ in range(n)).capitalize() + ".")
        words += n
    text = "Benchmark Headline\n\n" + "\n\n".join(paragraphs)
    with app.app_context():
        upgrade_database(get_engine(app))
        db = get_session()
        checker = create_user(db, username="checker", password="bench-password", role="checker")
        article = import_article(db, actor=checker, data=text.encode(), media_type="text/plain", origin="bench",
                                 max_bytes=50_000_000)
        canonical = get_revision(db, article).canonical_text
        spans = [(m.start(), m.end()) for m in re.finditer(r"\w+ \w+", canonical)]
        for i in range(CLAIMS):
            start, end = spans[i % len(spans)]
            create_claim(db, revision=get_revision(db, article), actor=checker, start=start, end=end,
                         exact=canonical[start:end],
                         fields=ClaimFields(verdict=("true", "false", "mixed")[i % 3],
                                            rationale=f"Checked against the {i}th bulletin."),
                         sources=[SourceInput(url=f"https://stats.example/bulletin-{i}", title="Bulletin",
                                              stance="supports")])
        return article.id, create_token(get_session(), checker)


def median(values: list[float]) -> float:
    return statistics.median(values)


def http_reads(port: int, paths: list[str], token: str, *, conditional: bool) -> tuple[list[float], int, int]:
    """Sequential reads of ``paths``, a connection each (Werkzeug's server writes a response in
    several pieces, which on a kept-alive connection meet the client's delayed ACK): each run's
    time (ms), and the requests and bytes on the wire of one run."""
    tags: dict[str, str] = {}
    times, wire = [], 0
    for run in range(RUNS + 1):
        wire = 0
        started = time.perf_counter()
        for path in paths:
            headers = {"Authorization": f"Bearer {token}", "Accept-Encoding": "gzip", "Connection": "close"}
            if conditional and path in tags:
                headers["If-None-Match"] = tags[path]
            connection = http.client.HTTPConnection("127.0.0.1", port)
            connection.request("GET", path, headers=headers)
            response = connection.getresponse()
            body = response.read()
            connection.close()
            assert response.status in (200, 304), (path, response.status)
            wire += len(body)
            tags[path] = response.getheader("ETag") or ""
        if run:  # the first run warms up
            times.append((time.perf_counter() - started) * 1000)
    return times, len(paths), wire


def server_times(app, paths: list[str], token: str, *, from_scratch: bool) -> list[list[float]]:
    """Each path's times (ms), the paths read in turn (so that a busy machine weighs on all alike)."""
    client = app.test_client()
    headers = {"Authorization": f"Bearer {token}"}
    for path in paths:
        client.get(path, headers=headers)
    times: list[list[float]] = [[] for _ in paths]
    for _ in range(RUNS):
        for path, kept in zip(paths, times):
            if from_scratch:
                forget_everything()
            started = time.perf_counter()
            response = client.get(path, headers=headers)
            kept.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, response.status_code
    return times


def main() -> None:
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    logging.getLogger("workbench.request").setLevel(logging.WARNING)  # one line a request would bury the figures
    with tempfile.TemporaryDirectory() as folder:
        app = create_app({"SECRET_KEY": "bench", "DATABASE_URL": f"sqlite:///{folder}/bench.sqlite3",
                          "INSTANCE_PATH": f"{folder}/instance", "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000"})
        article_id, token = build(app, random.Random(19))
        article = f"/api/articles/{article_id}"
        container = f"{article}/annotations/?limit=1000"
        export = f"{article}/export?format=jsonld&include=all"
        print(f"Reading one article of {WORDS} words with {CLAIMS} claims through the API (SQLite)")

        server = make_server("127.0.0.1", 0, app, threaded=True)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            forget_everything()
            for label, paths, conditional in (
                    ("article + claims", [article, container], False),
                    ("article (no text) + claims", [article + "?fields=title,revision.number,revision.sha256",
                                                    container], False),
                    ("again, conditional (304s)", [article, container], True)):
                times, requests, wire = http_reads(server.server_port, paths, token, conditional=conditional)
                print(f"  HTTP {label:30} p50 {median(times):6.1f} ms  {requests} requests  "
                      f"{wire / 1024:6.1f} KiB on the wire")
        finally:
            server.shutdown()
            thread.join()

        print("Server time (in-process), p50:")
        paths = [container, export, container]
        made = server_times(app, paths[:2], token, from_scratch=True)
        kept = server_times(app, paths[:2], token, from_scratch=False)
        for label, made_times, kept_times in zip(("container, all claims", "W3C export, all claims"), made, kept):
            print(f"  {label:24} made {median(made_times):6.1f} ms   kept {median(kept_times):6.1f} ms")
        tag = app.test_client().get(container, headers={"Authorization": f"Bearer {token}"}).headers["ETag"]
        client, conditional = app.test_client(), []
        for _ in range(RUNS):
            started = time.perf_counter()
            response = client.get(container, headers={"Authorization": f"Bearer {token}", "If-None-Match": tag})
            conditional.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 304
        print(f"  container, conditional (304 from the stamps)   {median(conditional):6.1f} ms")

if __name__ == "__main__":
    main()
