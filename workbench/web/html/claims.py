"""Claim pages and fragments: create from a selection, read and edit in the side panel,
sources, comments. htmx requests get fragments; plain form posts are redirected back."""

from __future__ import annotations

from typing import NamedTuple

from flask import (
    Blueprint,
    abort,
    current_app,
    redirect,
    render_template,
    request,
    url_for,
)
from markupsafe import Markup

from workbench.errors import InvalidContentError, StaleVersionError, WorkbenchError
from workbench.memo import Memo
from workbench.services import articles, claim_listing, claims, corrections, review, revisions, users
from workbench.services.rating import Verdict, css_class, rating_scale, verdict_for
from workbench.services.schemas import ClaimFields, SourceInput, claim_fields_input
from workbench.store.db import get_session
from workbench.store.models import Claim, User
from workbench.text import claim_fields, history_view
from workbench.text.highlights import Highlight, render_revision_text
from workbench.text.sanitize import render_markdown
from workbench.web import auth
from workbench.web.fragments import render_fragment
from workbench.web.html import form_version
from workbench.web.html.exports import formats as export_formats
from workbench.web.htmx import is_htmx, redirect_to
from workbench.web.params import MAX_ID, count_arg, id_arg, whole_number

bp = Blueprint("claims", __name__)


#: The claim list as rendered, by everything it shows (``ClaimListView``; see workbench.memo). A
#: page of 100 claims is about 45,000 characters: some forty pages of lists.
_claim_lists = Memo(max_chars=2_000_000)
#: Pages' claims and highlights by claim stamp (``PageClaims``), bounded by claims held: about
#: 1 KB a claim (measured at 5,000 with tracemalloc), so some 11 MB at most.
_kept_claims = Memo(max_chars=12_000)


class ClaimListView(NamedTuple):
    """Everything the side panel's claim list shows: its memo key and its template's only input."""

    script_root: str
    article_id: int
    #: The revision's number when it is not the current one (its links keep it), else None.
    revision_number: int | None
    page: claim_listing.ListPage
    query: claim_listing.ListQuery
    #: The claim open in the panel, kept by the list's links.
    showing: int | None
    #: ((user id, name), ...) of the claims' creators, by id.
    creator_names: tuple[tuple[int, str], ...]
    scale: tuple[Verdict, ...]

    def names(self) -> dict[int, str]:
        return dict(self.creator_names)

    def verdicts(self) -> dict[str, Verdict]:
        """The scale's verdicts by key (the first of a key, as ``rating.verdict_for`` picks)."""
        by_key: dict[str, Verdict] = {}
        for verdict in self.scale:
            by_key.setdefault(verdict.key, verdict)
        return by_key

    def args(self, **changes) -> dict:
        """The article page's URL parameters for this list, with ``changes`` (None leaves one out)."""
        args = {"article_id": self.article_id, "revision": self.revision_number, "claim": self.showing,
                **self.query.as_args(), "page": self.page.number + 1 if self.page.number else None}
        args.update(changes)
        return {name: value for name, value in args.items() if value is not None}


#: The longest search the claim list takes.
MAX_SEARCH = 200
STATUS_WORDS = {"draft": "draft", "in_review": "in review", "changes_requested": "returned for changes",
                "approved": "approved"}
QUOTE_IN_NAME = 80


def highlight_name(claim_id: int, verdict: Verdict | None, status: str, exact: str) -> str:
    """What a screen reader says on a highlight: "Claim 3: False, draft — ‘…quote…’"."""
    quote = exact if len(exact) <= QUOTE_IN_NAME else exact[:QUOTE_IN_NAME - 1].rstrip() + "…"
    label = verdict.label if verdict else "No verdict"
    return f"Claim {claim_id}: {label}, {STATUS_WORDS.get(status, status.replace('_', ' '))} — ‘{quote}’"


def highlights_for(claim_list: list[claims.ShownClaim]) -> list[Highlight]:
    config = current_app.config
    colours = {verdict: css_class(verdict, config) for verdict in {c.verdict for c in claim_list}}
    verdicts = {verdict: verdict_for(verdict) for verdict in {c.verdict for c in claim_list}}
    return [Highlight(c.id, c.start, c.end, f"{colours[c.verdict]} s-{c.status}",
                      highlight_name(c.id, verdicts[c.verdict], c.status, c.exact)) for c in claim_list]


def list_query() -> claim_listing.ListQuery:
    """The claim list's search and filters from the query string; 422 naming a value it cannot use."""
    args = request.args
    words = args.get("q", "").strip()
    if len(words) > MAX_SEARCH:
        raise InvalidContentError(f"The search is {len(words)} characters long; at most {MAX_SEARCH} are searched.",
                                  code="bad_parameter")
    verdict, status = args.get("verdict", "").strip(), args.get("status", "").strip()
    known = {v.key for v in rating_scale()} | {claim_listing.NO_VERDICT}
    if verdict and verdict not in known:
        raise InvalidContentError(f"There is no verdict {verdict[:40]!r} on the rating scale.", code="bad_parameter")
    if status and status not in claim_listing.STATUSES:
        raise InvalidContentError(f"There is no status {status[:40]!r}; use one of "
                                  f"{', '.join(claim_listing.STATUSES)}.", code="bad_parameter")
    return claim_listing.ListQuery(words, verdict, status)


def list_page_number() -> int | None:
    """The ``page`` parameter (from 1 in the URL) as a page index, or None when not given."""
    number = count_arg("page", 0, minimum=1, maximum=MAX_ID)
    return number - 1 if number else None


def claim_list_html(article, revision, shown, creator_names: dict[int, str], *,
                    showing: int | None = None) -> Markup:
    """The side panel's list of claims: one page of those the search and filters keep. Rendered
    again only when something it shows has changed."""
    query = list_query()
    page = claim_listing.choose(shown, query, page=list_page_number(), showing=showing)
    names = tuple(sorted((i, creator_names[i]) for i in {c.creator_id for c in page.claims} if i in creator_names))
    current = revision.number == article.current_revision
    view = ClaimListView(request.script_root, article.id, None if current else revision.number, page, query,
                         showing, names, tuple(rating_scale()))
    return _claim_lists.get(view, lambda: render_fragment("claims/_list.html", view))


class PageClaims(NamedTuple):
    """The claims a revision's page shows, with their highlights: kept under the revision's claim
    stamp (``claims.revision_stamp``), so an unchanged page of thousands of claims reads one row."""

    shown: tuple[claims.ShownClaim, ...]
    highlights: tuple[Highlight, ...]

    def __len__(self) -> int:  # the memo's measure: claims held
        return len(self.shown)


def _page_claims(shown) -> PageClaims:
    shown = tuple(shown)
    return PageClaims(shown, tuple(highlights_for(shown)))


def page_claims(article, revision, stamp: str | None = None) -> PageClaims:
    """The claims the page shows on ``revision``: as they are, or as they were on an earlier one.
    ``stamp``: the revision's claim stamp, when the caller read it."""
    db = get_session()
    if revision.number != article.current_revision:
        return _page_claims(revisions.claims_as_of(db, revision))
    key = (stamp or claims.revision_stamp(db, revision), tuple(rating_scale()))
    return _kept_claims.get(key, lambda: _page_claims(claims.shown_on_revision(db, revision)))


def shown_claims(article, revision) -> tuple[claims.ShownClaim, ...]:
    return page_claims(article, revision).shown


def workspace_context(article, revision, *, selected: Claim | None = None, **extra) -> dict:
    """Everything the article page's workspace (text, panel) needs."""
    db = get_session()
    is_current = revision.number == article.current_revision
    # The claims' stamp and the history's, in one round trip: the claims, their highlights and
    # what the corrections log reads are kept under them.
    claims_stamp, history_stamp = claims.page_stamps(db, revision) if is_current else (None, None)
    kept = page_claims(article, revision, claims_stamp)
    on_revision = kept.shown
    if is_current:
        withdrawn, orphans = claims.withdrawn_and_orphaned(db, article)
    else:
        withdrawn, orphans = claims.withdrawn_claims(db, article), []
    # The creators' names and the withdrawers', in one read.
    names = users.names_of(db, {c.creator_id for c in on_revision} | {c.withdrawn_by_id for c in withdrawn if c.withdrawn_by_id})
    context = {
        "article": article,
        "revision": revision,
        "revisions": articles.list_revisions(db, article),
        "claim_list_html": claim_list_html(article, revision, on_revision, names,
                                           showing=selected.id if selected is not None else None),
        "article_html": render_revision_text(revision, kept.highlights),
        "scale": rating_scale(),
        "selected": selected,
        "is_current": is_current,
        "orphans": orphans,
        "withdrawn": withdrawn,
        "withdrawn_names": names,
        "scale_labels": {v.key: v.label for v in rating_scale()},
        "corrections": corrections.log(db, article, config=current_app.config, stamp=history_stamp),
        "export_formats": export_formats(),
    }
    if selected is not None:
        context.update(detail_context(selected))
    context.update(extra)
    return context


def detail_context(claim: Claim, **extra) -> dict:
    db = get_session()
    context = {
        "claim": claim,
        "verdict": verdict_for(claim.verdict),
        "verdict_class": css_class(claim.verdict),
        "field_values": {f.name: claim_fields.form_text(f, getattr(claim, f.name)) for f in claim_fields.declared()},
        "rendered_fields": {f.name: render_markdown(getattr(claim, f.name))
                            for f in claim_fields.declared() if f.kind == "markdown"},
        "sources": claims.claim_sources(db, claim),
        "comments": [(c, u, render_markdown(c.body)) for c, u in claims.comments_of(db, claim)],
        "history": history_view.present_all(claims.history_of(db, claim), rating_scale()),
        "creator": db.get(User, claim.creator_id),
        "last_editor": db.get(User, claim.last_editor_id),
        "can_edit": claims.can_edit(auth.current_user(), claim),
        "scale": rating_scale(),
        "review_actions": review.allowed_actions(auth.current_user(), claim),
        "transitions": review.TRANSITIONS,
        "returned_reason": _returned_reason(db, claim),
        "withdrawn_reason": review.latest_withdrawal(db, claim) if claim.re_review else "",
        "shared_counts": {link.id: claims.source_users(db, link) for link, _source in claims.claim_sources(db, claim)},
    }
    context.update(extra)
    return context


def _returned_reason(db, claim: Claim) -> str:
    return review.latest_reason(db, claim) if claim.status == "changes_requested" else ""


def render_detail(claim: Claim, status: int = 200, **extra):
    """The claim panel fragment; with ``oob_text`` the article's highlights are refreshed too."""
    response = render_template("claims/_detail.html", **detail_context(claim, **extra))
    return response, status


def _article_page(article, revision, status: int = 200, **extra):
    return render_template("articles/show.html", **workspace_context(article, revision, **extra)), status


def _back_to(claim: Claim):
    return redirect(url_for("articles.show", article_id=claim.article_id, claim=claim.id) + f"#claim-{claim.id}")



def _claim_fields(form) -> ClaimFields:
    """The declared fields (``claim_fields``) from the form."""
    return claim_fields_input(**{f.name: _form_value(f, form) for f in claim_fields.declared()})


def _form_value(f: claim_fields.ClaimField, form):
    if f.kind == "tags":
        return claims.parse_tags(form.get(f.name, ""))
    if f.kind == "verdict":
        return form.get(f.name) or None
    return form.get(f.name, "")


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value not in (None, "") else None
    except ValueError:
        raise InvalidContentError(f"{value!r} is not a position in the text.", code="quote_mismatch") from None


@bp.get("/articles/<int:article_id>/claims")
@auth.requires("read")
def claim_list(article_id: int):
    """One page of the claim list (its search and filters in the query string): the fragment for
    htmx, which puts the article page's own address in the location bar; else that page."""
    if not is_htmx():
        return redirect(url_for("articles.show", article_id=article_id, **request.args))
    db = get_session()
    number = id_arg("revision")
    article = articles.get_article(db, article_id)
    revision = articles.get_revision(db, article, number)
    shown = shown_claims(article, revision)
    html = claim_list_html(article, revision, shown, users.names_of(db, {c.creator_id for c in shown}),
                           showing=id_arg("claim"))
    return html, 200, {"HX-Push-Url": url_for("articles.show", article_id=article_id, **request.args)}


@bp.post("/articles/<int:article_id>/claims")
@auth.requires("annotate")
def create(article_id: int):
    form = request.form
    db = get_session()
    article, revision = articles.get_article_and_revision(db, article_id)
    try:
        claim = claims.create_claim(
            db, revision=revision, actor=auth.current_user(), start=_int(form.get("start")),
            end=_int(form.get("end")), exact=form.get("exact"), fields=_claim_fields(form),
        )
    except WorkbenchError as err:
        return _article_page(article, revision, err.status, new_claim=dict(form), new_claim_error=err.message)
    if is_htmx():
        return _article_page(article, revision, selected=claim, flash_message=f"Claim {claim.id} saved.")
    return _back_to(claim)


@bp.get("/claims/<int:claim_id>")
@auth.requires("read")
def show(claim_id: int):
    claim = claims.get_claim(get_session(), claim_id)
    if is_htmx():
        return render_detail(claim)
    return _back_to(claim)


@bp.get("/articles/<int:article_id>/claims/pick")
@auth.requires("read")
def pick(article_id: int):
    """Choose among the claims that share an overlapping highlight."""
    db = get_session()
    ids = [i for i in map(whole_number, request.args.get("ids", "").split(",")) if i is not None and i <= MAX_ID]
    chosen = [c for c in (db.get(Claim, i) for i in ids) if c and not c.deleted and c.article_id == article_id]
    if not chosen:
        abort(404)
    return render_template("claims/_pick.html", claims=chosen, scale={v.key: v for v in rating_scale()})


@bp.post("/claims/<int:claim_id>")
@auth.requires("annotate")
def update(claim_id: int):
    db = get_session()
    claim = claims.get_claim(db, claim_id)
    try:
        claims.update_claim(db, claim=claim, actor=auth.current_user(), expected_version=form_version(),
                            fields=_claim_fields(request.form))
    except StaleVersionError as err:
        return _edit_failed(claim, err, conflict=True)
    except WorkbenchError as err:
        return _edit_failed(claim, err)
    return _after_change(claim, "Claim saved.")


def _edit_failed(claim: Claim, err: WorkbenchError, conflict: bool = False):
    """Show the error in the panel, keeping what the user typed (nothing is lost)."""
    if not is_htmx():
        article = articles.get_article(get_session(), claim.article_id)
        revision = articles.get_revision(get_session(), article)
        return _article_page(article, revision, err.status, selected=claim, edit_error=err.message,
                             edit_values=dict(request.form), conflict=conflict)
    return render_detail(claim, err.status, edit_error=err.message, edit_values=dict(request.form), conflict=conflict)


def _after_change(claim: Claim, message: str):
    if is_htmx():
        article = articles.get_article(get_session(), claim.article_id)
        revision = articles.get_revision(get_session(), article)
        # The highlight colours may have changed: refresh the article text too.
        return render_detail(claim, flash_message=message, claim_revision=revision,
                             oob_text=render_revision_text(revision,
                                                           highlights_for(claims.shown_on_revision(get_session(), revision))))
    return _back_to(claim)


@bp.post("/claims/<int:claim_id>/delete")
@auth.requires("annotate")
def delete(claim_id: int):
    db = get_session()
    claim = claims.get_claim(db, claim_id)
    try:
        claims.delete_claim(db, claim=claim, actor=auth.current_user(), expected_version=form_version(),
                            reason=request.form.get("reason", ""))
    except WorkbenchError as err:
        if is_htmx():
            return render_detail(claim, err.status, delete_error=err.message)
        raise
    target = url_for("articles.show", article_id=claim.article_id)
    return redirect_to(target)


@bp.get("/claims/<int:claim_id>/history")
@auth.requires("read")
def history(claim_id: int):
    """A claim's whole history, withdrawn claims' too (a purged claim's only to admins)."""
    db = get_session()
    claim = claims.get_claim(db, claim_id, include_deleted=True)
    if claim.withdrawn_kind == "purged" and not auth.role_allows(auth.current_user().role, "purge"):
        raise claims.gone_error(db, claim)
    entries = history_view.present_all(claims.history_of(db, claim), rating_scale())
    return render_template("claims/history.html", claim=claim, history=entries,
                           article=articles.get_article(db, claim.article_id),
                           gone=claims.gone_error(db, claim) if claim.deleted else None)


@bp.post("/claims/<int:claim_id>/purge")
@auth.requires("purge")
def purge(claim_id: int):
    db = get_session()
    claim = claims.get_claim(db, claim_id, include_deleted=True)
    claims.purge_claim(db, claim=claim, actor=auth.current_user(), reason=request.form.get("reason", ""))
    return redirect_to(url_for("articles.show", article_id=claim.article_id) + "#withdrawn-claims")


def _source_input(form) -> SourceInput:
    return SourceInput(url=form.get("url", ""), title=form.get("title", ""), publisher=form.get("publisher") or None,
                       date_published=form.get("date_published") or None,
                       archived_url=form.get("archived_url") or None,
                       archived_date=form.get("archived_date") or None, excerpt=form.get("excerpt", ""),
                       stance=form.get("stance", "context"))


@bp.post("/claims/<int:claim_id>/sources")
@auth.requires("annotate")
def add_source(claim_id: int):
    db = get_session()
    claim = claims.get_claim(db, claim_id)
    try:
        claims.add_source(db, claim=claim, actor=auth.current_user(), data=_source_input(request.form),
                          expected_version=form_version())
    except WorkbenchError as err:
        return _source_failed(claim, err)
    return _after_change(claim, "Source added.")


def _source_failed(claim: Claim, err: WorkbenchError):
    if not is_htmx():
        article = articles.get_article(get_session(), claim.article_id)
        revision = articles.get_revision(get_session(), article)
        return _article_page(article, revision, err.status, selected=claim, source_error=err.message,
                             source_values=dict(request.form))
    return render_detail(claim, err.status, source_error=err.message, source_values=dict(request.form),
                         conflict=isinstance(err, StaleVersionError))


@bp.post("/claims/<int:claim_id>/sources/<int:link_id>")
@auth.requires("annotate")
def update_source(claim_id: int, link_id: int):
    db = get_session()
    claim = claims.get_claim(db, claim_id)
    try:
        claims.update_source(db, claim=claim, actor=auth.current_user(), link_id=link_id,
                             data=_source_input(request.form), expected_version=form_version(),
                             everywhere=request.form.get("everywhere") == "1")
    except WorkbenchError as err:
        return _source_failed(claim, err)
    return _after_change(claim, "Source updated.")


@bp.post("/claims/<int:claim_id>/sources/<int:link_id>/delete")
@auth.requires("annotate")
def remove_source(claim_id: int, link_id: int):
    db = get_session()
    claim = claims.get_claim(db, claim_id)
    try:
        claims.remove_source(db, claim=claim, actor=auth.current_user(), link_id=link_id,
                             expected_version=form_version())
    except WorkbenchError as err:
        return _source_failed(claim, err)
    return _after_change(claim, "Source removed.")


@bp.post("/claims/<int:claim_id>/comments")
@auth.requires("annotate")
def add_comment(claim_id: int):
    db = get_session()
    claim = claims.get_claim(db, claim_id)
    try:
        claims.add_comment(db, claim=claim, actor=auth.current_user(), body=request.form.get("body", ""))
    except WorkbenchError as err:
        if is_htmx():
            return render_detail(claim, err.status, comment_error=err.message, comment_value=request.form.get("body"))
        raise
    if is_htmx():
        return render_detail(claim, flash_message="Comment added.")
    return _back_to(claim)


@bp.get("/sources/suggest")
@auth.requires("annotate")
def suggest_sources():
    """Options for the source URL field: sources already cited, matched by title or URL."""
    found = claims.suggest_sources(get_session(), request.args.get("url", "") or request.args.get("q", ""))
    return render_template("claims/_source_options.html", sources=found)


@bp.post("/markdown/preview")
@auth.requires("annotate")
def markdown_preview():
    """The rationale as readers will see it (sanitized)."""
    html = render_markdown(request.form.get("rationale", ""))
    return render_template("claims/_markdown_preview.html", html=html)
