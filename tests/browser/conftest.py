"""Real Chromium (Debian's) against a live server on a free loopback port."""

from __future__ import annotations

import os
import shutil
import threading

import pytest
from werkzeug.serving import make_server

from tests.helpers import factories
from tests.helpers.apps import PASSWORDS, make_test_app

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
    from workbench.services.users import create_user
    from workbench.store.db import get_session

    def make(app):
        with app.app_context():
            for role, password in PASSWORDS.items():
                create_user(get_session(), username=role, password=password, role=role, display_name=role.title())

    return make


def _watched_page(browser, base_url: str):
    """A page in a context of its own, recording console errors and uncaught exceptions."""
    context = browser.new_context(base_url=base_url, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.console_errors = []
    page.on("console", lambda msg: msg.type == "error" and page.console_errors.append(msg.text))
    page.on("pageerror", lambda err: page.console_errors.append(str(err)))
    yield page
    context.close()


@pytest.fixture
def page(browser, live_server):
    yield from _watched_page(browser, live_server.url)


@pytest.fixture
def import_text(live_server):
    """Import plain text as the checker on the live server; returns the article id."""
    from sqlmodel import select

    from workbench.store.db import get_session
    from workbench.store.models import User

    def make(text: str) -> int:
        with live_server.app.app_context():
            db = get_session()
            checker = db.exec(select(User).where(User.username == "checker")).one()
            return factories.make_article(db, checker, text).id

    return make


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory, sqlite_template):
    """One live server per module holding the demo article (claims in every status, a second
    revision, an orphan) and a user of each role: for tests that only read, or that clean up."""
    from workbench.cli import DEMO_DIR
    from workbench.services.demo import seed_demo
    from workbench.services.users import create_user
    from workbench.store.db import get_engine, get_session

    tmp_path = tmp_path_factory.mktemp("demo")
    path = tmp_path / "demo.sqlite3"
    shutil.copy(sqlite_template, path)
    app = make_test_app(f"sqlite:///{path}", tmp_path / "instance")
    with app.app_context():
        db = get_session()
        made = {role: create_user(db, username=role, password=password, role=role, display_name=role.title())
                for role, password in PASSWORDS.items()}
        article = seed_demo(db, checker=made["checker"], editor=made["editor"],
                            original=(DEMO_DIR / "harbour-bridge-tolls.txt").read_bytes(),
                            corrected=(DEMO_DIR / "harbour-bridge-tolls-corrected.txt").read_bytes(),
                            max_bytes=app.config["MAX_IMPORT_BYTES"])
        app.config["DEMO_ARTICLE_ID"] = article.id
    server = LiveServer(app)
    yield server
    server.stop()
    get_engine(app).dispose()


@pytest.fixture
def demo_page(browser, demo_server):
    yield from _watched_page(browser, demo_server.url)
