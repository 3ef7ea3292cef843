"""New revisions: the API report, pages, orphans, history, and earlier revisions kept as they were."""

import pytest
from bs4 import BeautifulSoup
from sqlmodel import select

from tests.helpers.api import annotation_for, assert_api_error
from tests.helpers.revisions import V1, V2, new_revision
from workbench.store.models import Claim, HistoryEvent


@pytest.fixture
def article(api_as):
    """V1 with three claims: one whose words survive, one edited by a typo, one whose paragraph goes."""
    api = api_as("checker")
    body = api.post("/api/articles", json={"text": V1}).get_json()
    ids = {}
    for words in ["tolls paid for the bridge twice over", "830 million crowns by the end of last year",
                  "the concession favoured the operator"]:
        response = api.post(f"/api/articles/{body['id']}/annotations/", json=annotation_for(body, words))
        ids[words] = int(response.headers["Location"].rsplit("/", 1)[1])
    return {"id": body["id"], "claims": ids, "v1_text": body["revision"]["text"]}


def test_api_reports_kept_moved_changed_orphaned(api_as, article):
    response = new_revision(api_as, article)
    assert response.status_code == 201, response.text
    body = response.get_json()
    assert response.headers["Location"].endswith(f"/api/articles/{article['id']}/revisions/2")
    report = body["reanchoring"]
    assert (report["from_revision"], report["to_revision"]) == (1, 2)
    assert report["counts"] == {"kept": 0, "moved": 1, "changed": 1, "orphan": 1}
    by_id = {c["id"]: c for c in report["claims"]}
    moved = by_id[article["claims"]["tolls paid for the bridge twice over"]]
    changed = by_id[article["claims"]["830 million crowns by the end of last year"]]
    orphan = by_id[article["claims"]["the concession favoured the operator"]]
    text = body["revision"]["text"]
    assert moved["state"] == "moved" and text[moved["new"]["start"]:moved["new"]["end"]] == moved["old"]["exact"]
    assert changed["state"] == "changed" and changed["new"]["exact"] == "830 milion crowns by the end of last year"
    assert 0.8 <= changed["score"] < 1
    assert orphan["state"] == "orphan" and orphan["new"] is None
    # The annotations follow: their targets name revision 2 (the orphan stays on revision 1).
    api = api_as("viewer")
    anno = api.get(f"/api/articles/{article['id']}/annotations/{changed['id']}").get_json()
    assert anno["target"]["source"].endswith("/revisions/2")
    assert anno["target"]["selector"][0]["exact"] == "830 milion crowns by the end of last year"
    assert api.get(f"/api/articles/{article['id']}/annotations/{orphan['id']}").get_json()["target"]["source"].endswith("/revisions/1")


def test_history_records_each_reanchoring(api_as, article, db):
    new_revision(api_as, article)
    db.rollback()
    events = {e.claim_id: e for e in db.exec(select(HistoryEvent).where(HistoryEvent.action == "reanchored"))}
    changed = events[article["claims"]["830 million crowns by the end of last year"]]
    assert changed.changes["revision"] == [1, 2]
    assert changed.changes["quote"] == ["830 million crowns by the end of last year",
                                        "830 milion crowns by the end of last year"]
    assert changed.changes["state"] == ["anchored", "changed"]
    assert changed.note.startswith("changed; score 0.")
    orphan = events[article["claims"]["the concession favoured the operator"]]
    assert orphan.changes["start"][1] is None and orphan.note.startswith("orphan")


def test_earlier_revision_reads_as_it_was(client, auth, api_as, article):
    new_revision(api_as, article)
    auth.login_as("viewer")
    old = BeautifulSoup(client.get(f"/articles/{article['id']}?revision=1").text, "html.parser")
    assert "2009" in old.select_one("#article-text").text
    assert [m.text for m in old.select("#article-text mark")] == [
        "tolls paid for the bridge twice over", "830 million crowns by the end of last year",
        "the concession favoured the operator"]
    assert "You are reading revision 1" in old.text
    current = BeautifulSoup(client.get(f"/articles/{article['id']}").text, "html.parser")
    assert [m.text for m in current.select("#article-text mark")] == [
        "tolls paid for the bridge twice over", "830 milion crowns by the end of last year"]
    assert [q.text for q in current.select(".orphans blockquote")] == ["the concession favoured the operator"]


def test_reattach_and_retire_orphans(client, auth, api_as, article, db):
    body = new_revision(api_as, article).get_json()
    orphan_id = article["claims"]["the concession favoured the operator"]
    text = body["revision"]["text"]
    auth.login_as("checker")
    words = "Correction: an earlier version"
    start = text.index(words)
    claim = db.get(Claim, orphan_id)
    chosen = {"start": start, "end": start + len(words), "exact": words, "version": claim.version}
    # Words unlike the old ones: the page shows both side by side and asks first; nothing changes yet.
    response = auth.post(f"/claims/{orphan_id}/reattach", data=chosen)
    assert response.status_code == 200
    orphan = BeautifulSoup(response.text, "html.parser").select_one(f"#orphan-{orphan_id}")
    assert [q.text for q in orphan.select(".reattach-sides blockquote")] == ["the concession favoured the operator", words]
    assert "not much like" in orphan.select_one(".reattach-confirm").text
    assert orphan.select_one(".reattach-confirm input[name=confirm]")["value"] == "1"
    db.rollback()
    assert db.get(Claim, orphan_id).anchor_state == "orphan"
    response = auth.post(f"/claims/{orphan_id}/reattach", data={**chosen, "confirm": "1"})
    assert response.status_code == 302
    db.rollback()
    claim = db.get(Claim, orphan_id)
    assert (claim.exact, claim.anchor_state) == (words, "anchored")
    # A mismatched selection is refused and changes nothing.
    response = auth.post(f"/claims/{orphan_id}/reattach", data={"start": 0, "end": 5, "exact": "nope",
                                                                "version": claim.version})
    assert response.status_code == 422
    # Retiring needs a reason and keeps the history.
    assert auth.post(f"/claims/{orphan_id}/retire", data={"reason": " ", "version": claim.version}).status_code == 422
    assert auth.post(f"/claims/{orphan_id}/retire", data={"reason": "Paragraph cut.",
                                                          "version": claim.version}).status_code == 302
    db.rollback()
    actions = [e.action for e in db.exec(select(HistoryEvent).where(HistoryEvent.claim_id == orphan_id)
                                         .order_by(HistoryEvent.id))]
    assert actions[-3:] == ["reanchored", "reattached", "retired"]
    assert db.get(Claim, orphan_id).deleted is True


def test_report_and_diff_pages(client, auth, api_as, article):
    new_revision(api_as, article)
    auth.login_as("viewer")
    report = BeautifulSoup(client.get(f"/articles/{article['id']}/revisions/2/report").text, "html.parser")
    counts = {li["class"][0]: li.strong.text for li in report.select(".counts li")}
    assert counts == {"count-kept": "0", "count-moved": "1", "count-changed": "1", "count-orphan": "1"}
    rows = [tr["class"][0] for tr in report.select(".reanchor-table tbody tr")]
    assert sorted(rows) == ["state-changed", "state-moved", "state-orphan"]
    diff = BeautifulSoup(client.get(f"/articles/{article['id']}/diff?from=1&to=2").text, "html.parser")
    added = [i.text.strip() for i in diff.select(".diff ins")]
    removed = [d.text.strip() for d in diff.select(".diff del")]
    assert "Correction: an earlier version misstated the year." in added
    assert "Critics said the concession favoured the operator." in removed
    assert {"2009", "2008"} <= {t.text.strip(" .") for t in diff.select(".diff ins, .diff del")}
    assert len(diff.select(".affected li")) == 3


def test_revision_through_the_import_preview(client, auth, article, db):
    auth.login_as("checker")
    page = BeautifulSoup(client.get(f"/import?article={article['id']}").text, "html.parser")
    assert "New revision of" in page.h1.text
    response = auth.post("/import", data={"via": "paste", "content": V2, "article": article["id"]})
    preview_url = response.headers["Location"]
    preview = BeautifulSoup(client.get(preview_url).text, "html.parser")
    keep = [i["value"] for i in preview.select("li.block input:checked")]
    response = auth.post(preview_url, data={"keep": keep, "title": "Bridge Headline"})
    assert response.headers["Location"] == f"/articles/{article['id']}/revisions/2/report"
    db.rollback()
    assert db.get(Claim, article["claims"]["the concession favoured the operator"]).anchor_state == "orphan"


def test_refetch_makes_a_revision_draft(client, auth, api_as, site):
    url = site.route("/story.txt", V1, content_type="text/plain")
    api = api_as("checker")
    article = api.post("/api/articles", json={"url": url}).get_json()
    site.route("/story.txt", V2, content_type="text/plain")
    auth.login_as("checker")
    response = auth.post(f"/articles/{article['id']}/refetch")
    preview = BeautifulSoup(client.get(response.headers["Location"]).text, "html.parser")
    assert "Check the new revision" in preview.h1.text
    assert "Correction: an earlier version misstated the year." in preview.text


def test_unchanged_text_is_refused(api_as, article):
    error = assert_api_error(new_revision(api_as, article, text=V1), 422, "unchanged")
    assert "same as revision 1" in error["message"]


def test_viewer_cannot_add_revisions(api_as, article):
    assert_api_error(api_as("viewer").post(f"/api/articles/{article['id']}/revisions", json={"text": V2}), 403)


def test_annotation_naming_an_earlier_revision_follows_its_words(api_as, article):
    """An integrator posting against revision 1 after revision 2 exists gets a claim on the current text."""
    v1 = api_as("viewer").get(f"/api/articles/{article['id']}/revisions/1").get_json()
    new_revision(api_as, article)
    api = api_as("checker")
    body = annotation_for({"revision": v1}, "tolls paid for the bridge")
    response = api.post(f"/api/articles/{article['id']}/annotations/", json=body)
    assert response.status_code == 201, response.text
    target = response.get_json()["target"]
    assert target["source"].endswith("/revisions/2")
    current = api.get(f"/api/articles/{article['id']}").get_json()["revision"]["text"]
    position = target["selector"][1]
    assert current[position["start"]:position["end"]] == "tolls paid for the bridge"
    gone = annotation_for({"revision": v1}, "the concession favoured the operator")
    error = assert_api_error(api.post(f"/api/articles/{article['id']}/annotations/", json=gone), 422, "quote_mismatch")
    assert "gone from the current revision 2" in error["message"]
