"""One structured (JSON) log line per request: method, path, status, duration, user, request id."""

from __future__ import annotations

import json
import logging
import sys
import time
import uuid
from collections.abc import Mapping

from flask import Flask, g, request

logger = logging.getLogger("workbench.request")


#: gunicorn's access-log atoms (``%(h)s`` and so on) under the request log's own names.
_ACCESS_FIELDS = {"h": "remote", "m": "method", "U": "path", "q": "query", "s": "status", "B": "bytes",
                  "D": "duration_us", "a": "user_agent", "{x-request-id}i": "request_id"}


class JsonFormatter(logging.Formatter):
    """One JSON object a line: the request log's fields, gunicorn's access-log fields, or a message
    (with its traceback, if any, in the same line)."""

    def format(self, record: logging.LogRecord) -> str:
        data = {"ts": round(record.created, 3), "level": record.levelname.lower(), "logger": record.name}
        fields = getattr(record, "fields", None)
        if fields:
            data.update(fields)
        elif record.name == "gunicorn.access" and isinstance(record.args, Mapping):
            data.update({name: record.args[atom] for atom, name in _ACCESS_FIELDS.items()})
            data["status"] = int(data["status"]) if str(data["status"]).isdigit() else data["status"]
        else:
            data["message"] = record.getMessage()
        if record.exc_info:
            data["exception"] = self.formatException(record.exc_info)
        return json.dumps(data, ensure_ascii=False, default=str)


def init_app(app: Flask) -> None:
    if not logger.handlers and not app.config.get("TESTING"):
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(JsonFormatter())
        logger.addHandler(handler)
        if logger.level == logging.NOTSET:  # a level set by the deployment wins
            logger.setLevel(logging.INFO)
        logger.propagate = False

    @app.before_request
    def _start_timer():
        g.request_started = time.perf_counter()
        g.request_id = request.headers.get("X-Request-Id") or uuid.uuid4().hex[:16]

    @app.after_request
    def _log_request(response):
        started = g.get("request_started")
        user = g.get("user")
        fields = {
            "method": request.method,
            "path": request.path,
            "status": response.status_code,
            "duration_ms": round((time.perf_counter() - started) * 1000, 2) if started else None,
            "user": user.username if user is not None else None,
            "request_id": g.get("request_id"),
            "bytes": response.calculate_content_length(),
        }
        response.headers["X-Request-Id"] = fields["request_id"] or ""
        logger.info("request", extra={"fields": fields})
        return response
