"""HTML pages and the htmx fragments they update."""

from flask import request


def form_version() -> int | None:
    """The claim version a form was built from (its hidden ``version`` field), if any."""
    value = request.form.get("version", "")
    return int(value) if value.isdigit() else None
