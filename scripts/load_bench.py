"""Load benchmark (not a test): `make load`.

Starts the app under gunicorn (gunicorn.conf.py) on loopback, first on SQLite and then on
PostgreSQL (WORKBENCH_BENCH_DATABASE_URL, default the local `test` database), and drives it with
16 client processes, each with its own HTTP/1.1 connection (opened again whenever the server
closes it), for a fixed time per scenario: claim creation, the article page with 500 claims, the
W3C export. A bare baseline runs beside it: a minimal Flask endpoint inserting one SQLite row per
request under the same gunicorn settings. Claim creation and the baseline alternate in rounds, so
a change in the machine's speed during the run touches both alike. Prints requests/s,
p50/p95/p99 latency, errors and peak RSS per worker for each, and the ratio of claim-creation
throughput to the baseline's. The clients run on the same cores as the server, so the figures
are a floor for a separate load machine.

Settings: WORKBENCH_BENCH_SECONDS (8: per scenario; claim creation and the baseline get half of
it per round), WORKBENCH_BENCH_ROUNDS (5), WORKBENCH_BENCH_WARMUP (1: seconds of load before each
measured run, not counted), WORKBENCH_BENCH_LOG (a file for gunicorn's log).
`--profile [sqlite|postgresql]` instead times claim creation in-process and profiles it (another
scenario with `--only WORD`)."""

from __future__ import annotations

import argparse
import http.client
import json
import multiprocessing
import os
import queue
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

CLIENTS = 16
DURATION = float(os.environ.get("WORKBENCH_BENCH_SECONDS", 8))
ROUNDS = int(os.environ.get("WORKBENCH_BENCH_ROUNDS", 5))
WARMUP = float(os.environ.get("WORKBENCH_BENCH_WARMUP", 1))
PG_URL = os.environ.get("WORKBENCH_BENCH_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/test")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Gunicorn:
    def __init__(self, app: str, env: dict, cwd: Path):
        self.port = free_port()
        self.env = dict(os.environ, **env, WORKBENCH_BIND=f"127.0.0.1:{self.port}", WORKBENCH_LOG_LEVEL="warning")
        self.app, self.cwd = app, cwd
        self.rss: dict[int, int] = {}

    def __enter__(self):
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "gunicorn.conf.py"), self.app],
            cwd=self.cwd, env=self.env, start_new_session=True, stdout=subprocess.DEVNULL, stderr=open(os.environ.get("WORKBENCH_BENCH_LOG", os.devnull), "ab"))
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), 0.5).close()
                time.sleep(0.5)
                return self
            except OSError:
                time.sleep(0.1)
        raise RuntimeError(f"gunicorn ({self.app}) did not start")

    def __exit__(self, *exc):
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(40)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()

    def workers(self) -> list[int]:
        out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(self.process.pid)], capture_output=True, text=True)
        return [int(p) for p in out.stdout.split()]

    def sample_rss(self) -> None:
        for pid in self.workers():
            try:
                for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                    if line.startswith("VmRSS:"):
                        self.rss[pid] = max(self.rss.get(pid, 0), int(line.split()[1]))
            except FileNotFoundError:
                pass


class LeanHttpClient:
    """HTTP/1.1 with as little client work as can be, since the clients share the server's cores:
    the request goes out as one prepared buffer, and of the answer only the status, the length and
    whether the server closes the connection are read. (``http.client`` took about 0.7 ms of CPU a
    request here, a sixth of the machine at full load.) Opens a connection again when needed."""

    def __init__(self, port: int):
        self.port, self.sock, self.pending = port, None, b""

    def request(self, method: str, path: str, body: str | bytes | None, headers: dict) -> int:
        data = body.encode() if isinstance(body, str) else (body or b"")
        head = "".join(f"{name}: {value}\r\n" for name, value in headers.items())
        message = (f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{self.port}\r\nContent-Length: {len(data)}\r\n"
                   f"{head}\r\n").encode() + data
        if self.sock is None:
            self.sock = socket.create_connection(("127.0.0.1", self.port), timeout=30)
            self.pending = b""
        self.sock.sendall(message)
        received = bytearray(self.pending)
        while (end := received.find(b"\r\n\r\n")) < 0:
            received += self._receive()
        lines = bytes(received[:end]).split(b"\r\n")
        status, length, closing = int(lines[0].split()[1]), 0, False
        for line in lines[1:]:
            name, _, value = line.partition(b":")
            name = name.strip().lower()
            if name == b"content-length":
                length = int(value)
            elif name == b"connection":
                closing = value.strip().lower() == b"close"
            elif name == b"transfer-encoding":
                raise ValueError("chunked answers are not read by this client")
        start = end + 4
        while len(received) < start + length:
            received += self._receive()
        self.pending = bytes(received[start + length:])
        if closing:
            self.close()
        return status

    def _receive(self) -> bytes:
        chunk = self.sock.recv(1 << 16)
        if not chunk:
            raise ConnectionError("the server closed the connection")
        return chunk

    def close(self) -> None:
        if self.sock is not None:
            self.sock.close()
            self.sock = None


def run_load(server: Gunicorn, make_request, setup=None, duration: float = DURATION) -> dict:
    """CLIENTS client processes, each with its own HTTP/1.1 connection, for ``duration`` seconds
    after WARMUP seconds whose requests are not counted (a fresh worker builds its caches then,
    as a server that has been running has done already).

    Processes, not threads: sixteen threads in one interpreter would queue for its GIL, and that
    wait would show up as server latency.
    """
    context = multiprocessing.get_context("fork")
    results = context.Queue()
    gate = context.Barrier(CLIENTS + 1)

    def client(index: int):
        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
        state = setup(conn) if setup else {}
        conn.close()
        http_client = LeanHttpClient(server.port)
        rng = random.Random(index)
        gate.wait()
        measure_from = time.monotonic() + WARMUP
        stop = measure_from + duration
        mine, failed = [], 0
        while (now := time.monotonic()) < stop:
            method, path, body, headers, expected = make_request(rng, state)
            started = time.perf_counter()
            try:
                ok = http_client.request(method, path, body, headers) == expected
            except (OSError, ValueError):
                ok = False
                http_client.close()
            if now >= measure_from:
                mine.append((time.perf_counter() - started) * 1000)
                failed += not ok
        http_client.close()
        results.put((mine, failed))

    clients = [context.Process(target=client, args=(i,), daemon=True) for i in range(CLIENTS)]
    for process in clients:
        process.start()
    gate.wait()
    started = time.monotonic()
    collected = []
    while len(collected) < CLIENTS:
        try:
            collected.append(results.get(timeout=0.2))
        except queue.Empty:
            if not any(p.is_alive() for p in clients):
                raise RuntimeError("a load client died") from None
        server.sample_rss()
    elapsed = time.monotonic() - started - WARMUP
    for process in clients:
        process.join()
    return summarize([x for mine, _ in collected for x in mine], sum(f for _, f in collected), elapsed,
                     max(server.rss.values(), default=0) / 1024)


def summarize(latencies: list[float], errors: int, elapsed: float, rss_mb: float, rounds=()) -> dict:
    ordered = sorted(latencies)

    def pct(p):
        return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))] if ordered else float("nan")

    return {"requests": len(ordered), "rps": len(ordered) / elapsed, "p50": pct(50), "p95": pct(95),
            "p99": pct(99), "errors": errors, "rss_mb": rss_mb, "elapsed": elapsed, "latencies": ordered,
            "rounds": list(rounds)}


def combine(runs: list[dict]) -> dict:
    """Rounds of one scenario as one result (requests over total time, latencies pooled)."""
    return summarize([x for r in runs for x in r["latencies"]], sum(r["errors"] for r in runs),
                     sum(r["elapsed"] for r in runs), max(r["rss_mb"] for r in runs),
                     rounds=[r["rps"] for r in runs])


def prepare(database_url: str, instance: Path) -> dict:
    """A checker with a token and a session password, and a 10,000-word article with 500 claims."""
    import bench
    from sqlmodel import select

    from workbench import create_app
    from workbench.services.accounts import create_token
    from workbench.store.db import get_engine, get_session
    from workbench.store.models import Revision, User

    app = create_app({"DATABASE_URL": database_url, "INSTANCE_PATH": str(instance), "SECRET_KEY": "load-bench",
                      "MAX_IMPORT_BYTES": 50_000_000})
    article_id = bench.build(app, random.Random(7))
    from workbench.services.imports import import_article

    with app.app_context():
        db = get_session()
        checker = db.exec(select(User).where(User.username == "checker")).one()
        token = create_token(db, checker)
        text = db.exec(select(Revision).where(Revision.article_id == article_id)).one().canonical_text
        # Claims are created on a copy, so the page and export scenarios keep exactly 500 claims.
        target = import_article(db, actor=checker, data=("Copy Headline\n\n" + text).encode(),
                                media_type="text/plain", origin="bench", max_bytes=50_000_000)
        target_id = target.id
    get_engine(app).dispose()
    spans = []
    for match in re.finditer(r"\S+(?: \S+){2,5}", text):
        spans.append((match.start(), match.end(), match.group()))
    return {"token": token, "article_id": article_id, "target_id": target_id, "spans": spans}


def scenarios(data: dict):
    auth = {"Authorization": f"Bearer {data['token']}"}

    def create_claim(rng, _state):
        start, end, exact = rng.choice(data["spans"])
        body = json.dumps({"type": "Annotation", "target": {"selector": [
            {"type": "TextPositionSelector", "start": start, "end": end},
            {"type": "TextQuoteSelector", "exact": exact}]},
            "body": [{"type": "TextualBody", "purpose": "assessing", "value": "false"}]})
        return ("POST", f"/api/articles/{data['target_id']}/annotations/", body,
                {**auth, "Content-Type": "application/ld+json"}, 201)

    def login(conn):
        conn.request("GET", "/login")
        page = conn.getresponse()
        cookie = page.getheader("Set-Cookie").split(";", 1)[0]
        token = re.search(r'name="csrf_token" value="([^"]+)"', page.read().decode()).group(1)
        conn.request("POST", "/login", body=f"username=checker&password=bench-password&csrf_token={token}",
                     headers={"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie})
        response = conn.getresponse()
        response.read()
        return {"cookie": response.getheader("Set-Cookie").split(";", 1)[0]}

    def article_page(_rng, state):
        return ("GET", f"/articles/{data['article_id']}", None, {"Cookie": state["cookie"]}, 200)

    def w3c_export(_rng, _state):
        return ("GET", f"/api/articles/{data['article_id']}/export?format=jsonld&include=all", None, auth, 200)

    return [("claim creation", create_claim, None), ("article page (500 claims)", article_page, login),
            ("W3C export", w3c_export, None)]


def pg_schema_url() -> tuple[str, str]:
    schema = f"workbench_load_{uuid.uuid4().hex[:8]}"
    subprocess.run(["psql", PG_URL, "-qc", f"CREATE SCHEMA {schema}"], check=True)
    return f"{PG_URL}{'&' if '?' in PG_URL else '?'}options=-csearch_path%3D{schema}", schema


def line(name: str, r: dict) -> str:
    return (f"  {name:28} {r['rps']:8.1f} req/s  p50 {r['p50']:7.1f}  p95 {r['p95']:7.1f}  p99 {r['p99']:7.1f} ms"
            f"  errors {r['errors']:3}  peak RSS/worker {r['rss_mb']:6.1f} MB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--profile", nargs="?", const="sqlite", choices=["sqlite", "postgresql"],
                        help="profile claim creation (or the scenario --only names) in-process instead, on SQLite unless named")
    parser.add_argument("--sqlite-only", action="store_true")
    parser.add_argument("--only", metavar="WORD", help="run only the scenarios whose name contains WORD")
    args = parser.parse_args()
    if args.profile:
        return profile(args.profile, args.only)
    tmp = Path(tempfile.mkdtemp(prefix="workbench-load-"))
    print(f"Load: {CLIENTS} client processes; gunicorn.conf.py; {os.cpu_count()} cores, shared "
          f"with the clients. Claim creation and the baseline alternate in {ROUNDS} rounds of "
          f"{DURATION / 2:g} s, so drift in the machine's speed touches both alike; the other scenarios "
          f"run {DURATION:g} s. Each run follows {WARMUP:g} s of uncounted warm-up.")
    try:
        backends = [("SQLite", f"sqlite:///{tmp / 'workbench.sqlite3'}", None)]
        if not args.sqlite_only and shutil.which("psql"):
            url, schema = pg_schema_url()
            backends.append(("PostgreSQL", url, schema))
        baseline_env = {"BASELINE_DATABASE": str(tmp / "baseline.sqlite3")}
        with Gunicorn("baseline_app:app", baseline_env, ROOT / "scripts") as baseline:
            for label, url, schema in backends:
                instance = tmp / f"instance-{label}"
                data = prepare(url, instance)
                env = {"WORKBENCH_DATABASE_URL": url, "WORKBENCH_INSTANCE_PATH": str(instance),
                       "WORKBENCH_SECRET_KEY": "load-bench"}
                print(f"Workbench on {label}:")
                with Gunicorn("workbench:create_app()", env, ROOT) as server:
                    for name, make_request, setup in scenarios(data):
                        if args.only and args.only not in name:
                            continue
                        server.rss.clear()
                        if name != "claim creation":
                            print(line(name, run_load(server, make_request, setup)))
                            continue
                        bare, created = [], []
                        for _ in range(ROUNDS):
                            baseline.rss.clear()
                            bare.append(run_load(baseline, insert_one_row, duration=DURATION / 2))
                            created.append(run_load(server, make_request, setup, duration=DURATION / 2))
                        bare, created = combine(bare), combine(created)
                        print(line("baseline: insert one row", bare))
                        print(line(name, created))
                        ratios = [c / b for c, b in zip(created["rounds"], bare["rounds"])]
                        print(f"  claim creation / baseline throughput: {created['rps'] / bare['rps']:.0%} "
                              f"(rounds: {', '.join(f'{r:.0%}' for r in ratios)})   "
                              f"targets: ≥ 40%, p99 < 150 ms, 0 errors, < 150 MB a worker")
                if schema:
                    subprocess.run(["psql", PG_URL, "-qc", f"DROP SCHEMA {schema} CASCADE"], check=True,
                                   capture_output=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def insert_one_row(_rng, _state):
    return ("POST", "/", b"", {}, 201)


def profile(backend: str, only: str | None = None) -> None:
    """Where a scenario (claim creation unless ``only`` names another) spends its time: timed
    in-process, then profiled. Pages and exports are timed as kept: each worker makes them once."""
    import logging

    from pyinstrument import Profiler

    from workbench import create_app

    tmp = Path(tempfile.mkdtemp(prefix="workbench-profile-"))
    url, schema = pg_schema_url() if backend == "postgresql" else (f"sqlite:///{tmp / 'p.sqlite3'}", None)
    data = prepare(url, tmp / "instance")
    app = create_app({"DATABASE_URL": url, "INSTANCE_PATH": str(tmp / "instance"), "SECRET_KEY": "p"})
    logging.getLogger("workbench.request").setLevel(logging.WARNING)  # as under gunicorn in `make load`
    client = app.test_client()
    name, make, setup = next(s for s in scenarios(data) if only is None or only in s[0])
    state = {}
    if setup is not None:  # sign in through the form, as the load clients do
        page = client.get("/login")
        token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        client.post("/login", data={"username": "checker", "password": "bench-password", "csrf_token": token})
        cookie = app.config["SESSION_COOKIE_NAME"]
        state = {"cookie": f"{cookie}={client.get_cookie(cookie).value}"}
    rng = random.Random(1)

    def run(count: int) -> float:
        started = time.perf_counter()
        for _ in range(count):
            method, path, body, headers, expected = make(rng, state)
            assert client.open(path, method=method, data=body, headers=headers).status_code == expected
        return (time.perf_counter() - started) * 1000 / count

    run(50)
    rounds = sorted(run(200) for _ in range(5))
    print(f"{name} in-process (Flask test client): {rounds[2]:.2f} ms a request "
          f"(median of 5 rounds of 200; fastest {rounds[0]:.2f})")
    profiler = Profiler()
    profiler.start()
    run(300)
    profiler.stop()
    print(profiler.output_text(unicode=False, color=False))
    shutil.rmtree(tmp, ignore_errors=True)
    if schema:
        subprocess.run(["psql", PG_URL, "-qc", f"DROP SCHEMA {schema} CASCADE"], check=True, capture_output=True)


if __name__ == "__main__":
    main()
