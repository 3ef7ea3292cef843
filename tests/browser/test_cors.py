"""A page on another origin uses the API from Chromium: its preflight is answered, it reads the
headers the protocol puts on answers, and an origin off the allowlist is refused by the browser."""

from __future__ import annotations

import shutil
import threading

import pytest
from werkzeug.serving import make_server

from tests.helpers.api import annotation_for
from tests.helpers.apps import make_test_app
from tests.helpers.servers import Site
from workbench.services.accounts import create_token
from workbench.services.users import create_user
from workbench.store.db import get_engine, get_session

TEXT = "Tolls Headline\n\nThe minister said tolls paid for the bridge twice over since 2009."

CALL_JS = """async ([url, method, token, body, headers]) => {
  try {
    const response = await fetch(url, {method, body: body === null ? undefined : JSON.stringify(body),
      headers: Object.assign({'Authorization': 'Bearer ' + token, 'Content-Type': 'application/ld+json'}, headers)});
    const read = name => response.headers.get(name);
    return {status: response.status, etag: read('ETag'), location: read('Location'), link: read('Link'),
            body: response.status === 204 ? null : await response.json()};
  } catch (err) {
    return {refused: String(err)};
  }
}"""


@pytest.fixture
def desk():
    """The newsroom's own page, on another loopback port: another origin."""
    site = Site()
    site.route("/desk", "<!doctype html><title>Desk</title><p>Our desk.</p>")
    yield site
    site.close()


@pytest.fixture
def api_server(tmp_path, sqlite_template, desk):
    """The app, letting the desk's origin (and it alone) call the API; every request it gets is noted."""
    path = tmp_path / "cors.sqlite3"
    shutil.copy(sqlite_template, path)
    app = make_test_app(f"sqlite:///{path}", tmp_path / "instance", CORS_ORIGINS=f"http://127.0.0.1:{desk.port}")
    with app.app_context():
        checker = create_user(get_session(), username="checker", password="checker-password", role="checker")
        token = create_token(get_session(), checker)
    seen: list[tuple[str, str]] = []
    inner = app.wsgi_app

    def noting(environ, start_response):
        seen.append((environ["REQUEST_METHOD"], environ.get("HTTP_ORIGIN", "")))
        return inner(environ, start_response)

    app.wsgi_app = noting
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield {"url": f"http://127.0.0.1:{server.server_port}", "token": token, "seen": seen, "app": app}
    server.shutdown()
    server.server_close()
    get_engine(app).dispose()


def test_a_page_on_an_allowed_origin_annotates_through_the_api(browser, desk, api_server):
    context = browser.new_context()
    page = context.new_page()
    try:
        page.goto(desk.url("/desk"))
        api, token = api_server["url"], api_server["token"]

        def call(method, url, body=None, headers=None):
            return page.evaluate(CALL_JS, [url, method, token, body, headers or {}])

        article = page.evaluate("""async ([url, token]) => (await fetch(url, {method: 'POST',
            headers: {'Authorization': 'Bearer ' + token, 'Content-Type': 'application/json'},
            body: JSON.stringify({text: %r})})).json()""" % TEXT, [f"{api}/api/articles", token])
        created = call("POST", f"{api}/api/articles/{article['id']}/annotations/",
                       annotation_for(article, "tolls paid"))
        assert created["status"] == 201, created
        # What the protocol puts in headers, the script on the other origin can read.
        assert created["location"] == created["body"]["id"] and created["etag"]
        assert 'ldp#Resource>; rel="type"' in created["link"]
        assert ("OPTIONS", f"http://127.0.0.1:{desk.port}") in api_server["seen"]  # the browser asked first

        changed = call("PUT", created["location"], annotation_for(article, "tolls paid", verdict="mixed"),
                       {"If-Match": created["etag"]})
        assert changed["status"] == 200 and changed["etag"] != created["etag"]
        stale = call("PUT", created["location"], annotation_for(article, "tolls paid"), {"If-Match": created["etag"]})
        assert stale["status"] == 412 and stale["body"]["error"]["code"] == "stale_version"
        listed = call("GET", f"{api}/api/articles/{article['id']}/annotations/")
        assert listed["status"] == 200 and listed["body"]["total"] == 1 and "BasicContainer" in listed["link"]
    finally:
        context.close()


def test_a_page_on_another_origin_is_refused_by_the_browser(browser, desk, api_server):
    context = browser.new_context()
    page = context.new_page()
    try:
        # The same server under another name: another origin, not on the list.
        page.goto(desk.url("/desk", host="localhost"))
        answer = page.evaluate(CALL_JS, [f"{api_server['url']}/api/articles", "GET", api_server["token"], None, {}])
        assert "refused" in answer and "Failed to fetch" in answer["refused"]
        # The preflight reached the server and was given no CORS headers; nothing else was sent.
        assert [m for m, origin in api_server["seen"] if origin.startswith("http://localhost")] == ["OPTIONS"]
    finally:
        context.close()
