"""One structured (JSON) log line per request: method, path, status, duration, user, request id."""

from __future__ import annotations

import json
import logging
import sys
import time
import uuid

from flask import Flask, g, request

logger = logging.getLogger("workbench.request")


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        data = {"ts": round(record.created, 3), "level": record.levelname.lower(), "logger": record.name}
        data.update(getattr(record, "fields", {}) or {"message": record.getMessage()})
        return json.dumps(data, ensure_ascii=False)


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
