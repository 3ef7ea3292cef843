"""Admin pages: users (roles, passwords, deactivation) and settings."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for

from workbench.errors import InvalidContentError
from workbench.services import users
from workbench.store.db import get_session
from workbench.store.models import Role
from workbench.web import auth

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.get("/users")
@auth.requires("manage_users")
def list_users():
    return render_template("admin/users.html", users=users.list_users(get_session()), roles=list(Role))


@bp.post("/users")
@auth.requires("manage_users")
def create_user():
    form = request.form
    try:
        user = users.create_user(get_session(), username=form.get("username", ""), password=form.get("password", ""),
                                 role=form.get("role", "viewer"), display_name=form.get("display_name", ""))
    except InvalidContentError as err:
        return render_template("admin/users.html", users=users.list_users(get_session()), roles=list(Role),
                               error=err.message, form=form), 422
    flash(f"Added {user.username} as {user.role}.", "success")
    return redirect(url_for("admin.list_users"))


@bp.post("/users/<int:user_id>/role")
@auth.requires("manage_users")
def change_role(user_id: int):
    db = get_session()
    user = users.set_role(db, user=users.get_user(db, user_id), role=request.form.get("role", ""),
                          actor=auth.current_user())
    flash(f"{user.username} is now {user.role}.", "success")
    return redirect(url_for("admin.list_users"))


@bp.post("/users/<int:user_id>/password")
@auth.requires("manage_users")
def set_password(user_id: int):
    db = get_session()
    user, actor = users.get_user(db, user_id), auth.current_user()
    try:
        users.set_password(db, user=user, password=request.form.get("password", ""))
    except InvalidContentError as err:
        return render_template("admin/users.html", users=users.list_users(db), roles=list(Role),
                               row_error=err.message), 422
    if user.id == actor.id:
        auth.login(user)  # one's own new password ends one's other sessions, not this one
        flash("Your password is set; your other sessions have ended.", "success")
    else:
        flash(f"The password of {user.username} is set; their sessions have ended.", "success")
    return redirect(url_for("admin.list_users"))


@bp.post("/users/<int:user_id>/active")
@auth.requires("manage_users")
def set_active(user_id: int):
    db = get_session()
    active = request.form.get("active") == "1"
    try:
        user = users.set_active(db, user=users.get_user(db, user_id), active=active, actor=auth.current_user())
    except InvalidContentError as err:
        return render_template("admin/users.html", users=users.list_users(db), roles=list(Role),
                               row_error=err.message), 422
    flash(f"{user.username} is {'active again' if active else 'deactivated'}.", "success")
    return redirect(url_for("admin.list_users"))


@bp.route("/settings", methods=["GET", "POST"])
@auth.requires("manage_users")
def settings():
    from workbench.services.settings import get_setting, set_setting

    db = get_session()
    if request.method == "POST":
        set_setting(db, key="FOUR_EYES", value=request.form.get("four_eyes") == "on", actor=auth.current_user())
        flash("Settings saved.", "success")
        return redirect(url_for("admin.settings"))
    return render_template("admin/settings.html", four_eyes=bool(get_setting(db, "FOUR_EYES")))
