"""Review: transitions from the claim panel or the queue, the editors' queue, checkers' returns."""

from __future__ import annotations

from datetime import timezone

from flask import Blueprint, redirect, render_template, request, url_for

from workbench.errors import WorkbenchError
from workbench.services import articles, claims, review, users
from workbench.services.rating import rating_scale
from workbench.services.settings import get_setting
from workbench.store.db import get_session
from workbench.store.models import Article, User, utcnow
from workbench.web import auth
from workbench.web.html import form_version
from workbench.web.htmx import is_htmx
from workbench.web.params import id_arg

bp = Blueprint("review", __name__)



@bp.post("/claims/<int:claim_id>/review")
@auth.requires("annotate")
def act(claim_id: int):
    """Submit, approve, request changes or reopen; from the claim panel or from the queue."""
    from workbench.web.html.claims import render_detail

    db = get_session()
    claim = claims.get_claim(db, claim_id)
    action = request.form.get("action", "")
    from_queue = request.form.get("from") == "queue"
    try:
        review.transition(db, claim=claim, action=action, actor=auth.current_user(),
                          comment=request.form.get("comment", ""), expected_version=form_version(),
                          four_eyes=bool(get_setting(db, "FOUR_EYES")))
    except WorkbenchError as err:
        if from_queue and is_htmx():
            return render_template("review/_row.html", **_row_context(claim), error=err.message), err.status
        if is_htmx():
            return render_detail(claim, err.status, review_error=err.message,
                                 review_comment=request.form.get("comment", ""))
        raise
    message = {"submit": "Submitted for review.", "approve": "Approved.", "request_changes": "Changes requested.",
               "reopen": "Reopened as a draft."}[action]
    if from_queue:
        if is_htmx():
            return render_template("review/_row.html", **_row_context(claim), done=message)
        return redirect(url_for("review.queue"))
    if is_htmx():
        from workbench.web.html.claims import _after_change

        return _after_change(claim, message)
    return redirect(url_for("articles.show", article_id=claim.article_id, claim=claim.id))


def _row_context(claim) -> dict:
    db = get_session()
    return {"claim": claim, "article": db.get(Article, claim.article_id), "checker": db.get(User, claim.creator_id),
            "scale": {v.key: v for v in rating_scale()}, "now": utcnow(),
            "re_review_reasons": {claim.id: review.latest_withdrawal(db, claim)} if claim.re_review else {}}


@bp.get("/review")
@auth.requires("review")
def queue():
    db = get_session()
    filters = {
        "article_id": id_arg("article"),
        "checker_id": id_arg("checker"),
        "verdict": request.args.get("verdict") or None,
    }
    rows = review.review_queue(db, **filters)
    articles_by_id = articles.articles_by_id(db, {c.article_id for c in rows})
    users_by_id = users.users_by_id(db)
    context = {
        "rows": rows, "articles_by_id": articles_by_id, "users_by_id": users_by_id, "filters": filters,
        "scale": {v.key: v for v in rating_scale()}, "now": utcnow(),
        "re_review_reasons": {c.id: review.latest_withdrawal(db, c) for c in rows if c.re_review},
        "all_articles": articles.list_articles(db, limit=500)[0],
        "checkers": [u for u in users_by_id.values() if u.role != "viewer"],
    }
    template = "review/_rows.html" if is_htmx() else "review/queue.html"
    return render_template(template, **context)


@bp.get("/my/claims")
@auth.requires("annotate")
def returned():
    """The signed-in checker's claims that came back with changes requested, and why."""
    db = get_session()
    rows = review.returned_claims(db, auth.current_user())
    return render_template("review/returned.html", rows=rows,
                           articles_by_id=articles.articles_by_id(db))


def waiting(since, now) -> str:
    """How long a claim has waited, for people: '3 min', '5 h', '2 days'."""
    if since is None:
        return ""
    if since.tzinfo is None:
        since = since.replace(tzinfo=timezone.utc)
    seconds = max(0, (now - since).total_seconds())
    if seconds < 3600:
        return f"{int(seconds // 60)} min"
    if seconds < 86400:
        return f"{int(seconds // 3600)} h"
    days = int(seconds // 86400)
    return f"{days} day{'s' if days != 1 else ''}"


def init_nav(app) -> None:
    """Counts in the navigation: the review queue for editors, returned claims for checkers."""

    @app.context_processor
    def _counts():
        user = auth.current_user()
        if user is None:
            return {}
        db = get_session()
        counts = {}
        if auth.role_allows(user.role, "review"):
            counts["queue_count"] = review.queue_count(db)
        if auth.role_allows(user.role, "annotate"):
            counts["returned_count"] = review.returned_count(db, user)
        return counts

    app.jinja_env.filters["waiting"] = waiting
