"""Errors that services raise, and the one app-level handler that presents them.

API paths get ``{"error": {"code", "message"}}``; pages get ``errors/<status>.html``
or, for htmx requests, the inline flash fragment with the same message.
"""

from __future__ import annotations

import sqlite3

import psycopg
from flask import Flask, g, jsonify, render_template, request
from sqlalchemy.exc import DBAPIError
from werkzeug.exceptions import HTTPException


class WorkbenchError(Exception):
    """A failure a user can act on: it carries a stable code, a message and an HTTP status."""

    status = 400
    code = "bad_request"
    #: Seconds after which the same request may succeed, sent as ``Retry-After``; None when it will not.
    retry_after: int | None = None

    def __init__(self, message: str, *, code: str | None = None, status: int | None = None,
                 details: dict | None = None):
        super().__init__(message)
        self.message = message
        #: More for the client beside code and message (the API adds it to the error object).
        self.details = details or {}
        if code:
            self.code = code
        if status:
            self.status = status

    @property
    def headers(self) -> dict[str, str]:
        """Response headers that go with this error."""
        return {"Retry-After": str(self.retry_after)} if self.retry_after is not None else {}


class MalformedRequestError(WorkbenchError):
    status, code = 400, "malformed"


class NotAuthenticatedError(WorkbenchError):
    status, code = 401, "unauthenticated"


class ForbiddenError(WorkbenchError):
    status, code = 403, "forbidden"


class NotFoundError(WorkbenchError):
    status, code = 404, "not_found"


class GoneError(WorkbenchError):
    """The thing was withdrawn: it is kept, and the answer says who withdrew it, when and why."""

    status, code = 410, "withdrawn"


class InvalidTransitionError(WorkbenchError):
    status, code = 409, "invalid_transition"


class ConflictError(WorkbenchError):
    """Something the request relied on changed meanwhile; the user must look again."""

    status, code = 409, "conflict"


class StaleVersionError(WorkbenchError):
    status, code = 412, "stale_version"


class TooLargeError(WorkbenchError):
    status, code = 413, "too_large"


class InvalidContentError(WorkbenchError):
    status, code = 422, "invalid_content"


class PreconditionRequiredError(WorkbenchError):
    status, code = 428, "precondition_required"


class TooManyRequestsError(WorkbenchError):
    """Too many failed tries (sign-in, API token): wait ``retry_after`` seconds, sent as Retry-After."""

    status, code = 429, "too_many_requests"

    def __init__(self, message: str, *, retry_after: int):
        super().__init__(message)
        self.retry_after = retry_after


class StorageUnavailableError(WorkbenchError):
    """The disk is full or the database read-only: nothing could be saved (see ``workbench.storage``)."""

    status, code = 503, "storage_unavailable"


class FetchError(WorkbenchError):
    """The URL could not be fetched (network failure, timeout, bad status)."""

    status, code = 502, "fetch_failed"


class BusyError(WorkbenchError):
    """Too much of this work is under way already; the same request may succeed a little later."""

    status, code = 503, "busy"

    def __init__(self, message: str, *, retry_after: int):
        super().__init__(message)
        self.retry_after = retry_after


_HTTP_CODES = {
    400: "malformed",
    401: "unauthenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    413: "too_large",
    429: "too_many_requests",
}


def wants_json() -> bool:
    return request.path.startswith("/api/")


def _present(status: int, code: str, message: str, details: dict | None = None):
    if wants_json():
        response = jsonify({"error": {"code": code, "message": message, **(details or {})}})
        response.status_code = status
        return response
    from workbench.htmx import is_htmx

    if is_htmx():
        # htmx 4 swaps error responses too: the fragment lands where the request aimed.
        body = render_template("_flash.html", messages=[("error", message)])
    else:
        template = f"errors/{status}.html" if status in (403, 404, 410, 503) else "errors/generic.html"
        body = render_template(template, status=status, message=message, details=details or {})
    return body, status


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(WorkbenchError)
    def _workbench_error(err: WorkbenchError):
        response = app.make_response(_present(err.status, err.code, err.message, err.details))
        response.headers.update(err.headers)
        return response

    @app.errorhandler(HTTPException)
    def _http_error(err: HTTPException):
        status = err.code or 500
        if status == 413:
            limit = app.config["MAX_IMPORT_BYTES"]
            message = f"The request is larger than the limit of {limit // (1024 * 1024)} MB."
        else:
            message = err.description or err.name
        return _present(status, _HTTP_CODES.get(status, "http_error"), message)

    @app.errorhandler(Exception)
    def _unexpected(err: Exception):  # pragma: no cover - last resort
        app.logger.exception("unhandled error")
        return _present(500, "internal_error", "Something went wrong on the server; nothing was saved.")

    def _storage_failure(part: str, state: str | None, err: Exception):
        from workbench import storage
        from workbench.db import get_session, read_phase

        # What the answer shows (the navigation's counts) is read outside any write transaction:
        # on SQLite a write transaction could not even begin on a read-only database.
        with read_phase(get_session()):
            if state is None:
                return _unexpected(err)
            storage.note_fault(app, part, state)
            app.logger.error("storage failure (%s %s): %s", part, state, err)
            return _workbench_error(StorageUnavailableError(storage.MESSAGES[(part, state)]))

    def _database_error(err: Exception):
        from workbench import storage

        from sqlalchemy import inspect

        from workbench.db import get_session, read_phase
        from workbench.models import User

        # The transaction died with the error, and took what the session had loaded with it:
        # start afresh, and read the signed-in user again (the answer and the log name them).
        user = g.get("user")
        try:
            if "db_session" in g:
                g.db_session.close()
            if user is not None:
                with read_phase(get_session()) as db:
                    g.user = db.get(User, inspect(user).identity[0])
        except Exception:  # noqa: BLE001 - the database is gone altogether: answer without the user
            app.logger.warning("could not read the user again after a database error", exc_info=True)
            g.user = None
        return _storage_failure("database", storage.database_failure(err), err)

    # Wrapped by SQLAlchemy, or straight from the driver (statements run on its cursor directly).
    for error_class in (DBAPIError, sqlite3.Error, psycopg.Error):
        app.register_error_handler(error_class, _database_error)

    @app.errorhandler(OSError)
    def _file_error(err: OSError):
        from workbench import storage

        return _storage_failure("storage", storage.file_failure(err), err)
