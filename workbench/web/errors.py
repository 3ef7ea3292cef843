"""The one app-level handler that presents every error.

API paths get ``{"error": {"code", "message"}}``; pages get ``errors/<status>.html``
or, for htmx requests, the inline flash fragment with the same message.
"""

from __future__ import annotations

import sqlite3

import psycopg
from flask import Flask, g, jsonify, render_template, request
from sqlalchemy.exc import DBAPIError
from werkzeug.exceptions import HTTPException, MethodNotAllowed

from workbench.errors import StorageUnavailableError, WorkbenchError

_HTTP_CODES = {
    400: "malformed",
    401: "unauthenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    413: "too_large",
    414: "uri_too_long",
    415: "unsupported_media_type",
    431: "headers_too_large",
    429: "too_many_requests",
}


def wants_json() -> bool:
    return request.path.startswith("/api/")


def _present(status: int, code: str, message: str, details: dict | None = None):
    if wants_json():
        response = jsonify({"error": {"code": code, "message": message, **(details or {})}})
        response.status_code = status
        return response
    from workbench.web.htmx import is_htmx

    if is_htmx():
        # htmx 4 swaps error responses too; static/js/errors.js shows a fragment marked so in the
        # form that sent the request instead, so what the user typed there stays.
        body = render_template("_flash.html", messages=[("error", message)])
        return body, status, {"X-Workbench-Error": "inline"}
    else:
        template = f"errors/{status}.html" if status in (403, 404, 410, 503) else "errors/generic.html"
        body = render_template(template, status=status, message=message, details=details or {})
    return body, status


def _with_challenge(response, status: int):
    """A 401 from the API says how to authenticate (RFC 6750): a bearer token, and whether the
    one sent was refused."""
    if status == 401 and wants_json():
        challenge = 'Bearer realm="workbench"'
        if g.get("auth_error"):
            challenge += ', error="invalid_token", error_description="The API token is not valid."'
        response.headers["WWW-Authenticate"] = challenge
    return response


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(WorkbenchError)
    def _workbench_error(err: WorkbenchError):
        response = app.make_response(_present(err.status, err.code, err.message, err.details))
        response.headers.update(err.headers)
        return _with_challenge(response, err.status)

    @app.errorhandler(HTTPException)
    def _http_error(err: HTTPException):
        status = err.code or 500
        if status == 413:
            limit = app.config["MAX_IMPORT_BYTES"]
            message = f"The request is larger than the limit of {limit // (1024 * 1024)} MB."
        else:
            message = err.description or err.name
        response = app.make_response(_present(status, _HTTP_CODES.get(status, "http_error"), message))
        if isinstance(err, MethodNotAllowed) and err.valid_methods:
            # HTTP requires it on a 405: the methods the resource does take.
            response.headers["Allow"] = ", ".join(sorted(set(err.valid_methods)))
        return _with_challenge(response, status)

    @app.errorhandler(Exception)
    def _unexpected(err: Exception):  # pragma: no cover - last resort
        app.logger.exception("unhandled error")
        return _present(500, "internal_error", "Something went wrong on the server; nothing was saved.")

    def _storage_failure(part: str, state: str | None, err: Exception):
        from workbench.store import storage

        # What the answer shows (the navigation's counts) is read outside any write transaction
        # (the unit of work that failed has rolled back): on SQLite a write transaction could not
        # even begin on a read-only database.
        if state is None:
            return _unexpected(err)
        storage.note_fault(app, part, state)
        app.logger.error("storage failure (%s %s): %s", part, state, err)
        return _workbench_error(StorageUnavailableError(storage.MESSAGES[(part, state)]))

    def _database_error(err: Exception):
        from sqlalchemy import inspect

        from workbench.services.users import user_or_none
        from workbench.store import storage
        from workbench.store.db import get_session

        # The transaction died with the error, and took what the session had loaded with it:
        # start afresh, and read the signed-in user again (the answer and the log name them).
        user = g.get("user")
        try:
            if "db_session" in g:
                g.db_session.close()
            if user is not None:
                g.user = user_or_none(get_session(), inspect(user).identity[0])
        except Exception:  # noqa: BLE001 - the database is gone altogether: answer without the user
            app.logger.warning("could not read the user again after a database error", exc_info=True)
            g.user = None
        return _storage_failure("database", storage.database_failure(err), err)

    # Wrapped by SQLAlchemy, or straight from the driver (statements run on its cursor directly).
    for error_class in (DBAPIError, sqlite3.Error, psycopg.Error):
        app.register_error_handler(error_class, _database_error)

    @app.errorhandler(OSError)
    def _file_error(err: OSError):
        from workbench.store import storage

        return _storage_failure("storage", storage.file_failure(err), err)
