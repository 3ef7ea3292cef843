"""The annotated report: one self-contained HTML file that works without JavaScript and prints well."""

from __future__ import annotations

import base64
import hashlib
import re
from collections import Counter
from dataclasses import dataclass

from flask import render_template
from markupsafe import Markup

from workbench.config import STATIC_DIR
from workbench.memo import memoized
from workbench.services.exports.claimreview import claim_reviews
from workbench.services.exports.data import ExportData
from workbench.services.rating import css_class
from workbench.text.highlights import Highlight, render_text
from workbench.text.history_view import present_all
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


def render(data: ExportData) -> str:
    """The report: its template gets ``data`` and what is drawn from it here, nothing else."""
    config_scale = {"RATING_SCALE": [(s.key, s.label, s.ordinal) for s in data.scale]}
    verdict_css = {item.claim.id: css_class(item.claim.verdict, config_scale) for item in data.claims}
    highlights = [Highlight(item.claim.id, item.claim.start, item.claim.end,
                            f"{verdict_css[item.claim.id]} s-{item.claim.status}")
                  for item in data.claims]
    text = render_text(data.revision.canonical_text, highlights, {i.claim.id: i.number for i in data.claims})
    return render_template(
        "exports/report.html", data=data, article_text=text, verdict_css=verdict_css, verdict_styles=verdict_styles(),
        rendered={item.claim.id: {f.name: Markup(render_markdown(getattr(item.claim, f.name)))
                                  for f in data.fields if f.kind == "markdown"} for item in data.claims},
        chart=verdict_chart(data),
        legend=[(v.label, css_class(v.key, config_scale)) for v in data.scale],
        history={item.claim.id: present_all(item.history, data.scale) for item in data.claims},
        claim_reviews=[json_for_script(review) for review in claim_reviews(data)],
    )
