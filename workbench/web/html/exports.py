"""The article page's export panel: build a file (progress shown meanwhile), then download it."""

from __future__ import annotations

import json
import re
import secrets
import time
from pathlib import Path

from flask import (
    Blueprint,
    current_app,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)

from workbench.errors import NotFoundError, WorkbenchError
from workbench.services import articles
from workbench.services.exports.service import FORMATS, build
from workbench.store.db import get_session
from workbench.web import auth
from workbench.web.htmx import is_htmx
from workbench.web.links import links

bp = Blueprint("exports", __name__)
KEEP_SECONDS = 24 * 3600
_KEY = re.compile(r"[A-Za-z0-9_-]{1,64}")


def _folder() -> Path:
    folder = Path(current_app.instance_path) / "exports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _forget_old(folder: Path) -> None:
    cutoff = time.time() - KEEP_SECONDS
    for path in folder.iterdir():
        if path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)


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
    folder = _folder()
    _forget_old(folder)
    key = secrets.token_urlsafe(18)
    try:
        (folder / key).write_bytes(export.content)
        (folder / f"{key}.json").write_text(json.dumps({"media_type": export.media_type,
                                                        "filename": export.filename,
                                                        "user_id": auth.current_user().id}))
    except OSError:
        # A full disk fails either write (503, see workbench.store.storage): leave no half of an export.
        for path in (folder / key, folder / f"{key}.json"):
            path.unlink(missing_ok=True)
        raise
    link = url_for("exports.download", key=key)
    if is_htmx():
        return render_template("exports/_ready.html", link=link, export=export, size=len(export.content))
    return redirect(link)


@bp.get("/exports/<key>")
@auth.requires("read")
def download(key: str):
    folder = _folder()
    meta_path = folder / f"{key}.json"
    # Keys are token_urlsafe(18): anything else names no export (and no other file, nor too long a name).
    if not _KEY.fullmatch(key) or not meta_path.exists():
        raise NotFoundError("This export has expired; build it again from the article page.")
    meta = json.loads(meta_path.read_text())
    if meta["user_id"] != auth.current_user().id:
        raise NotFoundError("This export has expired; build it again from the article page.")
    return send_file(folder / key, mimetype=meta["media_type"].split(";")[0], as_attachment=True,
                     download_name=meta["filename"])


def formats() -> list[tuple[str, str]]:
    labels = {"html": "Annotated report (HTML)", "pdf": "Annotated report (PDF)", "md": "Markdown", "csv": "CSV",
              "jsonld": "W3C Web Annotations (JSON-LD)", "claimreview": "ClaimReview (JSON-LD)"}
    return [(key, labels[key]) for key in FORMATS]
