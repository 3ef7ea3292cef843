"""Kept fragments: HTML made from one frozen value alone, the value that is also its memo key.

A page keeps a fragment (the claim list, say) for every reader whose value is equal, so the
fragment must depend on nothing else. Its template is rendered in a Jinja environment of its own
holding only the value (``view``), the pure filters, and ``url_builder`` (URLs from the site
root the value names): no request, session, current user, role check or config is reachable
from it, and a name it does not hold is an error (``StrictUndefined``), never an empty string.
"""

from __future__ import annotations

from typing import Hashable

from flask import Flask, current_app
from jinja2 import Environment, StrictUndefined
from markupsafe import Markup
from werkzeug.routing import MapAdapter

from workbench.services.rating import Verdict, verdict_css
from workbench.web.templating import format_date, format_datetime, format_datetime_iso

EXTENSION = "workbench.fragments"
#: The only names a fragment's template may use besides Jinja's own.
NAMES = frozenset({"view", "url_builder"})


def init_app(app: Flask) -> None:
    environment = Environment(loader=app.jinja_env.loader, autoescape=True, trim_blocks=True, lstrip_blocks=True,
                              undefined=StrictUndefined, auto_reload=app.jinja_env.auto_reload)
    environment.filters.update(datetime=format_datetime, date=format_date, datetime_iso=format_datetime_iso,
                               verdict_css=_verdict_css)
    url_map = app.url_map

    def url_builder(script_root: str) -> MapAdapter:
        """Builds the site's URLs (``.build(endpoint, values)``) under ``script_root``, as url_for does."""
        return url_map.bind("localhost", script_name=script_root or "/")

    environment.globals = {"url_builder": url_builder}
    app.extensions[EXTENSION] = environment


def environment(app: Flask | None = None) -> Environment:
    return (app or current_app).extensions[EXTENSION]


def render_fragment(template: str, view: Hashable) -> Markup:
    """``template`` rendered with ``view`` alone."""
    return Markup(environment().get_template(template).render(view=view))


def _verdict_css(verdict: Verdict | None) -> str:
    return verdict_css(verdict or None)
