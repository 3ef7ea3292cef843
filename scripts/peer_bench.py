"""Peer benchmark (not a test): `make peer`. Workbench beside doccano 1.8.4, on the same harness.

One article of 650 words with 200 one-span claims in both (the same generated text and the same
spans): in doccano a SequenceLabeling project with one example, one label and 200 spans, seeded
through its REST API; in Workbench one article with 200 claims, each a span and a verdict (the
label's counterpart), seeded through its services. Both on SQLite, both under gunicorn with 5
workers on loopback: doccano under gunicorn's sync workers on its WSGI module with the settings
its ``doccano webserver`` command uses (config.settings.production, DEBUG off), Workbench under
its own gunicorn.conf.py with WORKBENCH_WORKERS=5.

A "read" is what a client needs to show the article with its claims:

- doccano: ``GET /v1/projects/{p}/examples/{e}`` and ``GET .../examples/{e}/spans`` (the label
  list is the project's, which a client reading several examples fetches once);
- Workbench, lean: the article with the fields a reader of its claims uses
  (``?fields=title,revision.url,revision.number,revision.text``) and its annotation container with
  every claim on one page (``?limit=1000``): the fewest requests and bytes its API allows;
- Workbench, plain: the whole article and ``?limit=1000``;
- Workbench, paged: the whole article, the container as it comes (its first page of 100 embedded)
  and the next page.

Beside the reads, one small authenticated JSON answer each (``GET /v1/me``, ``GET /api/users/N``)
shows what a request costs either stack before it reads anything.

The apps take turns, in an order that rotates each round (PEER_BENCH_ROUNDS, 3): each first reads
sequentially (PEER_BENCH_READS reads, 200, a connection a request, gzip accepted; p50 and p99 of a
read, its requests and its bytes on the wire, bodies only), then takes wrk with 8 connections on 2
threads for PEER_BENCH_SECONDS (5) through scripts/wrk/read.lua, which issues the read's requests
in turn: reads/s are responses/s over the requests a read takes, and the workers' CPU time a read
is read from /proc. The machine's load is printed before each round. The figures are the rounds'
medians. Afterwards one lean Workbench read and one doccano read are timed and profiled
in-process (Flask's test client; Django's, in doccano's venv; cProfile on CPU time) on the same
data. wrk runs on the same cores as the servers.

doccano is installed, when missing, into .venv-peer/ with the machine's python3 (doccano==1.8.4,
with marshmallow<4 and numpy<2, which its pinned environs and pandas need); if that fails, or it
does not start, it is skipped with a message and Workbench is measured alone.
"""

from __future__ import annotations

import cProfile
import gzip
import http.client
import io
import json
import logging
import os
import pstats
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from load_bench import Gunicorn, Load, run_wrk  # noqa: E402
from read_bench import CLAIMS, VOCABULARY, WORDS  # noqa: E402

WORKERS = 5
CONNECTIONS, THREADS = 8, 2
ROUNDS = int(os.environ.get("PEER_BENCH_ROUNDS", 3))
READS = int(os.environ.get("PEER_BENCH_READS", 200))
SECONDS = float(os.environ.get("PEER_BENCH_SECONDS", 5))
WARMUP = 1.0
DOCCANO = "doccano==1.8.4"
# doccano 1.8.4's pins let pip take marshmallow 4 (its environs needs 3) and numpy 2 (its pandas 1.5 needs 1).
DOCCANO_EXTRAS = ("marshmallow<4", "numpy<2")
PEER_VENV = Path(os.environ.get("PEER_BENCH_VENV", ROOT / ".venv-peer"))
PASSWORD = "bench-password"
TARGET_RATIO = 5.0
#: One small authenticated JSON answer each, beside the reads: what a request costs either stack.
FLOOR_DOCCANO = "doccano: GET /v1/me"
FLOOR_WORKBENCH = "Workbench: GET /api/users/N"


def generated_text(rng: random.Random) -> str:
    """A headline (the article's title) over paragraphs of 40 to 90 words (the last shorter), WORDS
    words in all."""
    headline = "Benchmark Headline"
    paragraphs, words = [], 0
    while words < WORDS:
        n = min(rng.randint(40, 90), WORDS - words)
        paragraphs.append(" ".join(rng.choice(VOCABULARY) for _ in range(n)).capitalize() + ".")
        words += n
    return headline + "\n\n" + "\n\n".join(paragraphs)


# --- Workbench ---------------------------------------------------------------------------------

def seed_workbench(folder: Path, text: str) -> dict:
    """An article of ``text`` with CLAIMS one-span claims (a verdict each) in a SQLite file in
    ``folder``: its id, a checker's token, the canonical text and the claims' spans."""
    from workbench import create_app
    from workbench.services.accounts import create_token
    from workbench.services.articles import get_revision
    from workbench.services.claims import create_claim
    from workbench.services.imports import import_article
    from workbench.services.schemas import ClaimFields
    from workbench.services.users import create_user
    from workbench.store.db import get_engine, get_session, upgrade_database

    url = f"sqlite:///{folder / 'workbench.sqlite3'}"
    app = create_app({"SECRET_KEY": "peer-bench", "DATABASE_URL": url, "INSTANCE_PATH": str(folder / "instance"),
                      "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000"})
    with app.app_context():
        upgrade_database(get_engine(app))
        db = get_session()
        checker = create_user(db, username="checker", password=PASSWORD, role="checker")
        article = import_article(db, actor=checker, data=text.encode(), media_type="text/plain", origin="bench",
                                 max_bytes=50_000_000)
        canonical = get_revision(db, article).canonical_text
        spans = [(m.start(), m.end()) for m in re.finditer(r"\w+ \w+", canonical)][:CLAIMS]
        assert len(spans) == CLAIMS, f"{len(spans)} two-word spans in the text"
        for i, (start, end) in enumerate(spans):
            create_claim(db, revision=get_revision(db, article), actor=checker, start=start, end=end,
                         exact=canonical[start:end], fields=ClaimFields(verdict=("true", "false", "mixed")[i % 3]),
                         sources=[])
        token = create_token(get_session(), checker)
        article_id, user_id = article.id, checker.id
    get_engine(app).dispose()
    return {"url": url, "instance": str(folder / "instance"), "article_id": article_id, "token": token,
            "user_id": user_id,
            "canonical": canonical, "spans": spans}


def workbench_server(data: dict) -> Gunicorn:
    env = {"WORKBENCH_DATABASE_URL": data["url"], "WORKBENCH_INSTANCE_PATH": data["instance"],
           "WORKBENCH_SECRET_KEY": "peer-bench"}
    return Gunicorn("workbench:create_app()", env, ROOT, settings={"WORKBENCH_WORKERS": str(WORKERS)},
                    workers=WORKERS)


LEAN_FIELDS = "title,revision.url,revision.number,revision.text"


def workbench_reads(port: int, data: dict) -> list[tuple[str, list[str]]]:
    article = f"/api/articles/{data['article_id']}"
    container = f"{article}/annotations/"
    headers = {"Authorization": f"Bearer {data['token']}"}
    first = json.loads(get(port, container, headers)[1])
    following = first["first"].get("next") if isinstance(first.get("first"), dict) else None
    paged = [article, container] + ([f"{urlsplit(following).path}?{urlsplit(following).query}"] if following else [])
    return [("Workbench, lean", [f"{article}?fields={LEAN_FIELDS}", f"{container}?limit=1000"]),
            ("Workbench, plain", [article, f"{container}?limit=1000"]),
            ("Workbench, paged", paged)]


# --- doccano -----------------------------------------------------------------------------------

def doccano_installed() -> bool:
    if not (PEER_VENV / "bin" / "doccano").exists():
        return False
    shown = subprocess.run([str(PEER_VENV / "bin" / "python"), "-m", "pip", "show", "doccano"],
                           capture_output=True, text=True)
    return "Version: 1.8.4" in shown.stdout


def install_doccano() -> str | None:
    """doccano in PEER_VENV (made with the machine's python3) when missing; None, or why not."""
    if doccano_installed():
        return None
    python3 = shutil.which("python3")
    if python3 is None:
        return "there is no python3 on the PATH"
    print(f"Installing {DOCCANO} into {PEER_VENV} (once)...", flush=True)
    steps = [[python3, "-m", "venv", str(PEER_VENV)],
             [str(PEER_VENV / "bin" / "python"), "-m", "pip", "install", "-q", "--upgrade", "pip"],
             [str(PEER_VENV / "bin" / "python"), "-m", "pip", "install", "-q", DOCCANO, *DOCCANO_EXTRAS]]
    for step in steps:
        done = subprocess.run(step, capture_output=True, text=True)
        if done.returncode:
            lines = [line for line in (done.stderr or done.stdout).splitlines() if not line.startswith("WARNING")]
            return f"`{' '.join(step[-3:])}` failed: " + " / ".join(lines[-3:])
    return None if doccano_installed() else "pip finished but doccano 1.8.4 is not in the venv"


def doccano_backend() -> Path:
    found = subprocess.run([str(PEER_VENV / "bin" / "python"), "-c",
                            "import importlib.util, os; print(os.path.dirname(importlib.util.find_spec('backend').origin))"],
                           capture_output=True, text=True, check=True)
    return Path(found.stdout.strip())


class DoccanoServer(Gunicorn):
    """doccano's WSGI module under gunicorn as ``doccano webserver`` serves it (sync workers, the
    production settings, the backend folder as the working directory), bound to loopback."""

    def __init__(self, home: Path):
        self.backend = doccano_backend()
        env = doccano_env(home)
        super().__init__("config.wsgi", env, self.backend, workers=WORKERS)

    def command(self) -> list[str]:
        return [str(PEER_VENV / "bin" / "python"), "-m", "gunicorn", "--chdir", str(self.backend),
                "-w", str(WORKERS), "-b", f"127.0.0.1:{self.port}", "--log-level", "warning", self.app]


def doccano_env(home: Path) -> dict:
    return {"DOCCANO_HOME": str(home), "DEBUG": "False", "STANDALONE": "True",
            "DJANGO_SETTINGS_MODULE": "config.settings.production",
            "DATABASE_URL": f"sqlite:///{home / 'db.sqlite3'}", "MEDIA_ROOT": str(home / "media")}


def init_doccano(home: Path) -> str | None:
    """``doccano init`` and ``doccano createuser`` in ``home``; None, or why not."""
    env = dict(os.environ, **doccano_env(home))
    for args in (["init"], ["createuser", "--username", "admin", "--password", PASSWORD]):
        done = subprocess.run([str(PEER_VENV / "bin" / "doccano"), *args], env=env, capture_output=True, text=True,
                              cwd=home)
        if done.returncode:
            return f"`doccano {args[0]}` failed: " + " / ".join((done.stderr or done.stdout).strip().splitlines()[-2:])
    return None


def call(port: int, method: str, path: str, body: dict | None = None, headers: dict | None = None) -> dict:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    connection.request(method, path, body=json.dumps(body) if body is not None else None,
                       headers={"Content-Type": "application/json", **(headers or {})})
    response = connection.getresponse()
    raw = response.read()
    connection.close()
    if response.status >= 300:
        raise RuntimeError(f"{method} {path} answered {response.status}: {raw[:300]!r}")
    return json.loads(raw) if raw else {}


def seed_doccano(port: int, canonical: str, spans: list[tuple[int, int]]) -> dict:
    """Through doccano's REST API: a token, a SequenceLabeling project, a label, one example of
    ``canonical`` and its spans."""
    token = call(port, "POST", "/v1/auth/login/", {"username": "admin", "password": PASSWORD})["key"]
    auth = {"Authorization": f"Token {token}"}
    project = call(port, "POST", "/v1/projects", {
        "name": "Peer benchmark", "description": "One article and its claims", "guideline": "",
        "project_type": "SequenceLabeling", "resourcetype": "SequenceLabelingProject",
        "allow_overlapping": True}, auth)["id"]
    label = call(port, "POST", f"/v1/projects/{project}/span-types",
                 {"text": "claim", "background_color": "#d33115", "text_color": "#ffffff"}, auth)["id"]
    example = call(port, "POST", f"/v1/projects/{project}/examples", {"text": canonical, "meta": {}}, auth)["id"]
    for start, end in spans:
        call(port, "POST", f"/v1/projects/{project}/examples/{example}/spans",
             {"start_offset": start, "end_offset": end, "label": label}, auth)
    read = [f"/v1/projects/{project}/examples/{example}", f"/v1/projects/{project}/examples/{example}/spans"]
    stored = json.loads(get(port, read[1], auth)[1])
    assert len(stored) == len(spans), f"doccano holds {len(stored)} spans"
    assert json.loads(get(port, read[0], auth)[1])["text"] == canonical
    return {"token": token, "read": read}


# --- Measuring ---------------------------------------------------------------------------------

def get(port: int, path: str, headers: dict) -> tuple[int, bytes]:
    """One GET on a connection of its own, gzip accepted: bytes on the wire (the body as sent) and
    the body as the client reads it."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request("GET", path, headers={**headers, "Accept-Encoding": "gzip", "Connection": "close"})
    response = connection.getresponse()
    body = response.read()
    connection.close()
    if response.status != 200:
        raise RuntimeError(f"GET {path} answered {response.status}")
    wire = len(body)
    if response.getheader("Content-Encoding") == "gzip":
        body = gzip.decompress(body)
    return wire, body


def sequential(port: int, paths: list[str], headers: dict) -> tuple[list[float], int]:
    """READS reads one after another (after 5 uncounted): each read's time (ms), and its bytes."""
    times, wire = [], 0
    for n in range(READS + 5):
        started = time.perf_counter()
        wire = sum(get(port, path, headers)[0] for path in paths)
        if n >= 5:
            times.append((time.perf_counter() - started) * 1000)
    return times, wire


def wrk_load(paths: list[str], headers: dict) -> Load:
    """scripts/wrk/read.lua issuing the read's requests in turn, gzip accepted as by the client above."""
    return Load("read.lua", paths[0], [*(f"{k}: {v}" for k, v in headers.items()), "Accept-Encoding: gzip"],
                ["200", *paths])


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def median(values):
    return statistics.median(values) if values else float("nan")


def loadavg() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


#: Run by doccano's own Python: its read timed in-process (Django's test client), then profiled.
DOCCANO_PROFILE = """
import cProfile, io, logging, os, pstats, re, sys, time
sys.path.insert(0, os.getcwd())
import django
django.setup()
logging.disable(logging.WARNING)
from django.test import Client
token, paths = sys.argv[1], sys.argv[2:]
client = Client(HTTP_AUTHORIZATION=f"Token {token}", HTTP_HOST="127.0.0.1")
for _ in range(20):
    for path in paths:
        assert client.get(path).status_code == 200
for path in paths:
    started = time.process_time()
    for _ in range(100):
        client.get(path)
    print(f"  GET {path:70} {(time.process_time() - started) * 10:.2f} ms CPU a request")
profiler = cProfile.Profile(time.process_time)
profiler.enable()
for _ in range(100):
    for path in paths:
        client.get(path)
profiler.disable()
out = io.StringIO()
pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(24)
text = re.sub(r"\\S*/site-packages/|\\S*/lib/python3\\.\\d+/", "", out.getvalue())
print("cProfile of 100 reads, by cumulative:")
print(text[text.find("   ncalls"):].rstrip())
"""


def profile_doccano(home: Path, seeded: dict) -> None:
    """doccano's read in-process on the same data, in its own venv: where its time goes."""
    print("\ndoccano 1.8.4, its read in-process (Django's test client):", flush=True)
    done = subprocess.run([str(PEER_VENV / "bin" / "python"), "-c", DOCCANO_PROFILE, seeded["token"], *seeded["read"]],
                          env=dict(os.environ, **doccano_env(home)), cwd=doccano_backend(), capture_output=True,
                          text=True)
    print(done.stdout.rstrip() if done.returncode == 0 else f"  (it failed: {done.stderr.strip()[-300:]})")


def profile_workbench(data: dict) -> None:
    """One lean read in-process (Flask test client) on the same data: timed, then profiled."""
    from workbench import create_app

    app = create_app({"SECRET_KEY": "peer-bench", "DATABASE_URL": data["url"], "INSTANCE_PATH": data["instance"]})
    logging.getLogger("workbench.request").setLevel(logging.WARNING)
    client = app.test_client()
    article = f"/api/articles/{data['article_id']}"
    paths = [f"{article}?fields={LEAN_FIELDS}", f"{article}/annotations/?limit=1000"]
    headers = {"Authorization": f"Bearer {data['token']}", "Accept-Encoding": "gzip"}

    def read() -> None:
        for path in paths:
            assert client.get(path, headers=headers).status_code == 200

    for _ in range(20):
        read()
    rounds = []
    for _ in range(5):
        wall, cpu = time.perf_counter(), time.process_time()
        for _ in range(100):
            read()
        rounds.append(((time.perf_counter() - wall) * 10, (time.process_time() - cpu) * 10))
    walls, cpus = sorted(r[0] for r in rounds), sorted(r[1] for r in rounds)
    print(f"\nWorkbench, lean read in-process (Flask test client, gzip): {walls[2]:.2f} ms a read "
          f"({cpus[2]:.2f} ms CPU; median of 5 rounds of 100, fastest {walls[0]:.2f})")
    for path in paths:
        started = time.process_time()
        for _ in range(200):
            client.get(path, headers=headers)
        print(f"  GET {path:70} {(time.process_time() - started) * 5:.2f} ms CPU a request")
    profiler = cProfile.Profile(time.process_time)  # CPU time: the other work on the machine stays out
    profiler.enable()
    for _ in range(300):
        read()
    profiler.disable()
    for order, count in (("tottime", 22), ("cumulative", 30)):
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out).sort_stats(order)
        stats.print_stats(count)
        text = out.getvalue()
        print(f"\ncProfile of 300 lean reads, by {order}:")
        text = re.sub(r"\S*/site-packages/|\S*/lib/python3\.\d+/|" + re.escape(str(ROOT)) + "/", "", text)
        print(text[text.find("   ncalls"):].rstrip())


def main() -> None:
    folder = Path(tempfile.mkdtemp(prefix="workbench-peer-"))
    print(f"Peer benchmark: one article of {WORDS} words with {CLAIMS} one-span claims, SQLite, gunicorn with "
          f"{WORKERS} workers each, on loopback; {os.cpu_count()} cores, wrk on the same cores.")
    servers: list[Gunicorn] = []
    try:
        data = seed_workbench(folder, generated_text(random.Random(19)))
        print(f"Workbench seeded: {len(data['canonical'].split())} words, {len(data['spans'])} claims.")
        skipped = install_doccano()
        doccano = None
        if skipped is None:
            home = folder / "doccano"
            home.mkdir()
            skipped = init_doccano(home)
            if skipped is None:
                try:
                    doccano = DoccanoServer(home)
                    servers.append(doccano)
                    doccano.__enter__()
                    seeded = seed_doccano(doccano.port, data["canonical"], data["spans"])
                except (RuntimeError, AssertionError, OSError, subprocess.CalledProcessError) as error:
                    skipped, doccano = f"it did not start or take the data: {error}", None
        if skipped:
            print(f"doccano is skipped: {skipped}")
        else:
            print("doccano seeded through its REST API: a SequenceLabeling project, one example, one label, "
                  f"{len(data['spans'])} spans.")
        workbench = workbench_server(data)
        servers.append(workbench)
        workbench.__enter__()
        print(f"Servers: Workbench `gunicorn -c gunicorn.conf.py` with WORKBENCH_WORKERS={WORKERS} "
              "(its one-request-at-a-time threaded worker, no keep-alive)" + (
                  f"; doccano `gunicorn --chdir backend -w {WORKERS} config.wsgi` (sync workers), as `doccano "
                  "webserver` starts it." if doccano is not None else "."))

        bearer = {"Authorization": f"Bearer {data['token']}"}
        token = {"Authorization": f"Token {seeded['token']}"} if doccano is not None else {}
        # (label, server, the read's paths, headers, the doccano row it is compared with)
        apps = [(label, workbench, paths, bearer, "doccano 1.8.4") for label, paths in workbench_reads(workbench.port, data)]
        apps.append((FLOOR_WORKBENCH, workbench, [f"/api/users/{data['user_id']}"], bearer, FLOOR_DOCCANO))
        if doccano is not None:
            apps.insert(0, ("doccano 1.8.4", doccano, seeded["read"], token, None))
            apps.append((FLOOR_DOCCANO, doccano, ["/v1/me"], token, None))
        for label, server, paths, headers, _ in apps:
            print(f"  {label:28} " + "  ".join(paths))
        results = {label: {"p50": [], "p99": [], "rps": [], "p99_8": [], "cpu": [], "errors": 0, "wire": 0,
                           "requests": len(paths), "against": against} for label, _, paths, _, against in apps}
        for label, server, paths, headers, _ in apps:  # a fresh worker builds what it keeps
            run_wrk(server, wrk_load(paths, headers), WARMUP, connections=CONNECTIONS, threads=THREADS)
        for number in range(ROUNDS):
            print(f"Round {number + 1}: load average {loadavg()}", flush=True)
            turn = apps[number % len(apps):] + apps[:number % len(apps)]
            for label, server, paths, headers, _ in turn:
                times, wire = sequential(server.port, paths, headers)
                kept = results[label]
                kept["p50"].append(median(times))
                kept["p99"].append(percentile(times, 0.99))
                kept["wire"] = wire
                run = run_wrk(server, wrk_load(paths, headers), SECONDS, connections=CONNECTIONS, threads=THREADS)
                kept["rps"].append(run["rps"] / len(paths))
                kept["p99_8"].append(run["p99_ms"])
                kept["cpu"].append(run["cpu_ms"] * len(paths))
                kept["errors"] += run["errors"]
                print(f"  {label:28} seq p50 {kept['p50'][-1]:6.1f} ms  8 clients {kept['rps'][-1]:6.1f} reads/s  "
                      f"p99 {run['p99_ms']:6.1f} ms  CPU {kept['cpu'][-1]:5.1f} ms a read  (load {loadavg()})",
                      flush=True)
        print(f"After the rounds: load average {loadavg()}")
        print(f"\nMedians of {ROUNDS} rounds ({READS} sequential reads, then {SECONDS:g} s of wrk with "
              f"{CONNECTIONS} connections on {THREADS} threads, each round). KiB: response bodies on the wire "
              "(gzip accepted); CPU/read: the workers' CPU time (user + system) under wrk; ratio: reads/s "
              "against doccano's, and (CPU) doccano's CPU a read against the row's:")
        print(f"  {'app':28} {'seq p50':>8} {'seq p99':>8} {'requests':>8} {'KiB':>6} {'reads/s at 8':>13} "
              f"{'p99 at 8':>9} {'CPU/read':>9} {'ratio':>6} {'(CPU)':>6} {'errors':>6}")
        for label, kept in results.items():
            base = results.get(kept["against"]) if kept["against"] else None
            ratio = f"{median(kept['rps']) / median(base['rps']):5.1f}x" if base else "-"
            cpu_ratio = f"{median(base['cpu']) / median(kept['cpu']):5.1f}x" if base else "-"
            print(f"  {label:28} {median(kept['p50']):6.1f}ms {median(kept['p99']):6.1f}ms {kept['requests']:8} "
                  f"{kept['wire'] / 1024:6.1f} {median(kept['rps']):13.1f} {median(kept['p99_8']):7.1f}ms "
                  f"{median(kept['cpu']):7.1f}ms {ratio:>6} {cpu_ratio:>6} {kept['errors']:6}")
        if doccano is not None:
            lean = median(results["Workbench, lean"]["rps"]) / median(results["doccano 1.8.4"]["rps"])
            print(f"Workbench (lean) makes {lean:.1f}x doccano's reads/s at 8 clients (target >= {TARGET_RATIO:g}x): "
                  f"{'met' if lean >= TARGET_RATIO else 'not met'}. Each round's reads/s: " + "; ".join(
                      f"{label} {', '.join(f'{r:.0f}' for r in kept['rps'])}" for label, kept in results.items()))
    finally:
        for server in reversed(servers):
            if getattr(server, "process", None) is not None:
                try:
                    server.__exit__(None, None, None)
                except ProcessLookupError:
                    pass
    try:
        profile_workbench(data)
        if doccano is not None:
            profile_doccano(folder / "doccano", seeded)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
