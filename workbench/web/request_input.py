"""What every request may carry, checked once for all routes before any view runs.

JSON bodies may nest at most ``MAX_JSON_DEPTH`` levels (400 otherwise, before parsing). No
field — path part, query parameter, form field, file name, JSON key or string — may hold a NUL
or a lone surrogate (422 ``invalid_text``, naming the field). Two exceptions: the article itself
(the fields a route names with :func:`article_content`), where a NUL is debris the cleaner drops
along with other control characters while a lone surrogate is still refused; and URLs sent in a
form or body (``URL_FIELDS``), which the one URL check refuses with every other control character
(422 ``bad_url``, shown beside the field in the form it came with).
"""

from __future__ import annotations

from typing import Callable

from flask import Flask, current_app, request
from flask.json.provider import DefaultJSONProvider

from workbench.errors import InvalidContentError, MalformedRequestError
from workbench.text.input_text import (
    MAX_JSON_DEPTH,
    json_too_deep,
    unusable_character,
    unusable_strings,
)

_CONTENT_FIELDS = "workbench_article_content"

#: Form fields and JSON keys that hold a URL: each goes through ``urls.normalize_url``, which refuses
#: NUL, lone surrogates and all other control characters itself. (A URL in the query string is a
#: search term, and is checked here like any other.)
URL_FIELDS = frozenset({"url", "source_url", "archived_url", "source", "cached", "id"})


class BoundedJSONProvider(DefaultJSONProvider):
    """Flask's JSON, refusing nesting deeper than ``MAX_JSON_DEPTH`` before the parser recurses into it."""

    def loads(self, s, **kwargs):
        # Checked first: Python's parser would recurse once per level and fail with RecursionError.
        if json_too_deep(s, MAX_JSON_DEPTH):
            raise MalformedRequestError(f"The JSON body is nested more than {MAX_JSON_DEPTH} levels deep.")
        return super().loads(s, **kwargs)


def article_content(*fields: str) -> Callable:
    """Route decorator: these form or top-level JSON fields hold the article being imported."""

    def decorator(view: Callable) -> Callable:
        setattr(view, _CONTENT_FIELDS, frozenset(fields))
        return view

    return decorator


def _refuse(field: str, what: str):
    field = field if len(field) <= 80 else field[:77] + "…"
    raise InvalidContentError(f"{field} contains {what}; remove it and send the text again.", code="invalid_text")


def _check(field: str, value: str, content: frozenset[str]) -> None:
    # In the article's own text a NUL is junk for the cleaner to drop; anything else unusable is refused.
    what = unusable_character(value.replace("\x00", "") if field in content else value)
    if what:
        _refuse(field, what)


def _is_url_field(path: str) -> bool:
    """Whether a form field or a JSON path (``body[2].state.cached``) ends in a URL field's name."""
    return path.rsplit(".", 1)[-1] in URL_FIELDS


def check_request_text() -> None:
    """Before each request: refuse unusable characters in every field the request carries."""
    view = current_app.view_functions.get(request.endpoint or "")
    content = getattr(view, _CONTENT_FIELDS, frozenset())
    for name, value in (request.view_args or {}).items():
        if isinstance(value, str):
            _check(name, value, frozenset())
    fields = list(request.args.items(multi=True))
    if request.method not in ("GET", "HEAD", "OPTIONS"):
        fields += [(name, value) for name, value in request.form.items(multi=True) if name not in URL_FIELDS]
        for name, upload in request.files.items(multi=True):
            _check(name, upload.filename or "", frozenset())
            fields.append((name, ""))
    for name, value in fields:
        if unusable_character(name):
            _refuse("A field name", unusable_character(name))
        _check(name, value, content)
    if request.is_json:
        # Parsed once here (the depth check included); views read the same parsed body.
        for path, value, is_key in unusable_strings(request.get_json(silent=True)):
            if is_key:
                _refuse(f"A key in {path}", unusable_character(value))
            if not _is_url_field(path):
                _check(path, value, content)


def init_app(app: Flask) -> None:
    app.json = BoundedJSONProvider(app)
    app.before_request(check_request_text)
