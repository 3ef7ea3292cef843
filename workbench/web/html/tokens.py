"""The Tokens page: every signed-in user's API tokens (an admin's: everyone's), made, listed and revoked.

A new token is shown once, in the answer to the request that made it: never stored, flashed or
put in a cookie, and the answer is not to be cached.
"""

from __future__ import annotations

from flask import Blueprint, flash, render_template, request, url_for

from workbench.errors import WorkbenchError
from workbench.services import accounts
from workbench.store.db import get_session
from workbench.web import auth
from workbench.web.htmx import is_htmx, redirect_to

bp = Blueprint("tokens", __name__, url_prefix="/tokens")


def _page(status: int = 200, **context):
    """The page, or for htmx the part of it that changes (``tokens/_tokens.html``)."""
    db, user = get_session(), auth.current_user()
    listed = accounts.list_tokens(db, actor=user)
    template = "tokens/_tokens.html" if is_htmx() else "tokens/index.html"
    body = render_template(template, tokens=listed, sees_all=accounts.role_allows(user.role, "manage_tokens"),
                           resolution_minutes=int(accounts.TOKEN_USE_RESOLUTION.total_seconds() // 60),
                           form=context.pop("form", {}), **context)
    return body, status, {"Cache-Control": "no-store"}


@bp.get("")
@auth.requires("read")
def index():
    return _page()


@bp.post("")
@auth.requires("read")
def create():
    form = request.form
    name, read_only = form.get("name", ""), form.get("access") == "read"
    try:
        token = accounts.create_named_token(get_session(), user=auth.current_user(), name=name, read_only=read_only)
    except WorkbenchError as err:
        return _page(err.status, error=err.message, form=form)
    return _page(201, created={"name": name.strip(), "token": token, "read_only": read_only})


@bp.post("/<int:token_id>/revoke")
@auth.requires("read")
def revoke(token_id: int):
    token = accounts.revoke_token(get_session(), token_id=token_id, actor=auth.current_user())
    message = f"Token {token.label or token.prefix + '…'} is revoked: requests with it are refused."
    if is_htmx():
        return _page(flash_message=message)
    flash(message, "success")
    return redirect_to(url_for("tokens.index"))
