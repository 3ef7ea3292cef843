"""Blueprints: HTML pages under ``views/html`` and the JSON API under ``views/api``."""

from flask import Flask


def register_blueprints(app: Flask) -> None:
    from workbench.views.api import api
    from workbench.views.html import admin, articles, auth, claims, exports, health, review, revisions
    from workbench.views.params import IdConverter

    # Before any route is added: every <int:…> gets the ids' range (see views.params).
    app.url_map.converters["int"] = IdConverter
    app.register_blueprint(auth.bp)
    app.register_blueprint(articles.bp)
    app.register_blueprint(claims.bp)
    app.register_blueprint(review.bp)
    app.register_blueprint(exports.bp)
    app.register_blueprint(revisions.bp)
    review.init_nav(app)
    app.register_blueprint(admin.bp)
    app.register_blueprint(health.bp)
    app.register_blueprint(api)
