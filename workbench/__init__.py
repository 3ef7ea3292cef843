"""Workbench: a fact-check and annotation workbench for newsrooms."""

from __future__ import annotations

from pathlib import Path

from flask import Flask


def create_app(test_config: dict | None = None) -> Flask:
    """Application factory (``flask --app workbench``)."""
    from workbench.config import STATIC_DIR, TEMPLATES_DIR, default_instance_path

    # The instance folder: a test's, else where WORKBENCH_INSTANCE_PATH says, else instance/ at the
    # top of a checkout or in the current directory (see config.default_instance_path).
    instance_path = (test_config or {}).get("INSTANCE_PATH") or default_instance_path()
    app = Flask(
        __name__,
        instance_path=str(instance_path),
        instance_relative_config=True,
        template_folder=str(TEMPLATES_DIR),
        static_folder=str(STATIC_DIR),
    )
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)

    from workbench import cli
    from workbench.config import load_config
    from workbench.store import db
    from workbench.web import (
        auth,
        compression,
        csrf,
        fragments,
        htmx,
        request_input,
        request_log,
        security,
        templating,
        throttle,
    )
    from workbench.web.blueprints import register_blueprints
    from workbench.web.errors import register_error_handlers

    load_config(app, test_config)
    db.init_app(app)
    request_log.init_app(app)
    compression.init_app(app)  # runs after every other after_request but the log's
    throttle.init_app(app)
    auth.init_app(app)
    request_input.init_app(app)  # after auth: an error page still shows who is signed in
    csrf.init_app(app)
    security.init_app(app)
    htmx.init_app(app)
    templating.init_app(app)
    fragments.init_app(app)
    register_error_handlers(app)
    register_blueprints(app)
    cli.init_app(app)
    return app
