"""Review pages: the editors' queue, navigation counts, returned claims and the panel's buttons."""

from datetime import datetime, timedelta, timezone

import pytest
from bs4 import BeautifulSoup
from sqlmodel import select

from tests.helpers.api import annotation_for
from workbench.store.models import Claim, User


@pytest.fixture
def submitted(api_as, db):
    """Three claims in review on two articles (checker's), the oldest first; returns their ids."""
    checker = api_as("checker")
    ids = []
    for title, words, verdict in [("Roads story", "rose by 40%", "false"), ("Roads story", "last year", "true"),
                                  ("Ferry story", "rose by 40%", "false")]:
        article = checker.post("/api/articles", json={"text": f"{title}\n\nThe rate rose by 40% last year.",
                                                      "title": title}).get_json()
        url = checker.post(f"/api/articles/{article['id']}/annotations/",
                           json=annotation_for(article, words, verdict=verdict)).headers["Location"]
        assert checker.post(url + "/review", json={"action": "submit"}).status_code == 200
        ids.append(int(url.rsplit("/", 1)[1]))
    # Make the waiting times distinct and known.
    for age, claim_id in zip((3, 2, 1), ids):
        claim = db.get(Claim, claim_id)
        claim.status_changed = datetime.now(timezone.utc) - timedelta(hours=age)
        db.add(claim)
    db.commit()
    return ids


def queue_ids(html: str) -> list[int]:
    return [int(li["id"].rsplit("-", 1)[1]) for li in BeautifulSoup(html, "html.parser").select("li.queue-row")]


def test_queue_lists_claims_in_review_oldest_first(client, auth, submitted):
    auth.login_as("editor")
    response = client.get("/review")
    assert queue_ids(response.text) == submitted
    soup = BeautifulSoup(response.text, "html.parser")
    first = soup.select_one("li.queue-row")
    assert "Roads story" in first.text and "Checker" in first.text and "waiting 3 h" in first.text
    assert first.select_one(".badge").text == "False"
    assert soup.select_one("nav .nav-count").text == "3"


def test_queue_filters(client, auth, submitted):
    auth.login_as("editor")
    assert queue_ids(client.get("/review?verdict=true").text) == [submitted[1]]
    soup = BeautifulSoup(client.get("/review").text, "html.parser")
    ferry = next(o["value"] for o in soup.select("#filter-article option") if o.text == "Ferry story")
    response = client.get(f"/review?article={ferry}", headers={"HX-Request": "true"})
    assert BeautifulSoup(response.text, "html.parser").find("html") is None
    assert queue_ids(response.text) == [submitted[2]]


def test_inline_approve_returns_the_row(client, auth, submitted):
    auth.login_as("editor")
    response = auth.post(f"/claims/{submitted[0]}/review", data={"action": "approve", "from": "queue"},
                         headers={"HX-Request": "true", "X-CSRF-Token": auth.csrf})
    soup = BeautifulSoup(response.text, "html.parser")
    assert soup.select_one("li.queue-row .flash-success").text == "Approved."
    assert queue_ids(client.get("/review").text) == submitted[1:]


def test_inline_request_changes_needs_a_comment(client, auth, submitted):
    auth.login_as("editor")
    response = auth.post(f"/claims/{submitted[0]}/review", data={"action": "request_changes", "from": "queue"},
                         headers={"HX-Request": "true", "X-CSRF-Token": auth.csrf})
    assert response.status_code == 422
    assert "needs a comment" in BeautifulSoup(response.text, "html.parser").select_one(".flash-error").text


def test_checker_sees_returned_claims_and_why(client, auth, api_as, submitted, db):
    article_id = db.get(Claim, submitted[0]).article_id
    api_as("editor").post(f"/api/articles/{article_id}/annotations/{submitted[0]}/review",
                          json={"action": "request_changes", "comment": "Which year?"})
    auth.login_as("checker")
    soup = BeautifulSoup(client.get("/articles").text, "html.parser")
    link = soup.find("a", href="/my/claims")
    assert link is not None and link.select_one(".nav-count").text == "1"
    page = BeautifulSoup(client.get("/my/claims").text, "html.parser")
    assert "Which year?" in page.select_one(".reason").text
    panel = BeautifulSoup(client.get(f"/claims/{submitted[0]}", headers={"HX-Request": "true"}).text, "html.parser")
    assert "Which year?" in panel.text
    assert [b.text for b in panel.select(".review-actions button")] == ["Submit for review"]


@pytest.mark.parametrize("role, status, buttons", [
    ("checker", "draft", ["Submit for review"]),
    ("checker", "in_review", []),
    ("editor", "in_review", ["Approve", "Request changes"]),
    ("editor", "approved", ["Reopen"]),
    ("viewer", "in_review", []),
])
def test_panel_offers_only_possible_actions(client, auth, db, submitted, role, status, buttons):
    from workbench.services import approvals

    claim = db.get(Claim, submitted[0])
    claim.status = status
    db.add(claim)
    if status == "approved":  # as an editor's approval leaves it: with its snapshot
        approvals.approve(db, claim=claim, actor=db.get(User, users_of(db)["editor"]))
    db.commit()
    auth.login_as(role)
    panel = BeautifulSoup(client.get(f"/claims/{claim.id}", headers={"HX-Request": "true"}).text, "html.parser")
    assert [b.text for b in panel.select(".review-actions button")] == buttons


def users_of(db) -> dict[str, int]:
    return {u.username: u.id for u in db.exec(select(User))}


def test_submit_from_the_panel_says_what_is_missing(client, auth, make_article, db):
    article_id = make_article("H\n\nThe rate rose by 40% last year.")
    auth.login_as("checker")
    auth.post(f"/articles/{article_id}/claims", data={"start": 4, "end": 8, "exact": "rate"})
    claim = db.exec(select(Claim)).one()
    response = auth.post(f"/claims/{claim.id}/review", data={"action": "submit", "version": claim.version},
                         headers={"HX-Request": "true", "X-CSRF-Token": auth.csrf})
    assert response.status_code == 422
    assert "add a verdict, a rationale and at least one source" in response.text


def test_queue_is_for_editors(client, auth):
    auth.login_as("checker")
    assert client.get("/review").status_code == 403
