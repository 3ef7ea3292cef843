"""Sign in and sign out."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, url_for

from workbench.errors import TooManyRequestsError
from workbench.services import accounts
from workbench.store.db import get_session
from workbench.web import auth, throttle

bp = Blueprint("auth", __name__)


def _safe_next(target: str | None) -> str:
    # Only same-site paths: an open redirect would let a phishing link borrow our sign-in page.
    if target and target.startswith("/") and not target.startswith("//") and not urlsplit(target).netloc:
        return target
    return url_for("articles.index")


@bp.route("/login", methods=["GET", "POST"])
@auth.requires("public")
def login():
    if request.method == "POST":
        username = request.form.get("username", "")
        try:
            throttle.check_sign_in(username)
        except TooManyRequestsError as err:
            return render_template("auth/login.html", error=err.message, username=username), 429, \
                {"Retry-After": str(err.retry_after)}
        user = accounts.authenticate(get_session(), username, request.form.get("password", ""))
        if user is None:
            throttle.note_sign_in_failure(username)
            return render_template("auth/login.html", error="Wrong username or password.", username=username), 401
        throttle.note_sign_in_success(username)
        auth.login(user)
        return redirect(_safe_next(request.args.get("next")))
    if auth.current_user() is not None:
        return redirect(_safe_next(request.args.get("next")))
    return render_template("auth/login.html")


@bp.post("/logout")
@auth.requires("public")
def logout():
    auth.logout(get_session())
    flash("You are signed out, on every device.", "info")
    return redirect(url_for("auth.login"))
