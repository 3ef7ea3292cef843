"""The JSON API's blueprint (bearer tokens only). Errors use the shape ``{"error": {"code", "message"}}``."""

from flask import Blueprint

api = Blueprint("api", __name__, url_prefix="/api")


@api.after_app_request
def _protocol_headers(response):
    # App-wide, so that answers made before a view is chosen (405, OPTIONS) get them too.
    from workbench.web.api.protocol import add_protocol_headers

    return add_protocol_headers(response)
