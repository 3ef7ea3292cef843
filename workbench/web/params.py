"""Whole numbers from the URL, the query string and forms, within what the database can hold.

Every id column is a 32-bit integer on PostgreSQL (64-bit on SQLite), and a number beyond it
fails inside the driver. So ``<int:…>`` in every route accepts 1 to 2**31 - 1 only (any other
path is 404, like an id that does not exist); ids in the query string or a form outside that
range are 404 too; and a count or offset that is not a whole number in range is 422.
"""

from __future__ import annotations

from flask import request
from werkzeug.exceptions import NotFound
from werkzeug.routing import IntegerConverter

from workbench.errors import InvalidContentError, NotFoundError

#: The largest id any table can hold on every supported database (PostgreSQL's INTEGER).
MAX_ID = 2**31 - 1


class IdConverter(IntegerConverter):
    """``<int:…>``: ASCII digits naming 1 to ``MAX_ID``; anything else is 404."""

    regex = r"[0-9]+"

    def to_python(self, value: str) -> int:
        number = int(value)
        if not 1 <= number <= MAX_ID:
            # Not a ValidationError: that would let the router answer 405 when a route with
            # another method has the same path. No row has this id, whatever the method.
            raise NotFound(f"There is nothing numbered {value[:40]} here.")
        return number


def whole_number(text: str) -> int | None:
    """``text`` as a non-negative whole number in ASCII digits (no sign, point or exponent), else None."""
    text = text.strip()
    # isdecimal() also admits other scripts' digits; int() would read them, but no client means them.
    if not text or not text.isascii() or not text.isdecimal() or len(text) > 19:
        return None
    return int(text)


def id_value(raw: str | None, *, thing: str) -> int | None:
    """An id given as text (a query parameter or form field): None when absent or empty.

    :raises InvalidContentError: not a whole number (422).
    :raises NotFoundError: a number no row can have (404).
    """
    if raw is None or raw.strip() == "":
        return None
    number = whole_number(raw)
    if number is None:
        if raw.strip().isascii() and raw.strip().isdecimal():  # too many digits to be an id
            raise NotFoundError(f"There is no {thing} {raw.strip()[:40]}.")
        raise InvalidContentError(f"{thing} must be a whole number, not {raw[:40]!r}.", code="bad_parameter")
    if not 1 <= number <= MAX_ID:
        raise NotFoundError(f"There is no {thing} {number}.")
    return number


def id_arg(name: str, *, thing: str | None = None) -> int | None:
    """The query parameter ``name`` as an id (see :func:`id_value`)."""
    return id_value(request.args.get(name), thing=thing or name)


def count_arg(name: str, default: int, *, maximum: int = MAX_ID, minimum: int = 0) -> int:
    """A paging parameter (offset, limit, page): a whole number from ``minimum`` (0 unless said)
    to ``maximum``, else 422 naming the parameter."""
    raw = request.args.get(name)
    if raw is None or raw.strip() == "":
        return default
    number = whole_number(raw)
    if number is None or not minimum <= number <= maximum:
        raise InvalidContentError(f"{name} must be a whole number from {minimum} to {maximum}, not {raw[:40]!r}.",
                                  code="bad_parameter")
    return number
