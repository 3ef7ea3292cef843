"""Blueprints: HTML pages under ``views/html`` and the JSON API under ``views/api``."""

from flask import Flask


def register_blueprints(app: Flask) -> None:
    from workbench.views.api import api
    from workbench.views.html import admin, articles, auth, claims, exports, health, review, revisions

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
