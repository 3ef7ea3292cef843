"""The protocol's HTTP beyond the W3C tests: old IRIs, Prefer on every page, content negotiation,
Link and Allow on every answer, and strong ETags with conditional requests."""

import pytest
from sqlmodel import select

from tests.helpers.api import annotated_article, annotation_for, assert_api_error
from workbench.store.models import Source

TEXT = ("Tolls Headline\n\n"
        "The minister said tolls paid for the bridge twice over since 2009.\n\n"
        "Receipts reached 830 million crowns, the minister said.")
IRIS = 'return=representation;include="http://www.w3.org/ns/oa#PreferContainedIRIs"'
DESCRIPTIONS = 'return=representation;include="http://www.w3.org/ns/oa#PreferContainedDescriptions"'
MINIMAL = 'return=representation;include="http://www.w3.org/ns/ldp#PreferMinimalContainer"'


@pytest.fixture
def app_config():
    return {"ANNOTATION_PAGE_SIZE": 2}


@pytest.fixture
def world(api_as):
    """An article with three annotations (two pages of two), as the checker sees it."""
    return annotated_article(api_as("checker"), TEXT, ("tolls paid", "twice over", "830 million"))


# --- IRIs ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("method, suffix, body", [
    ("GET", "", None), ("PUT", "", {}), ("DELETE", "?reason=Duplicate", None), ("POST", "/review", {"action": "submit"}),
])
def test_old_annotation_iris_answer_308_to_the_iri_inside_the_container(world, method, suffix, body):
    claim_id = world["iris"][0].rsplit("/", 1)[1]
    path, _, query = suffix.partition("?")
    response = world["api"].client.open(f"/api/annotations/{claim_id}{path}" + (f"?{query}" if query else ""),
                                        method=method, json=body, headers=world["api"]._headers({}))
    assert response.status_code == 308
    assert response.headers["Location"] == world["iris"][0] + path + (f"?{query}" if query else "")


def test_an_annotation_is_only_found_in_its_own_container(world, api_as):
    other = world["api"].post("/api/articles", json={"text": "Other\n\nAnother text entirely."}).get_json()
    claim_id = world["iris"][0].rsplit("/", 1)[1]
    assert_api_error(world["api"].get(f"/api/articles/{other['id']}/annotations/{claim_id}"), 404, "not_found")


# --- Prefer -------------------------------------------------------------------------------------

def test_the_container_embeds_iris_descriptions_or_nothing_as_preferred(world):
    api, container = world["api"], world["container"]
    plain = api.get(container)
    assert "Preference-Applied" not in plain.headers
    assert plain.get_json()["first"]["items"][0]["id"] == world["iris"][0]
    iris = api.get(container, headers={"Prefer": IRIS})
    assert iris.headers["Preference-Applied"] == "return=representation"
    assert iris.get_json()["first"]["items"] == world["iris"][:2]
    assert iris.get_json()["first"]["next"].endswith("?iris=1&page=1")
    described = api.get(container, headers={"Prefer": DESCRIPTIONS})
    assert described.headers["Preference-Applied"] == "return=representation"
    assert described.get_json()["first"]["items"][1]["id"] == world["iris"][1]
    minimal = api.get(container, headers={"Prefer": MINIMAL})
    assert minimal.headers["Preference-Applied"] == "return=representation"
    body = minimal.get_json()
    assert body["first"].endswith("?page=0") and body["last"].endswith("?page=1") and body["total"] == 3
    assert len({plain.headers["ETag"], iris.headers["ETag"], minimal.headers["ETag"]}) == 3


@pytest.mark.parametrize("prefer, as_iris", [(IRIS, True), (DESCRIPTIONS, False), (MINIMAL, True), (None, False)])
def test_every_page_takes_the_three_preferences(world, prefer, as_iris):
    for number in (0, 1):
        response = world["api"].get(f"{world['container']}?page={number}",
                                    headers={"Prefer": prefer} if prefer else {})
        assert response.status_code == 200
        assert response.headers.get("Preference-Applied") == ("return=representation" if prefer else None)
        assert "Prefer" in response.headers["Vary"] and response.headers["Content-Location"] == response.json["id"]
        items = response.get_json()["items"]
        expected = world["iris"][2 * number:2 * number + 2]
        assert (items if as_iris else [item["id"] for item in items]) == expected


def test_a_page_of_iris_is_named_by_its_iri(world):
    response = world["api"].get(f"{world['container']}?iris=1&page=1")
    assert response.get_json()["items"] == world["iris"][2:]
    assert response.get_json()["prev"].endswith("?iris=1&page=0")
    assert_api_error(world["api"].get(f"{world['container']}?iris=yes&page=0"), 422, "bad_parameter")


# --- content negotiation ----------------------------------------------------------------------------

@pytest.mark.parametrize("accept, status", [
    ("text/turtle", 406), ("application/rdf+xml, text/html;q=0.9", 406), ("application/ld+json", 200),
    ('application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"', 200), ("application/json", 200),
    ("*/*", 200), ("text/turtle, */*;q=0.1", 200),
])
def test_a_media_type_that_cannot_be_given_is_406(world, accept, status):
    for url in (world["container"], f"{world['container']}?page=1", world["iris"][0]):
        response = world["api"].get(url, headers={"Accept": accept})
        assert response.status_code == status, (url, accept)
        if status == 406:
            error = assert_api_error(response, 406, "not_acceptable")
            assert "application/ld+json" in error["message"]
            assert response.headers["Link"]


# --- Link and Allow everywhere ----------------------------------------------------------------------

def test_options_and_errors_carry_link_and_allow(world, client):
    container, annotation = world["container"], world["iris"][0]
    for response in (client.options(container), client.get(container),  # 401: no token
                     world["api"].post(container, json={"type": "Note"}),  # 400
                     world["api"].post(container, json=dict(annotation_for(world["article"], "tolls"), body=[{}])),
                     world["api"].client.patch(container, headers=world["api"]._headers({}))):  # 405
        assert 'ldp#BasicContainer>; rel="type"' in response.headers["Link"], response.status_code
        assert response.headers["Allow"] == "GET, HEAD, OPTIONS, POST"
    for response in (client.options(annotation), client.get(annotation),
                     world["api"].put(annotation, json={}),  # 428
                     world["api"].get(annotation.rsplit("/", 1)[0] + "/999999"),  # 404
                     world["api"].client.patch(annotation, headers=world["api"]._headers({}))):
        assert response.headers["Link"] == '<http://www.w3.org/ns/ldp#Resource>; rel="type"', response.status_code
        assert response.headers["Allow"] == "GET, HEAD, OPTIONS, PUT, DELETE"
    assert client.options(container).status_code == 200


# --- ETags and conditions ----------------------------------------------------------------------

def test_the_etag_changes_when_a_shared_source_changes(world, db):
    api, url, tag = world["api"], world["iris"][0], world["etags"][0]
    assert api.get(url).headers["ETag"] == tag
    assert api.get(url, headers={"If-None-Match": tag}).status_code == 304
    source = db.exec(select(Source)).first()
    source.title = "Crossings bulletin, corrected"
    db.add(source)
    db.commit()
    fresh = api.get(url, headers={"If-None-Match": tag})
    assert fresh.status_code == 200 and fresh.headers["ETag"] != tag
    assert "Crossings bulletin, corrected" in fresh.text
    assert_api_error(api.put(url, json=annotation_for(world["article"], "tolls paid"), headers={"If-Match": tag}),
                     412, "stale_version")


def test_the_containers_etag_changes_with_what_it_holds(world):
    api, container = world["api"], world["container"]
    tag = api.get(container).headers["ETag"]
    assert api.get(container, headers={"If-None-Match": tag}).status_code == 304
    api.post(container, json=annotation_for(world["article"], "Receipts reached"))
    assert api.get(container, headers={"If-None-Match": tag}).status_code == 200


@pytest.mark.parametrize("form, status", [
    ("{tag}", 304), ("W/{tag}", 304), ('"other", {tag}', 304), ("*", 304), ('"other"', 200), ('W/"other"', 200),
])
def test_if_none_match_takes_weak_tags_lists_and_star(world, form, status):
    tag = world["etags"][0]
    response = world["api"].get(world["iris"][0], headers={"If-None-Match": form.format(tag=tag)})
    assert response.status_code == status
    assert response.headers["ETag"] == tag
    assert (response.data == b"") == (status == 304)


@pytest.mark.parametrize("form, status", [
    ("W/{tag}", 412), ('"other"', 412), ('"other", {tag}', 200), ("*", 200),
])
def test_if_match_needs_the_strong_tag(world, form, status):
    tag = world["etags"][1]
    response = world["api"].put(world["iris"][1], json=annotation_for(world["article"], "twice over", verdict="mixed"),
                                headers={"If-Match": form.format(tag=tag)})
    assert response.status_code == status, response.text
    if status == 412:
        assert_api_error(response, 412, "stale_version")
        assert world["api"].get(world["iris"][1]).headers["ETag"] == tag  # nothing changed


def test_a_get_with_a_stale_if_match_is_412(world):
    assert_api_error(world["api"].get(world["iris"][0], headers={"If-Match": '"other"'}), 412)


def test_canonical_is_kept_and_cannot_change(world):
    api, container = world["api"], world["container"]
    sent = dict(annotation_for(world["article"], "Receipts reached"), canonical="urn:uuid:6f3c2f0e-1",
                id="https://elsewhere.example/annotations/9")
    created = api.post(container, json=sent)
    body = created.get_json()
    assert body["canonical"] == "urn:uuid:6f3c2f0e-1" and body["via"] == "https://elsewhere.example/annotations/9"
    assert api.get(body["id"]).get_json()["canonical"] == "urn:uuid:6f3c2f0e-1"
    changed = dict(body, canonical="urn:uuid:another")
    assert_api_error(api.put(body["id"], json=changed, headers={"If-Match": created.headers["ETag"]}), 422,
                     "canonical_changed")
    assert_api_error(api.post(container, json=dict(sent, canonical="not an iri")), 422, "bad_iri")


def test_the_etag_is_the_same_under_another_name_of_the_site(world):
    url, tag = world["iris"][0], world["etags"][0]
    elsewhere = world["api"].get(url, base_url="https://desk.example:8443")
    assert elsewhere.get_json()["id"].startswith("https://desk.example:8443/api/articles/")
    assert elsewhere.headers["ETag"] == tag
    assert world["api"].get(url, base_url="https://desk.example:8443", headers={"If-None-Match": tag}).status_code == 304
