"""Reading an article's claims through its container: pages made by the export's loader and kept
under their claims' stamps, 304s answered from the stamps, larger pages, and gzip."""

import gzip

import pytest

from tests.helpers.api import annotated_article, assert_api_error
from workbench.memo import forget_everything
from workbench.services.exports import data as export_data
from workbench.services.exports import w3c

TEXT = ("Tolls Headline\n\n"
        "The minister said tolls paid for the bridge twice over since 2009.\n\n"
        "Receipts reached 830 million crowns, the minister said.")
WORDS = ("tolls paid", "twice over", "830 million", "Receipts reached", "the bridge")


@pytest.fixture
def app_config():
    return {"ANNOTATION_PAGE_SIZE": 2}


@pytest.fixture
def world(api_as):
    """An article with five annotations (three pages of two), as the checker sees it."""
    return annotated_article(api_as("checker"), TEXT, WORDS)


@pytest.fixture
def made(monkeypatch):
    """How many times a container document was made: loader calls and annotations presented."""
    counts = {"loads": 0, "annotations": 0}
    load, present = export_data.load_annotated, w3c.annotation

    def counting_load(*args, **kwargs):
        counts["loads"] += 1
        return load(*args, **kwargs)

    def counting_present(*args, **kwargs):
        counts["annotations"] += 1
        return present(*args, **kwargs)

    monkeypatch.setattr(export_data, "load_annotated", counting_load)
    monkeypatch.setattr(w3c, "annotation", counting_present)
    return counts


def test_a_page_describes_each_annotation_as_its_own_iri_does(world):
    api = world["api"]
    page = api.get(world["container"] + "?page=0&limit=5").get_json()
    assert [item["id"] for item in page["items"]] == world["iris"]
    assert page["items"] == [api.get(iri).get_json() for iri in world["iris"]]


@pytest.mark.parametrize("query", ["", "?page=1", "?page=0&iris=1"])
def test_a_conditional_get_answers_304_from_the_stamps_without_making_the_page(world, made, query):
    api, url = world["api"], world["container"] + query
    tag = api.get(url).headers["ETag"]
    forget_everything()  # nothing kept: a 304 must come from the stamps alone
    made.update(loads=0, annotations=0)
    again = api.get(url, headers={"If-None-Match": tag})
    assert again.status_code == 304 and again.headers["ETag"] == tag and not again.data
    assert made == {"loads": 0, "annotations": 0}


def test_a_page_read_again_is_kept_and_made_again_once_a_claim_changes(world, made):
    api, url = world["api"], world["container"] + "?page=0"
    first = api.get(url)
    made.update(loads=0, annotations=0)
    second = api.get(url)
    assert second.data == first.data and second.headers["ETag"] == first.headers["ETag"]
    assert made == {"loads": 0, "annotations": 0}

    iri = world["iris"][0]
    changed = dict(api.get(iri).get_json(), body=[{"type": "TextualBody", "purpose": "assessing", "value": "true"}])
    assert api.put(iri, json=changed, headers={"If-Match": api.get(iri).headers["ETag"]}).status_code == 200
    stale = api.get(url, headers={"If-None-Match": first.headers["ETag"]})
    assert stale.status_code == 200 and stale.headers["ETag"] != first.headers["ETag"]
    assert stale.get_json()["items"][0]["version"] == 2
    assert made["loads"] == 1


def test_a_page_holds_as_many_annotations_as_limit_asks(world):
    api = world["api"]
    page = api.get(world["container"] + "?page=0&limit=3").get_json()
    assert len(page["items"]) == 3 and page["next"].endswith("page=1") and "limit=3" in page["next"]
    last = api.get(page["next"]).get_json()
    assert len(last["items"]) == 2 and "next" not in last
    container = api.get(world["container"] + "?limit=1000").get_json()
    assert len(container["first"]["items"]) == 5 and container["total"] == 5


@pytest.mark.parametrize("limit", ["0", "1001", "abc", "-1"])
def test_a_limit_out_of_bounds_is_refused_naming_it(world, limit):
    response = world["api"].get(world["container"] + f"?page=0&limit={limit}")
    assert_api_error(response, 422, "bad_parameter")
    assert "limit must be a whole number from 1 to 1000" in response.get_json()["error"]["message"]


def test_a_page_past_the_last_at_its_limit_is_not_found(world):
    assert_api_error(world["api"].get(world["container"] + "?page=1&limit=5"), 404, "not_found")


# --- compression --------------------------------------------------------------------------------

def test_json_is_gzipped_when_the_client_accepts_it(world):
    api, url = world["api"], world["container"] + "?page=0&limit=5"
    plain = api.get(url)
    zipped = api.get(url, headers={"Accept-Encoding": "gzip, deflate"})
    assert "Content-Encoding" not in plain.headers and "Accept-Encoding" in plain.headers["Vary"]
    assert zipped.headers["Content-Encoding"] == "gzip" and "Accept-Encoding" in zipped.headers["Vary"]
    assert gzip.decompress(zipped.data) == plain.data and len(zipped.data) < len(plain.data) / 2
    assert zipped.headers["ETag"] == plain.headers["ETag"][:-1] + '-gzip"'


def test_either_tag_of_a_representation_answers_a_conditional_get(world):
    api, url = world["api"], world["container"]
    zipped = api.get(url, headers={"Accept-Encoding": "gzip"})
    plain = api.get(url)
    for held in (zipped.headers["ETag"], plain.headers["ETag"]):
        again = api.get(url, headers={"Accept-Encoding": "gzip", "If-None-Match": held})
        assert again.status_code == 304 and again.headers["ETag"] == held


def test_a_gzipped_annotations_tag_can_change_it(world):
    api, iri = world["api"], world["iris"][0]
    got = api.get(iri, headers={"Accept-Encoding": "gzip"})
    body = api.get(iri).get_json()
    tag = got.headers["ETag"]
    assert got.headers["Content-Encoding"] == "gzip" and tag.endswith('-gzip"')
    assert api.put(iri, json=body, headers={"If-Match": tag}).status_code == 200
    assert_api_error(api.put(iri, json=body, headers={"If-Match": tag}), 412)


def test_a_compressed_answer_kept_shows_each_change(world):
    """Compressed bodies are kept by their strong tag: read again, the same bytes; after an edit,
    the compressed answer is the edited one."""
    api, url, iri = world["api"], world["container"] + "?page=0&limit=5", world["iris"][0]
    zipped = {"Accept-Encoding": "gzip"}
    first, again = api.get(url, headers=zipped), api.get(url, headers=zipped)
    assert first.headers["Content-Encoding"] == "gzip" and again.data == first.data
    body = api.get(iri).get_json()
    verdict = next(b for b in body["body"] if b.get("purpose") == "assessing")
    verdict["value"] = "mostly_true"
    assert api.put(iri, json=body, headers={"If-Match": api.get(iri).headers["ETag"]}).status_code == 200
    after = api.get(url, headers=zipped)
    shown = gzip.decompress(after.data)
    assert shown == api.get(url).data and shown != gzip.decompress(first.data)
    assert b"mostly_true" in shown and b"mostly_true" not in gzip.decompress(first.data)
    assert after.headers["ETag"] != first.headers["ETag"]


def test_small_answers_are_not_compressed(world):
    response = world["api"].get(world["container"] + "?page=0&iris=1&limit=1", headers={"Accept-Encoding": "gzip"})
    assert len(response.data) < 1024 and "Content-Encoding" not in response.headers


def test_a_page_shows_a_shared_source_changed_through_another_claim(app, world, api_as, users):
    """A page is kept under its claims' stamps and the values of the rows it shows besides: a
    source its claim shares with another, changed everywhere through that other claim, is shown
    changed on the page that was kept."""
    from sqlmodel import select

    from workbench.services.claims import update_source
    from workbench.services.schemas import SourceInput
    from workbench.store.db import get_session
    from workbench.store.models import Claim, ClaimSource, User

    api, page = world["api"], world["container"] + "?page=0&limit=1"
    first = api.get(page)
    assert first.get_json()["items"][0]["body"][-1]["title"] == "Crossings bulletin"
    assert api.get(page).headers["ETag"] == first.headers["ETag"]  # kept
    with app.test_request_context():
        db = get_session()
        other = db.get(Claim, int(world["iris"][-1].rstrip("/").rsplit("/", 1)[1]))
        link = db.exec(select(ClaimSource).where(ClaimSource.claim_id == other.id)).one()
        update_source(db, claim=other, actor=db.get(User, users["editor"].id), link_id=link.id,
                      expected_version=other.version, everywhere=True,
                      data=SourceInput(url="https://stats.example/bridge-2024", title="Crossings bulletin, revised",
                                       stance="contradicts"))
    again = api.get(page)
    assert again.get_json()["items"][0]["body"][-1]["title"] == "Crossings bulletin, revised"
    assert again.headers["ETag"] != first.headers["ETag"]
