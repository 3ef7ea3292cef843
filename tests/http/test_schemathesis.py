"""Schemathesis against the API's own OpenAPI description: every operation it describes is called
with requests drawn from the description (its examples, then the coverage phase's boundary and
wrong-typed values, then ``MAX_EXAMPLES`` random ones), with a valid bearer token, on SQLite. No
answer may be a server error, and every answer must be one the description gives: its status,
media type, required headers and body schema.

The app is shared by the whole module (one database), seeded with an article holding claims, so
ids in the description's examples name things that exist. The whole file takes about 30 s of CPU.

Checks left out, as the API is right where they would fail: ``missing_required_header`` wants 400
or 422 for a missing If-Match, where HTTP's answer is 428; ``negative_data_rejection`` counts a query
parameter the operation does not take as invalid input, which HTTP lets a server ignore.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from schemathesis.checks import not_a_server_error

from tests.helpers import factories
from tests.helpers.apps import make_test_app
from workbench.services.accounts import create_token
from workbench.services.users import create_user
from workbench.store.db import get_session
from workbench.web.api import openapi

MAX_EXAMPLES = 15
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_headers_conformance,
          response_schema_conformance]


@pytest.fixture(scope="module")
def described_app(sqlite_template, tmp_path_factory):
    """The app on a database of its own, with users, an article and claims; and an admin's token."""
    folder = tmp_path_factory.mktemp("schemathesis")
    shutil.copy(sqlite_template, folder / "workbench.sqlite3")
    # No URL import may leave the machine, and none reaches loopback either.
    app = make_test_app(f"sqlite:///{folder / 'workbench.sqlite3'}", folder / "instance",
                        FETCH_ALLOW_PRIVATE=False, FETCH_TIMEOUT=1.0)
    with app.app_context():
        db = get_session()
        admin = create_user(db, username="admin", password="admin-password", role="admin")
        checker = create_user(db, username="checker", password="checker-password", role="checker")
        article = factories.make_article(db, checker)
        for words in ("The first paragraph", "says a thing", "The second one", "says more"):
            factories.make_claim(db, article, checker, words, verdict="false", rationale="Checked.",
                                 tags=["tolls"])
        token = create_token(db, admin)
    yield app, token
    from workbench.store.db import get_engine

    get_engine(app).dispose()


def _description() -> dict:
    """The description an app serves, read from one made for the purpose (its database never opened):
    the operations must be known when the tests are collected (a schema from a fixture is not
    parametrized under this pytest)."""
    with tempfile.TemporaryDirectory() as folder:
        return openapi.document(make_test_app(f"sqlite:///{folder}/unused.sqlite3", Path(folder) / "instance"))


DESCRIPTION = _description()
# Paths in reverse order: claims are made (POST to a container) before any is withdrawn (DELETE).
schema = schemathesis.openapi.from_dict(dict(DESCRIPTION, paths=dict(reversed(DESCRIPTION["paths"].items()))))


def test_the_description_tested_is_the_one_served(described_app):
    app, _ = described_app
    response = app.test_client().get("/api/openapi.json")
    assert response.status_code == 200
    assert response.get_json() == DESCRIPTION


@schema.parametrize()
@settings(max_examples=MAX_EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True,
          database=None)
def test_every_operation_answers_as_described(case, described_app):
    app, token = described_app
    if case.query and case.query.get("format") == "pdf":
        # A PDF export starts Chromium: the HTML report it prints is the same document, asked for as HTML.
        case.query["format"] = "html"
    if case.headers and isinstance(case.headers.get("If-Match"), str):
        # No drawn ETag is the current one, and a stale one is refused before the body is read: "*"
        # (whatever the current version is) lets the drawn bodies reach the parser.
        case.headers["If-Match"] = "*"
    # The WSGI transport hands the body over as sent, undecoded: the answers are checked as plain
    # JSON (tests/http/test_container_reads.py checks that gzip gives the same bytes).
    case.call_and_validate(headers={"Authorization": f"Bearer {token}", "Accept-Encoding": "identity"},
                           checks=CHECKS, app=app)
