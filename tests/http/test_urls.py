"""Every place a URL comes in refuses hostile ones with a message naming the field, and stores nothing."""

import pytest
from bs4 import BeautifulSoup
from sqlmodel import func, select

from tests.helpers.api import annotation_for, assert_api_error
from workbench.store.models import (
    Article,
    Claim,
    ClaimSource,
    HistoryEvent,
    Revision,
    Source,
)

TEXT = "Tolls Headline\n\nThe minister said tolls paid for the bridge twice over since 2009.\n\nReceipts grew."

#: The audit's payloads and the other broken forms, each refused wherever a URL is taken.
HOSTILE = [
    "https://example.org/'><script>alert(1)</script>",
    "https://example.org/>)[x](javascript:alert(1))",
    "https://example.org/a\n<script>alert(1)</script>",
    "https://example.org/a b",
    "https://example.org/a\tb",
    "https://example.org/a\x00b",
    'https://example.org/"onmouseover="alert(1)',
    "https://example.org/<img src=x>",
    "javascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "http:///x",
    "http://[::1",
    "http://user:secret@example.org/",
    "https://example.org/" + "a" * 2000,
]


def count(db, model) -> int:
    db.rollback()  # end the read transaction: see what requests committed
    return db.exec(select(func.count()).select_from(model)).one()


@pytest.fixture
def article(api_as):
    return api_as("checker").post("/api/articles", json={"text": TEXT}).get_json()


def linking(url: str, cached: str = "https://archive.example/x") -> dict:
    return {"type": "SpecificResource", "purpose": "linking", "source": url, "stance": "supports",
            "state": {"type": "TimeState", "cached": cached}}


@pytest.mark.parametrize("field, name", [
    pytest.param("source", "source URL", id="source"),
    pytest.param("cached", "archived copy URL", id="archived_copy"),
])
def test_api_annotation_create_refuses_every_hostile_url(api_as, article, db, field, name):
    api = api_as("checker")
    for url in HOSTILE:
        body = linking(url) if field == "source" else linking("https://stats.example/x", cached=url)
        response = api.post(f"/api/articles/{article['id']}/annotations/",
                            json=annotation_for(article, "twice over", sources=[body]))
        assert_api_error(response, 422, "bad_url")
        assert response.get_json()["error"]["message"].startswith(f"The {name} "), (url, response.text)
    assert (count(db, Claim), count(db, Source)) == (0, 0)


def test_api_annotation_replace_refuses_a_hostile_url_and_keeps_the_claim(api_as, article, db):
    api = api_as("checker")
    created = api.post(f"/api/articles/{article['id']}/annotations/", json=annotation_for(article, "twice over"))
    location, etag = created.headers["Location"], created.headers["ETag"]
    for url in HOSTILE:
        response = api.put(location, json=annotation_for(article, "twice over", sources=[linking(url)]),
                           headers={"If-Match": etag})
        assert_api_error(response, 422, "bad_url")
    again = api.get(location)
    assert again.headers["ETag"] == etag and again.get_json() == created.get_json()
    assert [s.url for s in db.exec(select(Source))] == ["https://stats.example/bridge-2024"]


def test_api_keeps_an_idn_source_as_punycode(api_as, article, db):
    response = api_as("checker").post(f"/api/articles/{article['id']}/annotations/", json=annotation_for(
        article, "twice over", sources=[linking("HTTP://Bücher.example/Seite", cached="https://ARCHIVE.example/x")]))
    assert response.status_code == 201, response.text
    linked = next(b for b in response.get_json()["body"] if b.get("purpose") == "linking")
    # An archived copy without a date is carried as archivedCopy (a TimeState needs a date).
    assert (linked["source"], linked["archivedCopy"]) == ("http://xn--bcher-kva.example/Seite",
                                                          "https://archive.example/x")
    db.rollback()
    assert [s.url for s in db.exec(select(Source))] == ["http://xn--bcher-kva.example/Seite"]


def test_api_import_refuses_a_hostile_source_url_or_url(api_as, db):
    api = api_as("checker")
    for url in HOSTILE:
        response = api.post("/api/articles", json={"text": TEXT, "source_url": url})
        assert_api_error(response, 422, "bad_url")
        assert "source URL" in response.get_json()["error"]["message"], (url, response.text)
        assert_api_error(api.post("/api/articles", json={"url": url}), 422, "bad_url")
    assert count(db, Article) == 0


def test_api_revision_refuses_a_hostile_source_url(api_as, article, db):
    api = api_as("checker")
    for url in HOSTILE:
        response = api.post(f"/api/articles/{article['id']}/revisions",
                            json={"text": TEXT + " Corrected.", "source_url": url})
        assert_api_error(response, 422, "bad_url")
    assert count(db, Revision) == 1
    assert db.get(Article, article["id"]).source_url is None


@pytest.fixture
def claim_id(app, auth, article, db):
    auth.login_as("checker")
    text = article["revision"]["text"]
    start = text.index("twice over")
    response = auth.post(f"/articles/{article['id']}/claims",
                         data={"start": start, "end": start + 10, "exact": "twice over", "verdict": "false"})
    assert response.status_code == 302, response.text
    db.rollback()
    return db.exec(select(Claim)).one().id


def source_form(auth, db, claim_id, path="", **fields):
    db.rollback()
    data = {"version": db.get(Claim, claim_id).version, "url": "https://stats.example/2024", "title": "Bulletin",
            "stance": "supports", **fields}
    return auth.post(f"/claims/{claim_id}/sources{path}", data=data,
                     headers={"HX-Request": "true", "X-CSRF-Token": auth.csrf})


@pytest.mark.parametrize("field, name", [
    pytest.param("url", "source URL", id="url"),
    pytest.param("archived_url", "archived copy URL", id="archived_url"),
])
def test_page_source_form_refuses_every_hostile_url_and_keeps_the_form(auth, db, claim_id, field, name):
    for url in HOSTILE:
        response = source_form(auth, db, claim_id, **{field: url})
        assert response.status_code == 422, (url, response.text)
        form = BeautifulSoup(response.text, "html.parser").select_one("details.add-source form")
        assert form.find(role="alert").text.startswith(f"The {name} "), url
        assert form.find("input", {"name": "title"})["value"] == "Bulletin"
    assert (count(db, ClaimSource), count(db, Source)) == (0, 0)


def test_page_source_edit_refuses_a_hostile_url(auth, db, claim_id):
    assert source_form(auth, db, claim_id).status_code == 200
    db.rollback()
    link = db.exec(select(ClaimSource)).one()
    history = count(db, HistoryEvent)
    for url in HOSTILE:
        response = source_form(auth, db, claim_id, path=f"/{link.id}", archived_url=url)
        assert response.status_code == 422 and "archived copy URL" in response.text, url
    assert count(db, HistoryEvent) == history
    assert db.exec(select(Source)).one().archived_url is None


def test_page_import_refuses_a_hostile_url(auth, db):
    auth.login_as("checker")
    for url in HOSTILE:
        response = auth.post("/import", data={"via": "url", "url": url})
        assert response.status_code == 422, (url, response.text)
        assert BeautifulSoup(response.text, "html.parser").find(role="alert").text.startswith("The URL "), url


def test_page_import_preview_refuses_a_hostile_source_url_and_keeps_the_draft(client, auth, db):
    auth.login_as("checker")
    response = auth.post("/import", data={"via": "paste", "content": TEXT})
    preview = response.headers["Location"]
    for url in HOSTILE:
        response = auth.post(preview, data={"keep": ["1"], "title": "T", "source_url": url})
        assert response.status_code == 422, (url, response.text)
        soup = BeautifulSoup(response.text, "html.parser")
        assert "source URL" in soup.find(role="alert").text, url
        assert soup.find(id="field-title")["value"] == "T"
    assert count(db, Article) == 0
    assert client.get(preview).status_code == 200  # the draft is still there to correct
