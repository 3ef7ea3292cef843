"""Fixtures the HTTP tests share beyond those of tests/conftest.py."""

import threading

import pytest
from werkzeug.serving import make_server

from tests.helpers.factories import make_exported
from workbench.store.db import get_session
from workbench.store.models import User


@pytest.fixture
def exported(app, users):
    """Four claims: three approved (one long, one 'misleading'), one draft; payloads in user fields."""
    with app.app_context():
        db = get_session()
        return make_exported(db, db.get(User, users["checker"].id), db.get(User, users["editor"].id))


@pytest.fixture
def server(app):
    """The app behind a multi-threaded HTTP server on loopback; its base URL."""
    srv = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{srv.server_port}"
    srv.shutdown()
    srv.server_close()
