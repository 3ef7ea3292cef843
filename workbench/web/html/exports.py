"""The article page's export panel: build a file (progress shown meanwhile), then download it."""

from __future__ import annotations

from flask import (
    Blueprint,
    current_app,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)

from workbench.errors import WorkbenchError
from workbench.services import articles
from workbench.services.exports import files
from workbench.services.exports.service import FORMATS, build
from workbench.store.db import get_session
from workbench.web import auth
from workbench.web.htmx import is_htmx
from workbench.web.links import links

bp = Blueprint("exports", __name__)


@bp.post("/articles/<int:article_id>/exports")
@auth.requires("read")
def create(article_id: int):
    db = get_session()
    article = articles.get_article(db, article_id)
    fmt, include = request.form.get("format", "html"), request.form.get("include", "approved")
    try:
        export = build(db, article=article, fmt=fmt, include=include, links=links())
    except WorkbenchError as err:
        if is_htmx():
            return render_template("exports/_ready.html", error=err.message), err.status, err.headers
        raise
    key = files.keep(current_app.instance_path, export, user_id=auth.current_user().id)
    link = url_for("exports.download", key=key)
    if is_htmx():
        return render_template("exports/_ready.html", link=link, export=export, size=len(export.content))
    return redirect(link)


@bp.get("/exports/<key>")
@auth.requires("read")
def download(key: str):
    kept = files.find(current_app.instance_path, key, user_id=auth.current_user().id)
    return send_file(kept.path, mimetype=kept.media_type.split(";")[0], as_attachment=True,
                     download_name=kept.filename)


def formats() -> list[tuple[str, str]]:
    return [(key, chosen.label) for key, chosen in FORMATS.items()]
