"""Racing writers on one claim over real HTTP: exactly one wins, the rest are told, nothing is lost."""

import json
import threading
import urllib.error
import urllib.request
from collections import Counter

import pytest
from sqlmodel import select

from tests.helpers.api import annotation_for
from workbench.store.models import Claim, HistoryEvent

WRITERS = 8


def call(method: str, url: str, token: str, body=None, headers=None) -> tuple[int, dict]:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method, headers={
        "Authorization": f"Bearer {token}", "Content-Type": "application/json", **(headers or {})})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as err:
        with err:
            return err.code, json.loads(err.read() or b"{}")


def race(jobs) -> list[tuple[int, dict]]:
    """Run the jobs in threads released together; return their (status, body) in order."""
    barrier = threading.Barrier(len(jobs))
    results = [None] * len(jobs)

    def run(index, job):
        barrier.wait()
        results[index] = job()

    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return results


@pytest.fixture
def claim(server, api_as):
    checker = api_as("checker")
    article = checker.post("/api/articles", json={"text": "Headline\n\nThe rate rose by 40% last year."}).get_json()
    created = checker.post(f"/api/articles/{article['id']}/annotations/", json=annotation_for(article, "rose by 40%"))
    path = f"/api/articles/{article['id']}/annotations/" + created.headers["Location"].rsplit("/", 1)[1]
    return {"url": server + path, "etag": created.headers["ETag"], "article": article, "id": int(path.rsplit("/", 1)[1])}


def test_racing_edits_exactly_one_wins(claim, api_as, db):
    token = api_as("checker").token
    bodies = []
    for i in range(WRITERS):
        body = annotation_for(claim["article"], "rose by 40%")
        body["body"][1]["value"] = f"Writer {i} was here."
        bodies.append(body)
    results = race([lambda b=b: call("PUT", claim["url"], token, b, {"If-Match": claim["etag"]}) for b in bodies])
    statuses = Counter(status for status, _ in results)
    assert statuses == {200: 1, 412: WRITERS - 1}, results
    winner = next(body for status, body in results if status == 200)
    db.rollback()
    stored = db.get(Claim, claim["id"])
    assert stored.version == 2
    assert stored.rationale == next(b["value"] for b in winner["body"] if b.get("purpose") == "commenting")
    updates = db.exec(select(HistoryEvent).where(HistoryEvent.claim_id == claim["id"],
                                                 HistoryEvent.action == "updated")).all()
    assert len(updates) == 1


def test_racing_transitions_exactly_one_wins(claim, api_as, db):
    checker = api_as("checker")
    path = claim["url"][claim["url"].index("/api/"):]
    assert checker.post(path + "/review", json={"action": "submit"}).status_code == 200
    editors = [api_as("editor").token, api_as("admin").token]
    jobs = [lambda t=editors[i % 2]: call("POST", claim["url"] + "/review", t, {"action": "approve"})
            for i in range(WRITERS)]
    results = race(jobs)
    statuses = Counter(status for status, _ in results)
    assert statuses[200] == 1 and statuses[200] + statuses[409] + statuses[412] == WRITERS, results
    db.rollback()
    assert db.get(Claim, claim["id"]).status == "approved"
    approvals = [e for e in db.exec(select(HistoryEvent).where(HistoryEvent.claim_id == claim["id"],
                                                               HistoryEvent.action == "transition"))
                 if e.changes["status"][1] == "approved"]
    assert len(approvals) == 1


def test_edits_and_transitions_racing_together(claim, api_as, db):
    path = claim["url"][claim["url"].index("/api/"):]
    checker = api_as("checker")
    checker.post(path + "/review", json={"action": "submit"})
    current = checker.get(path)
    etag = current.headers["ETag"]
    editor = api_as("editor").token
    edit = annotation_for(claim["article"], "rose by 40%", verdict="mixed")
    jobs = []
    for i in range(WRITERS):
        if i % 2:
            jobs.append(lambda: call("PUT", claim["url"], editor, edit, {"If-Match": etag}))
        else:
            jobs.append(lambda: call("POST", claim["url"] + "/review", editor,
                                     {"action": "request_changes", "comment": "Again."}, {"If-Match": etag}))
    results = race(jobs)
    statuses = Counter(status for status, _ in results)
    assert statuses[200] == 1 and statuses[412] == WRITERS - 1, results
    db.rollback()
    assert db.get(Claim, claim["id"]).version == current.get_json()["version"] + 1


def test_token_reads_and_writes_together_never_fail(claim, api_as):
    """Many API reads and writes at once, every token fresh: no request fails (none waits on itself)."""
    tokens = [api_as("checker").token for _ in range(4)]
    path = claim["url"]
    article_path = claim["url"].rsplit("/api/", 1)[0] + f"/api/articles/{claim['article']['id']}/annotations/"
    jobs = []
    for i in range(16):
        token = tokens[i % 4]
        if i % 2:
            jobs.append(lambda t=token: call("GET", path, t))
        else:
            jobs.append(lambda t=token: call("POST", article_path, t,
                                             annotation_for(claim["article"], "rose by 40%")))
    results = race(jobs)
    assert sorted({status for status, _ in results}) == [200, 201], results
