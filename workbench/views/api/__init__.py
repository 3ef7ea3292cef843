"""The JSON API (bearer tokens only). Errors use the shape ``{"error": {"code", "message"}}``."""

from flask import Blueprint

api = Blueprint("api", __name__, url_prefix="/api")

from workbench.views.api import annotations, articles, exports  # noqa: E402,F401  (routes register on import)
