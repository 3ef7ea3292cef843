"""Fixtures: an app on a fresh database per test (SQLite, and PostgreSQL when configured),
clients signed in by role, an API client with a bearer token, and factories."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest
from sqlalchemy import text

from workbench import create_app
from workbench.services.accounts import create_token
from workbench.store.db import get_session, make_engine, upgrade_database
from workbench.store.models import User

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
PG_URL = os.environ.get("WORKBENCH_TEST_DATABASE_URL")
BACKENDS = ["sqlite"] + (["postgresql"] if PG_URL else [])
PASSWORDS = {role: f"{role}-password" for role in ("admin", "editor", "checker", "viewer")}


def shared_path(*parts: str) -> Path:
    """A file under ../shared; skips the test where it is absent, except under CI where it must exist."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        if os.environ.get("CI"):
            pytest.fail(f"{path} is missing, and CI must run the tests that read ../shared")
        pytest.skip(f"{path} is not here (a clone without ../shared)")
    return path


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory) -> Path:
    """A migrated SQLite file; each test gets its own copy (migrating per test is slow)."""
    path = tmp_path_factory.mktemp("template") / "template.sqlite3"
    engine = make_engine(f"sqlite:///{path}")
    upgrade_database(engine)
    engine.dispose()
    return path


def _with_search_path(url: str, schema: str) -> str:
    separator = "&" if "?" in url else "?"
    return f"{url}{separator}options=-csearch_path%3D{schema}"


@pytest.fixture(scope="session")
def postgres_url():
    """A schema of its own for this test run (runs may share the database), migrated from empty."""
    schema = f"workbench_test_{os.getpid()}"
    admin = make_engine(PG_URL)
    with admin.begin() as conn:
        conn.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    url = _with_search_path(PG_URL, schema)
    engine = make_engine(url)
    upgrade_database(engine)
    yield url, engine, schema
    engine.dispose()
    with admin.begin() as conn:
        conn.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
    admin.dispose()


def _truncate_postgres(engine, schema: str) -> None:
    with engine.begin() as conn:
        tables = conn.execute(text(
            "SELECT tablename FROM pg_tables WHERE schemaname = :schema AND tablename <> 'alembic_version'"
        ), {"schema": schema}).scalars().all()
        conn.execute(text("TRUNCATE " + ", ".join(f'"{t}"' for t in tables) + " RESTART IDENTITY CASCADE"))


@pytest.fixture(params=BACKENDS)
def database_url(request, tmp_path, sqlite_template) -> str:
    if request.param == "postgresql":
        url, engine, schema = request.getfixturevalue("postgres_url")
        _truncate_postgres(engine, schema)  # isolate the database for each test
        return url
    path = tmp_path / "workbench.sqlite3"
    shutil.copy(sqlite_template, path)
    return f"sqlite:///{path}"


def make_test_app(database_url: str, instance: Path, **overrides):
    config = {
        "TESTING": True,
        "INSTANCE_PATH": str(instance),
        "DATABASE_URL": database_url,
        "SECRET_KEY": "test-secret",
        "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
        "FETCH_ALLOW_PRIVATE": True,
        "FETCH_TIMEOUT": 5.0,
    }
    config.update(overrides)
    return create_app(config)


@pytest.fixture
def app_config() -> dict:
    """Override to change settings for one test module."""
    return {}


@pytest.fixture
def app(database_url, tmp_path, app_config):
    app = make_test_app(database_url, tmp_path / "instance", **app_config)
    yield app
    from workbench.store.db import get_engine

    get_engine(app).dispose()


@pytest.fixture
def db(app):
    """A session of the test's own: not the one requests use, so tests see only what was committed."""
    from sqlmodel import Session

    from workbench.store.db import get_engine

    with Session(get_engine(app), expire_on_commit=False) as session:
        yield session


@pytest.fixture
def users(app) -> dict[str, User]:
    """One user of each role, username = role, password = PASSWORDS[role]."""
    from workbench.services.users import create_user

    with app.app_context():
        session = get_session()
        made = {role: create_user(session, username=role, password=pw, role=role, display_name=role.title())
                for role, pw in PASSWORDS.items()}
    return made


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


class AuthActions:
    """Sign in through the real form, keeping the CSRF token for later posts."""

    def __init__(self, client):
        self._client = client
        self.csrf = None

    def login_as(self, role: str):
        page = self._client.get("/login")
        token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        response = self._client.post("/login", data={"username": role, "password": PASSWORDS[role],
                                                      "csrf_token": token})
        assert response.status_code == 302, response.text
        # Signing in starts a new session, and with it a new CSRF token.
        self.fresh_token()
        return response

    def fresh_token(self) -> str:
        page = self._client.get("/articles")
        self.csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        return self.csrf

    def post(self, url: str, data: dict | None = None, **kwargs):
        data = dict(data or {})
        data.setdefault("csrf_token", self.csrf or self.fresh_token())
        return self._client.post(url, data=data, **kwargs)


@pytest.fixture
def auth(client, users) -> AuthActions:
    return AuthActions(client)


class ApiClient:
    """A test client that sends a bearer token and JSON."""

    def __init__(self, client, token: str):
        self.client, self.token = client, token

    def _headers(self, extra):
        return {"Authorization": f"Bearer {self.token}", **(extra or {})}

    def get(self, url, headers=None, **kw):
        return self.client.get(url, headers=self._headers(headers), **kw)

    def post(self, url, json=None, headers=None, **kw):
        return self.client.post(url, json=json, headers=self._headers(headers), **kw)

    def put(self, url, json=None, headers=None, **kw):
        return self.client.put(url, json=json, headers=self._headers(headers), **kw)

    def delete(self, url, headers=None, **kw):
        return self.client.delete(url, headers=self._headers(headers), **kw)


@pytest.fixture
def api_as(app, client, users):
    """``api_as("checker")``: an API client holding a token of that role's user."""

    def make(role: str) -> ApiClient:
        with app.app_context():
            token = create_token(get_session(), get_session().get(User, users[role].id))
        return ApiClient(client, token)

    return make


@pytest.fixture
def make_article(app, users):
    """Import an article (plain text) as the checker and return its id."""
    from workbench.services.imports import import_article

    def make(text: str = "A Headline\n\nThe first paragraph says a thing.\n\nThe second one says more.", **overrides):
        with app.app_context():
            session = get_session()
            article = import_article(session, actor=session.get(User, users["checker"].id), data=text.encode(),
                                     media_type="text/plain", origin="test", max_bytes=5_000_000,
                                     overrides=overrides)
            return article.id

    return make


class Site:
    """A real HTTP server on loopback serving canned responses: ``site.route(path, body=..., ...)``."""

    def __init__(self):
        import http.server
        import threading

        self.routes: dict[str, dict] = {}
        site = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 (name fixed by the base class)
                spec = site.routes.get(self.path.split("?")[0])
                if spec is None:
                    self.send_error(404)
                    return
                if spec.get("delay"):
                    import time

                    time.sleep(spec["delay"])
                self.send_response(spec.get("status", 200))
                for name, value in spec.get("headers", {}).items():
                    self.send_header(name, value)
                body = spec.get("body", b"")
                if spec.get("chunked"):
                    self.send_header("Transfer-Encoding", "chunked")
                    self.end_headers()
                    for start in range(0, len(body), 65536):
                        piece = body[start:start + 65536]
                        self.wfile.write(f"{len(piece):x}\r\n".encode() + piece + b"\r\n")
                    self.wfile.write(b"0\r\n\r\n")
                    return
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def route(self, path: str, body: bytes | str = b"", *, content_type: str = "text/html; charset=utf-8", **spec):
        body = body.encode() if isinstance(body, str) else body
        headers = {"Content-Type": content_type, **spec.pop("headers", {})}
        self.routes[path] = {"body": body, "headers": headers, **spec}
        return self.url(path)

    def url(self, path: str, host: str = "127.0.0.1") -> str:
        return f"http://{host}:{self.port}{path}"

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def site():
    server = Site()
    yield server
    server.close()


def hold_pdf_turn(folder: Path, printers: int = 1):
    """Another process (another worker, or the command line) printing PDFs: it holds every turn
    in ``folder`` until the returned process's stdin is closed (``communicate()``)."""
    import subprocess
    import sys

    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys; from contextlib import ExitStack; from pathlib import Path\n"
         "from workbench.services.exports.pdf_queue import turn\n"
         "with ExitStack() as held:\n"
         f"    for _ in range({printers}):\n"
         f"        held.enter_context(turn(Path({str(folder)!r}), printers={printers}, wait=5,\n"
         f"                                per_process={printers}))\n"
         "    print('holding', flush=True); sys.stdin.read()"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=ROOT)
    assert holder.stdout.readline().strip() == "holding"
    return holder


def conformance_kit():
    """The W3C annotation model checker from ../shared/conformance (skips or fails like shared_path)."""
    import importlib
    import sys

    path = shared_path("conformance", "w3c_model_check.py")
    if str(path.parent) not in sys.path:
        sys.path.insert(0, str(path.parent))
    return importlib.import_module("w3c_model_check")


def assert_conforms(document: dict) -> None:
    """0 MUST failures for an annotation, page or collection (and every annotation inside)."""
    kit = conformance_kit()
    kind = document.get("type")
    report = kit.check_annotation(document) if kind == "Annotation" else kit.check_document(document)
    assert report.ok, [(r.title, r.message) for r in report.must_failures]
