"""Every blueprint, registered on the app: HTML pages (``web/html``) and the JSON API (``web/api``)."""

from flask import Flask

from workbench.web.api import annotations as api_annotations  # noqa: F401  (routes register on import)
from workbench.web.api import articles as api_articles  # noqa: F401
from workbench.web.api import exports as api_exports  # noqa: F401
from workbench.web.api import openapi as api_openapi  # noqa: F401
from workbench.web.api.blueprint import api
from workbench.web.html import (
    admin,
    articles,
    auth,
    claims,
    exports,
    health,
    review,
    revisions,
    tokens,
)
from workbench.web.params import IdConverter


def register_blueprints(app: Flask) -> None:
    # Before any route is added: every <int:…> gets the ids' range (see web.params).
    app.url_map.converters["int"] = IdConverter
    app.register_blueprint(auth.bp)
    app.register_blueprint(articles.bp)
    app.register_blueprint(claims.bp)
    app.register_blueprint(review.bp)
    app.register_blueprint(exports.bp)
    app.register_blueprint(revisions.bp)
    review.init_nav(app)
    app.register_blueprint(admin.bp)
    app.register_blueprint(tokens.bp)
    app.register_blueprint(health.bp)
    app.register_blueprint(api)
