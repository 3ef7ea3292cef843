"""The review workflow through the API: the full action × status × role matrix, and its rules."""

import itertools

import pytest
from sqlalchemy import text
from sqlmodel import select

from tests.helpers.api import annotation_for, assert_api_error
from tests.helpers.conformance import assert_conforms
from workbench.store.models import Claim, HistoryEvent

ACTIONS = ["submit", "approve", "request_changes", "reopen"]
STATUSES = ["draft", "in_review", "approved", "changes_requested"]
ROLES = ["viewer", "checker", "editor", "admin"]
FROM = {"submit": {"draft", "changes_requested"}, "approve": {"in_review"},
        "request_changes": {"in_review"}, "reopen": {"approved"}}
EDITOR_ONLY = {"approve", "request_changes", "reopen"}


def expected(action: str, status: str, role: str) -> int:
    if role == "viewer" or (action in EDITOR_ONLY and role == "checker"):
        return 403
    return 200 if status in FROM[action] else 409


@pytest.fixture
def complete_claim(api_as):
    """A claim by the checker with a verdict, a rationale and a source; returns its API URL."""
    api = api_as("checker")
    article = api.post("/api/articles", json={"text": "Headline\n\nThe rate rose by 40% last year."}).get_json()
    created = api.post(f"/api/articles/{article['id']}/annotations/", json=annotation_for(article, "rose by 40%"))
    assert created.status_code == 201
    return created.headers["Location"]


def set_status(db, url: str, status: str) -> None:
    """Put the claim in ``status`` directly; an approved claim gets its approval snapshot, as an
    editor's approval would make (without one, the approval guard takes "approved" away)."""
    from workbench.services import approvals
    from workbench.store.models import User

    claim = db.get(Claim, int(url.rsplit("/", 1)[1]))
    claim.status = status
    db.add(claim)
    if status == "approved":
        approvals.approve(db, claim=claim, actor=db.exec(select(User).where(User.role == "editor")).first())
    db.commit()


@pytest.mark.parametrize("action, status, role", list(itertools.product(ACTIONS, STATUSES, ROLES)),
                         ids=lambda v: str(v))
def test_matrix(api_as, db, complete_claim, action, status, role):
    set_status(db, complete_claim, status)
    response = api_as(role).post(complete_claim + "/review", json={"action": action, "comment": "Because."})
    want = expected(action, status, role)
    assert response.status_code == want, response.text
    db.rollback()
    claim = db.get(Claim, int(complete_claim.rsplit("/", 1)[1]))
    targets = {"submit": "in_review", "approve": "approved", "request_changes": "changes_requested", "reopen": "draft"}
    if want == 200:
        assert response.get_json()["reviewStatus"] == targets[action] == claim.status
    else:
        assert_api_error(response, want, {403: None, 409: "invalid_transition"}[want])
        assert claim.status == status  # nothing changed


def test_submit_names_what_is_missing(api_as):
    api = api_as("checker")
    article = api.post("/api/articles", json={"text": "Headline\n\nThe rate rose by 40% last year."}).get_json()
    bare = {"type": "Annotation", "target": {"selector": [{"type": "TextQuoteSelector", "exact": "rose"}]}}
    url = api.post(f"/api/articles/{article['id']}/annotations/", json=bare).headers["Location"]
    error = assert_api_error(api.post(url + "/review", json={"action": "submit"}), 422, "incomplete_claim")
    assert error["message"] == "Before submitting, add a verdict, a rationale and at least one source."


@pytest.mark.parametrize("action, status", [("request_changes", "in_review"), ("reopen", "approved")])
def test_comment_is_required(api_as, db, complete_claim, action, status):
    set_status(db, complete_claim, status)
    error = assert_api_error(api_as("editor").post(complete_claim + "/review", json={"action": action, "comment": " "}),
                             422, "comment_required")
    assert "needs a comment" in error["message"]


def test_four_eyes_rule(app, api_as, db, complete_claim):
    editor = api_as("editor")
    # The editor edits the claim, then submits it: they may not approve it themselves.
    current = editor.get(complete_claim)
    body = current.get_json()
    body["body"][1]["value"] = "Edited by the editor."
    assert editor.put(complete_claim, json=body, headers={"If-Match": current.headers["ETag"]}).status_code == 200
    assert editor.post(complete_claim + "/review", json={"action": "submit"}).status_code == 200
    error = assert_api_error(editor.post(complete_claim + "/review", json={"action": "approve"}), 403, "four_eyes")
    assert "last edited" in error["message"]
    # The admin did not touch it and may approve.
    assert api_as("admin").post(complete_claim + "/review", json={"action": "approve"}).status_code == 200


def test_four_eyes_applies_to_the_creator(app, api_as, db, client, users):
    editor = api_as("editor")
    article = editor.post("/api/articles", json={"text": "Headline\n\nThe rate rose by 40% last year."}).get_json()
    url = editor.post(f"/api/articles/{article['id']}/annotations/", json=annotation_for(article, "rose")).headers["Location"]
    editor.post(url + "/review", json={"action": "submit"})
    assert "created" in assert_api_error(editor.post(url + "/review", json={"action": "approve"}), 403)["message"]


def test_four_eyes_can_be_turned_off(app, api_as, auth, db, client):
    editor = api_as("editor")
    article = editor.post("/api/articles", json={"text": "Headline\n\nThe rate rose by 40% last year."}).get_json()
    url = editor.post(f"/api/articles/{article['id']}/annotations/", json=annotation_for(article, "rose")).headers["Location"]
    editor.post(url + "/review", json={"action": "submit"})
    auth.login_as("admin")
    assert auth.post("/admin/settings", data={}).status_code == 302  # checkbox unticked: off
    assert editor.post(url + "/review", json={"action": "approve"}).status_code == 200


def test_unknown_action_is_400_and_stale_if_match_is_412(api_as, complete_claim):
    api = api_as("checker")
    assert_api_error(api.post(complete_claim + "/review", json={"action": "publish"}), 400)
    assert_api_error(api.post(complete_claim + "/review", json=["submit"]), 400)
    assert_api_error(api.post(complete_claim + "/review", json={"action": "submit"},
                              headers={"If-Match": '"claim-1-v0"'}), 412, "stale_version")


def test_status_is_in_the_json_ld_and_still_conforms(api_as, complete_claim):

    api = api_as("checker")
    body = api.post(complete_claim + "/review", json={"action": "submit"}).get_json()
    assert body["reviewStatus"] == "in_review"
    assert_conforms(body)


def test_history_is_append_only_in_the_database(db, api_as, complete_claim):
    event = db.exec(select(HistoryEvent)).first()
    for statement in (f"UPDATE history_event SET note = 'x' WHERE id = {event.id}",
                      f"DELETE FROM history_event WHERE id = {event.id}"):
        with pytest.raises(Exception) as err:
            db.exec(text(statement))
            db.commit()
        assert "append-only" in str(err.value)
        db.rollback()
    assert db.get(HistoryEvent, event.id) is not None


def test_history_completeness(api_as, auth, client, db, users):
    """A scripted sequence of edits, sources, comments and transitions, read back field by field."""
    checker, editor = api_as("checker"), api_as("editor")
    article = checker.post("/api/articles", json={"text": "Headline\n\nThe rate rose by 40% last year."}).get_json()
    url = checker.post(f"/api/articles/{article['id']}/annotations/",
                       json=annotation_for(article, "rose by 40%", verdict="false", tags=("rates",))).headers["Location"]
    claim_id = int(url.rsplit("/", 1)[1])
    current = checker.get(url)
    body = current.get_json()
    body["body"] = [b for b in body["body"] if b.get("purpose") != "linking"] + [
        {"type": "SpecificResource", "purpose": "linking", "source": "https://other.example/r", "stance": "supports"}]
    checker.put(url, json=body, headers={"If-Match": current.headers["ETag"]})
    checker.post(url + "/review", json={"action": "submit"})
    editor.post(url + "/review", json={"action": "request_changes", "comment": "Cite the bulletin."})
    auth.login_as("checker")
    auth.post(f"/claims/{claim_id}/comments", data={"body": "Done, thanks."})
    current = checker.get(url)
    body = current.get_json()
    next(b for b in body["body"] if b.get("purpose") == "assessing")["value"] = "mostly_false"
    checker.put(url, json=body, headers={"If-Match": current.headers["ETag"]})
    checker.post(url + "/review", json={"action": "submit"})
    editor.post(url + "/review", json={"action": "approve"})
    editor.post(url + "/review", json={"action": "reopen", "comment": "New data out."})

    db.rollback()
    events = db.exec(select(HistoryEvent).where(HistoryEvent.claim_id == claim_id).order_by(HistoryEvent.id)).all()
    names = {u.id: u.username for u in users.values()}
    got = [(names[e.actor_id], e.action, e.changes, e.note) for e in events]
    assert got == [
        ("checker", "created", {"quote": [None, "rose by 40%"], "start": [None, 9], "end": [None, 20],
                                "verdict": [None, "false"], "rationale": [None, "Receipts were **830m**."],
                                "tags": [None, ["rates"]]}, ""),
        ("checker", "source_added", {"source": [None, {"url": "https://stats.example/bridge-2024",
                                                       "title": "Crossings bulletin", "stance": "contradicts"}]}, ""),
        ("checker", "source_removed", {"source": ["https://stats.example/bridge-2024", None]}, ""),
        ("checker", "source_added", {"source": [None, {"url": "https://other.example/r", "title": "",
                                                       "stance": "supports"}]}, ""),
        ("checker", "transition", {"status": ["draft", "in_review"]}, ""),
        ("editor", "transition", {"status": ["in_review", "changes_requested"]}, "Cite the bulletin."),
        ("checker", "comment", {"comment": [None, events[6].changes["comment"][1]]}, "Done, thanks."),
        ("checker", "updated", {"verdict": ["false", "mostly_false"]}, ""),
        ("checker", "transition", {"status": ["changes_requested", "in_review"]}, ""),
        ("editor", "transition", {"status": ["in_review", "approved"]}, ""),
        ("editor", "transition", {"status": ["approved", "draft"]}, "New data out."),
    ]
    assert all(e.at is not None for e in events)
    assert [e.at for e in events] == sorted(e.at for e in events)
