"""Malformed input gets a clear 4xx in the error shape, never a 500, and stores nothing:
deep JSON, NUL and lone surrogates, ids and paging parameters out of range, a broken URL."""

import io

import pytest
from bs4 import BeautifulSoup
from sqlmodel import func, select

from tests.helpers.api import assert_api_error
from workbench.store.models import Article, Claim, Revision

TEXT = "Tolls Headline\n\nThe minister said tolls paid for the bridge twice over.\n\nReceipts were 830 million."
HUGE_IDS = [str(2**31), str(2**63), "9" * 30]


@pytest.fixture
def article_id(make_article):
    return make_article(TEXT)


def raw_json(api, url: str, body: str, method: str = "post", headers: dict | None = None):
    """Send ``body`` as it is: JSON escapes such as a lone "\\ud800" reach the server unchanged."""
    headers = {"Content-Type": "application/json", **(headers or {})}
    return getattr(api, method)(url, data=body.encode(), headers=headers)


def counts(db) -> tuple[int, int, int]:
    db.rollback()  # see what requests committed
    return tuple(db.exec(select(func.count()).select_from(model)).one() for model in (Article, Revision, Claim))


def page_error(response, status: int) -> str:
    """The message of an error page (or of a page that re-shows its form with the error)."""
    assert response.status_code == status, response.text[:500]
    return BeautifulSoup(response.text, "html.parser").get_text(" ", strip=True)


# --- JSON nesting -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("url", ["/api/articles", "/api/articles/{id}/annotations/", "/api/articles/{id}/revisions"])
def test_deeply_nested_json_is_400_before_it_is_parsed(api_as, db, article_id, url):
    api = api_as("editor")
    before = counts(db)
    for body in ("[" * 100_000 + "]" * 100_000, '{"a":' * 5000 + "1" + "}" * 5000):
        error = assert_api_error(raw_json(api, url.format(id=article_id), body), 400, "malformed")
        assert "nested" in error["message"] and "64" in error["message"]
    assert counts(db) == before


def test_json_nested_within_the_limit_is_read(api_as):
    # 60 levels: parsed, then refused for its shape (an unknown field), not for its depth.
    deep_but_allowed = '{"text": "a b c", "x": ' + "[" * 60 + "]" * 60 + "}"
    error = assert_api_error(raw_json(api_as("checker"), "/api/articles", deep_but_allowed), 400, "malformed")
    assert "nested" not in error["message"]


# --- NUL and lone surrogates --------------------------------------------------------------------------------


@pytest.mark.parametrize("field, body", [
    pytest.param("title", '{"text": "Headline\\n\\nSome words here.", "title": "a\\ud800b"}', id="surrogate_title"),
    pytest.param("text", '{"text": "Headline\\n\\nSome \\udfff words here."}', id="surrogate_text"),
    pytest.param("html", '{"html": "<p>Headline</p><p>Some \\ud83d words.</p>"}', id="surrogate_html"),
    pytest.param("title", '{"text": "Headline\\n\\nSome words here.", "title": "a\\u0000b"}', id="nul_title"),
    pytest.param("publisher", '{"text": "Headline\\n\\nSome words.", "publisher": "\\u0000"}', id="nul_publisher"),
    pytest.param("key", '{"text": "Headline\\n\\nSome words.", "ti\\u0000tle": "x"}', id="nul_key"),
])
def test_import_refuses_nul_and_surrogates_naming_the_field(api_as, db, field, body):
    before = counts(db)
    error = assert_api_error(raw_json(api_as("checker"), "/api/articles", body), 422, "invalid_text")
    assert error["message"].startswith("A key in body " if field == "key" else f"{field} ")
    assert counts(db) == before


@pytest.mark.parametrize("escape", ["\\u0000", "\\ud800"])
def test_urls_with_nul_or_surrogates_are_left_to_the_url_check(api_as, db, article_id, escape):
    """Every URL field goes through the one URL check, which names the field in its own words."""
    api = api_as("checker")
    before = counts(db)
    body = '{"text": "Headline\\n\\nSome words.", "source_url": "https://a.example/' + escape + '"}'
    error = assert_api_error(raw_json(api, "/api/articles", body), 422, "bad_url")
    assert "source URL" in error["message"]
    linking = '{"type": "SpecificResource", "purpose": "linking", "source": "https://a.example/' + escape + '"}'
    body = annotation(article_id, api, '"ok"').replace('"body": [', '"body": [' + linking + ", ")
    assert_api_error(raw_json(api, f"/api/articles/{article_id}/annotations/", body), 422, "bad_url")
    assert counts(db) == before


def test_nul_in_imported_article_text_is_dropped_as_junk(api_as, db):
    """The article itself is content, not a field: NUL there is debris, removed like other control characters."""
    api = api_as("checker")
    response = api.post("/api/articles", json={"text": "Head\x00line\n\nThe minister\x00 said tolls\x07 rose."})
    assert response.status_code == 201, response.text
    assert response.get_json()["revision"]["text"] == "The minister said tolls rose."
    html = "<html><body><h1>Head\x00line</h1><p>The minister\x00 said tolls rose by a third.</p></body></html>"
    response = api.post("/api/articles", json={"html": html})
    assert response.status_code == 201, response.text
    assert "The minister said tolls rose by a third." in response.get_json()["revision"]["text"]


def annotation(article_id, client_api, rationale_json: str, exact_json: str = '"tolls paid"') -> str:
    text = client_api.get(f"/api/articles/{article_id}").get_json()["revision"]["text"]
    start = text.index("tolls paid")
    return ('{"type": "Annotation", "motivation": "assessing", "body": ['
            '{"type": "TextualBody", "purpose": "assessing", "value": "false"}, '
            '{"type": "TextualBody", "purpose": "commenting", "value": ' + rationale_json + '}], '
            '"target": {"selector": [{"type": "TextQuoteSelector", "exact": ' + exact_json + '}, '
            '{"type": "TextPositionSelector", "start": ' + str(start) + ', "end": ' + str(start + 10) + '}]}}')


@pytest.mark.parametrize("rationale, exact, field", [
    pytest.param('"a\\ud800"', '"tolls paid"', "body[1].value", id="surrogate_rationale"),
    pytest.param('"a\\u0000b"', '"tolls paid"', "body[1].value", id="nul_rationale"),
    pytest.param('"fine"', '"tolls\\u0000paid"', "target.selector[0].exact", id="nul_exact"),
])
def test_annotation_refuses_nul_and_surrogates_naming_the_field(api_as, db, article_id, rationale, exact, field):
    api = api_as("checker")
    before = counts(db)
    body = annotation(article_id, api, rationale, exact)
    error = assert_api_error(raw_json(api, f"/api/articles/{article_id}/annotations/", body), 422, "invalid_text")
    assert error["message"].startswith(f"{field} ")
    assert counts(db) == before


def test_review_comment_with_nul_is_422(api_as, db, article_id):
    api = api_as("checker")
    created = raw_json(api, f"/api/articles/{article_id}/annotations/", annotation(article_id, api, '"ok"'))
    assert created.status_code == 201, created.text
    url = created.get_json()["id"].replace("http://localhost", "") + "/review"
    error = assert_api_error(raw_json(api, url, '{"action": "submit", "comment": "x\\u0000"}'), 422, "invalid_text")
    assert error["message"].startswith("comment ")


def test_page_forms_refuse_nul_naming_the_field(client, auth, db, article_id):
    auth.login_as("checker")
    before = counts(db)
    canonical = TEXT.split("\n\n", 1)[1]
    start = canonical.index("tolls paid")
    response = auth.post(f"/articles/{article_id}/claims", data={
        "start": start, "end": start + 10, "exact": "tolls paid", "verdict": "false", "rationale": "a\x00b"})
    assert "rationale contains a NUL character" in page_error(response, 422)
    response = auth.post("/import", data={"via": "paste", "content": "Headline\n\nWords here.", "title": "\x00"})
    assert "title contains a NUL character" in page_error(response, 422)
    assert counts(db) == before


def test_page_search_and_paths_with_nul_are_not_500(client, auth, api_as):
    auth.login_as("checker")
    assert "q contains a NUL character" in page_error(client.get("/articles?q=a%00b"), 422)
    assert "key contains a NUL character" in page_error(client.get("/import/ab%00c"), 422)
    assert_api_error(api_as("viewer").get("/api/articles?q=%00"), 422, "invalid_text")


def test_sign_in_with_nul_is_not_500(client):
    page = client.get("/login")
    token = BeautifulSoup(page.text, "html.parser").find("input", {"name": "csrf_token"})["value"]
    response = client.post("/login", data={"username": "checker\x00", "password": "x", "csrf_token": token})
    assert "username contains a NUL character" in page_error(response, 422)


def test_pasted_and_uploaded_articles_lose_their_nul_characters(client, auth, db):
    auth.login_as("checker")
    response = auth.post("/import", data={"via": "paste", "content": "Head\x00line\n\nThe minister\x00 said so."})
    assert response.status_code == 302, response.text[:300]
    preview = client.get(response.headers["Location"])
    assert preview.status_code == 200 and "\x00" not in preview.text and "The minister said so." in preview.text
    upload = b"<html><body><h1>Head\x00line</h1><p>The minister\x00 said tolls rose by a third.</p></body></html>"
    response = auth.post("/import", data={"via": "upload", "file": (io.BytesIO(upload), "story.html")},
                         content_type="multipart/form-data")
    assert response.status_code == 302, response.text[:300]
    saved = auth.post(response.headers["Location"], data={"title": "Headline", "keep": ["0", "1"]})
    assert saved.status_code == 302, saved.text[:300]
    db.rollback()
    texts = db.exec(select(Revision.canonical_text)).all()
    assert any("The minister said tolls rose by a third." in t for t in texts) and not any("\x00" in t for t in texts)


def test_upload_file_name_with_nul_is_422(auth, db):
    auth.login_as("checker")
    before = counts(db)
    response = auth.post("/import", data={"via": "upload", "file": (io.BytesIO(b"Headline\n\nWords."), "a\x00.txt")},
                         content_type="multipart/form-data")
    assert "file contains a NUL character" in page_error(response, 422)
    assert counts(db) == before


# --- ids and paging -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("huge", HUGE_IDS)
def test_ids_beyond_the_columns_are_404_in_the_api(api_as, article_id, huge):
    api = api_as("editor")
    for url in (f"/api/articles/{huge}", f"/api/annotations/{huge}", f"/api/users/{huge}",
                f"/api/articles/{huge}/annotations/", f"/api/articles/{article_id}/revisions/{huge}",
                f"/api/articles/{huge}/export"):
        assert_api_error(api.get(url), 404, "not_found")
    assert_api_error(api.put(f"/api/annotations/{huge}", json={}, headers={"If-Match": "*"}), 404, "not_found")
    assert_api_error(api.delete(f"/api/annotations/{huge}", headers={"If-Match": "*"}), 404, "not_found")
    assert_api_error(api.post(f"/api/annotations/{huge}/review", json={"action": "submit"}), 404, "not_found")


@pytest.mark.parametrize("huge", HUGE_IDS)
def test_ids_beyond_the_columns_are_404_in_pages(client, auth, article_id, huge):
    auth.login_as("admin")
    for url in (f"/articles/{huge}", f"/claims/{huge}", f"/articles/{huge}/diff", f"/articles/{huge}/claims/pick",
                f"/articles/{article_id}/revisions/{huge}/report", f"/articles/{article_id}?claim={huge}",
                f"/articles/{article_id}?revision={huge}", f"/articles/{article_id}/diff?to={huge}",
                f"/articles/{article_id}/claims/pick?ids={huge}", f"/import?article={huge}"):
        assert client.get(url).status_code == 404, url
    for url in (f"/claims/{huge}", f"/claims/{huge}/review", f"/articles/{huge}/claims", f"/admin/users/{huge}/role",
                f"/claims/{article_id}/sources/{huge}"):
        assert auth.post(url).status_code == 404, url


@pytest.mark.parametrize("query", ["offset=1e23", "offset=" + "9" * 25, "offset=-1", "offset=1.5", "offset=abc",
                                   "limit=" + "9" * 25, "limit=-5", "limit=2.0", "limit=²", "limit=0", "limit=201",
                                   "limit=1000"])
def test_paging_parameters_out_of_range_are_422(api_as, make_article, query):
    make_article(TEXT)
    error = assert_api_error(api_as("viewer").get(f"/api/articles?{query}"), 422, "bad_parameter")
    assert query.split("=")[0] in error["message"]


def test_paging_parameters_in_range_still_work(api_as, make_article):
    make_article(TEXT)
    body = api_as("viewer").get("/api/articles?limit=200&offset=2147483647").get_json()
    assert (body["limit"], body["offset"], body["items"]) == (200, 2147483647, [])


@pytest.mark.parametrize("page", ["²", "-1", "1.0", "1e3", "9" * 30])
def test_annotation_pages_out_of_range_are_422(api_as, article_id, page):
    response = api_as("viewer").get(f"/api/articles/{article_id}/annotations/?page={page}")
    assert_api_error(response, 422, "bad_parameter")


def test_page_filters_out_of_range_are_not_500(client, auth, article_id):
    auth.login_as("editor")
    for url in (f"/review?article={2**63}", f"/review?checker={'9' * 30}", "/review?article=abc",
                f"/articles/{article_id}?revision=1e23", f"/articles/{article_id}/diff?from=-1"):
        assert client.get(url).status_code in (404, 422), url


def test_form_numbers_out_of_range_are_not_500(client, auth, article_id, db):
    auth.login_as("checker")
    canonical = TEXT.split("\n\n", 1)[1]
    start = canonical.index("tolls paid")
    made = auth.post(f"/articles/{article_id}/claims", data={"start": start, "end": start + 10, "exact": "tolls paid"})
    assert made.status_code == 302
    claim_id = db.exec(select(Claim.id)).one()
    for version in ("²", "9" * 30, str(2**63)):
        response = auth.post(f"/claims/{claim_id}", data={"verdict": "false", "version": version})
        assert response.status_code in (409, 412, 422), (version, response.status_code)
    for position in ("9" * 30, str(2**63), "1e23"):
        response = auth.post(f"/articles/{article_id}/claims", data={"start": position, "end": position,
                                                                      "exact": "tolls"})
        assert response.status_code == 422, position


# --- a malformed IPv6 URL -----------------------------------------------------------------------------------


def test_malformed_ipv6_url_is_422(api_as, auth, article_id, db):
    api = api_as("checker")
    before = counts(db)
    assert_api_error(api.post("/api/articles", json={"url": "http://[::1"}), 422, "bad_url")
    assert_api_error(api.post("/api/articles", json={"text": "Headline\n\nWords here.", "source_url": "http://[::1"}),
                     422, "bad_url")
    auth.login_as("checker")
    assert page_error(auth.post("/import", data={"via": "url", "url": "http://[::1"}), 422)
    assert counts(db) == before


def test_csrf_token_of_any_text_is_403(client, auth):
    auth.login_as("checker")
    for token in ("é", "\u2603" * 40, "x" * 5000):
        assert client.post("/import", data={"via": "paste", "content": "a", "csrf_token": token}).status_code == 403
        assert client.post("/import", data={"via": "paste", "content": "a"},
                           headers={"X-CSRF-Token": token.encode().decode("latin-1")}).status_code == 403
