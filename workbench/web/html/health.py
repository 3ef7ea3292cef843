"""Health check for load balancers: the app answers, and which part fails when one does.

``{"status": "ok" | "degraded", "checks": {"database": …, "storage": …}}``, 503 when degraded
(states in ``workbench.store.storage``). It reads no session or token: it answers in JSON when the
database is down, whoever asks.
"""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, current_app, jsonify

from workbench.store import storage
from workbench.store.db import get_engine
from workbench.web import auth

bp = Blueprint("health", __name__)


@bp.get("/healthz")
@auth.requires("public")
@auth.without_user
def healthz():
    app = current_app._get_current_object()
    probes = {"database": lambda: storage.probe_database(get_engine(app)),
              "storage": lambda: storage.probe_folder(Path(app.instance_path))}
    checks = {}
    for part, probe in probes.items():
        state = probe()
        # What a probe cannot see (the last free page of the database went), a request just met.
        checks[part] = state if state != storage.OK else (storage.recent_fault(app, part) or storage.OK)
    healthy = all(state == storage.OK for state in checks.values())
    response = jsonify({"status": "ok" if healthy else "degraded", "checks": checks})
    response.status_code = 200 if healthy else 503
    return response
