"""Benchmarks that print their figures (not tests): `make bench`.

- Article page: a 10,000-word article with 500 claims. Server render time (median and p95 of
  repeated requests through the WSGI app), and the time until Chromium has painted the
  highlights (from navigation start, and from the end of the response).
- Exports of the same article with all 500 claims approved: HTML report, W3C JSON-LD, PDF.
(Re-anchoring's figures are printed by scripts/reanchor_bench.py.)
"""

from __future__ import annotations

import random
import shutil
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlmodel import select  # noqa: E402
from werkzeug.serving import make_server  # noqa: E402

from workbench import create_app  # noqa: E402
from workbench.services.articles import get_revision  # noqa: E402
from workbench.services.imports import import_article  # noqa: E402
from workbench.services.claims import create_claim  # noqa: E402
from workbench.services.schemas import ClaimFields  # noqa: E402
from workbench.services.users import create_user  # noqa: E402
from workbench.store.db import get_engine, get_session, upgrade_database  # noqa: E402
from workbench.store.models import User  # noqa: E402

WORDS = 10_000
CLAIMS = 500
RENDER_RUNS = 30
PAINT_RUNS = 7
CHROMIUM_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
VOCABULARY = ("the council said tolls receipts bridge minister figures rose fell percent million crowns report "
              "audit year budget traffic ferry harbour assembly vote concession operator treasury 👍 数据 данные").split()


def article_text(rng: random.Random, length: int = WORDS) -> str:
    """An article of about ``length`` words in paragraphs of 60 to 140."""
    paragraphs, words = [], 0
    while words < length:
        n = rng.randint(60, 140)
        paragraphs.append(" ".join(rng.choice(VOCABULARY) for _ in range(n)).capitalize() + ".")
        words += n
    return "Benchmark Headline\n\n" + "\n\n".join(paragraphs)


def build(app, rng: random.Random) -> int:
    with app.app_context():
        upgrade_database(get_engine(app))
        db = get_session()
        checker = create_user(db, username="checker", password="bench-password", role="checker")
        article = import_article(db, actor=checker, data=article_text(rng).encode(), media_type="text/plain",
                                 origin="bench", max_bytes=50_000_000)
        revision = get_revision(db, article)
        text = revision.canonical_text
        scale = ["true", "mostly_true", "mixed", "mostly_false", "false", "misleading", None]
        step = len(text) // CLAIMS
        for i in range(CLAIMS):
            start = i * step + rng.randint(0, step // 3)
            end = min(len(text), start + rng.randint(15, step + step // 2))  # some overlap the next
            create_claim(db, revision=revision, actor=checker, start=start, end=end,
                         exact=text[start:end], fields=ClaimFields(verdict=scale[i % len(scale)]))
        return article.id


def login(client) -> None:
    import re

    page = client.get("/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    client.post("/login", data={"username": "checker", "password": "bench-password", "csrf_token": token})


def measure_render(app, article_id: int, *, from_scratch: bool) -> list[float]:
    """Server time of the article page: made from scratch (as on the first view after a change),
    or with its text and claim list kept from the view before (workbench.memo)."""
    from workbench.memo import forget_everything

    client = app.test_client()
    login(client)
    client.get(f"/articles/{article_id}")  # warm up templates and caches
    times = []
    for _ in range(RENDER_RUNS):
        if from_scratch:
            forget_everything()
        started = time.perf_counter()
        response = client.get(f"/articles/{article_id}")
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200
    return times


def measure_paint(app, article_id: int) -> tuple[list[float], list[float], int] | None:
    executable = shutil.which("chromium")
    if executable is None:
        print("Chromium is not installed: skipping the paint benchmark.")
        return None
    from playwright.sync_api import sync_playwright

    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}"
    from_start, from_response, marks = [], [], 0
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
            # The wait below polls with an expression, which the pages' policy (no eval) would refuse.
            page = browser.new_page(base_url=base, bypass_csp=True)
            page.goto("/login")
            page.get_by_label("Username").fill("checker")
            page.get_by_label("Password").fill("bench-password")
            page.get_by_role("button", name="Sign in").click()
            page.wait_for_url("**/articles")
            for run in range(PAINT_RUNS + 1):
                page.goto(f"/articles/{article_id}")
                page.wait_for_function("performance.getEntriesByName('highlights-painted').length > 0")
                painted, response_end = page.evaluate(
                    "[performance.getEntriesByName('highlights-painted')[0].startTime,"
                    " performance.getEntriesByType('navigation')[0].responseEnd]")
                marks = page.locator("#article-text mark").count()
                if run:  # the first load warms the browser's caches
                    from_start.append(painted)
                    from_response.append(painted - response_end)
            browser.close()
    finally:
        server.shutdown()
    return from_start, from_response, marks


def approve_all(app, article_id: int) -> None:
    from workbench.services.claims import add_source
    from workbench.services.review import transition
    from workbench.services.schemas import SourceInput
    from workbench.store.models import Claim

    with app.app_context():
        db = get_session()
        checker = db.exec(select(User).where(User.username == "checker")).one()
        editor = create_user(db, username="editor", password="bench-password", role="editor")
        for claim in db.exec(select(Claim).where(Claim.article_id == article_id)).all():
            if not claim.verdict:
                claim.verdict = "unproven"
            claim.rationale = f"Checked against the **{claim.id}th** bulletin."
            db.add(claim)
            db.commit()
            add_source(db, claim=claim, actor=checker, expected_version=None,
                       data=SourceInput(url=f"https://stats.example/{claim.id % 40}", title="Bulletin"))
            transition(db, claim=claim, action="submit", actor=checker)
            transition(db, claim=claim, action="approve", actor=editor)


def measure_exports(app, article_id: int) -> dict[str, list[float]]:
    from workbench.memo import forget_everything
    from workbench.services.articles import get_article
    from workbench.services.exports.service import build
    from workbench.web.links import links

    runs = {"html": 10, "jsonld": 10, "pdf": 3}
    results: dict[str, list[float]] = {}
    with app.test_request_context("/", base_url="http://127.0.0.1:5000"):
        db = get_session()
        article = get_article(db, article_id)
        for fmt, count in runs.items():
            if fmt == "pdf" and shutil.which("chromium") is None:
                continue
            build(db, article=article, fmt=fmt, links=links())  # warm up
            times = []
            for _ in range(count):
                forget_everything()  # timed as made, not as kept from the run before
                started = time.perf_counter()
                export = build(db, article=article, fmt=fmt, links=links())
                times.append((time.perf_counter() - started) * 1000)
            results[fmt] = times
            results[fmt + "_size"] = [len(export.content)]
    return results


def describe(values: list[float]) -> str:
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]
    return f"median {statistics.median(values):7.1f} ms   p95 {p95:7.1f} ms"


def main() -> None:
    import logging

    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    logging.getLogger("workbench.request").setLevel(logging.WARNING)  # one line a request would bury the figures
    rng = random.Random(7)
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app({"DATABASE_URL": f"sqlite:///{tmp}/bench.sqlite3", "INSTANCE_PATH": f"{tmp}/instance",
                          "SECRET_KEY": "bench", "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
                          "MAX_IMPORT_BYTES": 50_000_000})
        started = time.perf_counter()
        article_id = build(app, rng)
        print(f"Article page benchmark: {WORDS:,} words, {CLAIMS} claims (built in {time.perf_counter() - started:.1f} s)")
        render = measure_render(app, article_id, from_scratch=True)
        print(f"  server render ({RENDER_RUNS} requests):      {describe(render)}   target: median < 100 ms")
        kept = measure_render(app, article_id, from_scratch=False)
        print(f"  again, nothing changed (text and list kept): {describe(kept)}")
        paint = measure_paint(app, article_id)
        if paint:
            from_start, from_response, marks = paint
            print(f"  highlights painted, from navigation: {describe(from_start)}   ({marks} marks)")
            print(f"  highlights painted, after response:  {describe(from_response)}   target: < 300 ms")
        approve_all(app, article_id)
        exports = measure_exports(app, article_id)
        print(f"Exports of {CLAIMS} approved claims:")
        targets = {"html": "HTML report", "jsonld": "W3C JSON-LD", "pdf": "PDF"}
        limits = {"html": "< 500 ms", "jsonld": "< 300 ms", "pdf": "< 5000 ms"}
        for fmt, label in targets.items():
            if fmt in exports:
                size = exports[fmt + "_size"][0] / 1024
                print(f"  {label:12} {describe(exports[fmt])}   ({size:,.0f} KB)   target: {limits[fmt]}")
        get_engine(app).dispose()


if __name__ == "__main__":
    main()
