"""Cross-origin requests to the JSON API, from the origins the ``CORS_ORIGINS`` setting lists
(``WORKBENCH_CORS_ORIGINS``: origins separated by commas or spaces, ``*`` for any; empty, the
default, lets none). Pages are never shared with other origins.

The API takes bearer tokens only, never cookies, so no credentials mode is offered: a page on an
allowed origin sends its own token. Preflights (OPTIONS with Access-Control-Request-Method) are
answered before any view, without a token, as browsers send them.
"""

from __future__ import annotations

from flask import Flask, current_app, request

#: What a script on another origin may read of an answer besides the simple headers.
EXPOSED = ("ETag, Location, Link, Content-Location, Allow, Accept-Post, Preference-Applied, "
           "Retry-After, WWW-Authenticate")
ALLOWED_METHODS = "GET, HEAD, POST, PUT, DELETE, OPTIONS"
ALLOWED_HEADERS = "Authorization, Content-Type, Accept, If-Match, If-None-Match, Prefer, Slug"
#: How long a browser may keep a preflight's answer, in seconds.
MAX_AGE = "600"


def origins(setting) -> frozenset[str]:
    """The allowlist from the setting (a string, or a list of origins)."""
    items = setting.replace(",", " ").split() if isinstance(setting, str) else list(setting or ())
    return frozenset(normal(item) for item in items if item.strip())


def normal(origin: str) -> str:
    return origin.strip().rstrip("/").lower()


def allowed_origin() -> str | None:
    """The request's Origin when the API may answer it, else None."""
    if not request.path.startswith("/api/"):
        return None
    origin = request.headers.get("Origin")
    allowed = current_app.extensions["workbench_cors"]
    if not origin or not allowed:
        return None
    return origin if "*" in allowed or normal(origin) in allowed else None


def answer_preflight():
    if request.method != "OPTIONS" or "Access-Control-Request-Method" not in request.headers:
        return None
    origin = allowed_origin()
    if origin is None:
        return None  # the ordinary OPTIONS answer, without CORS headers: the browser refuses
    response = current_app.response_class(status=204)
    response.headers["Access-Control-Allow-Methods"] = ALLOWED_METHODS
    response.headers["Access-Control-Allow-Headers"] = ALLOWED_HEADERS
    response.headers["Access-Control-Max-Age"] = MAX_AGE
    return response


def add_cors_headers(response):
    if not current_app.extensions["workbench_cors"] or not request.path.startswith("/api/"):
        return response
    response.vary.add("Origin")  # the answer differs by origin: caches must keep them apart
    origin = allowed_origin()
    if origin is not None:
        response.headers["Access-Control-Allow-Origin"] = origin
        response.headers["Access-Control-Expose-Headers"] = EXPOSED
    return response


def init_app(app: Flask) -> None:
    app.extensions["workbench_cors"] = origins(app.config.get("CORS_ORIGINS", ""))
    # First of all: a preflight needs no user, no token and no body checks.
    app.before_request_funcs.setdefault(None, []).insert(0, answer_preflight)
    app.after_request(add_cors_headers)
