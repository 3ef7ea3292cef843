"""Article pages: the list, the reading view, and import with its kept/dropped preview."""

from __future__ import annotations

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)

from workbench.errors import InvalidContentError, NotFoundError, WorkbenchError
from workbench.services import articles, claims, imports
from workbench.services.ingest import fetch_with_settings, media_type_for_upload
from workbench.services.schemas import ArticleMeta, parse_date
from workbench.store.db import get_session
from workbench.text import rescue
from workbench.web import auth
from workbench.web.htmx import is_htmx, redirect_to
from workbench.web.params import id_arg, id_value, whole_number
from workbench.web.request_input import article_content

bp = Blueprint("articles", __name__)

IMPORT_VIAS = ("paste", "upload", "url")
PAGE_SIZE = 50


@bp.get("/")
@auth.requires("read")
def home():
    return redirect(url_for("articles.index"))


@bp.get("/articles")
@auth.requires("read")
def index():
    search = request.args.get("q", "")
    rows, total = articles.list_articles(get_session(), search=search, limit=PAGE_SIZE)
    template = "articles/_rows.html" if is_htmx() else "articles/index.html"
    return render_template(template, articles=rows, total=total, search=search)


@bp.get("/articles/<int:article_id>")
@auth.requires("read")
def show(article_id: int):
    from workbench.web.html.claims import workspace_context

    db = get_session()
    number = id_arg("revision")
    if number is None:
        # The page's text comes from the memo while the revision's digest and highlights are the same.
        article, revision = articles.get_article_and_revision(db, article_id, with_text=False)
    else:
        article = articles.get_article(db, article_id)
        revision = articles.get_revision(db, article, number)
    selected = None
    claim_id = id_arg("claim")
    if claim_id:
        selected = claims.get_claim(db, claim_id)
        if selected.article_id != article.id:
            raise NotFoundError(f"Claim {claim_id} is not on this article.")
    return render_template("articles/show.html", **workspace_context(article, revision, selected=selected))


def _revision_target():
    """The article a new revision is for (``article`` in the query or form), or None for a new article."""
    article_id = id_value(request.values.get("article"), thing="article")
    return articles.get_article(get_session(), article_id) if article_id else None


@bp.get("/import")
@auth.requires("import_article")
def import_form():
    via = request.args.get("via", "paste")
    via = via if via in IMPORT_VIAS else "paste"
    return render_template("articles/import.html", via=via, values={}, target=_revision_target())


@bp.post("/import")
@auth.requires("import_article")
@article_content("content", "content_html")
def import_preview():
    """Clean the input and show the preview; nothing is saved as an article yet."""
    via = request.form.get("via", "paste")
    config = current_app.config
    target = _revision_target()  # read before fetching and cleaning, which hold no write lock
    try:
        data, media_type, origin, charset, source_url = _read_import_input(via)
        draft = imports.start_import(get_session(), actor=auth.current_user(), data=data, media_type=media_type,
                                      origin=origin, charset=charset, source_url=source_url,
                                      max_bytes=config["MAX_IMPORT_BYTES"], article=target,
                                      fallback=_paste_fallback(via, media_type))
    except WorkbenchError as err:
        values = {k: v for k, v in request.form.items() if k != "csrf_token"}
        return render_template("articles/import.html", via=via, values=values, error=err.message,
                               target=target), err.status, err.headers
    if request.form.get("title", "").strip():
        imports.retitle_draft(get_session(), draft=draft, title=request.form["title"].strip())
    # htmx navigates to the preview itself, after showing progress while the import ran.
    return redirect_to(url_for("articles.review_import", key=draft.key))


def _read_import_input(via: str) -> tuple[bytes, str, str, str | None, str | None]:
    """(bytes, media type, origin, charset, source URL) from whichever import form was used."""
    config = current_app.config
    if via == "upload":
        upload = request.files.get("file")
        if upload is None or not upload.filename:
            raise InvalidContentError("Choose a file to upload (.html, .htm, .txt or .md).", code="no_file")
        media_type = media_type_for_upload(upload.filename)
        return upload.read(), media_type, f"upload:{upload.filename}", None, None
    if via == "url":
        url = request.form.get("url", "").strip()
        if not url:
            raise InvalidContentError("Give the address (URL) of the article.", code="no_url")
        fetched = fetch_with_settings(url, config)
        return fetched.body, fetched.media_type, fetched.url, fetched.charset, fetched.url
    content = request.form.get("content", "")
    if not content.strip():
        raise InvalidContentError("Paste the article's text or HTML first.", code="empty")
    html = _pasted_html()
    if html:
        return html.encode("utf-8"), "text/html", "paste", "utf-8", None
    return content.encode("utf-8"), "text/plain", "paste", "utf-8", None


def _pasted_html() -> str:
    """The HTML flavour of a paste (``content_html``, filled by static/js/import.js), or ''."""
    html = request.form.get("content_html", "")
    return html if html.strip() else ""


def _paste_fallback(via: str, media_type: str) -> tuple[bytes, str] | None:
    """The plain text of a paste, to clean when its HTML flavour yields nothing."""
    if via in ("upload", "url") or media_type != "text/html":
        return None
    return request.form.get("content", "").encode("utf-8"), "text/plain"


@bp.get("/import/<key>")
@auth.requires("import_article")
def review_import(key: str):
    draft = imports.get_draft(get_session(), key=key, actor=auth.current_user())
    return _render_preview(draft, _preview_meta(draft), [i for i, b in enumerate(draft.blocks) if b["kept"]])


def _render_preview(draft, meta: dict, kept: list[int], *, restored: list[int] | None = None, **context):
    """The preview page: the blocks grouped as :func:`workbench.text.rescue.present` lays them out."""
    return render_template("articles/preview.html", draft=draft, meta=meta, kept=kept,
                           preview=rescue.present(draft.blocks, kept), restored=restored or [],
                           focus=restored[0] if restored else None, target=_draft_target(draft), **context)


def _restored_run(value: str, size: int) -> list[int]:
    """The blocks a "Keep these N blocks" button names ("first-last"), within the draft."""
    first, _, last = value.partition("-")
    first, last = whole_number(first), whole_number(last or first)
    if first is None or last is None:
        return []
    return list(range(first, min(last, size - 1) + 1))


def _draft_target(draft):
    return articles.get_article(get_session(), draft.article_id) if draft.article_id else None


def _preview_meta(draft) -> dict:
    """What the preview's fields start with; a new revision keeps the article's details unless found anew."""
    meta = dict(draft.meta)
    target = _draft_target(draft)
    if target is not None:
        current = articles.get_revision(get_session(), target)
        for key in ("title", "source_url", "publisher", "byline", "language"):
            meta.setdefault(key, getattr(current, key) or "")
        meta.setdefault("published", current.published.isoformat() if current.published else "")
    return meta


@bp.post("/import/<key>")
@auth.requires("import_article")
def save_import(key: str):
    db = get_session()
    draft = imports.get_draft(db, key=key, actor=auth.current_user())
    form = request.form
    keep = [number for number in map(whole_number, form.getlist("keep")) if number is not None]
    submitted = {k: form.get(k, "") for k in ("title", "source_url", "publisher", "byline", "published", "language")}
    if "restore" in form:
        # Without JavaScript a run's button comes here: show the preview again with the run kept, unsaved.
        restored = [i for i in _restored_run(form["restore"], len(draft.blocks)) if i not in keep]
        return _render_preview(draft, submitted, sorted(set(keep) | set(restored)), restored=restored)
    try:
        meta = ArticleMeta(
            title=form.get("title", "").strip(),
            source_url=form.get("source_url", "").strip() or None,
            publisher=form.get("publisher", "").strip() or None,
            byline=form.get("byline", "").strip() or None,
            published=parse_date(form.get("published", "").strip()),
            language=form.get("language", "").strip() or None,
        )
        is_revision = draft.article_id is not None
        # A new revision commits together with the re-anchoring of the article's claims.
        article = imports.commit_draft(db, draft=draft, actor=auth.current_user(), keep=keep, meta=meta)
    except WorkbenchError as err:
        return _render_preview(draft, submitted, keep, error=err.message), err.status
    if is_revision:
        number = article.current_revision  # the revision just saved, as it was locked and stored
        target = url_for("revisions.report", article_id=article.id, number=number)
        flash(f"Revision {number} saved; the claims were re-anchored.", "success")
    else:
        target = url_for("articles.show", article_id=article.id)
        flash(f"Imported “{article.title}”.", "success")
    return redirect_to(target)


@bp.post("/import/<key>/discard")
@auth.requires("import_article")
def discard_import(key: str):
    imports.discard_draft(get_session(), key=key, actor=auth.current_user())
    flash("The import was discarded.", "info")
    return redirect_to(url_for("articles.import_form"))
