"""Errors that services raise: each carries a stable code, a message and an HTTP status.

``workbench.web.errors`` presents them (the API's error object, the error pages).
"""

from __future__ import annotations


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


class NotAcceptableError(WorkbenchError):
    """The client accepts no media type the resource can be given in."""

    status, code = 406, "not_acceptable"


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
    """The disk is full or the database read-only: nothing could be saved (see ``workbench.store.storage``)."""

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
