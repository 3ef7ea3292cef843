"""``GET /api/articles/{id}/export?format=…&include=…``."""

from __future__ import annotations

from flask import Response, request

from workbench.services import articles
from workbench.services.exports import html_report
from workbench.services.exports.service import build, stream_report
from workbench.store.db import get_session
from workbench.web import auth
from workbench.web.api.blueprint import api
from workbench.web.links import links


def file_response(export, *, download: bool = True) -> Response:
    response = Response(export.content, mimetype=export.media_type.split(";")[0])
    response.headers["Content-Type"] = export.media_type
    disposition = "attachment" if download else "inline"
    response.headers["Content-Disposition"] = f'{disposition}; filename="{export.filename}"'
    if not download and export.media_type.startswith("text/html"):
        # Shown in the browser: under the app's policy (no inline style) the report would lose its
        # styling, so it gets a stricter one of its own that allows just its stylesheet.
        response.headers["Content-Security-Policy"] = html_report.content_security_policy(export.content)
    return response


@api.get("/articles/<int:article_id>/export")
@auth.requires("read")
def export_article(article_id: int):
    db = get_session()
    article = articles.get_article(db, article_id)
    fmt, include = request.args.get("format", "html"), request.args.get("include", "approved")
    download = request.args.get("download") == "1"
    if fmt == "html":
        return streamed_response(stream_report(db, article=article, include=include, links=links()), download=download)
    export = build(db, article=article, fmt=fmt, include=include, links=links())
    return file_response(export, download=download)


def streamed_response(report, *, download: bool) -> Response:
    """The HTML report sent as it is made: a long one starts at once and is never held whole."""
    response = Response(report.chunks, mimetype=report.media_type.split(";")[0])
    response.headers["Content-Type"] = report.media_type
    disposition = "attachment" if download else "inline"
    response.headers["Content-Disposition"] = f'{disposition}; filename="{report.filename}"'
    if not download:
        response.headers["Content-Security-Policy"] = report.security_policy
    return response
