"""How reading grows with the claims on one article (not a test): `make bench`.

For articles of 10,000 and 50,000 words, with 200, 1,000 and 5,000 claims (all approved, with a
rationale and a source each), on SQLite and, when ``WORKBENCH_BENCH_DATABASE_URL`` names one, on
PostgreSQL. Server time through the WSGI app, the median of several runs:

- the article page after a change (a claim added, then the page is asked for);
- the article page again, nothing changed;
- the HTML report after a change (a claim added and approved), and made from scratch (every memo
  emptied first); the W3C export from scratch;
- every annotation read through the API (``limit=1000``): the time and the number of requests,
  kept and from scratch.

The process collects garbage as a gunicorn worker does (``workbench.serving.post_fork``'s
threshold), so its times are a worker's. Then the peak memory of the process. ``--quick`` runs the 10,000-word article on SQLite only;
``--words``, ``--claims`` and ``--database`` run one case (``--words 50000 --claims 5000 --database
postgresql``), and ``--page-only`` times the article page alone (and the worker's memory).
"""

from __future__ import annotations

import argparse
import gc
import logging
import os
import random
import re
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import create_engine, text  # noqa: E402
from sqlmodel import select  # noqa: E402

from bench import article_text  # noqa: E402  (scripts/bench.py)
from workbench import create_app  # noqa: E402
from workbench.memo import forget_everything  # noqa: E402
from workbench.services.accounts import create_token  # noqa: E402
from workbench.services.articles import get_article, get_revision  # noqa: E402
from workbench.services.claims import create_claim  # noqa: E402
from workbench.services.imports import import_article  # noqa: E402
from workbench.services.review import transition  # noqa: E402
from workbench.services.schemas import ClaimFields, SourceInput  # noqa: E402
from workbench.services.users import create_user  # noqa: E402
from workbench.store.db import get_engine, get_session, upgrade_database  # noqa: E402
from workbench.store.models import User  # noqa: E402

STEPS = (200, 1_000, 5_000)
RUNS = 5
VERDICTS = ("true", "mostly_true", "mixed", "mostly_false", "false", "misleading")


def setup(app, words: int, rng: random.Random) -> tuple[int, str]:
    with app.app_context():
        upgrade_database(get_engine(app))
        db = get_session()
        checker = create_user(db, username="checker", password="bench-password", role="checker")
        create_user(db, username="editor", password="bench-password", role="editor")
        article = import_article(db, actor=checker, data=article_text(rng, words).encode(), media_type="text/plain",
                                 origin="bench", max_bytes=50_000_000)
        return article.id, create_token(db, checker)


def add_claims(app, article_id: int, first: int, last: int, rng: random.Random) -> None:
    """Claims ``first``..``last - 1`` of ``last``'s spread, approved: each a few words long."""
    with app.app_context():
        db = get_session()
        checker = db.exec(select(User).where(User.username == "checker")).one()
        editor = db.exec(select(User).where(User.username == "editor")).one()
        revision = get_revision(db, get_article(db, article_id))
        text = revision.canonical_text
        spans = [(m.start(), m.end()) for m in re.finditer(r"\w+(?: \w+){2,6}", text)]
        for i in range(first, last):
            start, end = spans[(i * 7919) % len(spans)]
            claim = create_claim(db, revision=revision, actor=checker, start=start, end=end, exact=text[start:end],
                                 fields=ClaimFields(verdict=VERDICTS[i % len(VERDICTS)],
                                                    rationale=f"Checked against the **{i}th** bulletin."),
                                 sources=[SourceInput(url=f"https://stats.example/{i % 40}", title="Bulletin",
                                                      stance="supports")])
            transition(db, claim=claim, action="submit", actor=checker)
            transition(db, claim=claim, action="approve", actor=editor)


def login(client) -> None:
    page = client.get("/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    client.post("/login", data={"username": "checker", "password": "bench-password", "csrf_token": token})


def change_one(app, article_id: int, rng: random.Random, *, approved: bool = False) -> None:
    """A checker adds a claim somewhere in the text (``approved``: and an editor approves it, so
    the report shows it): its paragraph, the list and the report change."""
    with app.app_context():
        db = get_session()
        checker = db.exec(select(User).where(User.username == "checker")).one()
        revision = get_revision(db, get_article(db, article_id))
        text = revision.canonical_text
        start = text.index(" ", rng.randrange(len(text) // 2)) + 1
        end = text.index(" ", start + 10)
        claim = create_claim(db, revision=revision, actor=checker, start=start, end=end, exact=text[start:end],
                             fields=ClaimFields(verdict="false", rationale="Added during the bench."),
                             sources=[SourceInput(url="https://stats.example/new", title="Bulletin")])
        if approved:
            editor = db.exec(select(User).where(User.username == "editor")).one()
            transition(db, claim=claim, action="submit", actor=checker)
            transition(db, claim=claim, action="approve", actor=editor)


def timed(action) -> float:
    started = time.perf_counter()
    action()
    return (time.perf_counter() - started) * 1000


def measure(app, article_id: int, token: str, rng: random.Random, *, page_only: bool = False) -> dict[str, str]:
    client = app.test_client()
    login(client)
    page = f"/articles/{article_id}"

    def get_page():
        response = client.get(page)
        assert response.status_code == 200, response.status_code

    get_page()
    after_change, unchanged = [], []
    for _ in range(RUNS):
        change_one(app, article_id, rng)
        after_change.append(timed(get_page))
        unchanged.append(timed(get_page))
    if page_only:
        return {"page, changed": ms(after_change), "page, same": ms(unchanged), **{name: f"{'-':>9}" for name in (
            "report, changed", "report, scratch", "W3C, scratch", "API all, kept", "API all, scratch")},
            "requests": f"{'-':>8}", "PDF": "-"}

    def export(fmt: str, *, scratch: bool = True):
        def run():
            from workbench.services.exports.service import build
            from workbench.web.links import links

            if scratch:
                forget_everything()
            with app.test_request_context("/", base_url="http://127.0.0.1:5000"):
                made = build(get_session(), article=get_article(get_session(), article_id), fmt=fmt, links=links())
                assert made.content
        return run

    requests = []

    def read_all(*, scratch: bool):
        """Every annotation, a page of 1,000 at a time: the pages counted from the first's total,
        as a client may, so only the server's work (and the test client's) is timed."""
        if scratch:
            forget_everything()
        headers = {"Authorization": f"Bearer {token}", "Accept": "application/ld+json"}
        base = f"/api/articles/{article_id}/annotations/?limit=1000&page="
        first = client.get(base + "0", headers=headers)
        assert first.status_code == 200, first.status_code
        total = int(re.search(rb'"total": (\d+)', first.data[:2000]).group(1))
        pages = -(-total // 1000)
        for number in range(1, pages):
            assert client.get(base + str(number), headers=headers).status_code == 200
        requests.append(pages)

    report = [timed(export("html")) for _ in range(3)]
    report_after = []
    for _ in range(3):
        change_one(app, article_id, rng, approved=True)
        report_after.append(timed(export("html", scratch=False)))
    w3c = [timed(export("jsonld")) for _ in range(3)]
    pdf = "n/a"
    try:
        pdf = f"{timed(export('pdf')) / 1000:.1f} s"
    except Exception as err:  # noqa: BLE001 - the figure names what went wrong
        pdf = f"failed ({str(err)[:70]})"
    cold = [timed(lambda: read_all(scratch=True)) for _ in range(3)]
    kept = [timed(lambda: read_all(scratch=False)) for _ in range(3)]
    return {"page, changed": ms(after_change), "page, same": ms(unchanged), "report, changed": ms(report_after),
            "report, scratch": ms(report), "W3C, scratch": ms(w3c), "API all, kept": ms(kept),
            "API all, scratch": ms(cold), "requests": f"{requests[0]:>8}", "PDF": pdf}


def ms(values: list[float]) -> str:
    return f"{statistics.median(values):9.0f}"


COLUMNS = ("page, changed", "page, same", "report, changed", "report, scratch", "W3C, scratch", "API all, kept",
           "API all, scratch", "requests")


def run(label: str, database_url: str, words: int, tmp: str, steps=STEPS, *, page_only: bool = False) -> None:
    rng = random.Random(words)
    app = create_app({"DATABASE_URL": database_url, "INSTANCE_PATH": f"{tmp}/instance-{label}-{words}",
                      "SECRET_KEY": "bench", "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
                      "MAX_IMPORT_BYTES": 50_000_000})
    article_id, token = setup(app, words, rng)
    instance = f"{tmp}/instance-{label}-{words}"
    done = 0
    for step in steps:
        started = time.perf_counter()
        add_claims(app, article_id, done, step, rng)
        done = step
        figures = measure(app, article_id, token, rng, page_only=page_only)
        print(f"  {label:10} {words:>6,} {step:>6,} " + " ".join(f"{figures[name]:>{len(name)}}" for name in COLUMNS)
              + f"   PDF {figures['PDF']}   (built in {time.perf_counter() - started:.0f} s)", flush=True)
    print(f"  {label:10} {words:>6,} {done:>6,}  one gunicorn worker after serving them: "
          f"{worker_memory(database_url, instance, article_id, token)}", flush=True)
    get_engine(app).dispose()


def worker_memory(database_url: str, instance: str, article_id: int, token: str) -> str:
    """One gunicorn worker under gunicorn.conf.py serving the article as readers do (its page,
    its report, every annotation, the W3C export), then its resident and proportional memory."""
    import http.cookiejar
    import signal
    import socket
    import subprocess
    import urllib.request

    root = Path(__file__).resolve().parent.parent
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = dict(os.environ, WORKBENCH_DATABASE_URL=database_url, WORKBENCH_INSTANCE_PATH=instance,
               WORKBENCH_SECRET_KEY="bench", WORKBENCH_WORKERS="1", WORKBENCH_BIND=f"127.0.0.1:{port}",
               WORKBENCH_LOG_LEVEL="warning")
    server = subprocess.Popen([sys.executable, "-m", "gunicorn", "-c", str(root / "gunicorn.conf.py"),
                               "workbench:create_app()"], cwd=root, env=env, start_new_session=True,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(300):
            try:
                socket.create_connection(("127.0.0.1", port), 0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        jar = http.cookiejar.CookieJar()
        browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        form = browser.open(base + "/login").read().decode()
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', form).group(1)
        browser.open(base + "/login", data=f"username=checker&password=bench-password&csrf_token={csrf}".encode())
        api = {"Authorization": f"Bearer {token}"}
        for path in [f"/articles/{article_id}", f"/api/articles/{article_id}/export?format=html",
                     f"/api/articles/{article_id}/export?format=jsonld"] + \
                [f"/api/articles/{article_id}/annotations/?limit=1000&page={n}" for n in range(6)]:
            for _ in range(2):
                try:
                    opener = browser if path.startswith("/articles") else urllib.request.build_opener()
                    opener.open(urllib.request.Request(base + path, headers=api)).read()
                except urllib.error.HTTPError as err:
                    if err.code != 404:  # past the last page of annotations
                        raise
        workers = subprocess.run(["pgrep", "-P", str(server.pid)], capture_output=True, text=True).stdout.split()
        rollup = Path(f"/proc/{workers[0]}/smaps_rollup").read_text()
        kib = {line.split(":")[0]: int(line.split()[1]) for line in rollup.splitlines()[1:] if line.split()[-1] == "kB"}
        return f"{kib['Rss'] / 1024:,.0f} MiB resident, {kib['Pss'] / 1024:,.0f} MiB proportional"
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(10)


def fresh_postgres(url: str) -> str:
    """A new database beside the one ``url`` names, so the run starts empty."""
    name = f"workbench_page_bench_{os.getpid()}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f"DROP DATABASE IF EXISTS {name}"))
        connection.execute(text(f"CREATE DATABASE {name}"))
    admin.dispose()
    return url.rsplit("/", 1)[0] + "/" + name


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="the 10,000-word article on SQLite only")
    parser.add_argument("--words", type=int, choices=(10_000, 50_000), help="one article size only")
    parser.add_argument("--claims", type=int, choices=STEPS, help="up to this many claims only")
    parser.add_argument("--database", choices=("sqlite", "postgresql"), help="one database only")
    parser.add_argument("--page-only", action="store_true", help="time the article page alone")
    args = parser.parse_args()
    logging.getLogger("workbench.request").setLevel(logging.WARNING)
    gc.set_threshold(int(os.environ.get("WORKBENCH_GC_THRESHOLD", 20000)), 10, 10)  # as post_fork sets it
    sizes = (10_000,) if args.quick else (10_000, 50_000)
    if args.words:
        sizes = (args.words,)
    steps = STEPS if not args.claims else (args.claims,)
    postgres = None if args.quick else os.environ.get("WORKBENCH_BENCH_DATABASE_URL")
    if args.database == "postgresql" and not postgres:
        parser.error("--database postgresql needs WORKBENCH_BENCH_DATABASE_URL")
    print("Reading one article as its claims grow (server time in ms, median; targets at 5,000 claims: page "
          "after a change <= 100, unchanged <= 20, report <= 600, API read of all <= 150):")
    print(f"  {'database':10} {'words':>6} {'claims':>6} " + " ".join(COLUMNS))
    with tempfile.TemporaryDirectory() as tmp:
        for words in sizes:
            if args.database != "postgresql":
                run("SQLite", f"sqlite:///{tmp}/bench-{words}.sqlite3", words, tmp, steps, page_only=args.page_only)
            if postgres and args.database != "sqlite":
                run("PostgreSQL", fresh_postgres(postgres), words, tmp, steps, page_only=args.page_only)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"  peak memory of this process: {peak:,.0f} MiB")


if __name__ == "__main__":
    main()
