"""``/api/articles``: import, list, read, and every error path with its shape."""

import pytest

from tests.helpers.api import assert_api_error
from tests.helpers.apps import shared_path

MESSY = """Council Doubles Road Budget

Share this story

facebook

The council voted on Tuesday to double the road maintenance budget to 40 million crowns.

Opposition members said the money would be better spent on buses.

RECENT NEWS

Other Story Headline

A teaser for another story that goes on and on... Read more
"""


def test_import_text_cleans_and_returns_location(api_as):
    api = api_as("checker")
    response = api.post("/api/articles", json={"text": MESSY, "publisher": "Gazette"})
    assert response.status_code == 201
    body = response.get_json()
    assert response.headers["Location"].endswith(f"/api/articles/{body['id']}")
    assert body["title"] == "Council Doubles Road Budget"
    assert body["revision"]["text"] == (
        "The council voted on Tuesday to double the road maintenance budget to 40 million crowns.\n\n"
        "Opposition members said the money would be better spent on buses."
    )
    assert body["revision"]["publisher"] == "Gazette"
    assert len(body["revision"]["sha256"]) == 64
    # The Location header leads to the same article.
    again = api.get(response.headers["Location"])
    assert again.status_code == 200 and again.get_json()["revision"]["text"] == body["revision"]["text"]


def test_import_html_uses_extractor_metadata(api_as):
    paragraphs = "".join(f"<p>Paragraph {i} reports that the council spent {i} million crowns on the harbour "
                         f"walls, according to the audit office.</p>" for i in range(1, 6))
    html = (f'<html lang="en"><head><title>Harbour walls audit</title><meta name="author" content="Ana Lima">'
            f'<meta property="article:published_time" content="2024-05-02T09:00:00Z"></head><body>'
            f'<nav><a href="/">Home</a> | <a href="/news">News</a> | <a href="/sport">Sport</a></nav>'
            f'<article><h1>Harbour walls audit</h1>{paragraphs}</article>'
            f'<footer>Copyright 2024 Example News</footer></body></html>')
    response = api_as("checker").post("/api/articles", json={"html": html})
    assert response.status_code == 201, response.text
    revision = response.get_json()["revision"]
    assert revision["title"] == "Harbour walls audit"
    assert revision["byline"] == "Ana Lima" and revision["published"] == "2024-05-02"
    assert revision["text"].count("\n\n") == 4 and "Home" not in revision["text"]


def test_import_by_url(api_as, site):
    url = site.route("/story.txt", MESSY, content_type="text/plain; charset=utf-8")
    response = api_as("checker").post("/api/articles", json={"url": url})
    assert response.status_code == 201, response.text
    body = response.get_json()
    assert body["source_url"] == url and body["revision"]["origin"] == url


def test_title_given_wins(api_as):
    body = api_as("checker").post("/api/articles", json={"text": MESSY, "title": "My title"}).get_json()
    assert body["title"] == "My title"


def test_list_newest_first_and_search(api_as):
    api = api_as("checker")
    for title in ("Alpha story", "Beta story", "Gamma report"):
        assert api.post("/api/articles", json={"text": "Some paragraph of text here.", "title": title}).status_code == 201
    listing = api.get("/api/articles").get_json()
    assert [a["title"] for a in listing["items"]] == ["Gamma report", "Beta story", "Alpha story"]
    assert listing["total"] == 3
    found = api.get("/api/articles?q=STORY").get_json()
    assert [a["title"] for a in found["items"]] == ["Beta story", "Alpha story"]


def test_viewer_may_read(api_as, make_article):
    article_id = make_article()
    assert api_as("viewer").get(f"/api/articles/{article_id}").status_code == 200


def test_sample_article_through_the_api(api_as):
    raw = shared_path("samples", "hk-trafficking-response.txt").read_text(encoding="utf-8")
    body = api_as("checker").post("/api/articles", json={"text": raw}).get_json()
    assert body["title"] == "US Report On Human Trafficking In Hong Kong 'biased'"
    assert body["revision"]["published"] == "2022-07-20"
    assert body["revision"]["text"].startswith("The government on Wednesday objected")
    assert body["revision"]["text"].endswith("it added.")


# --- errors -----------------------------------------------------------------------------------

def test_no_token_is_401(client, users):
    assert_api_error(client.get("/api/articles"), 401, "unauthenticated")


def test_bad_token_is_401(client, users):
    response = client.get("/api/articles", headers={"Authorization": "Bearer wbt_not-a-token"})
    assert "not valid" in assert_api_error(response, 401)["message"]


def test_session_cookie_is_not_enough_for_the_api(client, auth):
    auth.login_as("admin")
    assert_api_error(client.get("/api/articles"), 401)


def test_no_api_answer_sets_a_cookie(client, auth, api_as):
    """Bearer tokens only: whatever the request (signed-in browser, token, error), no answer sets a
    cookie, and the browser's page session is left as it was."""
    auth.login_as("admin")
    api = api_as("checker")
    for response in (api.get("/api/articles"), api.post("/api/articles", json={"text": "Headline\n\nWords."}),
                     client.get("/api/articles"), client.get("/api/no-such-thing"),
                     client.post("/api/articles", data="x", headers={"Authorization": f"Bearer {api.token}"})):
        assert "Set-Cookie" not in response.headers
    assert client.get("/articles").status_code == 200  # still signed in to the pages


def test_viewer_cannot_import_403(api_as):
    assert_api_error(api_as("viewer").post("/api/articles", json={"text": MESSY}), 403, "forbidden")


@pytest.mark.parametrize("body", [
    pytest.param(None, id="no_body"),
    pytest.param([1, 2], id="not_an_object"),
    pytest.param({"text": "a", "html": "<p>b</p>"}, id="two_inputs"),
    pytest.param({}, id="no_input"),
    pytest.param({"text": 5}, id="wrong_type"),
    pytest.param({"text": "a", "colour": "red"}, id="unknown_field"),
])
def test_malformed_is_400(api_as, body):
    assert_api_error(api_as("checker").post("/api/articles", json=body), 400, "malformed")


def test_invalid_json_is_400(api_as):
    response = api_as("checker").post("/api/articles", data="{nope", headers={"Content-Type": "application/json"})
    assert_api_error(response, 400, "malformed")


def test_too_large_is_413(api_as, app):
    app.config["MAX_IMPORT_BYTES"] = 1000
    response = api_as("checker").post("/api/articles", json={"text": "word " * 400})
    assert_api_error(response, 413, "too_large")


def test_request_body_over_the_cap_is_413(api_as, app):
    app.config["MAX_CONTENT_LENGTH"] = 2000
    response = api_as("checker").post("/api/articles", json={"text": "word " * 1000})
    assert_api_error(response, 413, "too_large")


@pytest.mark.parametrize("text, code", [
    pytest.param("   \n  ", "empty", id="blank"),
    pytest.param("Share this story\n\nfacebook\n\nAdvertisement", "nothing_kept", id="only_junk"),
])
def test_nothing_to_keep_is_422(api_as, text, code):
    assert_api_error(api_as("checker").post("/api/articles", json={"text": text}), 422, code)


def test_bad_published_date_is_422(api_as):
    response = api_as("checker").post("/api/articles", json={"text": MESSY, "published": "last Tuesday"})
    assert "last Tuesday" in assert_api_error(response, 422, "bad_date")["message"]


def test_private_url_refused_when_not_allowed(api_as, app, site):
    app.config["FETCH_ALLOW_PRIVATE"] = False
    url = site.route("/story.txt", MESSY, content_type="text/plain")
    assert_api_error(api_as("checker").post("/api/articles", json={"url": url}), 422, "address_refused")


def test_nothing_is_stored_after_an_error(api_as):
    api = api_as("checker")
    api.post("/api/articles", json={"text": "Share this story\n\nfacebook"})
    assert api.get("/api/articles").get_json()["total"] == 0


def test_unknown_article_is_404(api_as):
    assert_api_error(api_as("viewer").get("/api/articles/999"), 404, "not_found")


def test_unknown_api_path_is_json_404(api_as):
    assert_api_error(api_as("viewer").get("/api/nothing-here"), 404)


def test_wrong_method_is_json_405(api_as):
    assert_api_error(api_as("viewer").delete("/api/articles"), 405)


def test_fields_leave_the_text_out_of_the_article(api_as):
    api = api_as("checker")
    made = api.post("/api/articles", json={"text": MESSY}).get_json()
    whole = api.get(f"/api/articles/{made['id']}").get_json()
    response = api.get(f"/api/articles/{made['id']}?fields=title,revision.number,revision.sha256")
    assert response.status_code == 200
    assert response.get_json() == {"id": made["id"], "url": whole["url"], "title": whole["title"],
                                   "revision": {"number": 1, "sha256": whole["revision"]["sha256"]}}
    assert "road maintenance" not in response.get_data(as_text=True)
    assert api.get(f"/api/articles/{made['id']}?fields=revision").get_json()["revision"] == whole["revision"]


@pytest.mark.parametrize("fields", ["body", "revision.words", "", " , "])
def test_fields_the_article_lacks_are_refused_naming_them(api_as, fields):
    api = api_as("checker")
    made = api.post("/api/articles", json={"text": MESSY}).get_json()
    response = api.get(f"/api/articles/{made['id']}?fields={fields}")
    assert_api_error(response, 422, "bad_parameter")
    assert "fields names the article's fields" in response.get_json()["error"]["message"]
