"""Load benchmark (not a test): `make load`.

Drives the app under gunicorn on loopback with wrk (scripts/wrk/*.lua: 16 connections on 2
threads), first on SQLite and then on PostgreSQL (WORKBENCH_BENCH_DATABASE_URL, default the
local `test` database). Every scenario runs on Workbench three times, under its own gunicorn.conf.py,
under plain `gunicorn -w N` (gunicorn's defaults: sync workers, no config file), N being the
workers gunicorn.conf.py starts, and under plain `gunicorn -w M`, M being gunicorn's own rule of
thumb (two workers a core, plus one). Claim creation is set beside a bare baseline, a minimal Flask
endpoint inserting one SQLite row per request (scripts/baseline_app.py), itself under plain
`gunicorn -w N`. The servers take turns in rounds, in an order that rotates each round, so a
change in the machine's speed or a table growing touches them alike; the figures are the rounds'
medians (requests/s, p50, p99, the ratio to the baseline), with the worst p99, every error
(socket errors, timeouts and any status but the expected one) and the peak memory of a worker,
resident (RSS) and proportional (PSS: pages shared between workers counted in parts). wrk runs on
the same cores as the server, so the figures are a floor for a separate load machine.

Scenarios: claim creation (POST /api/articles/<id>/annotations/, a W3C annotation, bearer token;
each server writes to its own copy of the article), the article and its claims through the API
(GET /api/articles/<id> and its annotation container in turn), the article page with 500 claims
(signed in), the W3C export.

Settings: WORKBENCH_BENCH_SECONDS (4: one run), WORKBENCH_BENCH_ROUNDS (3),
WORKBENCH_BENCH_WARMUP (1: seconds of load a server gets, uncounted, before its first run of a
scenario), WORKBENCH_BENCH_LOG (a file for gunicorn's log), WORKBENCH_BENCH_JSON (a file to which
every run's figures are added, one JSON line per scenario and server). `--config "NAME=VALUE ..."` (again for
more) adds gunicorn.conf.py with those settings as another server, to compare settings side by
side; `--only WORD` runs only the scenarios whose name contains WORD.
`--profile [sqlite|postgresql]` instead times claim creation in-process and profiles it (another
scenario with `--only WORD`)."""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import re
import shlex
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WRK_SCRIPTS = ROOT / "scripts" / "wrk"
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

CONNECTIONS, THREADS = 16, 2
DURATION = float(os.environ.get("WORKBENCH_BENCH_SECONDS", 4))
ROUNDS = int(os.environ.get("WORKBENCH_BENCH_ROUNDS", 3))
WARMUP = float(os.environ.get("WORKBENCH_BENCH_WARMUP", 1))
PG_URL = os.environ.get("WORKBENCH_BENCH_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/test")
# As many workers as gunicorn.conf.py starts (workbench/serving.py: one a core, plus one), for
# plain `gunicorn -w N` and the baseline; and gunicorn's own rule of thumb, two a core plus one,
# for plain gunicorn as its documentation would have it started.
WORKERS = int(os.environ.get("WORKBENCH_WORKERS", (os.cpu_count() or 1) + 1))
RULE_OF_THUMB_WORKERS = (os.cpu_count() or 1) * 2 + 1
TARGETS = {"creation": "≥ 40% of the baseline", "p99": 150.0}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Gunicorn:
    """gunicorn on a free loopback port, serving ``app`` from the folder ``path``: with
    gunicorn.conf.py (``settings``: environment variables it reads, such as WORKBENCH_THREADS), or
    plain (``config=False``): ``gunicorn -w N`` and nothing else but the address and no control
    socket (two servers would share one), started in an empty folder. ``workers``: how many
    workers it starts (WORKERS unless given)."""

    def __init__(self, app: str, env: dict, path: Path, *, config: bool = True, settings: dict | None = None,
                 workers: int | None = None):
        self.port = free_port()
        self.app, self.config = app, config
        self.worker_count = workers or int((settings or {}).get("WORKBENCH_WORKERS", WORKERS))
        self.env = dict(os.environ, **env, **(settings or {}), PYTHONPATH=str(path),
                        WORKBENCH_BIND=f"127.0.0.1:{self.port}", WORKBENCH_LOG_LEVEL="warning",
                        WORKBENCH_CONTROL_SOCKET="off")
        # gunicorn reads ./gunicorn.conf.py unless told otherwise: plain runs where there is none.
        self.cwd = path if config else Path(tempfile.mkdtemp(prefix="workbench-plain-"))
        self.peak: dict[int, tuple[int, int]] = {}  # worker pid: (RSS, PSS) in kB

    def command(self) -> list[str]:
        if self.config:
            return [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "gunicorn.conf.py"), self.app]
        return [sys.executable, "-m", "gunicorn", "-w", str(self.worker_count), "-b", f"127.0.0.1:{self.port}",
                "--no-control-socket", self.app]

    def __enter__(self):
        log = open(os.environ.get("WORKBENCH_BENCH_LOG", os.devnull), "ab")
        self.process = subprocess.Popen(self.command(), cwd=self.cwd, env=self.env, start_new_session=True,
                                        stdout=subprocess.DEVNULL, stderr=log)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                break
            try:
                socket.create_connection(("127.0.0.1", self.port), 0.5).close()
                while len(self.workers()) < self.worker_count and time.monotonic() < deadline:
                    time.sleep(0.1)
                time.sleep(0.5)
                return self
            except OSError:
                time.sleep(0.1)
        raise RuntimeError(f"gunicorn ({' '.join(self.command()[3:])}) did not start")

    def __exit__(self, *exc):
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(40)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
        if not self.config:
            shutil.rmtree(self.cwd, ignore_errors=True)

    def workers(self) -> list[int]:
        out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(self.process.pid)], capture_output=True, text=True)
        return [int(p) for p in out.stdout.split()]

    def sample_memory(self, pids: list[int]) -> None:
        for pid in pids:
            try:
                rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
            except (FileNotFoundError, ProcessLookupError, PermissionError):
                continue
            values = {line.split(":")[0]: int(line.split()[1]) for line in rollup.splitlines()[1:]
                      if line.split(":")[0] in ("Rss", "Pss")}
            rss, pss = self.peak.get(pid, (0, 0))
            self.peak[pid] = (max(rss, values.get("Rss", 0)), max(pss, values.get("Pss", 0)))

    def cpu_seconds(self, pids: list[int]) -> float:
        """The CPU time (user and system) the workers ``pids`` have used so far."""
        ticks = 0
        for pid in pids:
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except (FileNotFoundError, ProcessLookupError):
                continue
            ticks += int(fields[11]) + int(fields[12])  # utime, stime
        return ticks / os.sysconf("SC_CLK_TCK")

    def peak_memory_mb(self) -> tuple[float, float]:
        """The largest peak RSS and peak PSS of one worker, in MB."""
        if not self.peak:
            return float("nan"), float("nan")
        return (max(r for r, _ in self.peak.values()) / 1024, max(p for _, p in self.peak.values()) / 1024)


@dataclass
class Load:
    """One wrk run's request: a script in scripts/wrk, the URL's path, headers and the script's arguments."""
    script: str
    path: str
    headers: list[str] = field(default_factory=list)
    args: list[str] = field(default_factory=list)


def run_wrk(server: Gunicorn, load: Load, seconds: float, *, connections: int = CONNECTIONS,
            threads: int = THREADS) -> dict:
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds:g}s", "--timeout", "5s",
               "-s", str(WRK_SCRIPTS / load.script)]
    for header in load.headers:
        command += ["-H", header]
    command += [f"http://127.0.0.1:{server.port}{load.path}", "--", *load.args]
    wrk = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    pids = server.workers()
    stop = threading.Event()

    def sample():
        while not stop.wait(0.25):
            server.sample_memory(pids)

    sampler = threading.Thread(target=sample, daemon=True)
    cpu = server.cpu_seconds(pids)
    sampler.start()
    out, err = wrk.communicate()
    cpu = server.cpu_seconds(pids) - cpu
    stop.set()
    sampler.join()
    report = next((line for line in out.splitlines() if line.startswith("load-report ")), None)
    if wrk.returncode or report is None:
        raise RuntimeError(f"wrk failed ({wrk.returncode}): {err.strip() or out.strip()}")
    figures = json.loads(report.split(" ", 1)[1])
    figures["cpu_ms"] = cpu * 1000 / max(1, figures["requests"])  # the workers' CPU time a request
    return figures


def median(values):
    return statistics.median(values) if values else float("nan")


class Results:
    """Each server's runs of each scenario."""

    def __init__(self):
        self.runs: dict[tuple[str, str], list[dict]] = {}

    def add(self, scenario: str, label: str, run: dict) -> None:
        self.runs.setdefault((scenario, label), []).append(run)

    def summary(self, scenario: str, label: str) -> dict:
        runs = self.runs[(scenario, label)]
        return {"rps": median([r["rps"] for r in runs]), "p50": median([r["p50_ms"] for r in runs]),
                "p99": median([r["p99_ms"] for r in runs]), "worst_p99": max(r["p99_ms"] for r in runs),
                "errors": sum(r["errors"] for r in runs), "requests": sum(r["requests"] for r in runs),
                "cpu_ms": median([r["cpu_ms"] for r in runs]),
                "rss": max(r["rss_mb"] for r in runs), "pss": max(r["pss_mb"] for r in runs),
                "rounds": [r["rps"] for r in runs]}


def take_turns(results: Results, scenario: str, servers: list[tuple[str, Gunicorn, Load]]) -> None:
    """ROUNDS runs of ``scenario`` on every server, in turns whose order rotates each round."""
    for label, server, load in servers:
        run_wrk(server, load, WARMUP)  # a fresh worker builds its caches, as a running server has
    for number in range(ROUNDS):
        turn = servers[number % len(servers):] + servers[:number % len(servers)]
        for label, server, load in turn:
            server.peak.clear()
            run = run_wrk(server, load, DURATION)
            run["rss_mb"], run["pss_mb"] = server.peak_memory_mb()
            results.add(scenario, label, run)


def prepare(database_url: str, instance: Path, copies: int) -> dict:
    """A checker with a token and a session password, a 10,000-word article with 500 claims, and
    ``copies`` copies of it without claims, for claim creation (one for each server)."""
    import bench
    from sqlmodel import select

    from workbench import create_app
    from workbench.services.accounts import create_token
    from workbench.services.imports import import_article
    from workbench.store.db import get_engine, get_session
    from workbench.store.models import Revision, User

    app = create_app({"DATABASE_URL": database_url, "INSTANCE_PATH": str(instance), "SECRET_KEY": "load-bench",
                      "MAX_IMPORT_BYTES": 50_000_000})
    article_id = bench.build(app, random.Random(7))
    with app.app_context():
        db = get_session()
        checker = db.exec(select(User).where(User.username == "checker")).one()
        token = create_token(db, checker)
        text = db.exec(select(Revision).where(Revision.article_id == article_id)).one().canonical_text
        targets = [import_article(db, actor=checker, data=(f"Copy {n} Headline\n\n" + text).encode(),
                                  media_type="text/plain", origin="bench", max_bytes=50_000_000).id
                   for n in range(copies)]
    get_engine(app).dispose()
    bodies = instance / "annotations.jsonl"
    with bodies.open("w") as out:
        for match in re.finditer(r"\S+(?: \S+){2,5}", text):
            out.write(json.dumps({"type": "Annotation", "target": {"selector": [
                {"type": "TextPositionSelector", "start": match.start(), "end": match.end()},
                {"type": "TextQuoteSelector", "exact": match.group()}]},
                "body": [{"type": "TextualBody", "purpose": "assessing", "value": "false"}]}) + "\n")
    return {"token": token, "article_id": article_id, "targets": targets, "bodies": str(bodies)}


def sign_in(server: Gunicorn) -> str:
    """A session cookie for the checker, signed in through the form."""
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    conn.request("GET", "/login")
    page = conn.getresponse()
    cookie = page.getheader("Set-Cookie").split(";", 1)[0]
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.read().decode()).group(1)
    conn.close()
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    conn.request("POST", "/login", body=f"username=checker&password=bench-password&csrf_token={token}",
                 headers={"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie})
    response = conn.getresponse()
    response.read()
    conn.close()
    if response.status not in (302, 303):
        raise RuntimeError(f"signing in answered {response.status}")
    return response.getheader("Set-Cookie").split(";", 1)[0]


def scenarios(data: dict) -> list[tuple[str, object]]:
    """Each scenario's name, and the load it puts on a server given the server's number (each
    writes claims to its own copy of the article) and the server."""
    bearer = f"Authorization: Bearer {data['token']}"
    article = data["article_id"]
    return [
        ("claim creation", lambda n, _server: Load(
            "create_claim.lua", f"/api/articles/{data['targets'][n]}/annotations/", [bearer], [data["bodies"]])),
        ("API: article + claims", lambda _n, _server: Load(
            "read.lua", f"/api/articles/{article}", [bearer],
            ["200", f"/api/articles/{article}", f"/api/articles/{article}/annotations/"])),
        ("article page (500 claims)", lambda _n, server: Load(
            "read.lua", f"/articles/{article}", [f"Cookie: {sign_in(server)}"] if server else [], ["200"])),
        ("W3C export", lambda _n, _server: Load(
            "read.lua", f"/api/articles/{article}/export?format=jsonld&include=all", [bearer], ["200"])),
    ]


def pg_schema_url() -> tuple[str, str]:
    schema = f"workbench_load_{uuid.uuid4().hex[:8]}"
    subprocess.run(["psql", PG_URL, "-qc", f"CREATE SCHEMA {schema}"], check=True)
    return f"{PG_URL}{'&' if '?' in PG_URL else '?'}options=-csearch_path%3D{schema}", schema


def line(label: str, r: dict) -> str:
    return (f"    {label:34} {r['rps']:7.1f} req/s  p50 {r['p50']:6.1f}  p99 {r['p99']:6.1f} ms (worst "
            f"{r['worst_p99']:6.1f})  errors {r['errors']}/{r['requests']:<6} CPU {r['cpu_ms']:5.2f} ms/req  "
            f"worker RSS {r['rss']:5.1f} PSS {r['pss']:5.1f} MB")


def ratio_line(results: Results, scenario: str, label: str, base: str) -> str:
    mine, bare = results.runs[(scenario, label)], results.runs[(scenario, base)]
    ratios = [m["rps"] / b["rps"] for m, b in zip(mine, bare)]
    s, b = results.summary(scenario, label), results.summary(scenario, base)
    met = (median(ratios) >= 0.4 and s["p99"] < TARGETS["p99"] and s["errors"] == 0)
    # The baseline's five processes queue for SQLite's lock by sleeping and trying again, so its
    # throughput says little of its cost: the CPU a request tells that.
    return (f"    {label} / baseline: {median(ratios):.0%} (rounds: {', '.join(f'{r:.0%}' for r in ratios)}); "
            f"p99 {s['p99']:.1f} ms, {s['errors']} errors: {'met' if met else 'NOT met'}; "
            f"CPU a request {s['cpu_ms'] / b['cpu_ms']:.1f} x the baseline's")


def parse_config(text: str) -> tuple[str, dict]:
    settings = dict(word.split("=", 1) for word in shlex.split(text))
    return "conf: " + " ".join(f"{k.removeprefix('WORKBENCH_').lower()}={v}" for k, v in settings.items()), settings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--profile", nargs="?", const="sqlite", choices=["sqlite", "postgresql"],
                        help="profile claim creation (or the scenario --only names) in-process instead, on SQLite unless named")
    parser.add_argument("--sqlite-only", action="store_true")
    parser.add_argument("--only", metavar="WORD", help="run only the scenarios whose name contains WORD (or one of WORD,WORD...)")
    parser.add_argument("--config", action="append", default=[], metavar="'NAME=VALUE ...'",
                        help="also run gunicorn.conf.py with these settings (environment variables)")
    args = parser.parse_args()
    if args.profile:
        return profile(args.profile, args.only)
    if shutil.which("wrk") is None:
        sys.exit("make load needs wrk: scripts/install-wrk.sh installs it")
    tmp = Path(tempfile.mkdtemp(prefix="workbench-load-"))
    plain = f"gunicorn -w {WORKERS} (sync)"
    variants = [("gunicorn.conf.py", {"config": True}), *[
        (label, {"config": True, "settings": settings}) for label, settings in map(parse_config, args.config)],
        (plain, {"config": False})]
    if RULE_OF_THUMB_WORKERS != WORKERS:
        variants.append((f"gunicorn -w {RULE_OF_THUMB_WORKERS} (sync)",
                         {"config": False, "workers": RULE_OF_THUMB_WORKERS}))
    print(f"Load: wrk, {CONNECTIONS} connections on {THREADS} threads, on the server's {os.cpu_count()} cores. "
          f"{ROUNDS} rounds of {DURATION:g} s a server, taking turns; medians of the rounds. Baseline: one "
          f"SQLite insert a request under `{plain.split(' (')[0]}`.")
    try:
        backends = [("SQLite", f"sqlite:///{tmp / 'workbench.sqlite3'}", None)]
        if not args.sqlite_only and shutil.which("psql"):
            url, schema = pg_schema_url()
            backends.append(("PostgreSQL", url, schema))
        baseline_env = {"BASELINE_DATABASE": str(tmp / "baseline.sqlite3")}
        with Gunicorn("baseline_app:app", baseline_env, ROOT / "scripts", config=False) as baseline:
            for label, url, schema in backends:
                instance = tmp / f"instance-{label}"
                data = prepare(url, instance, len(variants))
                env = {"WORKBENCH_DATABASE_URL": url, "WORKBENCH_INSTANCE_PATH": str(instance),
                       "WORKBENCH_SECRET_KEY": "load-bench"}
                print(f"Workbench on {label}:")
                servers = [(name, Gunicorn("workbench:create_app()", env, ROOT, **options)) for name, options in variants]
                for _, server in servers:
                    server.__enter__()
                try:
                    results = Results()
                    for scenario, load in scenarios(data):
                        if args.only and not any(word in scenario for word in args.only.split(",")):
                            continue
                        turns = [(name, server, load(n, server)) for n, (name, server) in enumerate(servers)]
                        if scenario == "claim creation":
                            turns.insert(0, ("baseline: bare insert, " + plain, baseline, Load("insert_row.lua", "/")))
                        take_turns(results, scenario, turns)
                        print(f"  {scenario}:")
                        for name, _, _ in turns:
                            print(line(name, results.summary(scenario, name)))
                        if scenario == "claim creation":
                            for name, _ in servers:
                                print(ratio_line(results, scenario, name, turns[0][0]))
                    if os.environ.get("WORKBENCH_BENCH_JSON"):  # every run, for a closer look
                        with open(os.environ["WORKBENCH_BENCH_JSON"], "a") as out:
                            for (scenario, name), runs in results.runs.items():
                                out.write(json.dumps({"backend": label, "scenario": scenario, "server": name,
                                                      "runs": runs}) + "\n")
                finally:
                    for _, server in servers:
                        server.__exit__(None, None, None)
                if schema:
                    subprocess.run(["psql", PG_URL, "-qc", f"DROP SCHEMA {schema} CASCADE"], check=True,
                                   capture_output=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def profile(backend: str, only: str | None = None) -> None:
    """Where a scenario (claim creation unless ``only`` names another) spends its time: timed
    in-process, then profiled. Pages and exports are timed as kept: each worker makes them once."""
    import logging

    from pyinstrument import Profiler

    from workbench import create_app

    tmp = Path(tempfile.mkdtemp(prefix="workbench-profile-"))
    url, schema = pg_schema_url() if backend == "postgresql" else (f"sqlite:///{tmp / 'p.sqlite3'}", None)
    data = prepare(url, tmp / "instance", 1)
    app = create_app({"DATABASE_URL": url, "INSTANCE_PATH": str(tmp / "instance"), "SECRET_KEY": "p"})
    logging.getLogger("workbench.request").setLevel(logging.WARNING)
    client = app.test_client()
    name, make = next(s for s in scenarios(data) if only is None or only in s[0])
    load = make(0, None)
    headers = dict(header.split(": ", 1) for header in load.headers)
    if load.script == "create_claim.lua":
        bodies = Path(data["bodies"]).read_text().splitlines()
        requests = lambda rng: ("POST", load.path, rng.choice(bodies), {**headers, "Content-Type": "application/ld+json"}, 201)  # noqa: E731
    else:
        if "Cookie" not in headers and "Authorization" not in headers:  # the page: sign in through the form
            page = client.get("/login")
            token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
            client.post("/login", data={"username": "checker", "password": "bench-password", "csrf_token": token})
        paths = load.args[1:] or [load.path]
        requests = lambda rng: ("GET", rng.choice(paths), None, headers, int(load.args[0]))  # noqa: E731
    rng = random.Random(1)

    def run(count: int) -> float:
        started = time.perf_counter()
        for _ in range(count):
            method, path, body, sent, expected = requests(rng)
            assert client.open(path, method=method, data=body, headers=sent).status_code == expected
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
