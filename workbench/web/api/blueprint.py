"""The JSON API's blueprint (bearer tokens only). Errors use the shape ``{"error": {"code", "message"}}``."""

from flask import Blueprint

api = Blueprint("api", __name__, url_prefix="/api")
