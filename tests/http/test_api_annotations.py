"""The annotation API: W3C Web Annotation Protocol behaviour, the project's mapping, and errors."""

import pytest

from tests.helpers.api import ApiClient, annotation_for, assert_api_error
from tests.helpers.conformance import assert_conforms

TEXT = ("Tolls Headline\n\n"
        "👍 The minister said tolls paid for the bridge twice over since 2009.\n\n"
        "Receipts reached 830 million crowns, the minister said.")
ANNO_TYPE = 'application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"'


@pytest.fixture
def article(api_as):
    body = api_as("checker").post("/api/articles", json={"text": TEXT}).get_json()
    return body


def test_create_returns_201_location_etag_and_the_mapping(api_as, article):
    api = api_as("checker")
    response = api.post(f"/api/articles/{article['id']}/annotations/",
                        json=annotation_for(article, "tolls paid for the bridge twice over"),
                        headers={"Content-Type": "application/ld+json"})
    assert response.status_code == 201, response.text
    assert response.headers["Content-Type"] == ANNO_TYPE
    assert response.headers["ETag"] and response.headers["Location"] == response.json["id"]
    assert response.json["id"].startswith(f"http://localhost/api/articles/{article['id']}/annotations/")
    anno = response.get_json()
    assert anno["@context"][0] == "http://www.w3.org/ns/anno.jsonld" and anno["@context"][1].endswith("/api/context.jsonld")
    assert anno["motivation"] == "assessing" and anno["reviewStatus"] == "draft"
    bodies = {(b.get("purpose"), b["type"]): b for b in anno["body"]}
    assert bodies[("assessing", "TextualBody")]["value"] == "false"
    assert bodies[("assessing", "TextualBody")]["verdictLabel"] == "False"
    assert bodies[("commenting", "TextualBody")]["format"] == "text/markdown"
    assert bodies[("tagging", "TextualBody")]["value"] == "tolls"
    source = bodies[("linking", "SpecificResource")]
    assert source["source"] == "https://stats.example/bridge-2024" and source["stance"] == "contradicts"
    assert source["state"] == {"type": "TimeState", "cached": "https://archive.example/bridge-2024",
                               "sourceDate": "2024-03-02T10:00:00Z"}
    quote, position = anno["target"]["selector"]
    text = article["revision"]["text"]
    assert text[position["start"]:position["end"]] == quote["exact"] == "tolls paid for the bridge twice over"
    assert quote["prefix"] == text[max(0, position["start"] - 32):position["start"]]
    assert_conforms(anno)


def test_positions_are_code_points_after_an_emoji(api_as, article):
    text = article["revision"]["text"]
    words = "The minister said"
    start = text.index(words)
    assert text[:start].startswith("👍")
    anno = annotation_for(article, words)
    response = api_as("checker").post(f"/api/articles/{article['id']}/annotations/", json=anno)
    assert response.status_code == 201
    assert response.get_json()["target"]["selector"][1]["start"] == start


def test_quote_only_is_located(api_as, article):
    anno = annotation_for(article, "830 million crowns")
    anno["target"]["selector"] = [{"type": "TextQuoteSelector", "exact": "830 million crowns"}]
    response = api_as("checker").post(f"/api/articles/{article['id']}/annotations/", json=anno)
    assert response.status_code == 201
    position = response.get_json()["target"]["selector"][1]
    assert article["revision"]["text"][position["start"]:position["end"]] == "830 million crowns"


def test_collection_paging_and_conformance(api_as, article, app):
    import workbench.web.api.annotations as module

    api = api_as("checker")
    for words in ["tolls", "bridge", "830 million", "minister said tolls", "twice over"]:
        assert api.post(f"/api/articles/{article['id']}/annotations/", json=annotation_for(article, words)).status_code == 201
    original = module.PAGE_SIZE
    module.PAGE_SIZE = 2
    try:
        response = api.get(f"/api/articles/{article['id']}/annotations/")
        collection = response.get_json()
        assert response.headers["Content-Type"] == ANNO_TYPE
        assert 'ldp#BasicContainer>; rel="type"' in response.headers["Link"]
        assert collection["type"] == ["BasicContainer", "AnnotationCollection"] and collection["total"] == 5
        assert collection["id"].endswith("/annotations/")
        first = collection["first"]
        assert first["type"] == "AnnotationPage" and len(first["items"]) == 2 and "prev" not in first
        assert_conforms(collection)
        seen = [a["id"] for a in first["items"]]
        url = first["next"]
        while url:
            page = api.get(url).get_json()
            assert page["partOf"]["id"] == collection["id"] and page["partOf"]["total"] == 5 and page["startIndex"] == len(seen)
            assert_conforms(page)
            for item in page["items"]:
                assert_conforms(item)
            seen += [a["id"] for a in page["items"]]
            url = page.get("next")
        assert len(seen) == len(set(seen)) == 5
        assert page["prev"].endswith("page=1") and collection["last"].endswith("page=2")
        assert_api_error(api.get(f"/api/articles/{article['id']}/annotations/?page=9"), 404)
    finally:
        module.PAGE_SIZE = original


def test_prefer_contained_iris(api_as, article):
    api = api_as("checker")
    api.post(f"/api/articles/{article['id']}/annotations/", json=annotation_for(article, "tolls"))
    response = api.get(f"/api/articles/{article['id']}/annotations/",
                       headers={"Prefer": 'return=representation;include="http://www.w3.org/ns/oa#PreferContainedIRIs"'})
    items = response.get_json()["first"]["items"]
    assert isinstance(items[0], str) and items[0].startswith("http")


def test_get_put_delete_with_etags(api_as, article):
    api = api_as("checker")
    created = api.post(f"/api/articles/{article['id']}/annotations/", json=annotation_for(article, "twice over"))
    url, tag = created.headers["Location"], created.headers["ETag"]
    got = api.get(url)
    assert got.status_code == 200 and got.headers["ETag"] == tag and 'ldp#Resource>; rel="type"' in got.headers["Link"]
    assert api.get(url, headers={"If-None-Match": tag}).status_code == 304

    replacement = annotation_for(article, "twice over", verdict="mostly_false", tags=("bridge", "tolls"), sources=[])
    assert_api_error(api.put(url, json=replacement), 428, "precondition_required")
    updated = api.put(url, json=replacement, headers={"If-Match": tag})
    assert updated.status_code == 200, updated.text
    body = updated.get_json()
    assert [b["value"] for b in body["body"] if b.get("purpose") == "tagging"] == ["bridge", "tolls"]
    assert not [b for b in body["body"] if b.get("purpose") == "linking"]
    assert updated.headers["ETag"] != tag and body["version"] == 2

    assert_api_error(api.put(url, json=replacement, headers={"If-Match": tag}), 412, "stale_version")
    assert_api_error(api.delete(url, headers={"If-Match": tag}), 412)
    assert_api_error(api.delete(url), 428)
    assert api.delete(url, headers={"If-Match": updated.headers["ETag"]}).status_code == 204
    assert_api_error(api.get(url), 410, "withdrawn")  # kept, and says so


def test_put_can_move_the_claim_to_other_words(api_as, article):
    api = api_as("checker")
    created = api.post(f"/api/articles/{article['id']}/annotations/", json=annotation_for(article, "twice over"))
    moved = api.put(created.headers["Location"], json=annotation_for(article, "since 2009"),
                    headers={"If-Match": created.headers["ETag"]})
    assert moved.status_code == 200
    assert moved.get_json()["target"]["selector"][0]["exact"] == "since 2009"


def test_claim_may_span_paragraphs(api_as, article):
    words = "since 2009.\n\nReceipts reached"
    response = api_as("checker").post(f"/api/articles/{article['id']}/annotations/", json=annotation_for(article, words))
    assert response.status_code == 201 and response.get_json()["target"]["selector"][0]["exact"] == words


# --- errors -----------------------------------------------------------------------------------

def test_quote_mismatch_is_422_saying_what_is_there(api_as, article):
    anno = annotation_for(article, "twice over")
    anno["target"]["selector"][0]["exact"] = "three times"
    error = assert_api_error(api_as("checker").post(f"/api/articles/{article['id']}/annotations/", json=anno),
                             422, "quote_mismatch")
    assert "'twice over'" in error["message"] and "'three times'" in error["message"]


@pytest.mark.parametrize("mutate, code", [
    pytest.param(lambda a: a["target"]["selector"][1].update(start=5000, end=5010), "quote_mismatch", id="out_of_bounds"),
    pytest.param(lambda a: a["target"]["selector"][1].update(start=10, end=5), "quote_mismatch", id="reversed_range"),
    pytest.param(lambda a: a["target"]["selector"][1].update(start="3"), "bad_selector", id="string_offset"),
    pytest.param(lambda a: a["target"].update(selector=[{"type": "CssSelector", "value": "p"}]), "bad_selector", id="unsupported_selector"),
    pytest.param(lambda a: a["target"].update(selector=[]), "bad_selector", id="no_selector"),
    pytest.param(lambda a: a["body"][0].update(value="pants_on_fire"), "bad_verdict", id="unknown_verdict"),
    pytest.param(lambda a: a["body"][1].update(value="x" * 20_001), "rationale_too_long", id="oversize_rationale"),
    pytest.param(lambda a: a["body"][-1].update(source="javascript:alert(1)"), "bad_url", id="javascript_source"),
    pytest.param(lambda a: a["body"][-1].update(source="ftp://files.example/x"), "bad_url", id="ftp_source"),
    pytest.param(lambda a: a["body"][-1]["state"].update(cached="file:///etc/passwd"), "bad_url", id="bad_archive_url"),
    pytest.param(lambda a: a["body"][-1].update(stance="agrees"), "bad_stance", id="unknown_stance"),
    pytest.param(lambda a: a["body"].append({"type": "Image", "id": "https://x.example/i.png"}), "bad_body", id="unsupported_body"),
])
def test_invalid_annotations_are_422_and_store_nothing(api_as, article, mutate, code):
    api = api_as("checker")
    anno = annotation_for(article, "twice over")
    mutate(anno)
    assert_api_error(api.post(f"/api/articles/{article['id']}/annotations/", json=anno), 422, code)
    assert api.get(f"/api/articles/{article['id']}/annotations/").get_json()["total"] == 0


@pytest.mark.parametrize("body", [
    pytest.param({"type": "Note"}, id="not_an_annotation"),
    pytest.param([], id="a_list"),
])
def test_malformed_is_400(api_as, article, body):
    assert_api_error(api_as("checker").post(f"/api/articles/{article['id']}/annotations/", json=body), 400)


def test_roles(api_as, article):
    viewer, checker, editor = api_as("viewer"), api_as("checker"), api_as("editor")
    assert_api_error(viewer.post(f"/api/articles/{article['id']}/annotations/",
                                 json=annotation_for(article, "twice over")), 403)
    created = checker.post(f"/api/articles/{article['id']}/annotations/", json=annotation_for(article, "twice over"))
    url, tag = created.headers["Location"], created.headers["ETag"]
    assert viewer.get(url).status_code == 200
    assert_api_error(viewer.put(url, json=annotation_for(article, "twice over"), headers={"If-Match": tag}), 403)
    # Another checker may not edit it; an editor may.
    assert editor.put(url, json=annotation_for(article, "twice over", verdict="mixed"),
                      headers={"If-Match": tag}).status_code == 200


def test_other_checker_cannot_edit(app, api_as, article, client):
    from workbench.services.accounts import create_token
    from workbench.services.users import create_user
    from workbench.store.db import get_session

    checker = api_as("checker")
    created = checker.post(f"/api/articles/{article['id']}/annotations/", json=annotation_for(article, "twice over"))
    with app.app_context():
        other = create_user(get_session(), username="other", password="password-x", role="checker")
        token = create_token(get_session(), other)
    response = ApiClient(client, token).put(created.headers["Location"], json=annotation_for(article, "twice over"),
                                            headers={"If-Match": created.headers["ETag"]})
    assert_api_error(response, 403)


def test_unknown_article_and_annotation_are_404(api_as):
    api = api_as("viewer")
    assert_api_error(api.get("/api/articles/99/annotations/"), 404)
    assert_api_error(api.get("/api/annotations/99"), 404)
    assert_api_error(api.get("/api/articles/99/annotations/1"), 404)


def test_context_document_defines_the_extension_terms(client):
    context = client.get("/api/context.jsonld").get_json()["@context"]
    for term in ("reviewStatus", "verdictLabel", "stance", "excerpt", "title", "publisher", "datePublished"):
        assert term in context
