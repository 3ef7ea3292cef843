"""The annotated report as Markdown: the claims with their quotes, verdicts, rationale and sources.

Every text and URL is written through ``markdown_text``, so the file is safe in any Markdown viewer.
"""

from __future__ import annotations

from workbench.services.exports.data import ExportData, name_of
from workbench.text.markdown_text import (
    directed,
    escape,
    link,
    link_target,
    quote_block,
    url_text,
    user_markdown,
)


def render(data: ExportData) -> str:
    revision = data.revision
    lines = [f"# Fact check: {directed(escape(revision.title or data.article.title))}", ""]
    facts = [("Publisher", revision.publisher), ("Byline", revision.byline),
             ("Published", revision.published.isoformat() if revision.published else None),
             ("Revision", f"{revision.number}, SHA-256 {revision.sha256}"),
             ("Claims", f"{len(data.claims)} ({'approved only' if data.include == 'approved' else 'all, with status'})")]
    if revision.source_url:
        lines.append(f"- **Source:** {url_text(revision.source_url)}")
    lines += [f"- **{label}:** {escape(str(value))}" for label, value in facts if value]
    lines.append("")
    for item in data.claims:
        claim = item.claim
        verdict = item.verdict.label if item.verdict else "No verdict"
        lines += [f"## {item.number}. {escape(verdict)}", "", quote_block(claim.exact), ""]
        meta = [f"Checked by {name_of(item.checker)}"]
        if item.reviewer:
            meta.append(f"approved by {name_of(item.reviewer)} on {item.approved_at.date().isoformat()}")
        if data.include == "all":
            meta.append(f"status: {claim.status.replace('_', ' ')}")
        lines += ["*" + escape("; ".join(meta)) + "*", ""]
        for f in data.fields:
            lines += _field_lines(f, getattr(claim, f.name))
        if item.sources:
            lines.append("Sources:")
            lines.append("")
            lines += [_source_entry(link_row, source) for link_row, source in item.sources]
            lines.append("")
    lines += ["## Corrections and updates", ""]
    if data.corrections:
        lines += [f"- {entry.at.strftime('%Y-%m-%d %H:%M UTC')} — **{escape(entry.label)}.** {escape(entry.text)}"
                  for entry in data.corrections]
    else:
        lines.append("None: nothing has been corrected or withdrawn since the first check.")
    return "\n".join(lines).rstrip() + "\n"


def _field_lines(f, value) -> list[str]:
    """A claim field's lines (the verdict is the heading's)."""
    if f.kind == "markdown":
        # The checker's own Markdown: its formatting is kept, its HTML and anything but http(s)
        # and mailto links are not.
        return [user_markdown(value), ""] if (value or "").strip() else []
    if f.kind == "tags":
        return [f"{escape(f.label)}: " + ", ".join(escape(t) for t in value), ""] if value else []
    if f.kind == "text" and value:
        return [f"{escape(f.label)}: {directed(escape(value))}", ""]
    return []


def _source_entry(link_row, source) -> str:
    """One source: its title linked to its URL, stance, publisher and archived copy. A stored URL that
    is not one to link to (kept before URLs were checked) is shown as text instead."""
    title = escape(source.title or source.url)
    if link_target(source.url):
        title = link(title, source.url)
    elif source.title:
        title += f" ({escape(source.url)})"
    entry = f"- {title} — {escape(link_row.stance)}"
    if source.publisher:
        entry += f", {escape(source.publisher)}"
    if source.archived_url:
        archived = (link("archived copy", source.archived_url) if link_target(source.archived_url)
                    else f"archived copy: {escape(source.archived_url)}")
        entry += f" ({archived})"
    return entry
