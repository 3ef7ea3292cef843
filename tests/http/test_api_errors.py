"""One error shape for every kind of bad API request: ``{"error": {"code", "message"}}`` with its
status, and the headers HTTP asks for (WWW-Authenticate on 401, Allow on 405)."""

import pytest

from tests.helpers.api import annotation_for, assert_api_error

TEXT = ("Tolls Headline\n\n"
        "The minister said tolls paid for the bridge twice over since 2009.\n\n"
        "Receipts reached 830 million crowns, the minister said.")
ANNO = {"Content-Type": "application/ld+json"}


@pytest.fixture
def app_config():
    return {"MAX_IMPORT_BYTES": 64 * 1024}


@pytest.fixture
def world(api_as):
    checker, viewer = api_as("checker"), api_as("viewer")
    article = checker.post("/api/articles", json={"text": TEXT}).get_json()
    other = checker.post("/api/articles", json={"text": "Other\n\nAnother text entirely."}).get_json()
    container = f"/api/articles/{article['id']}/annotations/"
    created = checker.post(container, json=annotation_for(article, "tolls paid"))
    gone = checker.post(container, json=annotation_for(article, "twice over"))
    assert checker.delete(gone.headers["Location"], headers={"If-Match": gone.headers["ETag"]}).status_code == 204
    return {"checker": checker, "viewer": viewer, "article": article, "other": other, "container": container,
            "anno": created.headers["Location"], "etag": created.headers["ETag"], "gone": gone.headers["Location"]}


def anno(world, words="830 million", **changes):
    made = annotation_for(world["article"], words)
    made.update(changes)
    return made


def mutated(world, change):
    made = anno(world)
    change(made)
    return made


# (what, who, method, url, headers, body, status, code): url and body may be functions of the world.
CASES = [
    ("no token", None, "GET", "/api/articles", {}, None, 401, "unauthenticated"),
    ("a token not known", "bad", "GET", "/api/articles", {}, None, 401, "unauthenticated"),
    ("basic, not bearer", None, "GET", "/api/articles", {"Authorization": "Basic YTpi"}, None, 401, "unauthenticated"),
    ("no token on the container", None, "GET", lambda w: w["container"], {}, None, 401, "unauthenticated"),
    ("a viewer imports", "viewer", "POST", "/api/articles", {}, {"text": "T\n\nWords."}, 403, "forbidden"),
    ("a viewer annotates", "viewer", "POST", lambda w: w["container"], ANNO, anno, 403, "forbidden"),
    ("a viewer deletes", "viewer", "DELETE", lambda w: w["anno"], {"If-Match": "*"}, None, 403, "forbidden"),
    ("no such article", "viewer", "GET", "/api/articles/999", {}, None, 404, "not_found"),
    ("article 0", "viewer", "GET", "/api/articles/0", {}, None, 404, "not_found"),
    ("an id beyond any", "viewer", "GET", "/api/articles/99999999999", {}, None, 404, "not_found"),
    ("no such path", "viewer", "GET", "/api/nothing-here", {}, None, 404, "not_found"),
    ("no such annotation", "viewer", "GET", lambda w: w["container"] + "999", {}, None, 404, "not_found"),
    ("another article's annotation", "viewer", "GET",
     lambda w: f"/api/articles/{w['other']['id']}/annotations/{w['anno'].rsplit('/', 1)[1]}", {}, None, 404,
     "not_found"),
    ("an old IRI of nothing", "viewer", "GET", "/api/annotations/999", {}, None, 404, "not_found"),
    ("no such user", "viewer", "GET", "/api/users/999", {}, None, 404, "not_found"),
    ("no such revision", "viewer", "GET", lambda w: f"/api/articles/{w['article']['id']}/revisions/9", {}, None,
     404, "not_found"),
    ("no such page", "viewer", "GET", lambda w: w["container"] + "?page=99", {}, None, 404, "not_found"),
    ("PATCH an article list", "viewer", "PATCH", "/api/articles", {}, None, 405, "method_not_allowed"),
    ("DELETE a container", "checker", "DELETE", lambda w: w["container"], {}, None, 405, "method_not_allowed"),
    ("PUT an article", "checker", "PUT", lambda w: f"/api/articles/{w['article']['id']}", {}, {}, 405,
     "method_not_allowed"),
    ("POST to an annotation", "checker", "POST", lambda w: w["anno"], ANNO, anno, 405, "method_not_allowed"),
    ("Turtle of a container", "viewer", "GET", lambda w: w["container"], {"Accept": "text/turtle"}, None, 406,
     "not_acceptable"),
    ("an image of an annotation", "viewer", "GET", lambda w: w["anno"], {"Accept": "image/png"}, None, 406,
     "not_acceptable"),
    ("HTML of a search", "viewer", "GET", "/api/search", {"Accept": "text/html"}, None, 406, "not_acceptable"),
    ("an import that is not JSON", "checker", "POST", "/api/articles", {"Content-Type": "application/json"},
     b"{not json", 400, "malformed"),
    ("an import that is a list", "checker", "POST", "/api/articles", {}, [], 400, "malformed"),
    ("an import of a number", "checker", "POST", "/api/articles", {}, {"text": 5}, 400, "malformed"),
    ("an import of nothing", "checker", "POST", "/api/articles", {}, {}, 400, "malformed"),
    ("an import of blank text", "checker", "POST", "/api/articles", {}, {"text": "   "}, 422, "empty"),
    ("an import too large", "checker", "POST", "/api/articles", {}, {"text": "x" * 200_000}, 413, "too_large"),
    ("a revision that is not JSON", "checker", "POST", lambda w: f"/api/articles/{w['article']['id']}/revisions",
     {"Content-Type": "application/json"}, b"[", 400, "malformed"),
    ("an annotation that is not JSON", "checker", "POST", lambda w: w["container"], ANNO, b"<anno/>", 400,
     "malformed"),
    ("a Note, not an Annotation", "checker", "POST", lambda w: w["container"], ANNO, {"type": "Note"}, 400,
     "malformed"),
    ("words not in the text", "checker", "POST", lambda w: w["container"], ANNO,
     lambda w: mutated(w, lambda a: a["target"]["selector"][0].update(exact="three times")), 422, "quote_mismatch"),
    ("a CSS selector", "checker", "POST", lambda w: w["container"], ANNO,
     lambda w: mutated(w, lambda a: a["target"].update(selector=[{"type": "CssSelector", "value": "p"}])), 422,
     "bad_selector"),
    ("a verdict not on the scale", "checker", "POST", lambda w: w["container"], ANNO,
     lambda w: mutated(w, lambda a: a["body"][0].update(value="pants_on_fire")), 422, "bad_verdict"),
    ("a canonical that is no IRI", "checker", "POST", lambda w: w["container"], ANNO,
     lambda w: anno(w, canonical="not an iri"), 422, "bad_iri"),
    ("a javascript: source", "checker", "POST", lambda w: w["container"], ANNO,
     lambda w: mutated(w, lambda a: a["body"][-1].update(source="javascript:alert(1)")), 422, "bad_url"),
    ("a change without If-Match", "checker", "PUT", lambda w: w["anno"], ANNO, lambda w: anno(w, "tolls paid"),
     428, "precondition_required"),
    ("a change on a stale ETag", "checker", "PUT", lambda w: w["anno"], {**ANNO, "If-Match": '"stale"'},
     lambda w: anno(w, "tolls paid"), 412, "stale_version"),
    ("a change on a weak ETag", "checker", "PUT", lambda w: w["anno"], {**ANNO, "If-Match": "W/{etag}"},
     lambda w: anno(w, "tolls paid"), 412, "stale_version"),
    ("a delete without If-Match", "checker", "DELETE", lambda w: w["anno"], {}, None, 428, "precondition_required"),
    ("a read on a stale ETag", "viewer", "GET", lambda w: w["anno"], {"If-Match": '"stale"'}, None, 412,
     "stale_version"),
    ("a withdrawn annotation", "viewer", "GET", lambda w: w["gone"], {}, None, 410, "withdrawn"),
    ("a review that is not JSON", "checker", "POST", lambda w: w["anno"] + "/review",
     {"Content-Type": "application/json"}, b"submit", 400, "malformed"),
    ("a review without an action", "checker", "POST", lambda w: w["anno"] + "/review", {}, {"comment": "x"}, 400,
     "malformed"),
    ("approving a draft", "admin", "POST", lambda w: w["anno"] + "/review", {}, {"action": "approve"}, 409,
     "invalid_transition"),
    ("a page that is not a number", "viewer", "GET", lambda w: w["container"] + "?page=abc", {}, None, 422,
     "bad_parameter"),
    ("iris that is not 0 or 1", "viewer", "GET", lambda w: w["container"] + "?iris=2&page=0", {}, None, 422,
     "bad_parameter"),
    ("limit=abc", "viewer", "GET", "/api/articles?limit=abc", {}, None, 422, "bad_parameter"),
    ("a negative offset", "viewer", "GET", "/api/articles?offset=-1", {}, None, 422, "bad_parameter"),
    ("a limit over the largest", "viewer", "GET", "/api/articles?limit=201", {}, None, 422, "bad_parameter"),
    ("a search limit over the largest", "viewer", "GET", "/api/search?limit=1001", {}, None, 422, "bad_parameter"),
    ("a search for no verdict", "viewer", "GET", "/api/search?verdict=maybe", {}, None, 422, "bad_parameter"),
    ("a search by a date that is none", "viewer", "GET", "/api/search?from=2025-13-01", {}, None, 422,
     "bad_parameter"),
]


def test_there_are_forty_kinds_and_more():
    assert len(CASES) >= 40 and len({case[0] for case in CASES}) == len(CASES)


@pytest.mark.parametrize("what, who, method, url, headers, body, status, code", CASES, ids=[c[0] for c in CASES])
def test_every_bad_request_gets_the_error_shape(world, api_as, client, what, who, method, url, headers, body, status,
                                                code):
    url = url(world) if callable(url) else url
    body = body(world) if callable(body) else body
    sent = {name: value.format(etag=world["etag"]) for name, value in headers.items()}
    if who == "bad":
        sent["Authorization"] = "Bearer not-a-token"
    elif who is not None:
        sent["Authorization"] = api_as(who)._headers({})["Authorization"]
    kwargs = {"data": body} if isinstance(body, bytes) else ({"json": body} if body is not None else {})
    response = client.open(url, method=method, headers=sent, **kwargs)
    error = assert_api_error(response, status, code)
    assert response.mimetype == "application/json"
    if status == 401:
        challenge = response.headers["WWW-Authenticate"]
        assert challenge.startswith('Bearer realm="workbench"')
        assert ('error="invalid_token"' in challenge) == (who == "bad")
    if status == 405:
        allowed = {m.strip() for m in response.headers["Allow"].split(",")}
        assert method not in allowed and "GET" in allowed | {"POST"}
    if status == 422 and "=" in url:
        assert url.split("?")[1].split("=")[0] in error["message"]
