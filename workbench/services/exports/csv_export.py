"""One row a claim: quote, verdict, status, rationale, sources, checker, reviewer, dates."""

from __future__ import annotations

import csv
import io

from workbench.services.exports.data import ExportData, name_of

#: The columns before and after the claim's fields (``claim_fields``: those with a ``csv`` column, the
#: verdict's in its place at the head with its label and the status).
HEAD = ["number", "claim_id", "quote", "start", "end"]
TAIL = ["sources", "checker", "reviewer", "created", "modified", "approved"]
#: Spreadsheets run a cell that starts with one of these (after any spaces) as a formula.
_FORMULA_START = ("=", "+", "-", "@")


def _cell(value) -> str:
    """The value as a cell no spreadsheet runs: when any line of it would start a formula, that line
    and the cell itself get a leading apostrophe.

    Every line counts, not just the first: a reader may split records at any line break, and a
    spreadsheet may trim what comes before. Line breaks become LF, so that the csv module quotes
    the cell (it leaves a lone CR unquoted, which every reader then takes for the end of a record).
    """
    text = "" if value is None else str(value)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = text.splitlines(keepends=True)
    if not any(map(_starts_formula, lines)):
        return text
    cell = "".join("'" + line if _starts_formula(line) else line for line in lines)
    return cell if cell.startswith("'") else "'" + cell


def _starts_formula(line: str) -> bool:
    return line.startswith("\t") or line.lstrip().startswith(_FORMULA_START)


def columns(fields) -> list[str]:
    verdict = [f.csv for f in fields if f.kind == "verdict" and f.csv]
    head = HEAD + (verdict + [verdict[0] + "_label"] if verdict else []) + ["status"]
    return head + [f.csv for f in fields if f.kind != "verdict" and f.csv] + TAIL


def _field_cells(item, fields) -> tuple[list, list]:
    """The verdict's cells (key, label), and those of the other fields, in order."""
    verdict, others = [], []
    for f in fields:
        if not f.csv:
            continue
        value = getattr(item.claim, f.name)
        if f.kind == "verdict":
            verdict = [value or "", item.verdict.label if item.verdict else ""]
        else:
            others.append("; ".join(value or []) if f.kind == "tags" else value)
    return verdict, others


def render(data: ExportData) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns(data.fields))
    for item in data.claims:
        claim = item.claim
        sources = " | ".join(f"{source.url} ({link.stance})" for link, source in item.sources)
        verdict, others = _field_cells(item, data.fields)
        writer.writerow([_cell(v) for v in [
            item.number, claim.id, claim.exact, claim.start, claim.end, *verdict, claim.status, *others,
            sources, name_of(item.checker), name_of(item.reviewer), claim.created.isoformat(),
            claim.modified.isoformat(), item.approved_at.isoformat() if item.approved_at else "",
        ]])
    return out.getvalue()
