"""Nothing is published that an editor did not approve: a table over every path that can change an
approved claim, each checked against what the exports then publish."""

from __future__ import annotations

import json

import pytest
from bs4 import BeautifulSoup
from sqlmodel import select

from tests.helpers.api import assert_api_error
from workbench.store.models import Claim, ClaimApproval, HistoryEvent

TEXT = ("Bridge report\n\n"
        "The council said the tolls raised 412 million crowns last year.\n\n"
        "Traffic doubled since 2009, the mayor claimed at the meeting.\n\n"
        "A third paragraph about the weather in the valley.")
QUOTE = "the tolls raised 412 million crowns"
SOURCE = "https://stats.example/tolls"


@pytest.fixture
def desk(app, client, auth, api_as, db):
    """An article with an approved claim (the checker's, approved by the editor) and a draft of the
    checker's citing the same source; signed in as nobody."""
    checker, editor = api_as("checker"), api_as("editor")
    article_id = checker.post("/api/articles", json={"text": TEXT}).get_json()["id"]
    text = checker.get(f"/api/articles/{article_id}").get_json()["revision"]["text"]

    def annotation(words, verdict, rationale):
        start = text.index(words)
        return {"@context": "http://www.w3.org/ns/anno.jsonld", "type": "Annotation", "motivation": "assessing",
                "body": [{"type": "TextualBody", "purpose": "assessing", "value": verdict},
                         {"type": "TextualBody", "purpose": "commenting", "value": rationale,
                          "format": "text/markdown"},
                         {"type": "TextualBody", "purpose": "tagging", "value": "tolls"},
                         {"type": "SpecificResource", "purpose": "linking", "source": SOURCE,
                          "title": "Toll accounts 2024", "stance": "supports"}],
                "target": {"selector": [{"type": "TextPositionSelector", "start": start, "end": start + len(words)}]}}

    made = checker.post(f"/api/articles/{article_id}/annotations/",
                        json=annotation(QUOTE, "true", "The accounts show **412m**."))
    assert made.status_code == 201, made.text
    url = made.headers["Location"]
    other = checker.post(f"/api/articles/{article_id}/annotations/",
                         json=annotation("Traffic doubled since 2009", "mostly_true", "Counts from the toll booths."))
    assert other.status_code == 201, other.text
    assert checker.post(url + "/review", json={"action": "submit"}).status_code == 200
    approved = editor.post(url + "/review", json={"action": "approve"})
    assert approved.status_code == 200 and approved.get_json()["reviewStatus"] == "approved"
    return {"article": article_id, "url": url, "id": int(url.rsplit("/", 1)[1]),
            "other": int(other.headers["Location"].rsplit("/", 1)[1]), "text": text}


def published(api, article_id) -> dict:
    """What the approved-only exports publish: claim quotes with verdicts in the HTML report, the
    ClaimReviews and the W3C export."""
    html = BeautifulSoup(api.get(f"/api/articles/{article_id}/export?format=html").text, "html.parser")
    reviews = json.loads(api.get(f"/api/articles/{article_id}/export?format=claimreview").text)
    w3c = json.loads(api.get(f"/api/articles/{article_id}/export?format=jsonld").text)
    items = (w3c.get("first") or {}).get("items", [])
    return {
        "html": [(a.select_one("blockquote").text, a.select_one(".badge").text) for a in html.select("article.claim")],
        "claimreview": [(r["claimReviewed"], r["reviewRating"]["alternateName"]) for r in reviews],
        "w3c": [next(s["exact"] for s in i["target"]["selector"] if s["type"] == "TextQuoteSelector") for i in items],
        "corrections": html.select_one("#corrections").text,
    }


def sign_in(auth, role):
    """Sign in as ``role``, signing out whoever was signed in."""
    if auth.csrf:
        auth.post("/logout")
        auth.csrf = None
    auth.login_as(role)


def form_post(auth, url, data):
    return auth.post(url, data=data, headers={"HX-Request": "true", "X-CSRF-Token": auth.csrf})


def claim_now(db, claim_id) -> Claim:
    db.rollback()
    return db.get(Claim, claim_id)


# --- the write paths ---------------------------------------------------------------------------

def page_edit(verdict="true", rationale="The accounts show **412m**.", tags="tolls"):
    def act(desk, db, auth, api_as):
        sign_in(auth, "editor")
        claim = claim_now(db, desk["id"])
        response = form_post(auth, f"/claims/{claim.id}", {"verdict": verdict, "rationale": rationale,
                                                            "tags": tags, "version": claim.version})
        assert response.status_code == 200, response.text
    return act


def api_put(change):
    def act(desk, db, auth, api_as):
        api = api_as("checker")
        current = api.get(desk["url"])
        body = current.get_json()
        change(body)
        response = api.put(desk["url"], json=body, headers={"If-Match": current.headers["ETag"]})
        assert response.status_code == 200, response.text
    return act


def set_rationale(body):
    next(b for b in body["body"] if b.get("purpose") == "commenting")["value"] = "Now says 420m."


def add_source(desk, db, auth, api_as):
    sign_in(auth, "checker")
    claim = claim_now(db, desk["id"])
    response = form_post(auth, f"/claims/{claim.id}/sources", {"url": "https://other.example/a", "title": "More",
                                                                "stance": "context", "version": claim.version})
    assert response.status_code == 200, response.text


def first_link(db, claim_id):
    from workbench.store.models import ClaimSource

    return db.exec(select(ClaimSource).where(ClaimSource.claim_id == claim_id)).first()


def remove_source(desk, db, auth, api_as):
    sign_in(auth, "checker")
    claim = claim_now(db, desk["id"])
    link = first_link(db, claim.id)
    assert form_post(auth, f"/claims/{claim.id}/sources/{link.id}/delete", {"version": claim.version}).status_code == 200


def edit_source(role, claim_key, stance="supports", title="Toll accounts 2024", everywhere=False):
    def act(desk, db, auth, api_as):
        sign_in(auth, role)
        claim = claim_now(db, desk[claim_key])
        link = first_link(db, claim.id)
        data = {"url": SOURCE, "title": title, "stance": stance, "version": claim.version}
        if everywhere:
            data["everywhere"] = "1"
        response = form_post(auth, f"/claims/{claim.id}/sources/{link.id}", data)
        assert response.status_code == 200, response.text
    return act


def cite_same_url_with_other_details(desk, db, auth, api_as):
    """A checker cites the approved claim's source URL on an own claim, with a publisher it lacked."""
    sign_in(auth, "checker")
    claim = claim_now(db, desk["other"])
    link = first_link(db, claim.id)
    form_post(auth, f"/claims/{claim.id}/sources/{link.id}/delete", {"version": claim.version})
    claim = claim_now(db, desk["other"])
    response = form_post(auth, f"/claims/{claim.id}/sources", {"url": SOURCE, "title": "Rewritten",
                                                                "publisher": "Someone else", "stance": "supports",
                                                                "version": claim.version})
    assert response.status_code == 200, response.text


def comment(desk, db, auth, api_as):
    sign_in(auth, "checker")
    assert form_post(auth, f"/claims/{desk['id']}/comments", {"body": "Looks right."}).status_code == 200


def api_revision(new_text):
    def act(desk, db, auth, api_as):
        response = api_as("checker").post(f"/api/articles/{desk['article']}/revisions", json={"text": new_text(desk)})
        assert response.status_code == 201, response.text
    return act


def page_revision(new_text):
    def act(desk, db, auth, api_as):
        sign_in(auth, "checker")
        response = auth.post("/import", data={"via": "paste", "content": new_text(desk), "article": desk["article"]})
        preview_url = response.headers["Location"]
        preview = BeautifulSoup(auth._client.get(preview_url).text, "html.parser")
        keep = [i["value"] for i in preview.select("li.block input:checked")]
        response = auth.post(preview_url, data={"keep": keep, "title": "Bridge report"})
        assert response.status_code == 302, response.text
    return act


def reattach(desk, db, auth, api_as):
    sign_in(auth, "editor")
    claim = claim_now(db, desk["id"])
    words = "Traffic doubled"
    start = desk["text"].index(words)
    response = auth.post(f"/claims/{claim.id}/reattach", data={"start": start, "end": start + len(words),
                                                                "exact": words, "version": claim.version,
                                                                "confirm": "1"})
    assert response.status_code == 302, response.text


def reopen(desk, db, auth, api_as):
    assert api_as("editor").post(desk["url"] + "/review", json={"action": "reopen", "comment": "Check the year."}
                                 ).status_code == 200


UNRELATED = lambda d: d["text"].replace("weather in the valley", "weather on the hills")  # noqa: E731
MOVED = lambda d: d["text"].replace("The council said", "A new paragraph, added later.\n\nThe council said")  # noqa: E731
CHANGED = lambda d: d["text"].replace("412 million", "420 million")  # noqa: E731
# Words inserted inside the quote: placed on its edited words as changed (no longer an orphan).
EDITED = lambda d: d["text"].replace("412 million crowns", "412 million Swedish crowns")  # noqa: E731
# A clause added right after the quote: its words and the context before it are intact.
CLAUSE_AFTER = lambda d: d["text"].replace("412 million crowns last year", "412 million crowns, after costs, last year")  # noqa: E731
GONE = lambda d: d["text"].replace("The council said the tolls raised 412 million crowns last year.\n\n", "")  # noqa: E731

PATHS = [
    pytest.param(page_edit(verdict="false"), True, id="page_edit_verdict"),
    pytest.param(page_edit(), False, id="page_save_unchanged"),
    pytest.param(page_edit(tags="tolls, budget"), True, id="page_edit_tags"),
    pytest.param(page_edit(rationale="Reworded."), True, id="page_edit_rationale"),
    pytest.param(api_put(set_rationale), True, id="api_put_rationale"),
    pytest.param(api_put(lambda body: None), False, id="api_put_unchanged"),
    pytest.param(add_source, True, id="page_add_source"),
    pytest.param(remove_source, True, id="page_remove_source"),
    pytest.param(edit_source("checker", "id", stance="contradicts"), True, id="page_source_stance"),
    pytest.param(edit_source("checker", "other", title="Rewritten by someone"), False,
                 id="shared_source_edited_through_another_claim"),
    pytest.param(edit_source("editor", "other", title="Corrected title", everywhere=True), True,
                 id="shared_source_edited_everywhere_by_editor"),
    pytest.param(cite_same_url_with_other_details, False, id="same_url_cited_with_other_details"),
    pytest.param(comment, False, id="comment"),
    pytest.param(api_revision(UNRELATED), False, id="api_revision_words_kept"),
    pytest.param(api_revision(MOVED), False, id="api_revision_words_moved"),
    pytest.param(api_revision(CHANGED), True, id="api_revision_words_changed"),
    pytest.param(api_revision(EDITED), True, id="api_revision_words_edited_in_place"),
    pytest.param(api_revision(CLAUSE_AFTER), False, id="api_revision_clause_added_after_the_words"),
    pytest.param(api_revision(GONE), True, id="api_revision_words_gone"),
    pytest.param(page_revision(CHANGED), True, id="page_revision_words_changed"),
    pytest.param(page_revision(UNRELATED), False, id="page_revision_words_kept"),
    pytest.param(reattach, True, id="reattach_to_other_words"),
    pytest.param(reopen, True, id="reopen"),
]


@pytest.mark.parametrize("path, withdraws", PATHS)
def test_every_write_path_keeps_exports_to_what_was_approved(desk, db, auth, api_as, path, withdraws):
    viewer = api_as("viewer")
    before = published(viewer, desk["article"])
    assert before["claimreview"] == [(QUOTE, "True")] and before["w3c"] == [QUOTE]

    path(desk, db, auth, api_as)

    claim = claim_now(db, desk["id"])
    after = published(viewer, desk["article"])
    approval = db.exec(select(ClaimApproval).where(ClaimApproval.claim_id == claim.id)).all()[-1]
    events = [e.action for e in db.exec(select(HistoryEvent).where(HistoryEvent.claim_id == claim.id))]
    if withdraws:
        assert claim.status != "approved" and claim.approved_digest is None
        assert after["html"] == [] and after["claimreview"] == [] and after["w3c"] == []
        assert approval.withdrawn_at is not None and approval.withdrawn_reason
        if claim.status == "in_review":  # withdrawn by the change itself, not by a reopen
            assert claim.re_review and "approval_withdrawn" in events
            assert "Approval withdrawn" in after["corrections"]
    else:
        assert claim.status == "approved" and approval.withdrawn_at is None
        # Published exactly as approved: the snapshot's quote, verdict and sources.
        assert after["claimreview"] == [(approval.content["exact"], "True")] == [(QUOTE, "True")]
        assert after["w3c"] == [QUOTE]
        sources = viewer.get(desk["url"]).get_json()
        titles = [b.get("title") for b in sources["body"] if b.get("purpose") == "linking"]
        assert titles == [s["title"] for s in approval.content["sources"]] == ["Toll accounts 2024"]


def test_words_changed_by_a_revision_are_explained_everywhere(desk, db, auth, api_as, client):
    api_revision(CHANGED)(desk, db, auth, api_as)
    claim = claim_now(db, desk["id"])
    withdrawal = db.exec(select(HistoryEvent).where(HistoryEvent.claim_id == claim.id,
                                                    HistoryEvent.action == "approval_withdrawn")).one()
    assert "revision 2" in withdrawal.note and "412 million" in withdrawal.note and "420 million" in withdrawal.note
    assert "similarity" in withdrawal.note

    viewer = api_as("viewer")
    markdown = viewer.get(f"/api/articles/{desk['article']}/export?format=md").text
    corrections = markdown.split("## Corrections and updates", 1)[1]
    assert "Approval withdrawn" in corrections and "420 million" in corrections
    assert "New revision" in corrections and "1 changed" in corrections

    sign_in(auth, "viewer")
    page = BeautifulSoup(client.get(f"/articles/{desk['article']}").text, "html.parser")
    assert "420 million" in page.select_one("#corrections").text

    sign_in(auth, "editor")
    queue = BeautifulSoup(client.get("/review").text, "html.parser")
    row = queue.select_one(f"#queue-claim-{claim.id}")
    assert row.select_one(".badge-re-review").text == "Re-review"
    assert "420 million" in row.select_one(".re-review-reason").text


def test_approving_again_publishes_the_new_words_with_date_modified(desk, db, auth, api_as):
    api_revision(CHANGED)(desk, db, auth, api_as)
    assert api_as("editor").post(desk["url"] + "/review", json={"action": "approve"}).status_code == 200
    reviews = json.loads(api_as("viewer").get(f"/api/articles/{desk['article']}/export?format=claimreview").text)
    assert [r["claimReviewed"] for r in reviews] == ["the tolls raised 420 million crowns"]
    assert reviews[0]["datePublished"] and reviews[0]["dateModified"]


def test_verdict_changed_after_approval_is_logged_when_approved_again(desk, db, auth, api_as):
    page_edit(verdict="false")(desk, db, auth, api_as)
    assert api_as("admin").post(desk["url"] + "/review", json={"action": "approve"}).status_code == 200
    markdown = api_as("viewer").get(f"/api/articles/{desk['article']}/export?format=md").text
    corrections = markdown.split("## Corrections and updates", 1)[1]
    assert "Verdict changed" in corrections and "from True to False" in corrections


# --- withdrawing published work -------------------------------------------------------------------

def test_checker_cannot_delete_or_retire_an_approved_claim(desk, db, auth, api_as):
    checker = api_as("checker")
    etag = checker.get(desk["url"]).headers["ETag"]
    assert_api_error(checker.delete(desk["url"], headers={"If-Match": etag}), 403, "forbidden")
    sign_in(auth, "checker")
    claim = claim_now(db, desk["id"])
    assert auth.post(f"/claims/{claim.id}/retire", data={"reason": "Gone.", "version": claim.version}
                     ).status_code == 403
    assert claim_now(db, desk["id"]).status == "approved" and not claim_now(db, desk["id"]).deleted


def test_editor_withdraws_an_approved_claim_with_a_reason(desk, db, auth, api_as, client):
    editor = api_as("editor")
    etag = editor.get(desk["url"]).headers["ETag"]
    assert_api_error(editor.delete(desk["url"], headers={"If-Match": etag}), 422, "comment_required")
    assert editor.delete(desk["url"] + "?reason=Misquoted%20the%20council", headers={"If-Match": etag}
                         ).status_code == 204

    error = assert_api_error(api_as("viewer").get(desk["url"]), 410, "withdrawn")
    assert error["withdrawn"]["by"] == "Editor" and error["withdrawn"]["reason"] == "Misquoted the council"
    assert error["quote"] == QUOTE and error["verdict"] == "true"
    etag_after = editor.get(desk["url"])
    assert etag_after.status_code == 410
    assert_api_error(editor.put(desk["url"], json={}, headers={"If-Match": etag}), 410, "withdrawn")

    sign_in(auth, "viewer")
    page = client.get(f"/claims/{desk['id']}")
    assert page.status_code == 410 and "Misquoted the council" in page.text and QUOTE in page.text
    article = BeautifulSoup(client.get(f"/articles/{desk['article']}").text, "html.parser")
    listed = article.select_one("#withdrawn-claims")
    assert QUOTE in listed.text and "Misquoted the council" in listed.text
    assert "Misquoted the council" in article.select_one("#corrections").text
    history = client.get(f"/claims/{desk['id']}/history")
    assert history.status_code == 200 and "approved" in history.text
    assert published(api_as("viewer"), desk["article"])["claimreview"] == []


def test_only_an_admin_purges_and_the_purge_is_recorded(desk, db, auth, api_as, client):
    editor = api_as("editor")
    etag = editor.get(desk["url"]).headers["ETag"]
    assert editor.delete(desk["url"] + "?reason=Legal%20request", headers={"If-Match": etag}).status_code == 204
    sign_in(auth, "editor")
    assert auth.post(f"/claims/{desk['id']}/purge", data={"reason": "Court order"}).status_code == 403
    sign_in(auth, "admin")
    assert auth.post(f"/claims/{desk['id']}/purge", data={"reason": " "}).status_code == 422
    assert auth.post(f"/claims/{desk['id']}/purge", data={"reason": "Court order"}).status_code == 302
    claim = claim_now(db, desk["id"])
    assert claim.withdrawn_kind == "purged" and claim.exact == "" and claim.rationale == ""
    purge = db.exec(select(HistoryEvent).where(HistoryEvent.claim_id == claim.id,
                                               HistoryEvent.action == "purged")).one()
    assert purge.note == "Court order" and purge.actor_id is not None
    error = assert_api_error(api_as("viewer").get(desk["url"]), 410, "withdrawn")
    assert error["withdrawn"]["kind"] == "purged" and "quote" not in error


def test_reattach_counts_as_an_edit_for_the_four_eyes_rule(desk, db, auth, api_as):
    reattach(desk, db, auth, api_as)
    claim = claim_now(db, desk["id"])
    assert claim.status == "in_review"
    assert_api_error(api_as("editor").post(desk["url"] + "/review", json={"action": "approve"}), 403, "four_eyes")


# --- saving twice ----------------------------------------------------------------------------------

def test_the_same_form_sent_twice_saves_once(desk, db, auth, api_as):
    sign_in(auth, "checker")
    claim = claim_now(db, desk["other"])
    version = claim.version
    data = {"verdict": "false", "rationale": "Booth counts fell.", "tags": "traffic", "version": version}
    first = form_post(auth, f"/claims/{claim.id}", data)
    second = form_post(auth, f"/claims/{claim.id}", data)
    assert first.status_code == second.status_code == 200
    assert "conflict" not in BeautifulSoup(second.text, "html.parser").select_one("article.claim-card").get("class", [])
    assert not BeautifulSoup(second.text, "html.parser").select(".conflict")
    after = claim_now(db, desk["other"])
    assert after.version == version + 1 and after.verdict == "false"
    updates = db.exec(select(HistoryEvent).where(HistoryEvent.claim_id == claim.id,
                                                 HistoryEvent.action == "updated")).all()
    assert len(updates) == 1

    # The same source added twice from one form is added once.
    source = {"url": "https://booths.example/", "title": "Booths", "stance": "supports", "version": after.version}
    first_add = form_post(auth, f"/claims/{claim.id}/sources", source)
    assert first_add.status_code == 200 and "Source added." in first_add.text, first_add.text[:3000]
    assert form_post(auth, f"/claims/{claim.id}/sources", source).status_code == 200
    db.rollback()  # see what the requests committed
    assert len([e for e in db.exec(select(HistoryEvent).where(HistoryEvent.claim_id == claim.id,
                                                              HistoryEvent.action == "source_added"))]) == 2


def test_a_real_concurrent_change_still_shows_the_conflict(desk, db, auth, api_as):
    sign_in(auth, "checker")
    claim = claim_now(db, desk["other"])
    version = claim.version
    page_edit_as_editor = {"verdict": "mixed", "rationale": "Editor's view.", "tags": "", "version": version}
    sign_in(auth, "editor")
    assert form_post(auth, f"/claims/{claim.id}", page_edit_as_editor).status_code == 200
    sign_in(auth, "checker")
    response = form_post(auth, f"/claims/{claim.id}", {"verdict": "false", "rationale": "Mine.", "tags": "",
                                                        "version": version})
    assert response.status_code == 412
    conflict = BeautifulSoup(response.text, "html.parser").select_one(".conflict")
    assert conflict is not None and "Editor" in conflict.text


def test_a_review_button_pressed_twice_takes_the_step_once(desk, db, auth, api_as):
    sign_in(auth, "checker")
    claim = claim_now(db, desk["other"])
    form_post(auth, f"/claims/{claim.id}/sources", {"url": "https://booths.example/", "stance": "supports",
                                                     "version": claim.version})
    version = claim_now(db, desk["other"]).version
    first = form_post(auth, f"/claims/{claim.id}/review", {"action": "submit", "version": version})
    second = form_post(auth, f"/claims/{claim.id}/review", {"action": "submit", "version": version})
    assert first.status_code == second.status_code == 200, second.text
    assert claim_now(db, desk["other"]).status == "in_review"
    steps = db.exec(select(HistoryEvent).where(HistoryEvent.claim_id == claim.id,
                                               HistoryEvent.action == "transition")).all()
    assert len(steps) == 1


def test_a_source_form_sent_twice_saves_once(desk, db, auth, api_as):
    sign_in(auth, "checker")
    claim = claim_now(db, desk["other"])
    link = first_link(db, claim.id)
    data = {"url": SOURCE, "title": "Toll accounts 2024", "stance": "contradicts", "version": claim.version}
    assert form_post(auth, f"/claims/{claim.id}/sources/{link.id}", data).status_code == 200
    again = form_post(auth, f"/claims/{claim.id}/sources/{link.id}", data)
    assert again.status_code == 200 and not BeautifulSoup(again.text, "html.parser").select(".conflict")
    version = claim_now(db, desk["other"]).version
    assert form_post(auth, f"/claims/{claim.id}/sources/{link.id}/delete", {"version": version}).status_code == 200
    assert form_post(auth, f"/claims/{claim.id}/sources/{link.id}/delete", {"version": version}).status_code == 200
    db.rollback()
    assert first_link(db, claim.id) is None
