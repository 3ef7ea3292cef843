"""The API's OpenAPI 3.1 description (``/api/openapi.json``) and its docs page (``/api/docs``).

The description must be valid OpenAPI 3.1, describe every API route the app has, take its request
bodies from the models that validate them, and describe what the API really answers: a walk through
an annotation's whole life checks each answer against it (Schemathesis, in test_schemathesis.py,
adds requests drawn from the description itself).
"""

from __future__ import annotations

import re

from bs4 import BeautifulSoup
from openapi_spec_validator import validate

from tests.helpers.api import annotation_for
from tests.helpers.openapi import assert_described
from workbench.services.schemas import ArticleImport, ClaimFields
from workbench.text import claim_fields
from workbench.web.api.openapi import openapi_path
from workbench.web.static_assets import asset_integrity

TEXT = ("Tolls Headline\n\n"
        "The minister said tolls paid for the bridge twice over since 2009.\n\n"
        "Receipts reached 830 million crowns, the minister said.")


def undescribed(app, description: dict) -> list[str]:
    """The API routes of ``app`` (method and rule) the description leaves out."""
    missing = []
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/"):
            continue
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            if method.lower() not in description["paths"].get(openapi_path(rule.rule), {}):
                missing.append(f"{method} {rule.rule}")
    return missing


def test_the_description_is_valid_openapi_3_1_and_public(client):
    response = client.get("/api/openapi.json")
    assert response.status_code == 200 and response.mimetype == "application/json"
    description = response.get_json()
    assert description["openapi"] == "3.1.0"
    validate(description)  # raises on anything OpenAPI 3.1 does not allow
    assert description["components"]["securitySchemes"]["bearer"] == {
        "type": "http", "scheme": "bearer", "description": "An API token: `Authorization: Bearer <token>`."}


def test_every_api_route_is_described_and_a_new_one_is_caught(app, client):
    # A route added without a description: it is named, and only it.
    app.add_url_rule("/api/unlisted/<int:thing>", "unlisted", lambda thing: "", methods=["GET", "POST"])
    description = client.get("/api/openapi.json").get_json()
    assert undescribed(app, description) == ["GET /api/unlisted/<int:thing>", "POST /api/unlisted/<int:thing>"]
    assert "/api/unlisted/{thing}" not in description["paths"]
    assert openapi_path("/api/articles/<int:article_id>/revisions/<int:number>") == (
        "/api/articles/{article_id}/revisions/{number}")


def test_request_bodies_are_the_validating_models(client):
    description = client.get("/api/openapi.json").get_json()
    schemas = description["components"]["schemas"]
    assert schemas["ArticleImport"] == ArticleImport.model_json_schema(ref_template="#/components/schemas/{model}")
    assert schemas["ArticleImport"]["properties"]["title"]["anyOf"][0]["maxLength"] == 500
    assert set(schemas["ClaimFields"]["properties"]) == {f.name for f in claim_fields.declared()} == set(
        ClaimFields.model_fields)
    body = description["paths"]["/api/articles"]["post"]["requestBody"]["content"]
    model, exactly_one = body["application/json"]["schema"]["allOf"]
    assert model == {"$ref": "#/components/schemas/ArticleImport"}
    assert [branch["required"] for branch in exactly_one["oneOf"]] == [["text"], ["html"], ["url"]]
    purposes = schemas["TextualBody"]["properties"]["purpose"]["enum"]
    assert purposes == [f.w3c_purpose for f in claim_fields.declared() if f.w3c_purpose]


def test_what_the_description_secures_needs_a_token_and_the_rest_is_public(client, users):
    description = client.get("/api/openapi.json").get_json()
    public = []
    for path, operations in description["paths"].items():
        url = re.sub(r"\{[^}]+\}", "1", path)
        for method, operation in operations.items():
            response = client.open(url, method=method.upper())
            secured = operation.get("security", description["security"]) != []
            assert response.status_code == 401 if secured else response.status_code == 200, (method, path)
            assert_described(description, path, method, response)
            if not secured:
                public.append(f"{method.upper()} {path}")
    assert sorted(public) == ["GET /api/context.jsonld", "GET /api/docs", "GET /api/openapi.json"]


def test_an_annotations_life_answers_as_described(api_as, client):
    description = client.get("/api/openapi.json").get_json()
    checker, editor = api_as("checker"), api_as("editor")

    def check(path, method, response, status):
        assert response.status_code == status, response.text
        assert_described(description, path, method, response)
        return response

    made = check("/api/articles", "post", checker.post("/api/articles", json={"text": TEXT}), 201).get_json()
    article = f"/api/articles/{made['id']}"
    page = ("<html><body><article><h1>Raw</h1><p>The page itself, sent as the body of the request.</p>"
            "</article></body></html>")
    check("/api/articles", "post", checker.post("/api/articles?title=Raw", data=page.encode(),
                                                content_type="text/html; charset=utf-8"), 201)
    assert "text/html" in description["paths"]["/api/articles"]["post"]["requestBody"]["content"]
    check("/api/articles", "get", checker.get("/api/articles?limit=5"), 200)
    check("/api/articles/{article_id}", "get", checker.get(article), 200)
    check("/api/articles/{article_id}", "get", checker.get(f"{article}?fields=title,revision.sha256"), 200)
    check("/api/articles/{article_id}", "get", checker.get(f"{article}?fields=words"), 422)
    check("/api/articles/{article_id}/revisions/{number}", "get", checker.get(f"{article}/revisions/1"), 200)
    container = f"{article}/annotations/"
    check("/api/articles/{article_id}/annotations/", "get", checker.get(container), 200)

    created = check("/api/articles/{article_id}/annotations/", "post", checker.post(
        container, json=annotation_for(made, "tolls paid for the bridge twice over")), 201)
    iri = created.headers["Location"].removeprefix("http://localhost")
    # The annotation's own path, in whichever place the app has it.
    path = re.sub(r"/\d+$", "/{annotation_id}", re.sub(r"^/api/articles/\d+", "/api/articles/{article_id}", iri))
    check(path, "get", checker.get(iri), 200)
    check(path, "get", checker.get(iri, headers={"If-None-Match": created.headers["ETag"]}), 304)
    check("/api/articles/{article_id}/annotations/", "get", checker.get(container), 200)
    check("/api/articles/{article_id}/annotations/", "get", checker.get(f"{container}?page=0", headers={
        "Prefer": 'return=representation; include="http://www.w3.org/ns/oa#PreferContainedIRIs"'}), 200)
    replaced = check(path, "put", checker.put(iri, json=annotation_for(made, "830 million crowns"),
                                              headers={"If-Match": created.headers["ETag"]}), 200)
    check(path, "put", checker.put(iri, json=annotation_for(made, "830 million crowns"),
                                   headers={"If-Match": created.headers["ETag"]}), 412)
    check(path, "put", checker.put(iri, json=annotation_for(made, "830 million crowns")), 428)
    check("/api/articles/{article_id}/annotations/", "get", checker.get(f"{container}?page=0&limit=1000"), 200)
    check("/api/articles/{article_id}/annotations/", "get", checker.get(f"{container}?page=0&limit=1001"), 422)
    limits = {p["name"]: p["schema"] for p in description["paths"]["/api/articles/{article_id}/annotations/"]["get"]
              ["parameters"]}
    assert limits["limit"] == {"type": "integer", "minimum": 1, "maximum": 1000}
    check(path + "/review", "post", checker.post(iri + "/review", json={"action": "submit"}), 200)
    check(path + "/review", "post", checker.post(iri + "/review", json={"action": "submit"}), 409)
    check(path + "/review", "post", editor.post(iri + "/review", json={"action": "approve"}), 200)
    for fmt in ("jsonld", "claimreview", "csv", "md", "html"):
        check("/api/articles/{article_id}/export", "get", checker.get(f"{article}/export?format={fmt}"), 200)
    creator = replaced.get_json()["creator"]["id"].removeprefix("http://localhost")
    check("/api/users/{user_id}", "get", checker.get(creator), 200)
    check("/api/context.jsonld", "get", client.get("/api/context.jsonld"), 200)

    draft = check("/api/articles/{article_id}/annotations/", "post", checker.post(
        container, json=annotation_for(made, "Receipts reached")), 201)
    draft_iri = draft.headers["Location"].removeprefix("http://localhost")
    check(path, "delete", checker.delete(draft_iri, headers={"If-Match": draft.headers["ETag"]}), 204)
    check(path, "get", checker.get(draft_iri), 410)

    # Errors are described too, in the error shape.
    check("/api/articles/{article_id}", "get", client.get(article), 401)
    check("/api/articles/{article_id}", "get", checker.get("/api/articles/999999"), 404)
    check("/api/articles", "get", checker.get("/api/articles?limit=abc"), 422)
    check("/api/articles/{article_id}/annotations/", "post", api_as("viewer").post(
        container, json=annotation_for(made, "Receipts reached")), 403)
    check("/api/articles/{article_id}/annotations/", "post", checker.post(container, json={"type": "Note"}), 400)


def test_docs_page_loads_the_vendored_swagger_ui_with_integrity(client):
    response = client.get("/api/docs")
    assert response.status_code == 200 and response.mimetype == "text/html"
    assert "'unsafe-inline'" not in response.headers["Content-Security-Policy"]
    soup = BeautifulSoup(response.text, "html.parser")
    assert soup.find(id="api-docs")["data-description"] == "/api/openapi.json"
    scripts = soup.find_all("script")
    assert all(script.get("src") and not script.string for script in scripts)  # no inline script
    vendored = [tag for tag in [*scripts, *soup.find_all("link", rel="stylesheet")]
                if "/vendor/swagger-ui/" in (tag.get("src") or tag.get("href"))]
    assert len(vendored) == 2
    for tag in vendored:
        url = tag.get("src") or tag.get("href")
        assert tag["integrity"] == asset_integrity(url.removeprefix("/static/"))
        served = client.get(url)
        assert served.status_code == 200
        served.close()
