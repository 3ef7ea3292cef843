"""Health check for load balancers: the app answers and the database responds."""

from __future__ import annotations

from flask import Blueprint, jsonify
from sqlalchemy import text

from workbench import auth
from workbench.db import get_session

bp = Blueprint("health", __name__)


@bp.get("/healthz")
@auth.requires("public")
def healthz():
    get_session().exec(text("SELECT 1"))
    return jsonify({"status": "ok"})
