"""CORS: the API answers pages on the origins ``CORS_ORIGINS`` lists, and no others; pages never."""

import pytest

from tests.helpers.api import annotation_for
from tests.helpers.apps import make_test_app

DESK = "https://desk.example"
PREFLIGHT = {"Origin": DESK, "Access-Control-Request-Method": "PUT",
             "Access-Control-Request-Headers": "authorization, content-type, if-match"}


@pytest.fixture
def app_config():
    return {"CORS_ORIGINS": f"{DESK}, http://127.0.0.1:8001"}


def test_a_preflight_from_an_allowed_origin_is_answered_without_a_token(client):
    response = client.options("/api/articles/1/annotations/1", headers=PREFLIGHT)
    assert response.status_code == 204
    assert response.headers["Access-Control-Allow-Origin"] == DESK
    assert "PUT" in response.headers["Access-Control-Allow-Methods"]
    allowed = {h.strip().lower() for h in response.headers["Access-Control-Allow-Headers"].split(",")}
    assert {"authorization", "content-type", "if-match", "if-none-match", "prefer"} <= allowed
    assert "Origin" in response.headers["Vary"]
    assert "Access-Control-Allow-Credentials" not in response.headers  # tokens, never cookies


def test_an_actual_request_exposes_etag_location_and_link(api_as):
    api = api_as("checker")
    article = api.post("/api/articles", json={"text": "Tolls\n\nThe tolls paid for the bridge."},
                       headers={"Origin": DESK}).get_json()
    created = api.post(f"/api/articles/{article['id']}/annotations/", json=annotation_for(article, "tolls paid"),
                       headers={"Origin": "http://127.0.0.1:8001"})
    assert created.status_code == 201
    assert created.headers["Access-Control-Allow-Origin"] == "http://127.0.0.1:8001"
    exposed = {h.strip() for h in created.headers["Access-Control-Expose-Headers"].split(",")}
    assert {"ETag", "Location", "Link"} <= exposed
    error = api.get("/api/articles/999", headers={"Origin": DESK})  # errors too: the script can read why
    assert error.status_code == 404 and error.headers["Access-Control-Allow-Origin"] == DESK


@pytest.mark.parametrize("origin", ["https://evil.example", "https://desk.example.evil", "http://desk.example",
                                    "null"])
def test_other_origins_get_no_cors_headers(client, origin):
    response = client.options("/api/articles", headers=dict(PREFLIGHT, Origin=origin))
    assert "Access-Control-Allow-Origin" not in response.headers
    assert "Access-Control-Allow-Methods" not in response.headers
    assert "Access-Control-Allow-Origin" not in client.get("/api/articles", headers={"Origin": origin}).headers


def test_pages_are_never_shared(client):
    for path in ("/login", "/articles", "/healthz"):
        response = client.get(path, headers={"Origin": DESK})
        assert "Access-Control-Allow-Origin" not in response.headers, path
    assert "Access-Control-Allow-Origin" not in client.options("/login", headers=PREFLIGHT).headers


def test_off_by_default_and_set_from_the_environment(database_url, tmp_path, monkeypatch):
    plain = make_test_app(database_url, tmp_path / "one").test_client()
    assert "Access-Control-Allow-Origin" not in plain.options("/api/articles", headers=PREFLIGHT).headers
    assert "Origin" not in plain.get("/api/articles", headers={"Origin": DESK}).headers.get("Vary", "")
    monkeypatch.setenv("WORKBENCH_CORS_ORIGINS", "https://other.example *")
    anyone = make_test_app(database_url, tmp_path / "two").test_client()
    response = anyone.options("/api/articles", headers=PREFLIGHT)
    assert response.status_code == 204 and response.headers["Access-Control-Allow-Origin"] == DESK
