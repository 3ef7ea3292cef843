"""Revisions in the pages: re-fetching the source, the re-anchoring report, the diff view, orphans."""

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

from workbench.errors import InvalidContentError, WorkbenchError
from workbench.services import articles, claims, imports, revisions
from workbench.services.ingest import fetch_with_settings
from workbench.store.db import get_session
from workbench.text.anchoring import AnchorError, similarity, verify_quote
from workbench.text.diffing import word_diff
from workbench.web import auth
from workbench.web.html import form_version
from workbench.web.htmx import redirect_to
from workbench.web.params import id_value

bp = Blueprint("revisions", __name__)
#: Below this similarity (``anchoring.similarity``) of old and new words, re-attaching asks first.
REATTACH_ALIKE = 0.5


@bp.post("/articles/<int:article_id>/refetch")
@auth.requires("import_article")
def refetch(article_id: int):
    """Fetch the article's source URL again, as a new revision (through the import preview)."""
    db = get_session()
    article = articles.get_article(db, article_id)
    config = current_app.config
    if not article.source_url:
        raise InvalidContentError("This article has no source URL to fetch again.", code="no_url")
    try:
        fetched = fetch_with_settings(article.source_url, config)
        draft = imports.start_import(db, actor=auth.current_user(), data=fetched.body, media_type=fetched.media_type,
                                      origin=fetched.url, charset=fetched.charset, source_url=fetched.url,
                                      max_bytes=config["MAX_IMPORT_BYTES"], article=article)
    except WorkbenchError as err:
        flash(err.message, "error")
        return redirect(url_for("articles.show", article_id=article.id))
    target = url_for("articles.review_import", key=draft.key)
    return redirect_to(target)


@bp.get("/articles/<int:article_id>/revisions/<int:number>/report")
@auth.requires("read")
def report(article_id: int, number: int):
    db = get_session()
    article = articles.get_article(db, article_id)
    articles.get_revision(db, article, number)
    result = revisions.report_for(db, article=article, number=number)
    return render_template("revisions/report.html", article=article, report=result, counts=result.counts(),
                           notable=result.notable())


@bp.get("/articles/<int:article_id>/diff")
@auth.requires("read")
def diff(article_id: int):
    db = get_session()
    article = articles.get_article(db, article_id)
    to_number = id_value(request.args.get("to"), thing="revision") or article.current_revision
    from_number = id_value(request.args.get("from"), thing="revision") or max(1, to_number - 1)
    old = articles.get_revision(db, article, from_number)
    new = articles.get_revision(db, article, to_number)
    affected = []
    for number in range(from_number + 1, to_number + 1):
        affected += revisions.report_for(db, article=article, number=number).notable()
    return render_template("revisions/diff.html", article=article, old=old, new=new,
                           paragraphs=word_diff(old.canonical_text, new.canonical_text), affected=affected,
                           revisions=articles.list_revisions(db, article))



@bp.post("/claims/<int:claim_id>/reattach")
@auth.requires("annotate")
def reattach(claim_id: int):
    db = get_session()
    claim = claims.get_claim(db, claim_id)
    article = articles.get_article(db, claim.article_id)
    revision = articles.get_revision(db, article)
    form = request.form
    try:
        start, end = int(form.get("start", "")), int(form.get("end", ""))
    except ValueError:
        raise InvalidContentError("Select the new words in the article first, then press Re-attach.",
                                  code="no_selection") from None
    exact = form.get("exact", "")
    if form.get("confirm") != "1":
        # Words unlike the old ones may be a slip of the mouse: show both side by side and ask.
        try:
            chosen = verify_quote(revision.canonical_text, start, end, exact).exact
        except AnchorError as err:
            raise InvalidContentError(f"The selection does not match the article: {err}.",
                                      code="quote_mismatch") from None
        alike = similarity(claim.exact, chosen)
        if alike < REATTACH_ALIKE:
            from workbench.web.html.claims import workspace_context

            confirm = {"claim_id": claim.id, "old": claim.exact, "new": chosen, "start": start, "end": end,
                       "version": claim.version, "alike": round(alike * 100), "diff": word_diff(claim.exact, chosen)}
            return render_template("articles/show.html",
                                   **workspace_context(article, revision, reattach_confirm=confirm))
    revisions.reattach(db, claim=claim, revision=revision, actor=auth.current_user(), start=start, end=end,
                       exact=exact, expected_version=form_version())
    flash("The claim is attached to the selected words.", "success")
    target = url_for("articles.show", article_id=article.id, claim=claim.id)
    return redirect_to(target)


@bp.post("/claims/<int:claim_id>/retire")
@auth.requires("annotate")
def retire(claim_id: int):
    db = get_session()
    claim = claims.get_claim(db, claim_id)
    revisions.retire(db, claim=claim, actor=auth.current_user(), reason=request.form.get("reason", ""),
                     expected_version=form_version())
    flash("The claim is retired; its history is kept.", "success")
    target = url_for("articles.show", article_id=claim.article_id)
    return redirect_to(target)
