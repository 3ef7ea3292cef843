"""Real Chromium (Debian's) against a live server on a free loopback port."""

from __future__ import annotations

import os
import shutil
import threading

import pytest
from werkzeug.serving import make_server

from tests.conftest import make_test_app

CHROMIUM_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="module")
def browser():
    executable = shutil.which("chromium")
    if executable is None:
        if os.environ.get("CI"):
            pytest.fail("Chromium is not installed, and CI must run the browser tests")
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def pdf_printer():
    """Chromium to print with and pdftotext to read the PDF back: skipped where absent, except under CI."""
    if shutil.which("chromium") is None or shutil.which("pdftotext") is None:
        if os.environ.get("CI"):
            pytest.fail("Chromium and pdftotext (poppler-utils) must be installed in CI")
        pytest.skip("Chromium or pdftotext is not installed (scripts/install-chromium.sh)")


def pdf_text(content: bytes) -> str:
    """The text of a PDF, every run of whitespace made one space."""
    import subprocess

    assert content.startswith(b"%PDF")
    text = subprocess.run(["pdftotext", "-", "-"], input=content, capture_output=True, check=True).stdout
    return " ".join(text.decode().split())


def closing_iterables(app):
    """The app, with every response body closed however its request ends.

    Werkzeug's development server leaves a body unclosed when the browser drops the connection in
    the middle of it (Chromium cancels a favicon or a script as it navigates on): its clean-up
    reads the dropped socket, fails, and never reaches ``close()``. The open static file then
    warns when it is collected, during whichever test runs then. A generator's ``finally`` runs
    when the server lets go of it, whatever happened.
    """

    def wrapped(environ, start_response):
        iterable = app(environ, start_response)

        def body():
            try:
                yield from iterable
            finally:
                if hasattr(iterable, "close"):
                    iterable.close()

        return body()

    return wrapped


class LiveServer:
    def __init__(self, app):
        self.app = app
        self.server = make_server("127.0.0.1", 0, closing_iterables(app), threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def live_server(tmp_path, sqlite_template, users_factory):
    path = tmp_path / "live.sqlite3"
    shutil.copy(sqlite_template, path)
    app = make_test_app(f"sqlite:///{path}", tmp_path / "instance")
    users_factory(app)
    server = LiveServer(app)
    yield server
    server.stop()
    from workbench.store.db import get_engine

    get_engine(app).dispose()


@pytest.fixture
def users_factory():
    from tests.conftest import PASSWORDS
    from workbench.services.users import create_user
    from workbench.store.db import get_session

    def make(app):
        with app.app_context():
            for role, password in PASSWORDS.items():
                create_user(get_session(), username=role, password=password, role=role, display_name=role.title())

    return make


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.console_errors = []
    page.on("console", lambda msg: msg.type == "error" and page.console_errors.append(msg.text))
    page.on("pageerror", lambda err: page.console_errors.append(str(err)))
    yield page
    context.close()


def sign_in(page, role: str):
    from tests.conftest import PASSWORDS

    page.goto("/login")
    page.get_by_label("Username").fill(role)
    page.get_by_label("Password").fill(PASSWORDS[role])
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/articles")


@pytest.fixture
def import_text(live_server):
    """Import plain text as the checker on the live server; returns the article id."""
    from sqlmodel import select

    from workbench.services.imports import import_article
    from workbench.store.db import get_session
    from workbench.store.models import User

    def make(text: str) -> int:
        with live_server.app.app_context():
            db = get_session()
            checker = db.exec(select(User).where(User.username == "checker")).one()
            return import_article(db, actor=checker, data=text.encode(), media_type="text/plain", origin="test",
                                  max_bytes=5_000_000).id

    return make


SELECT_JS = """([phrase, occurrence]) => {
  // Select the words as a mouse drag would: a DOM range over the article's text nodes.
  const root = document.getElementById('article-text');
  const text = Array.from(root.querySelectorAll('p[data-offset]')).map(p => p.textContent).join('\\n\\n');
  let at = -1;
  for (let i = 0; i <= occurrence; i++) at = text.indexOf(phrase, at + 1);
  if (at < 0) return false;
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  const ps = Array.from(root.querySelectorAll('p[data-offset]'));
  function point(offset) {   // offset in UTF-16 units of the joined text
    let base = 0;
    for (const p of ps) {
      const len = p.textContent.length;
      if (offset <= base + len) {
        let rest = offset - base;
        const w = document.createTreeWalker(p, NodeFilter.SHOW_TEXT);
        let n;
        while ((n = w.nextNode())) { if (rest <= n.data.length) return [n, rest]; rest -= n.data.length; }
      }
      base += len + 2;
    }
  }
  const [sn, so] = point(at), [en, eo] = point(at + phrase.length);
  const r = document.createRange(); r.setStart(sn, so); r.setEnd(en, eo);
  const s = getSelection(); s.removeAllRanges(); s.addRange(r);
  document.dispatchEvent(new Event('selectionchange'));
  return true;
}"""


def select_words(page, phrase: str, occurrence: int = 0):
    assert page.evaluate(SELECT_JS, [phrase, occurrence]), phrase
