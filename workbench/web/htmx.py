"""Helpers for answering htmx requests with a fragment and plain requests with the page."""

from __future__ import annotations

from flask import Flask, redirect, request


def is_htmx() -> bool:
    """True for an htmx request, except history restores, which need the whole page."""
    return request.headers.get("HX-Request") == "true" and request.headers.get("HX-History-Restore-Request") != "true"


def redirect_to(target: str):
    """Go to ``target``: htmx follows HX-Redirect (a full navigation), a plain request a 302."""
    if is_htmx():
        return "", 200, {"HX-Redirect": target}
    return redirect(target)


def init_app(app: Flask) -> None:
    @app.after_request
    def _vary_on_hx_request(response):
        # Pages and fragments share URLs; caches must keep them apart.
        response.vary.add("HX-Request")
        return response
