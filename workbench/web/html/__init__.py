"""HTML pages and the htmx fragments they update."""

from flask import request

from workbench.errors import InvalidContentError
from workbench.web.params import MAX_ID, whole_number


def form_version() -> int | None:
    """The claim version a form was built from (its hidden ``version`` field), if any."""
    value = request.form.get("version", "")
    if not value.strip():
        return None
    version = whole_number(value)
    if version is None or version > MAX_ID:
        raise InvalidContentError(f"The form's version must be a whole number, not {value[:40]!r}; reload the page.",
                                  code="bad_parameter")
    return version
