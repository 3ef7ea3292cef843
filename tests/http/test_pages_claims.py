"""Claim pages and fragments over HTTP: create, edit, sources, comments, permissions, safety."""

import pytest
from bs4 import BeautifulSoup
from sqlmodel import select

from workbench.store.models import Claim, ClaimSource, HistoryEvent, Source

TEXT = "Headline Here\n\n😀 The minister said tolls paid for the bridge twice over.\n\nReceipts were 830 million."


@pytest.fixture
def article_id(make_article):
    return make_article(TEXT)


def span(words: str) -> dict:
    canonical = TEXT.split("\n\n", 1)[1]
    start = canonical.index(words)
    return {"start": start, "end": start + len(words), "exact": words}


def create(auth, article_id, words, htmx=False, **fields):
    headers = {"HX-Request": "true", "X-CSRF-Token": auth.csrf} if htmx else {}
    return auth.post(f"/articles/{article_id}/claims", data={**span(words), "verdict": "false", **fields},
                     headers=headers)


def only_claim(db):
    db.rollback()  # end the read transaction: see what requests committed
    return db.exec(select(Claim)).one()


def test_plain_post_creates_and_redirects_to_the_claim(client, auth, db, article_id):
    auth.login_as("checker")
    response = create(auth, article_id, "tolls paid", rationale="Because.", tags="a, b, a")
    claim = only_claim(db)
    assert response.status_code == 302
    assert response.headers["Location"] == f"/articles/{article_id}?claim={claim.id}#claim-{claim.id}"
    assert (claim.exact, claim.verdict, claim.tags, claim.status) == ("tolls paid", "false", ["a", "b"], "draft")
    soup = BeautifulSoup(client.get(response.headers["Location"]).text, "html.parser")
    mark = soup.select_one("#article-text mark")
    assert mark.text == "tolls paid" and mark["data-claims"] == str(claim.id)
    assert soup.select_one("#claim-detail .claim-card blockquote").text == "tolls paid"


def test_htmx_create_returns_the_workspace_with_the_highlight(client, auth, db, article_id):
    auth.login_as("checker")
    response = create(auth, article_id, "twice over", htmx=True)
    soup = BeautifulSoup(response.text, "html.parser")
    assert response.status_code == 200
    assert soup.select_one("#workspace #article-text mark").text == "twice over"
    assert f"Claim {only_claim(db).id} saved." in soup.select_one("#claim-panel").text


def test_mismatched_quote_is_refused_and_the_form_is_kept(client, auth, db, article_id):
    auth.login_as("checker")
    data = {**span("twice over"), "exact": "three times", "verdict": "false", "rationale": "keep me"}
    response = auth.post(f"/articles/{article_id}/claims", data=data)
    assert response.status_code == 422
    soup = BeautifulSoup(response.text, "html.parser")
    form = soup.select_one("#new-claim")
    assert not form.has_attr("hidden")
    assert "'twice over'" in form.select_one(".flash-error").text
    assert form.find("textarea", {"name": "rationale"}).text == "keep me"
    assert db.exec(select(Claim)).all() == []


def test_unknown_verdict_is_422(auth, db, article_id):
    auth.login_as("checker")
    assert create(auth, article_id, "twice over", verdict="pants_on_fire").status_code == 422
    assert db.exec(select(Claim)).all() == []


def test_viewer_cannot_create(auth, article_id):
    auth.login_as("viewer")
    assert create(auth, article_id, "twice over").status_code == 403


def edit(auth, claim, **fields):
    data = {"version": claim.version, "verdict": claim.verdict or "", "rationale": claim.rationale,
            "tags": ", ".join(claim.tags), **fields}
    return auth.post(f"/claims/{claim.id}", data=data, headers={"HX-Request": "true", "X-CSRF-Token": auth.csrf})


def test_edit_records_old_and_new_values(client, auth, db, article_id):
    auth.login_as("checker")
    create(auth, article_id, "twice over")
    claim = only_claim(db)
    response = edit(auth, claim, verdict="mostly_false", rationale="New **reason**")
    assert response.status_code == 200
    soup = BeautifulSoup(response.text, "html.parser")
    assert soup.select_one(".badge").text == "Mostly false"
    assert soup.select_one(".rationale strong").text == "reason"
    # The highlight colour is refreshed out of band.
    assert soup.select_one('#article-text[hx-swap-oob] mark')["class"] == ["hl", "v-o2", "s-draft", "hl-start"]
    db.rollback()
    event = db.exec(select(HistoryEvent).where(HistoryEvent.action == "updated")).one()
    assert event.changes == {"verdict": ["false", "mostly_false"], "rationale": ["", "New **reason**"]}
    assert only_claim(db).version == 2


def test_stale_edit_shows_who_changed_it_and_both_versions(client, auth, db, article_id, users):
    auth.login_as("checker")
    create(auth, article_id, "twice over")
    stale = only_claim(db)
    edit(auth, stale, verdict="true")  # someone saves first (here the same user, in another tab)
    response = edit(auth, stale, verdict="mixed", rationale="mine")
    assert response.status_code == 412
    soup = BeautifulSoup(response.text, "html.parser")
    conflict = soup.select_one(".conflict")
    assert "Checker" in conflict.text and "version 2" in conflict.text and "you edited version 1" in conflict.text
    assert "mine" in conflict.text  # what the user typed is not lost
    assert only_claim(db).verdict == "true"


def test_other_checker_cannot_edit_but_an_editor_can(client, auth, db, article_id):
    auth.login_as("checker")
    create(auth, article_id, "twice over")
    claim = only_claim(db)
    auth.post("/logout")
    auth.login_as("editor")
    assert edit(auth, claim, verdict="mixed").status_code == 200
    soup = BeautifulSoup(client.get(f"/claims/{claim.id}", headers={"HX-Request": "true"}).text, "html.parser")
    assert soup.find("summary", string="Edit verdict, rationale and tags") is not None


def test_viewer_sees_no_edit_form(client, auth, db, article_id):
    auth.login_as("checker")
    create(auth, article_id, "twice over")
    claim = only_claim(db)
    auth.post("/logout")
    auth.login_as("viewer")
    soup = BeautifulSoup(client.get(f"/claims/{claim.id}", headers={"HX-Request": "true"}).text, "html.parser")
    assert soup.find("form", action=f"/claims/{claim.id}") is None
    assert edit(auth, claim, verdict="mixed").status_code == 403


def add_source(auth, claim, **fields):
    data = {"version": claim.version, "url": "https://stats.example/2024", "title": "Statistics bulletin",
            "stance": "contradicts", **fields}
    return auth.post(f"/claims/{claim.id}/sources", data=data, headers={"HX-Request": "true", "X-CSRF-Token": auth.csrf})


def test_sources_add_edit_remove_and_reuse(client, auth, db, article_id):
    auth.login_as("checker")
    create(auth, article_id, "twice over")
    create(auth, article_id, "830 million")
    first, second = db.exec(select(Claim).order_by(Claim.id)).all()
    assert add_source(auth, first, archived_url="https://archive.example/x", excerpt="It says so.").status_code == 200
    # The same URL on another claim reuses the source.
    assert add_source(auth, second, title="", stance="supports").status_code == 200
    db.rollback()
    assert len(db.exec(select(Source)).all()) == 1
    links = db.exec(select(ClaimSource).order_by(ClaimSource.id)).all()
    assert [link.stance for link in links] == ["contradicts", "supports"]
    # Suggestions find it by part of its title.
    options = BeautifulSoup(client.get("/sources/suggest?url=bulletin").text, "html.parser").find_all("option")
    assert [o["value"] for o in options] == ["https://stats.example/2024"]
    first = only_claim_by_id(db, first.id)
    response = auth.post(f"/claims/{first.id}/sources/{links[0].id}",
                         data={"version": first.version, "url": "https://stats.example/2024", "stance": "context",
                               "excerpt": "Changed."}, headers={"HX-Request": "true", "X-CSRF-Token": auth.csrf})
    assert response.status_code == 200
    first = only_claim_by_id(db, first.id)
    response = auth.post(f"/claims/{first.id}/sources/{links[0].id}/delete", data={"version": first.version},
                         headers={"HX-Request": "true", "X-CSRF-Token": auth.csrf})
    assert response.status_code == 200
    db.rollback()
    actions = [e.action for e in db.exec(select(HistoryEvent).where(HistoryEvent.claim_id == first.id)
                                         .order_by(HistoryEvent.id))]
    assert actions == ["created", "source_added", "source_updated", "source_removed"]


def only_claim_by_id(db, claim_id):
    db.rollback()  # end the read transaction: see what requests committed
    return db.get(Claim, claim_id)


@pytest.mark.parametrize("fields, message", [
    pytest.param({"url": "javascript:alert(1)"}, "http:// or https://", id="javascript_url"),
    pytest.param({"url": "ftp://x.example/a"}, "http:// or https://", id="ftp_url"),
    pytest.param({"archived_url": "data:text/html,x"}, "archived copy URL", id="bad_archive"),
    pytest.param({"stance": "agrees"}, "Unknown stance", id="bad_stance"),
    pytest.param({"date_published": "yesterday"}, "date published", id="bad_date"),
])
def test_bad_sources_are_refused_and_the_form_kept(auth, db, article_id, fields, message):
    auth.login_as("checker")
    create(auth, article_id, "twice over")
    response = add_source(auth, only_claim(db), **fields)
    assert response.status_code == 422 and message in response.text
    soup = BeautifulSoup(response.text, "html.parser")
    assert soup.find("input", {"name": "title"})["value"] == "Statistics bulletin"
    assert db.exec(select(ClaimSource)).all() == []


def test_comments(client, auth, db, article_id):
    auth.login_as("checker")
    create(auth, article_id, "twice over")
    claim = only_claim(db)
    headers = {"HX-Request": "true", "X-CSRF-Token": auth.csrf}
    assert auth.post(f"/claims/{claim.id}/comments", data={"body": "  "}, headers=headers).status_code == 422
    auth.post("/logout")
    auth.login_as("editor")
    headers["X-CSRF-Token"] = auth.csrf
    response = auth.post(f"/claims/{claim.id}/comments", data={"body": "Please add a *source*."}, headers=headers)
    soup = BeautifulSoup(response.text, "html.parser")
    comment = soup.select_one(".comment")
    assert "Editor" in comment.text and comment.find("em").text == "source"


PAYLOAD = '<img src=x onerror="alert(1)"><script>alert(2)</script>'


def test_user_text_never_becomes_markup(client, auth, db, article_id):
    auth.login_as("checker")
    create(auth, article_id, "twice over", rationale=PAYLOAD, tags=PAYLOAD)
    claim = only_claim(db)
    add_source(auth, claim, title=PAYLOAD, excerpt=PAYLOAD)
    headers = {"HX-Request": "true", "X-CSRF-Token": auth.csrf}
    auth.post(f"/claims/{claim.id}/comments", data={"body": PAYLOAD}, headers=headers)
    for html in (client.get(f"/claims/{claim.id}", headers={"HX-Request": "true"}).text,
                 client.get(f"/articles/{article_id}?claim={claim.id}").text):
        soup = BeautifulSoup(html, "html.parser")
        assert not [s for s in soup.find_all("script") if not s.get("src")]
        assert soup.find("img") is None
        assert not any(a.startswith("on") for tag in soup.find_all(True) for a in tag.attrs)


def test_markdown_preview_is_sanitized(auth):
    auth.login_as("checker")
    response = auth.post("/markdown/preview", data={"rationale": "**ok** " + PAYLOAD},
                         headers={"HX-Request": "true", "X-CSRF-Token": auth.csrf})
    soup = BeautifulSoup(response.text, "html.parser")
    assert soup.strong.text == "ok" and soup.find("img") is None and soup.find("script") is None


def test_overlapping_highlights_carry_every_id_and_pick_lists_them(client, auth, db, article_id):
    auth.login_as("checker")
    create(auth, article_id, "minister said tolls")
    create(auth, article_id, "tolls paid")
    first, second = [c.id for c in db.exec(select(Claim).order_by(Claim.id))]
    soup = BeautifulSoup(client.get(f"/articles/{article_id}").text, "html.parser")
    marks = [(m.text, m["data-claims"]) for m in soup.select("#article-text mark")]
    assert marks == [("minister said ", str(first)), ("tolls", f"{first} {second}"), (" paid", str(second))]
    picked = BeautifulSoup(client.get(f"/articles/{article_id}/claims/pick?ids={first},{second}").text, "html.parser")
    assert [a["data-claim-link"] for a in picked.find_all("a")] == [str(first), str(second)]


def test_delete_keeps_history(client, auth, db, article_id):
    auth.login_as("checker")
    create(auth, article_id, "twice over")
    claim = only_claim(db)
    response = auth.post(f"/claims/{claim.id}/delete", data={"version": claim.version})
    assert response.status_code == 302
    gone = client.get(f"/claims/{claim.id}")
    assert gone.status_code == 410 and "deleted by Checker" in gone.text and "twice over" in gone.text
    db.rollback()  # end the read transaction: see what requests committed
    assert db.get(Claim, claim.id).deleted is True
    assert [e.action for e in db.exec(select(HistoryEvent).where(HistoryEvent.claim_id == claim.id))] == ["created", "deleted"]
