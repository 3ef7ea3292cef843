"""The annotated report as Markdown: the claims with their quotes, verdicts, rationale and sources."""

from __future__ import annotations

import re

from workbench.exports.data import ExportData, name_of

_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~])")


def escape(text: str) -> str:
    """Text that Markdown shows as typed: no links, emphasis or HTML slipping in."""
    return _SPECIAL.sub(r"\\\1", without_html(text or ""))


def without_html(markdown_text: str) -> str:
    """The user's Markdown with any HTML shown as text: Markdown viewers may render raw HTML."""
    return markdown_text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def quote_block(text: str) -> str:
    return "\n".join("> " + escape(line) if line else ">" for line in text.split("\n"))


def render(data: ExportData) -> str:
    revision = data.revision
    lines = [f"# Fact check: {escape(revision.title or data.article.title)}", ""]
    facts = [("Publisher", revision.publisher), ("Byline", revision.byline),
             ("Published", revision.published.isoformat() if revision.published else None),
             ("Revision", f"{revision.number}, SHA-256 {revision.sha256}"),
             ("Claims", f"{len(data.claims)} ({'approved only' if data.include == 'approved' else 'all, with status'})")]
    if revision.source_url:
        lines.append(f"- **Source:** <{revision.source_url}>")
    lines += [f"- **{label}:** {escape(str(value))}" for label, value in facts if value]
    lines.append("")
    for item in data.claims:
        claim = item.claim
        verdict = item.verdict.label if item.verdict else "No verdict"
        lines += [f"## {item.number}. {escape(verdict)}", "", quote_block(claim.exact), ""]
        meta = [f"Checked by {escape(name_of(item.checker))}"]
        if item.reviewer:
            meta.append(f"approved by {escape(name_of(item.reviewer))} on {item.approved_at.date().isoformat()}")
        if data.include == "all":
            meta.append(f"status: {claim.status.replace('_', ' ')}")
        lines += ["*" + escape("; ".join(meta)) + "*", ""]
        if claim.rationale.strip():
            # The rationale is the checker's own Markdown: its formatting is kept, its HTML is not.
            lines += [without_html(claim.rationale.strip()), ""]
        if claim.tags:
            lines += ["Tags: " + ", ".join(escape(t) for t in claim.tags), ""]
        if item.sources:
            lines.append("Sources:")
            lines.append("")
            for link, source in item.sources:
                title = escape(source.title or source.url)
                entry = f"- [{title}](<{source.url}>) — {link.stance}"
                if source.publisher:
                    entry += f", {escape(source.publisher)}"
                if source.archived_url:
                    entry += f" ([archived copy](<{source.archived_url}>))"
                lines.append(entry)
            lines.append("")
    lines += ["## Corrections and updates", ""]
    if data.corrections:
        lines += [f"- {entry.at.strftime('%Y-%m-%d %H:%M UTC')} — **{escape(entry.label)}.** {escape(entry.text)}"
                  for entry in data.corrections]
    else:
        lines.append("None: nothing has been corrected or withdrawn since the first check.")
    return "\n".join(lines).rstrip() + "\n"
