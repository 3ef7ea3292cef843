"""New revisions while claims are being edited and made: every claim follows into the revision, and
no edit is lost (each either lands before a revision and is re-anchored, or is refused as stale)."""

import json
import random
import re
import threading
import time
import urllib.error
import urllib.request
from collections import Counter

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import text
from sqlmodel import Session, select

import workbench.services.revisions
from tests.helpers.api import ApiClient, annotation_for
from workbench.errors import StaleVersionError
from workbench.services.articles import get_article, get_revision
from workbench.services.claims import get_claim, update_claim
from workbench.services.revisions import reattach
from workbench.services.schemas import ClaimFields
from workbench.store.db import get_engine
from workbench.store.models import (
    Article,
    Claim,
    HistoryEvent,
    ImportDraft,
    Revision,
    User,
)

EDITORS = 8
PARAGRAPHS = 20
WORDS = ("spent {n} million", "road number {n}", "in {year}", "the council of district {n}")


def paragraph(n: int) -> str:
    return f"Paragraph {n}: the council of district {n} spent {n} million on road number {n} in {2000 + n}."


def article_text(numbers, head: str = "") -> str:
    return "\n\n".join(["Roads Headline", *([head] if head else []), *(paragraph(n) for n in numbers)])


#: Each revision moves every claim (a new paragraph above them); two also orphan or change some.
REVISIONS = [
    article_text(range(1, PARAGRAPHS + 1), "Update 1: figures were checked again."),
    article_text(range(1, PARAGRAPHS), "Update 2: the last paragraph was withdrawn."),
    article_text(range(1, PARAGRAPHS), "Update 3: a sentence was added above.").replace(
        "road number 5 ", "road numbered 5 "),
    article_text(range(1, PARAGRAPHS), "Update 4: wording was tidied."),
    article_text(range(1, PARAGRAPHS), "Update 5: nothing else changed."),
]


def call(method: str, url: str, token: str, body=None, headers=None) -> tuple[int, dict, dict]:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method, headers={
        "Authorization": f"Bearer {token}", "Content-Type": "application/json", **(headers or {})})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, json.loads(response.read() or b"{}"), dict(response.headers)
    except urllib.error.HTTPError as err:
        with err:
            raw = err.read()
            try:
                return err.code, json.loads(raw or b"{}"), dict(err.headers)
            except ValueError:
                return err.code, {"raw": raw[:500].decode("utf-8", "replace")}, dict(err.headers)


@pytest.fixture
def article(api_as):
    """An article with four claims in each of its paragraphs."""
    api = api_as("checker")
    body = api.post("/api/articles", json={"text": article_text(range(1, PARAGRAPHS + 1))}).get_json()
    ids = []
    for n in range(1, PARAGRAPHS + 1):
        for words in WORDS:
            words = words.format(n=n, year=2000 + n)
            created = api.post(f"/api/articles/{body['id']}/annotations/",
                               json=annotation_for(body, words, sources=[], tags=()))
            assert created.status_code == 201, created.text
            ids.append(int(created.headers["Location"].rsplit("/", 1)[1]))
    return {"id": body["id"], "claims": ids}


def rationale_of(annotation: dict) -> str | None:
    return next((b["value"] for b in annotation["body"] if b.get("purpose") == "commenting"), None)


def with_rationale(annotation: dict, value: str) -> dict:
    bodies = [b for b in annotation["body"] if b.get("purpose") != "commenting"]
    bodies.append({"type": "TextualBody", "purpose": "commenting", "value": value, "format": "text/markdown"})
    return dict(annotation, body=bodies)


def test_revisions_while_claims_are_edited_leave_no_claim_behind(server, article, api_as, client, auth, db):
    tokens = [api_as("editor").token for _ in range(EDITORS)]
    poster = api_as("checker").token
    stop = threading.Event()
    errors, lock = [], threading.Lock()
    applied: dict[int, list[tuple[int, str]]] = {claim_id: [] for claim_id in article["claims"]}
    statuses = Counter()

    def edit_claims(index: int):
        """A client as a person's would be: change a claim as last seen and send it with If-Match;
        when told it is stale (412) or in conflict (409), read it again and retry."""
        rng = random.Random(index)
        seen: dict[int, tuple[dict, str]] = {}  # claim id: (annotation, ETag) as last read or written
        count = 0
        while not stop.is_set():
            claim_id = rng.choice(article["claims"])
            url = f"{server}/api/articles/{article['id']}/annotations/{claim_id}"
            for _attempt in range(20):
                if claim_id not in seen:
                    status, annotation, headers = call("GET", url, tokens[index])
                    if status != 200:
                        with lock:
                            errors.append(("GET", claim_id, status, annotation))
                        return
                    seen[claim_id] = annotation, headers["ETag"]
                annotation, etag = seen.pop(claim_id)
                count += 1
                value = f"Checked by client {index}, edit {count}."
                status, body, headers = call("PUT", url, tokens[index], with_rationale(annotation, value),
                                             {"If-Match": etag})
                with lock:
                    statuses[status] += 1
                if status == 200:
                    seen[claim_id] = body, headers["ETag"]
                    with lock:
                        applied[claim_id].append((body["version"], value))
                    break
                if status not in (409, 412):
                    with lock:
                        errors.append(("PUT", claim_id, status, body))
                    return

    created: dict[int, int] = {}  # claim id: the revision it was created on

    def create_claims():
        """Claims made meanwhile, on the words every revision keeps; on 409 revision_changed,
        the client reads the article again and retries, as the API asks."""
        rng = random.Random(-1)
        while not stop.is_set():
            status, current, _ = call("GET", f"{server}/api/articles/{article['id']}", creator)
            n = rng.randrange(1, PARAGRAPHS)
            status, body, _ = call("POST", f"{server}/api/articles/{article['id']}/annotations/", creator,
                                   annotation_for(current, f"in {2000 + n}", sources=[], tags=()))
            with lock:
                statuses[f"create {status}"] += 1
                if status == 201:
                    created[int(body["id"].rsplit("/", 1)[1])] = int(body["target"]["source"].rsplit("/", 1)[1])
                elif status != 409:
                    errors.append(("POST", status, body))
                    return

    creator = api_as("checker").token
    threads = [threading.Thread(target=edit_claims, args=(i,)) for i in range(EDITORS)]
    threads.append(threading.Thread(target=create_claims))
    for thread in threads:
        thread.start()
    reports = []
    try:
        for text in REVISIONS:
            time.sleep(0.2)  # edits go on between the revisions too
            status, body, _ = call("POST", f"{server}/api/articles/{article['id']}/revisions", poster, {"text": text})
            reports.append((status, body))
            if status != 201:
                break
    finally:
        stop.set()
        for thread in threads:
            thread.join(60)

    assert errors == [], errors[:5]
    assert [status for status, _ in reports] == [201] * len(REVISIONS), [body for _, body in reports][-1]
    # Each report lists every claim there was when its revision was made, no more, no less.
    made_on = {claim_id: 1 for claim_id in article["claims"]} | created
    for number, (_status, body) in enumerate(reports, start=2):
        counts = body["reanchoring"]["counts"]
        expected = {claim_id for claim_id, on in made_on.items() if on < number}
        assert {c["id"] for c in body["reanchoring"]["claims"]} == expected, number
        assert sum(counts.values()) == len(expected), counts
    total = len(made_on)
    assert reports[1][1]["reanchoring"]["counts"]["orphan"] == len(WORDS)
    assert reports[2][1]["reanchoring"]["counts"]["changed"] == 1
    # Edits were applied between the revisions, and some raced one: read before it, sent after it.
    assert statuses[200] >= len(REVISIONS) and statuses[412] > 0, statuses
    assert created, statuses

    db.rollback()
    article_row = db.get(Article, article["id"])
    current = db.exec(select(Revision).where(Revision.article_id == article_row.id,
                                             Revision.number == article_row.current_revision)).one()
    assert current.number == 1 + len(REVISIONS)
    stored = {c.id: c for c in db.exec(select(Claim).where(Claim.article_id == article_row.id)).all()}
    assert set(stored) == set(made_on)
    behind = [c.id for c in stored.values() if c.revision_id != current.id and c.anchor_state != "orphan"]
    assert behind == []
    orphans = [c.id for c in stored.values() if c.anchor_state == "orphan"]
    assert len(orphans) == len(WORDS)
    # No edit was lost: each claim holds the rationale of its latest acknowledged edit.
    for claim_id, edits in applied.items():
        if edits:
            assert stored[claim_id].rationale == max(edits)[1], claim_id
    updates = db.exec(select(HistoryEvent).where(HistoryEvent.article_id == article_row.id,
                                                 HistoryEvent.action == "updated")).all()
    assert len(updates) == statuses[200]

    auth.login_as("viewer")
    page = BeautifulSoup(client.get(f"/articles/{article['id']}").text, "html.parser")
    listed = int(re.search(r"\((\d+)\)", page.select_one("#claims-box h2").text).group(1))
    orphan_items = page.select(".orphan-list li.orphan")
    assert listed == total - len(orphans)
    assert listed + len(orphan_items) == total


# --- one edit and one revision, in a fixed order ---------------------------------------------

ONE = "Rates Headline\n\nThe rate rose by 40% last year.\n\nThe mayor said so on Monday."
TWO = "Rates Headline\n\nA correction was made.\n\nThe rate rose by 40% last year."
THREE = "Rates Headline\n\nTwo corrections were made.\n\nThe rate rose by 40% last year."


@pytest.fixture
def rates(api_as):
    """An article with a claim whose words stay ("rose by 40%") and one whose words go in TWO."""
    api = api_as("checker")
    body = api.post("/api/articles", json={"text": ONE}).get_json()
    ids = {}
    for words in ("rose by 40%", "The mayor said so on Monday"):
        created = api.post(f"/api/articles/{body['id']}/annotations/", json=annotation_for(body, words, sources=[]))
        ids[words] = int(created.headers["Location"].rsplit("/", 1)[1])
    return {"id": body["id"], "kept": ids["rose by 40%"], "orphan": ids["The mayor said so on Monday"]}


@pytest.fixture
def editing(app):
    """The session of an edit that is in progress while a revision is made (expire_on_commit off,
    as in requests: what it read stays as it read it). No app context: requests made meanwhile
    must have their own."""
    with Session(get_engine(app), expire_on_commit=False) as session:
        yield session


def post_revision(api_as, article_id: int, text: str):
    response = api_as("checker").post(f"/api/articles/{article_id}/revisions", json={"text": text})
    assert response.status_code == 201, response.text
    return response.get_json()


def test_an_edit_read_before_a_revision_and_written_after_it_is_refused(app, api_as, rates, editing, users, db):

    claim = get_claim(editing, rates["kept"])
    read_version, old_revision = claim.version, claim.revision_id
    editing.commit()  # the edit's read is over; its write comes after the revision
    report = post_revision(api_as, rates["id"], TWO)["reanchoring"]
    assert sum(report["counts"].values()) == 2
    with pytest.raises(StaleVersionError) as refused:
        update_claim(editing, claim=claim, actor=editing.get(User, users["editor"].id), expected_version=read_version,
                     fields=ClaimFields(verdict="false", rationale="Written from revision 1."), config=app.config)
    assert refused.value.status == 412
    db.rollback()
    stored = db.get(Claim, rates["kept"])
    assert stored.revision_id != old_revision and stored.rationale != "Written from revision 1."
    assert db.get(Article, rates["id"]).current_revision == 2
    assert db.exec(select(Revision.number).where(Revision.id == stored.revision_id)).one() == 2


def test_reattaching_an_orphan_to_a_revision_no_longer_current_is_refused(api_as, rates, editing, users, db):
    """An orphan re-attached to the words of the revision its user saw, after a newer one arrived."""

    post_revision(api_as, rates["id"], TWO)
    claim = editing.get(Claim, rates["orphan"])
    assert claim.anchor_state == "orphan"
    seen = get_revision(editing, get_article(editing, rates["id"]))
    read_version = claim.version
    editing.commit()
    post_revision(api_as, rates["id"], THREE)  # the orphan's words are still gone
    start = seen.canonical_text.index("A correction")
    with pytest.raises(StaleVersionError):
        reattach(editing, claim=claim, revision=seen, actor=editing.get(User, users["editor"].id), start=start,
                 end=start + len("A correction"), exact="A correction", expected_version=read_version)
    db.rollback()
    stored = db.get(Claim, rates["orphan"])
    assert stored.anchor_state == "orphan" and stored.revision_id != seen.id and stored.version > read_version


def test_an_edit_in_progress_completes_before_the_revision_which_then_reanchors_it(
        app, api_as, rates, editing, users, db):
    """The revision waits for an edit that has written but not committed, then re-anchors the edited claim."""
    poster = ApiClient(app.test_client(), api_as("checker").token)
    claim = editing.get(Claim, rates["kept"])
    claim.rationale = "Edited while the revision was being made."
    editing.add(claim)
    editing.flush()  # written, not committed: the claim's row is locked (SQLite: the database)
    result = {}
    thread = threading.Thread(target=lambda: result.update(
        response=poster.post(f"/api/articles/{rates['id']}/revisions", json={"text": TWO})))
    thread.start()
    if db.get_bind().dialect.name == "postgresql":
        # Until the revision is waiting for the edit's lock.
        edit_pid = editing.execute(text("SELECT pg_backend_pid()")).scalar_one()
        for _ in range(200):
            waiting = db.execute(text("SELECT count(*) FROM pg_stat_activity WHERE :pid = ANY(pg_blocking_pids(pid))"),
                                 {"pid": edit_pid}).scalar_one()
            db.rollback()
            if waiting:
                break
            time.sleep(0.05)
        assert waiting
    else:
        time.sleep(0.5)
    assert thread.is_alive()
    editing.commit()
    thread.join(30)
    response = result["response"]
    assert response.status_code == 201, response.text
    assert sum(response.get_json()["reanchoring"]["counts"].values()) == 2
    db.rollback()
    stored = db.get(Claim, rates["kept"])
    assert stored.rationale == "Edited while the revision was being made."
    assert db.exec(select(Revision.number).where(Revision.id == stored.revision_id)).one() == 2


@pytest.mark.parametrize("path", ["api", "page", "refetch"])
def test_a_failure_while_reanchoring_stores_nothing(path, request, monkeypatch, api_as, client, auth, db):
    """The revision and its claims' new anchors commit together: when re-anchoring fails half way,
    neither is stored, and making the revision again works."""
    if path == "refetch":
        site = request.getfixturevalue("site")
        url = site.route("/rates.txt", ONE, content_type="text/plain")
        body = api_as("checker").post("/api/articles", json={"url": url}).get_json()
        site.route("/rates.txt", TWO, content_type="text/plain")
    else:
        body = api_as("checker").post("/api/articles", json={"text": ONE}).get_json()
    for words in ("rose by 40%", "last year", "The mayor said so"):
        assert api_as("checker").post(f"/api/articles/{body['id']}/annotations/",
                                      json=annotation_for(body, words, sources=[])).status_code == 201
    before = {c.id: c.version for c in db.exec(select(Claim))}
    calls = []

    def failing_on_the_second_claim(*args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("the database went away")
        return reanchor(*args, **kwargs)

    reanchor = workbench.services.revisions.reanchor
    monkeypatch.setattr(workbench.services.revisions, "reanchor", failing_on_the_second_claim)

    def make_revision():
        if path == "api":
            return api_as("checker").post(f"/api/articles/{body['id']}/revisions", json={"text": TWO})
        if path == "page":
            made = auth.post("/import", data={"via": "paste", "content": TWO, "article": body["id"]})
        else:
            made = auth.post(f"/articles/{body['id']}/refetch")
        preview_url = made.headers["Location"]
        preview = BeautifulSoup(client.get(preview_url).text, "html.parser")
        keep = [i["value"] for i in preview.select("li.block input:checked")]
        return auth.post(preview_url, data={"keep": keep, "title": "Rates Headline"})

    auth.login_as("checker")
    assert make_revision().status_code == 500
    db.rollback()
    assert db.get(Article, body["id"]).current_revision == 1
    assert db.exec(select(Revision.number).where(Revision.article_id == body["id"])).all() == [1]
    assert {c.id: c.version for c in db.exec(select(Claim))} == before
    assert db.exec(select(HistoryEvent).where(
        HistoryEvent.action.in_(["revision", "reanchored", "reanchoring"]))).all() == []
    if path != "api":
        assert len(db.exec(select(ImportDraft)).all()) == 1  # the preview is still there to save again

    monkeypatch.setattr(workbench.services.revisions, "reanchor", reanchor)
    made = make_revision()
    assert made.status_code in (201, 302), made.text
    db.rollback()
    assert db.get(Article, body["id"]).current_revision == 2
    stored = db.exec(select(Claim)).all()
    assert {c.anchor_state for c in stored} == {"anchored", "orphan"}
    assert all(db.get(Revision, c.revision_id).number == 2 for c in stored if c.anchor_state != "orphan")
