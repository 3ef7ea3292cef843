"""``/api/search``: annotations across articles by words, verdict, status, tag, checker, article
and dates, paged like the containers; every parameter checked."""

from datetime import datetime, timezone

import pytest

from tests.helpers.api import annotation_for, assert_api_error
from workbench.store.models import Claim

BRIDGE = ("Tolls Headline\n\n"
          "The minister said tolls paid for the bridge twice over since 2009.\n\n"
          "Receipts reached 830 million crowns, the minister said.")
HARBOUR = ("Harbour Headline\n\n"
           "The harbour fee doubled in 2021, the council said.\n\n"
           "Ferry crossings fell by a third while the fee stood.")


@pytest.fixture
def found(api_as, db):
    """Five claims on two articles by two checkers; one withdrawn, one dated last year."""
    checker, editor = api_as("checker"), api_as("editor")
    bridge = checker.post("/api/articles", json={"text": BRIDGE}).get_json()
    harbour = checker.post("/api/articles", json={"text": HARBOUR}).get_json()

    def make(api, article, words, **kw):
        response = api.post(f"/api/articles/{article['id']}/annotations/", json=annotation_for(article, words, **kw))
        assert response.status_code == 201, response.text
        return response

    claims = {
        "tolls": make(checker, bridge, "tolls paid", verdict="false", tags=("tolls", "bridge")),
        "receipts": make(checker, bridge, "830 million crowns", verdict="mostly_true", tags=("toll",)),
        "fee": make(editor, harbour, "harbour fee doubled", verdict="false", tags=('say "when"', "été")),
        "ferry": make(checker, harbour, "Ferry crossings fell", verdict="mixed", tags=()),
        "gone": make(checker, harbour, "the council said", verdict="false", tags=("tolls",)),
    }
    assert checker.delete(claims["gone"].headers["Location"],
                          headers={"If-Match": claims["gone"].headers["ETag"]}).status_code == 204
    assert editor.post(claims["tolls"].headers["Location"] + "/review", json={"action": "submit"}).status_code == 200
    old = db.get(Claim, int(claims["ferry"].headers["Location"].rsplit("/", 1)[1]))
    old.created = datetime(2025, 6, 30, 23, 30, tzinfo=timezone.utc)
    db.add(old)
    db.commit()
    return {"api": api_as("viewer"), "bridge": bridge, "harbour": harbour,
            "iri": {name: r.headers["Location"] for name, r in claims.items()}}


def ids(found, query: str) -> list[str]:
    response = found["api"].get(f"/api/search?{query}")
    assert response.status_code == 200, response.text
    iri = {v: k for k, v in found["iri"].items()}
    return [iri[item["id"]] for item in response.get_json()["items"]]


FILTERS = [
    ("", ["tolls", "receipts", "fee", "ferry"]),
    ("q=MILLION", ["receipts"]),
    ("q=830m", ["tolls", "receipts", "fee", "ferry"]),  # every rationale says "830m"
    ("q=harbour", ["fee"]),
    ("q=100%25", []),  # % is a character, not a wildcard
    ("verdict=false", ["tolls", "fee"]),
    ("status=in_review", ["tolls"]),
    ("status=draft&verdict=false", ["fee"]),
    ("tag=tolls", ["tolls"]),  # not "toll", and not the withdrawn claim
    ("tag=toll", ["receipts"]),
    ("tag=bridge", ["tolls"]),
    ('tag=say "when"', ["fee"]),
    ("tag=when", []),
    ("tag=été", ["fee"]),
    ("checker=editor", ["fee"]),
    ("checker=nobody", []),
    ("from=2025-06-30&to=2025-06-30", ["ferry"]),
    ("to=2025-12-31", ["ferry"]),
    ("from=2025-07-01", ["tolls", "receipts", "fee"]),
    ("from=2025-06-30T00:00:00Z", ["tolls", "receipts", "fee", "ferry"]),
]


def test_each_filter_finds_what_it_names(found):
    # One world for the whole table: building it is most of the time.
    for query, expected in FILTERS:
        assert ids(found, query) == expected, query


def test_article_filter(found):
    assert ids(found, f"article={found['harbour']['id']}") == ["fee", "ferry"]
    assert ids(found, f"article={found['bridge']['id']}&tag=toll") == ["receipts"]


def test_results_are_paged_like_the_containers(found):
    api = found["api"]
    first = api.get("/api/search?limit=3").get_json()
    assert first["type"] == "AnnotationPage" and first["startIndex"] == 0 and first["partOf"]["total"] == 4
    assert first["id"].endswith("/api/search?limit=3&offset=0") and "prev" not in first
    assert [item["@context"] for item in first["items"]]
    second = api.get(first["next"]).get_json()
    assert second["startIndex"] == 3 and len(second["items"]) == 1 and "next" not in second
    assert second["prev"] == first["id"]
    iris = api.get("/api/search?verdict=false",
                   headers={"Prefer": 'return=representation;include="http://www.w3.org/ns/oa#PreferContainedIRIs"'})
    assert iris.get_json()["items"] == [found["iri"]["tolls"], found["iri"]["fee"]]
    assert iris.headers["Preference-Applied"] == "return=representation"
    assert api.get("/api/search?verdict=false").get_json()["partOf"]["id"].endswith(
        "/api/search?verdict=false")


def test_a_search_answer_is_conditional(found):
    api = found["api"]
    tag = api.get("/api/search?q=tolls").headers["ETag"]
    assert api.get("/api/search?q=tolls", headers={"If-None-Match": tag}).status_code == 304


BAD = [
    ("limit=abc", "limit"), ("limit=-1", "limit"), ("limit=0", "limit"), ("limit=1001", "limit"),
    ("limit=1.5", "limit"), ("offset=-3", "offset"), ("offset=x", "offset"), ("offset=1e3", "offset"),
    ("verdict=pants_on_fire", "verdict"), ("status=published", "status"), ("from=yesterday", "from"),
    ("to=2025-02-30", "to"), ("from=2025-03-02&to=2025-03-01", "from"), ("article=abc", "article"),
    ("q=" + "x" * 201, "q"), ("colour=red", "colour"),
]


def test_bad_parameters_are_422_naming_them(api_as):
    api = api_as("viewer")
    for query, name in BAD:
        error = assert_api_error(api.get(f"/api/search?{query}"), 422, "bad_parameter")
        assert name in error["message"], query


def test_search_needs_a_token(client):
    response = client.get("/api/search?q=tolls")
    assert_api_error(response, 401)
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
