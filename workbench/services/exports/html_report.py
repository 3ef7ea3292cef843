"""The annotated report: one self-contained HTML file that works without JavaScript and prints well."""

from __future__ import annotations

import base64
import hashlib
import re
import secrets
from collections import Counter
from dataclasses import dataclass
from typing import Iterator, NamedTuple

from flask import render_template, stream_template
from markupsafe import Markup, escape

from workbench.config import STATIC_DIR
from workbench.memo import Memo, memoized
from workbench.services.exports.claimreview import claim_review, publishable
from workbench.services.exports.data import ExportData
from workbench.services.rating import css_class
from workbench.text.highlights import Highlight, render_text
from workbench.text.history_view import present
from workbench.text.json_text import indented
from workbench.text.sanitize import render_markdown


@dataclass
class Bar:
    label: str
    count: int
    css: str
    width: float


def verdict_chart(data: ExportData, *, width: float = 360.0) -> list[Bar]:
    """One bar per verdict that occurs, in the scale's order (drafts without a verdict last)."""
    counts = Counter(item.claim.verdict for item in data.claims)
    most = max(counts.values(), default=1)
    bars = [Bar(v.label, counts[v.key], css_class(v.key, {"RATING_SCALE": [(s.key, s.label, s.ordinal) for s in data.scale]}),
                width * counts[v.key] / most) for v in data.scale if counts[v.key]]
    if counts[None]:
        bars.append(Bar("No verdict yet", counts[None], "v-none", width * counts[None] / most))
    return bars


def json_for_script(value) -> Markup:
    """JSON safe inside <script>: '<', '>' and '&' escaped so no text can close the element."""
    text = indented(value).decode("utf-8")
    return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


# The report's own stylesheet: the first <style> of its <head>, before anything a user wrote
# (which is escaped, so it cannot open a <style> of its own anyway).
_STYLE_BLOCK = re.compile(r"<style>(.*?)</style>", re.S)


def content_security_policy(report: str | bytes) -> str:
    """The policy to serve ``report`` under in a browser: its own <style> block, by its hash, and
    nothing else: no script (its JSON-LD is data, which no policy blocks), no fetches, no framing."""
    text = report.decode("utf-8") if isinstance(report, bytes) else report
    found = _STYLE_BLOCK.search(text)
    styles = "'none'"
    if found is not None:
        digest = base64.b64encode(hashlib.sha256(found.group(1).encode("utf-8")).digest()).decode("ascii")
        styles = f"'sha256-{digest}'"
    return "; ".join(["default-src 'none'", f"style-src {styles}", "img-src data:", "script-src 'none'",
                      "base-uri 'none'", "form-action 'none'", "frame-ancestors 'none'"])


@memoized(max_entries=1)
def verdict_styles() -> Markup:
    """The verdicts' fills, patterns and marker shapes: the pages' own stylesheet, inlined."""
    return Markup((STATIC_DIR / "css" / "verdicts.css").read_text(encoding="utf-8"))


class SourceLine(NamedTuple):
    stance: str
    url: str
    title: str | None
    publisher: str | None
    date_published: object
    archived_url: str | None
    archived_date: object
    excerpt: str | None


class ClaimCard(NamedTuple):
    """Everything one claim's card in the report shows but its number (which a claim added before
    it changes): its memo key and its template's input."""

    include: str
    css: str
    verdict_label: str
    status: str
    exact: str
    #: (kind, name, label, value) of each declared field but the verdict; tags as a tuple.
    fields: tuple
    sources: tuple[SourceLine, ...]
    checker: str | None
    reviewer: str | None
    approved_at: object


#: Claims' cards and history tables as rendered, in UTF-8, by everything they show: a change
#: re-renders the claims it touched, not the thousands beside them. A card and its history table
#: come to about 1,700 bytes (measured on 5,000 claims with four events each): some 7,000 claims'
#: worth, 12 MB a worker. (As text, a quote's curly marks made each take twice that.)
_sections = Memo(max_chars=12_000_000)
#: Markdown fields as HTML, by their text.
_markdown = Memo(max_chars=2_000_000)


def _name(user) -> str | None:
    return (user.display_name or user.username) if user is not None else None


def _card(item, data: ExportData, css: str) -> ClaimCard:
    claim = item.claim
    fields = tuple((f.kind, f.name, f.label, tuple(value) if isinstance(value := getattr(claim, f.name), list) else value)
                   for f in data.fields if f.kind != "verdict")
    sources = tuple(SourceLine(link.stance, source.url, source.title, source.publisher, source.date_published,
                               source.archived_url, source.archived_date, link.excerpt)
                    for link, source in item.sources)
    return ClaimCard(data.include, css, item.verdict.label if item.verdict else "No verdict yet",
                     claim.status, claim.exact, fields, sources, _name(item.checker), _name(item.reviewer),
                     item.approved_at)


def _card_key(item, data: ExportData, css: str) -> tuple:
    """What names a claim's card exactly, and compactly: the claim's id, version and creation
    (every change to its words or fields raises its version; the creation tells databases apart)
    stand for those values, which the key need not hold; the rest it shows is held by value."""
    claim = item.claim
    sources = tuple((link.stance, link.excerpt, source.url, source.title, source.publisher, source.date_published,
                     source.archived_url, source.archived_date) for link, source in item.sources)
    return ("card", claim.id, claim.version, claim.created, data.include, css,
            item.verdict.label if item.verdict else None, _name(item.checker), _name(item.reviewer),
            item.approved_at, sources, data.fields)


def _rendered_card(card: ClaimCard) -> str:
    rendered = {name: Markup(_markdown.get(value, lambda: render_markdown(value)))
                for kind, name, _label, value in card.fields if kind == "markdown"}
    return Markup(render_template("exports/_claim_card.html", card=card, rendered=rendered))


def _history_key(item, data: ExportData, scale: tuple) -> tuple:
    """What names a claim's history table exactly without reading it: its events are
    append-only, so their count and last id, with the claim's creation, the users' names and the
    scale, say everything the table shows."""
    return ("history", item.claim.id, item.claim.created, item.history_stamp, data.user_names, scale)


def _history_table(item, scale: tuple) -> str:
    return Markup(render_template("exports/_claim_history.html",
                                  entries=[present(event, _name(user), scale) for event, user in item.history]))


#: The head's ClaimReview data, a claim's at a time, as written into the page, in UTF-8 (about
#: 600 bytes a claim; as text, one character past Latin-1 in a quote made each take twice that).
_reviews = Memo(max_chars=4_000_000)


def _review_scripts(data: ExportData) -> list[Markup]:
    """The ClaimReviews of the published claims as JSON for the page's head, each kept by what it
    is made of: the claim (its id, version and creation standing for its words and fields), its
    verdict, page and approvals, and the article's and organisation's details."""
    revision = data.revision
    shared = (revision.publisher, revision.byline, revision.published, revision.source_url, data.article.source_url,
              data.org_name, data.fields)
    return [Markup(_reviews.get(("review", item.claim.id, item.claim.version, item.claim.created, item.verdict,
                                 item.page_url, item.approved_at, item.first_approved_at, shared),
                                lambda: json_for_script(claim_review(item, data)).encode(errors="surrogatepass"))
                   .decode(errors="surrogatepass"))
            for item in data.claims if publishable(item)]


def numbered_card(number: int, css: str, card_html: str) -> str:
    """A kept card with its number: its element, anchor and badge."""
    return f'<article class="claim {escape(css)}" id="claim-{number}">\n  <h3><span class="num">{number}</span> {card_html}'


def numbered_history(number: int, table_html: str) -> str:
    return f'<h3 class="meta">Claim {number}: history</h3>\n{table_html}'


#: Cards or tables joined into one piece of the report, when it is not printed in parts.
RUN = 100


def runs(pieces: Iterator[str], size: int, part_break: str) -> Iterator[Markup]:
    """``pieces`` (kept HTML) joined ``size`` at a time, with ``part_break`` between the runs: the
    template outputs a run at once, not each of thousands of cards."""
    run: list[str] = []
    first = True
    for piece in pieces:
        run.append(piece)
        if len(run) == size:
            yield Markup(("" if first else part_break) + "\n".join(run))
            run, first = [], False
    if run:
        yield Markup(("" if first else part_break) + "\n".join(run))


def render(data: ExportData) -> str:
    """The report as one string."""
    return render_template("exports/report.html", **_context(data))


#: Claims a printed part holds: Chromium lays out one part at a time, so that a report of
#: thousands of claims prints within its memory (5,000 claims at once needed more than 2 GB, 500
#: about 700 MB); a report this short prints whole, as fast as one tab allows.
PRINT_PART_CLAIMS = 800


def print_parts(data: ExportData, *, per_part: int | None = None) -> list[str]:
    """The report as the documents its PDF is printed from, in order: the whole report when it is
    short; else the article, then its cards and history tables a few hundred at a time. Each part
    has the report's head (without its ClaimReview data, which no page shows)."""
    per_part = per_part or PRINT_PART_CLAIMS
    token = Markup(f"<!--part-{secrets.token_hex(16)}-->")
    pieces = render_template("exports/report.html", **_context(data, part_break=token, per_part=per_part)).split(token)
    if len(pieces) <= 3 and len(data.claims) <= per_part:
        return ["".join(pieces)]
    whole_head = pieces[0]
    body = whole_head.index('<div class="wrap">') + len('<div class="wrap">')
    scripts = whole_head.find('<script type="application/ld+json">')
    head = (whole_head[:scripts] + whole_head[whole_head.index("</head>"):body]) if scripts >= 0 \
        else whole_head[:body]
    closing = "\n</div>\n</body>\n</html>\n"
    return [pieces[0] + closing] + [head + piece + closing for piece in pieces[1:-1]] + [head + pieces[-1]]


def stream(data: ExportData) -> Iterator[str]:
    """The report in pieces, as its template makes them (see ``_context``): a long report starts
    at once and is never held whole."""
    return stream_template("exports/report.html", **_context(data))


def _context(data: ExportData, *, part_break: str = "", per_part: int = PRINT_PART_CLAIMS) -> dict:
    """What the report's template is given. What needs the database (the histories whose tables
    are not kept) and the article's text are read first; the cards and tables are rendered as the
    template reaches them, each kept (``_sections``) and made again only when it changed."""
    config_scale = {"RATING_SCALE": [(s.key, s.label, s.ordinal) for s in data.scale]}
    css_of = {verdict: css_class(verdict, config_scale) for verdict in {item.claim.verdict for item in data.claims}}
    verdict_css = {item.claim.id: css_of[item.claim.verdict] for item in data.claims}
    highlights = [Highlight(item.claim.id, item.claim.start, item.claim.end,
                            f"{verdict_css[item.claim.id]} s-{item.claim.status}")
                  for item in data.claims]
    text = render_text(data.revision.canonical_text, highlights, {i.claim.id: i.number for i in data.claims})
    scale = tuple(data.scale)
    history_keys = [_history_key(item, data, scale) for item in data.claims]
    data.load_history([item for item, key in zip(data.claims, history_keys) if _sections.lookup(key) is None])

    def cards() -> Iterator[str]:
        for item in data.claims:
            css = verdict_css[item.claim.id]
            kept = _sections.get(_card_key(item, data, css),
                                 lambda: _rendered_card(_card(item, data, css)).encode(errors="surrogatepass"))
            kept = kept.decode(errors="surrogatepass")
            yield numbered_card(item.number, css, kept)

    def histories() -> Iterator[str]:
        for item, key in zip(data.claims, history_keys):
            kept = _sections.get(key, lambda: _history_table(item, scale).encode(errors="surrogatepass"))
            yield numbered_history(item.number, kept.decode(errors="surrogatepass"))

    size = per_part if part_break else RUN

    return dict(data=data, article_text=text, verdict_styles=verdict_styles(),
                claim_cards=runs(cards(), size, part_break),
                chart=verdict_chart(data), legend=[(v.label, css_class(v.key, config_scale)) for v in data.scale],
                histories=runs(histories(), size, part_break), claim_reviews=_review_scripts(data),
                part_break=part_break, per_part=per_part)
