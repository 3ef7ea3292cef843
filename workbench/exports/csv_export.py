"""One row a claim: quote, verdict, status, rationale, sources, checker, reviewer, dates."""

from __future__ import annotations

import csv
import io

from workbench.exports.data import ExportData, name_of

COLUMNS = ["number", "claim_id", "quote", "start", "end", "verdict", "verdict_label", "status", "rationale", "tags",
           "sources", "checker", "reviewer", "created", "modified", "approved"]
#: Spreadsheets run cells that start with these as formulas; such cells get a leading apostrophe.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def render(data: ExportData) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for item in data.claims:
        claim = item.claim
        sources = " | ".join(f"{source.url} ({link.stance})" for link, source in item.sources)
        writer.writerow([_cell(v) for v in [
            item.number, claim.id, claim.exact, claim.start, claim.end, claim.verdict or "",
            item.verdict.label if item.verdict else "", claim.status, claim.rationale, "; ".join(claim.tags),
            sources, name_of(item.checker), name_of(item.reviewer), claim.created.isoformat(),
            claim.modified.isoformat(), item.approved_at.isoformat() if item.approved_at else "",
        ]])
    return out.getvalue()
