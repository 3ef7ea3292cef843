"""The article page and the W3C export are kept once made (workbench.memo): served again after any
change, they show the change, and never what another database holds."""

import gzip
import json
import shutil

import pytest
from bs4 import BeautifulSoup
from sqlmodel import select

from tests.helpers.apps import make_test_app
from tests.helpers.databases import truncate_postgres
from tests.helpers.factories import make_article, make_claim
from workbench.services.accounts import create_token
from workbench.services.articles import get_article, get_revision
from workbench.services.claims import (
    create_claim,
    delete_claim,
    update_claim,
    update_source,
)
from workbench.services.review import transition
from workbench.services.schemas import ClaimFields, SourceInput
from workbench.services.users import create_user
from workbench.store.db import get_engine, get_session
from workbench.store.models import Claim, ClaimSource, User


def export_items(api, article_id) -> list[dict]:
    response = api.get(f"/api/articles/{article_id}/export?format=jsonld&include=all")
    assert response.status_code == 200, response.text
    return json.loads(response.data)["first"]["items"]


def container_items(api, article_id) -> list[dict]:
    response = api.get(f"/api/articles/{article_id}/annotations/?page=0&limit=1000")
    assert response.status_code == 200, response.text
    return json.loads(response.data)["items"]


def gzipped_container_items(api, article_id) -> list[dict]:
    """The container page as a client that accepts gzip reads it (compressed bodies are kept too)."""
    response = api.get(f"/api/articles/{article_id}/annotations/?page=0&limit=1000",
                       headers={"Accept-Encoding": "gzip"})
    assert response.status_code == 200, response.text
    assert response.headers["Content-Encoding"] == "gzip"
    return json.loads(gzip.decompress(response.data))["items"]


#: The ways a client reads every annotation, each kept under its own stamps.
READERS = [pytest.param(export_items, id="w3c_export"), pytest.param(container_items, id="container_page"),
           pytest.param(gzipped_container_items, id="container_page_gzip")]


def by_quote(items) -> dict[str, dict]:
    return {item["target"]["selector"][0]["exact"]: item for item in items}


def bodies(item, purpose) -> list[dict]:
    return [b for b in item.get("body", []) if b["purpose"] == purpose]


def change(app, action):
    """Run ``action(db)`` in its own app context and commit, as another request would."""
    with app.app_context():
        db = get_session()
        action(db)
        db.commit()


@pytest.mark.parametrize("w3c_items", READERS)
def test_w3c_export_shows_each_change_made_after_it_was_served(app, api_as, exported, users, w3c_items):  # noqa: F811
    api, article_id = api_as("viewer"), exported["article_id"]
    first = w3c_items(api, article_id)
    assert w3c_items(api, article_id) == first
    toll, crowns = "tolls paid for the bridge twice over", "830 million crowns"

    def edit(db):
        claim = db.get(Claim, exported["claims"][toll])
        update_claim(db, claim=claim, actor=db.get(User, users["editor"].id), expected_version=claim.version,
                     fields=ClaimFields(verdict="true", rationale="Now checked again.", tags=["rechecked"]))

    change(app, edit)
    item = by_quote(w3c_items(api, article_id))[toll]
    assert bodies(item, "assessing")[0]["value"] == "true"
    assert bodies(item, "commenting")[0]["value"] == "Now checked again."
    assert [b["value"] for b in bodies(item, "tagging")] == ["rechecked"]

    # The four claims share one source: an editor's change to it everywhere shows on every one of them.
    def retitle(db):
        claim = db.get(Claim, exported["claims"][crowns])
        link = db.exec(select(ClaimSource).where(ClaimSource.claim_id == claim.id)).one()
        update_source(db, claim=claim, actor=db.get(User, users["editor"].id), link_id=link.id,
                      expected_version=claim.version, everywhere=True,
                      data=SourceInput(url="https://stats.example/2024", title="Revised bulletin", stance="supports"))

    change(app, retitle)
    titles = {quote: bodies(item, "linking")[0]["title"] for quote, item in by_quote(w3c_items(api, article_id)).items()}
    assert set(titles.values()) == {"Revised bulletin"} and len(titles) == 4
    # What the approved claims cite changed: none of them stays approved.
    assert "approved" not in {item["reviewStatus"] for item in w3c_items(api, article_id)}

    def rename(db):
        db.get(User, users["checker"].id).display_name = "Ada Checker"

    change(app, rename)
    assert {item["creator"]["name"] for item in w3c_items(api, article_id)} == {"Ada Checker"}

    def approve_again(db):
        claim = db.get(Claim, exported["claims"][crowns])
        transition(db, claim=claim, action="approve", actor=db.get(User, users["admin"].id))

    change(app, approve_again)
    assert by_quote(w3c_items(api, article_id))[crowns]["reviewStatus"] == "approved"

    def reopen(db):
        claim = db.get(Claim, exported["claims"][crowns])
        transition(db, claim=claim, action="reopen", actor=db.get(User, users["editor"].id), comment="Which year?")

    change(app, reopen)
    assert by_quote(w3c_items(api, article_id))[crowns]["reviewStatus"] == "draft"

    def remove(db):
        claim = db.get(Claim, exported["claims"][crowns])
        delete_claim(db, claim=claim, actor=db.get(User, users["checker"].id), expected_version=claim.version)

    change(app, remove)
    assert crowns not in by_quote(w3c_items(api, article_id)) and len(w3c_items(api, article_id)) == 3


def test_api_article_shows_each_change_made_after_it_was_served(app, api_as, users):
    """GET /api/articles/{id} is kept between changes and answers conditional GETs with 304; a
    new title or a new revision is served at once, and the old ETag no longer matches."""
    api = api_as("checker")
    story = "\n\n".join(f"The tolls on crossing {n} rose by 12 percent in a year, the council said." for n in range(30))
    made = api.post("/api/articles", json={"text": "Bridge Tolls\n\n" + story}).get_json()
    url = f"/api/articles/{made['id']}"
    first = api.get(url, headers={"Accept-Encoding": "gzip"})
    tag = first.headers["ETag"]
    assert json.loads(gzip.decompress(first.data)) == api.get(url).get_json() == made
    assert api.get(url, headers={"If-None-Match": tag}).status_code == 304

    def retitle(db):
        get_article(db, made["id"]).title = "Bridge tolls, checked"

    change(app, retitle)
    again = api.get(url, headers={"If-None-Match": tag, "Accept-Encoding": "gzip"})
    assert again.status_code == 200 and again.headers["ETag"] != tag
    assert json.loads(gzip.decompress(again.data))["title"] == "Bridge tolls, checked"
    assert api.get(url + "?fields=title").get_json()["title"] == "Bridge tolls, checked"

    response = api.post(f"{url}/revisions", json={"text": "Bridge Tolls\n\nThe tolls rose by 15 percent in a year."})
    assert response.status_code == 201, response.text
    latest = api.get(url).get_json()
    assert latest["current_revision"] == 2 and "15 percent" in latest["revision"]["text"]
    assert api.get(url + "?fields=revision.number").get_json()["revision"] == {"number": 2}


def test_article_page_shows_each_change_made_after_it_was_served(app, client, auth, users, make_article):
    article_id = make_article("Headline\n\nTolls paid for the bridge twice over.\n\nReceipts were 830 million.")
    with app.app_context():
        db = get_session()
        revision = get_revision(db, get_article(db, article_id))
        text = revision.canonical_text
        claim_id = create_claim(db, revision=revision, actor=db.get(User, users["checker"].id),
                                start=text.index("twice over"), end=text.index("twice over") + 10,
                                exact="twice over", fields=ClaimFields(verdict="false")).id
    auth.login_as("viewer")

    def page():
        response = client.get(f"/articles/{article_id}")
        assert response.status_code == 200
        soup = BeautifulSoup(response.text, "html.parser")
        marks = [(m.text, m["class"]) for m in soup.select("#article-text mark")]
        lines = [" ".join(li.select_one(".meta").text.split()) for li in soup.select("#claim-list li")]
        return marks, lines

    marks, lines = page()
    assert marks == [("twice over", ["hl", "v-o1", "s-draft", "hl-start"])] and lines == ["False · draft · Checker"]
    assert page() == (marks, lines)

    def edit(db):
        claim = db.get(Claim, claim_id)
        update_claim(db, claim=claim, actor=db.get(User, users["checker"].id), expected_version=claim.version,
                     fields=ClaimFields(verdict="true"))

    change(app, edit)
    assert page() == ([("twice over", ["hl", "v-o5", "s-draft", "hl-start"])], ["True · draft · Checker"])

    def rename(db):
        db.get(User, users["checker"].id).display_name = "Ada Checker"

    change(app, rename)
    assert page()[1] == ["True · draft · Ada Checker"]

    def add(db):
        words = "830 million"
        start = text.index(words)
        create_claim(db, revision=get_revision(db, get_article(db, article_id)), actor=db.get(User, users["checker"].id),
                     start=start, end=start + len(words), exact=words, fields=ClaimFields())

    change(app, add)
    marks, lines = page()
    assert [m[0] for m in marks] == ["twice over", "830 million"] and len(lines) == 2

    def remove(db):
        claim = db.get(Claim, claim_id)
        delete_claim(db, claim=claim, actor=db.get(User, users["checker"].id), expected_version=claim.version)

    change(app, remove)
    marks, lines = page()
    assert [m[0] for m in marks] == ["830 million"] and lines == ["No verdict · draft · Ada Checker"]


def test_an_export_kept_for_a_database_is_not_served_once_it_was_replaced(database_url, tmp_path, request,
                                                                           sqlite_template):
    """The database is emptied and filled again while the process lives (as a restore would):
    its article and claim get the same ids and versions as before, but other words."""
    rationales = []
    for round_, rationale in enumerate(["Rationale of the first database.", "Rationale of the second."]):
        if database_url.startswith("sqlite"):
            shutil.copy(sqlite_template, database_url.removeprefix("sqlite:///"))
        else:
            _url, engine, schema = request.getfixturevalue("postgres_url")
            truncate_postgres(engine, schema)
        app = make_test_app(database_url, tmp_path / f"instance-{round_}")
        with app.app_context():
            db = get_session()
            checker = create_user(db, username="checker", password="checker-password", role="checker")
            article = make_article(db, checker, "Headline\n\nTolls paid twice over.")
            claim = make_claim(db, article, checker, "twice", rationale=rationale)
            assert (article.id, claim.id, claim.version) == (1, 1, 1)
            token = create_token(db, checker)
        response = app.test_client().get("/api/articles/1/export?format=jsonld&include=all",
                                         headers={"Authorization": f"Bearer {token}"})
        rationales.append(bodies(json.loads(response.data)["first"]["items"][0], "commenting")[0]["value"])
        get_engine(app).dispose()
    assert rationales == ["Rationale of the first database.", "Rationale of the second."]
