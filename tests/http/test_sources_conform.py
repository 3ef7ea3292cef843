"""Sources in every shape conform to the W3C model when exported, and come back whole when the
export is posted to another instance; the page's "Archived on" date reaches the export."""

import itertools
import shutil
from datetime import datetime, timezone

import pytest
from bs4 import BeautifulSoup
from sqlmodel import select

from tests.helpers.apps import make_test_app, shared_path
from tests.helpers.conformance import assert_conforms, conformance_kit
from tests.helpers.factories import make_article
from workbench.services.articles import get_revision
from workbench.services.claims import create_claim
from workbench.services.schemas import ClaimFields, SourceInput
from workbench.store.db import get_session
from workbench.store.models import Claim, ClaimSource, Source, User

TEXT = "Bridge Tolls\n\nThe minister said tolls paid for the bridge twice over.\n\nReceipts were 830 million."
OPTIONAL = {
    "title": "Toll bulletin",
    "publisher": "Statistics office",
    "date_published": "2024-03-01",
    "archived_url": "https://archive.example/{n}",
    "archived_date": "2024-03-02T10:00:00Z",
    "excerpt": "Receipts reached 830 million.",
}
STANCES = ("supports", "contradicts", "context")
CLAIMS = 12


def combinations() -> list[SourceInput]:
    """Every combination of the optional fields, with each stance: 2**6 * 3 sources."""
    made = []
    for n, (present, stance) in enumerate(itertools.product(
            itertools.product((False, True), repeat=len(OPTIONAL)), STANCES)):
        values = {key: value.format(n=n) for (key, value), on in zip(OPTIONAL.items(), present) if on}
        made.append(SourceInput(url=f"https://source.example/{n}", stance=stance, **values))
    return made


def test_every_combination_of_source_fields_conforms_and_round_trips(app, users, api_as, tmp_path, sqlite_template):
    sources = combinations()
    assert len(sources) == 192
    with app.app_context():
        db = get_session()
        checker = db.get(User, users["checker"].id)
        article = make_article(db, checker, TEXT)
        text = get_revision(db, article).canonical_text
        # Twelve claims of 16 sources each: one app, one export, one pass of the checker.
        words = text.split()
        for chunk in range(CLAIMS):
            start = text.index(words[chunk])
            create_claim(db, revision=get_revision(db, article), actor=checker, start=start,
                         end=start + len(words[chunk]), exact=words[chunk], fields=ClaimFields(verdict="false"),
                         sources=sources[chunk::CLAIMS])
        article_id = article.id
    response = api_as("viewer").get(f"/api/articles/{article_id}/export?format=jsonld&include=all")
    collection = response.get_json(force=True)
    items = collection["first"]["items"]
    assert_musts_pass(collection, annotations=CLAIMS)

    # Each body carries what its source holds, the archived copy whether or not it has a date.
    bodies = {body["source"]: body for item in items for body in item["body"] if body["purpose"] == "linking"}
    assert len(bodies) == 192
    for n, source in enumerate(sources):
        body = bodies[source.url]
        assert body["stance"] == source.stance
        for key, field in [("title", "title"), ("publisher", "publisher"), ("datePublished", "date_published"),
                           ("excerpt", "excerpt")]:
            assert body.get(key) == (getattr(source, field) or None), (n, key)
        if source.archived_date:
            state = {"type": "TimeState", "sourceDate": "2024-03-02T10:00:00Z"}
            if source.archived_url:
                state["cached"] = source.archived_url
            assert body["state"] == state and "archivedCopy" not in body
        else:
            assert "state" not in body and body.get("archivedCopy") == source.archived_url
    context = api_as("viewer").get("/api/context.jsonld").get_json(force=True)["@context"]
    assert context["archivedCopy"] == {"@id": "wb:archivedCopy", "@type": "@id"}

    # Posted to another instance, the annotations make the same sources again.
    shutil.copy(sqlite_template, tmp_path / "fresh.sqlite3")
    fresh = make_test_app(f"sqlite:///{tmp_path / 'fresh.sqlite3'}", tmp_path / "fresh-instance")
    from workbench.services.accounts import create_token
    from workbench.services.users import create_user

    with fresh.app_context():
        token = create_token(get_session(), create_user(get_session(), username="importer", password="password-1",
                                                        role="checker"))
    fresh_client = fresh.test_client()
    headers = {"Authorization": f"Bearer {token}"}
    fresh_article = fresh_client.post("/api/articles", json={"text": TEXT}, headers=headers).get_json()
    for item in items:
        item = dict(item, **{"@context": collection["@context"]})
        posted = fresh_client.post(f"/api/articles/{fresh_article['id']}/annotations/", json=item, headers=headers)
        assert posted.status_code == 201, posted.text
    assert stored_sources(fresh) == stored_sources(app)


def assert_musts_pass(document: dict, *, annotations: int) -> None:
    """The collection and every annotation in it, in one pass of the kit's MUST tests: what
    ``report.ok`` counts (the optional tests hold no MUST, and take most of the kit's time)."""
    kit = conformance_kit()
    model = shared_path("conformance", "w3c-annotation-model")
    report = kit.check_document(document, tests=[model / "annotations" / "annotationMusts.test",
                                                 model / "collections"])
    assert report.ok, [(r.title, r.message) for r in report.must_failures]
    checked = {run.subject for run in report.runs if run.subject.startswith("collection.first.items[")}
    assert len(checked) == annotations


def stored_sources(app) -> list:
    with app.app_context():
        rows = get_session().exec(select(Source, ClaimSource).join(ClaimSource)).all()
        return sorted((s.url, s.title, s.publisher, s.date_published, s.archived_url, s.archived_date, link.stance,
                       link.excerpt) for s, link in rows)


TEXT_WORDS = "tolls paid"


@pytest.fixture
def claim_id(auth, db, make_article):
    article_id = make_article(TEXT)
    start = TEXT.split("\n\n", 1)[1].index(TEXT_WORDS)
    auth.login_as("checker")
    auth.post(f"/articles/{article_id}/claims", data={"start": start, "end": start + len(TEXT_WORDS),
                                                       "exact": TEXT_WORDS, "verdict": "false"})
    db.rollback()
    return db.exec(select(Claim)).one().id


def panel(client, claim_id) -> BeautifulSoup:
    return BeautifulSoup(client.get(f"/claims/{claim_id}", headers={"HX-Request": "true"}).text, "html.parser")


def post(auth, db, path, claim_id, **fields):
    db.rollback()
    version = db.get(Claim, claim_id).version
    return auth.post(path, data={"version": version, **fields},
                     headers={"HX-Request": "true", "X-CSRF-Token": auth.csrf})


def test_archived_on_in_the_page_is_stored_shown_and_exported(client, auth, db, claim_id, api_as):
    form = panel(client, claim_id).select_one("details.add-source form")
    label = form.find("label", string="Archived on")
    date_input = form.find(id=label["for"])
    assert (date_input["name"], date_input["type"]) == ("archived_date", "date")
    # Beside the archived copy's address.
    assert date_input.find_previous("input")["name"] == "archived_url"

    response = post(auth, db, f"/claims/{claim_id}/sources", claim_id, url="https://stats.example/2024",
                    title="Bulletin", archived_url="https://archive.example/2024", archived_date="2024-05-01")
    assert response.status_code == 200
    db.rollback()
    source = db.exec(select(Source)).one()
    assert source.archived_date == datetime(2024, 5, 1, tzinfo=timezone.utc)

    soup = panel(client, claim_id)
    item = soup.select_one(".source-list .source")
    assert "archived on 2024-05-01" in item.select_one(".meta").text
    edit = item.select_one("details.source-edit form")
    assert edit.find(id=edit.find("label", string="Archived on")["for"])["value"] == "2024-05-01"

    anno = api_as("viewer").get(f"/api/annotations/{claim_id}", follow_redirects=True).get_json(force=True)
    body = next(b for b in anno["body"] if b["purpose"] == "linking")
    assert body["state"] == {"type": "TimeState", "cached": "https://archive.example/2024",
                             "sourceDate": "2024-05-01T00:00:00Z"}
    assert_conforms(anno)

    # Changed in the edit form, the date moves, and the history says so in words.
    link = db.exec(select(ClaimSource)).one()
    response = post(auth, db, f"/claims/{claim_id}/sources/{link.id}", claim_id, url="https://stats.example/2024",
                    title="Bulletin", archived_url="https://archive.example/2024", archived_date="2024-05-03")
    assert response.status_code == 200
    db.rollback()
    assert db.exec(select(Source)).one().archived_date == datetime(2024, 5, 3, tzinfo=timezone.utc)
    last = panel(client, claim_id).select(".history .timeline > li")[-1]
    assert " ".join(last.select_one(".changes").get_text("").split()) == "Archived on: 2024-05-01 → 2024-05-03"


def test_saving_the_form_again_keeps_an_archive_time_given_through_the_api(client, auth, db, claim_id, api_as):
    """The page shows the day only; saving the same day again must not wipe the time of day."""
    post(auth, db, f"/claims/{claim_id}/sources", claim_id, url="https://stats.example/2024",
         archived_url="https://archive.example/2024", archived_date="2024-05-01T10:30:00Z")
    db.rollback()
    link = db.exec(select(ClaimSource)).one()
    assert post(auth, db, f"/claims/{claim_id}/sources/{link.id}", claim_id, url="https://stats.example/2024",
                archived_url="https://archive.example/2024", archived_date="2024-05-01",
                excerpt="Now with an excerpt.").status_code == 200
    db.rollback()
    assert db.exec(select(Source)).one().archived_date == datetime(2024, 5, 1, 10, 30, tzinfo=timezone.utc)


def test_an_archived_on_date_that_is_not_a_date_is_refused_and_kept_in_the_form(client, auth, db, claim_id):
    response = post(auth, db, f"/claims/{claim_id}/sources", claim_id, url="https://stats.example/2024",
                    archived_date="first of May")
    assert response.status_code == 422
    form = BeautifulSoup(response.text, "html.parser").select_one("details.add-source")
    assert "archive date must be a date" in form.select_one(".flash-error").text
    assert form.find("input", attrs={"name": "archived_date"})["value"] == "first of May"
    db.rollback()
    assert db.exec(select(Source)).all() == []

