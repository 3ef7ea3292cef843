"""Build an export of one article in any format: (content, media type, file name).

One table of formats; each loads the same value (``exports.data.load``) and hands it to its
presenter, a function of that value alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Hashable, Iterator, NamedTuple

from flask import current_app
from sqlmodel import Session

from workbench.errors import MalformedRequestError
from workbench.memo import Memo
from workbench.services.articles import get_revision
from workbench.services.exports import (
    claimreview,
    csv_export,
    html_report,
    markdown,
    pdf,
    pdf_queue,
    w3c,
)
from workbench.services.exports import data as export_data
from workbench.services.rating import rating_scale
from workbench.store.models import Article


@dataclass(frozen=True)
class Format:
    media_type: str
    extension: str
    #: ExportData -> the file's bytes.
    present: Callable[[export_data.ExportData], bytes]
    #: What the export panel calls it.
    label: str
    #: What ``export_data.load`` reads for it (``export_data.READS``).
    reads: str = "report"
    #: Kept in a memo under the stamps of its claims and the values of their related rows: only
    #: for a presenter that shows nothing else of the database (no history, no time of making).
    kept: bool = False
    #: Printed: made only during a turn at the PDF printer.
    printed: bool = False


def _text(render: Callable[[export_data.ExportData], str]) -> Callable[[export_data.ExportData], bytes]:
    def present(data: export_data.ExportData) -> bytes:
        return render(data).encode("utf-8")

    present.__doc__ = render.__doc__
    return present


FORMATS = {
    "html": Format("text/html; charset=utf-8", "html", _text(html_report.render), "Annotated report (HTML)"),
    "md": Format("text/markdown; charset=utf-8", "md", _text(markdown.render), "Markdown"),
    "csv": Format("text/csv; charset=utf-8", "csv", _text(csv_export.render), "CSV"),
    "jsonld": Format(w3c.MEDIA_TYPE, "jsonld", w3c.render, "W3C Web Annotations (JSON-LD)", reads="annotations",
                     kept=True),
    "claimreview": Format("application/ld+json; charset=utf-8", "claimreview.jsonld", claimreview.render,
                          "ClaimReview (JSON-LD)"),
    "pdf": Format("application/pdf", "pdf", pdf.render, "Annotated report (PDF)", printed=True),
}


#: Kept exports (``Format.kept``) as made, by everything they show (``KeptExport``).
_kept_exports = Memo(max_chars=8_000_000)


class KeptExport(NamedTuple):
    """Everything a kept export shows: its memo key. The claims and related rows are named by their
    stamps and fingerprint, and the document is kept only when made from rows with those stamps."""

    format: str
    collection_id: str
    context: str
    title: str
    scale: tuple
    #: (claim id, version, ...) of each claim in it (``export_data.claim_stamps_for``).
    stamps: tuple[tuple, ...]
    #: The sources, creators and revision numbers it names (``export_data.related_fingerprint``).
    related: Hashable
    #: The paper a printed export is laid out on (``pdf.paper_size``).
    paper: str = ""


@dataclass
class Export:
    content: bytes
    media_type: str
    filename: str


def check_options(fmt: str, include: str) -> None:
    if fmt not in FORMATS:
        raise MalformedRequestError(f"Unknown format {fmt!r}; use one of {', '.join(FORMATS)}.")
    if include not in export_data.INCLUDE_CHOICES:
        raise MalformedRequestError(f"include must be approved or all, not {include!r}.")


def build(db: Session, *, article: Article, fmt: str, links: w3c.Links, include: str = "approved") -> Export:
    """``links`` gives the addresses the exports show (``workbench.web.links``)."""
    check_options(fmt, include)
    chosen = FORMATS[fmt]
    if chosen.printed:
        # The turn at the printer comes first: an export refused for a busy printer costs next to
        # nothing, and the report is made only once it can be printed.
        with printer_turn():
            return _build(db, article=article, fmt=fmt, include=include, links=links)
    return _build(db, article=article, fmt=fmt, include=include, links=links)


@dataclass
class StreamedReport:
    """The HTML report in pieces (UTF-8), with the policy to show it under (made from its
    stylesheet, which comes first)."""

    chunks: Iterator[bytes]
    media_type: str
    filename: str
    security_policy: str


def stream_report(db: Session, *, article: Article, links: w3c.Links, include: str = "approved") -> StreamedReport:
    """The HTML report as it is made: everything read from the database first, then rendered a
    piece at a time as the client takes it (``html_report.stream``)."""
    check_options("html", include)
    revision = get_revision(db, article)
    data = export_data.load(db, article=article, revision=revision, include=include, config=current_app.config,
                            links=links)
    pieces = html_report.stream(data)
    head: list[str] = []
    for piece in pieces:  # up to the end of its stylesheet, which names the policy
        head.append(piece)
        if "</style>" in piece:
            break
    policy = html_report.content_security_policy("".join(head))

    def chunks() -> Iterator[bytes]:
        yield "".join(head).encode("utf-8")
        batch: list[str] = []
        size = 0
        for piece in pieces:
            batch.append(piece)
            size += len(piece)
            if size >= 64 * 1024:
                yield "".join(batch).encode("utf-8")
                batch, size = [], 0
        if batch:
            yield "".join(batch).encode("utf-8")

    return StreamedReport(chunks(), FORMATS["html"].media_type, _filename(article, "html"), policy)


def _filename(article: Article, fmt: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", (article.title or "article").lower()).strip("-")[:60] or "article"
    return f"{slug}-{article.id}.{FORMATS[fmt].extension}"


def _build(db: Session, *, article: Article, fmt: str, include: str, links: w3c.Links) -> Export:
    chosen = FORMATS[fmt]
    revision = get_revision(db, article)
    filename = _filename(article, fmt)
    config = current_app.config
    if chosen.kept:
        content = _made_or_kept(db, fmt, article=article, revision=revision, include=include, links=links,
                                config=config)
    else:
        content = chosen.present(export_data.load(db, article=article, revision=revision, include=include,
                                                  config=config, links=links, reads=chosen.reads))
    return Export(content=content, media_type=chosen.media_type, filename=filename)


def _made_or_kept(db: Session, fmt: str, *, article: Article, revision, include: str, links: w3c.Links,
                  config) -> bytes:
    """The export, made again only when something in it changed.

    The memo's key names every value the document shows: the claims by their stamps (see
    ``export_data.claim_stamps_for``), the related rows (sources, creators, revision numbers) by
    their values, and the addresses, title and rating scale.
    """
    chosen = FORMATS[fmt]
    stamps = export_data.claim_stamps_for(db, revision=revision, include=include)

    def shown(related: Hashable) -> KeptExport:
        return KeptExport(fmt, links.collection(article.id, include), links.context, article.title,
                          tuple(rating_scale(config)), tuple(map(tuple, stamps)), related,
                          export_data.paper_size(config) if chosen.printed else "")

    found = _kept_exports.lookup(shown(export_data.related_fingerprint(db, stamps, revision=revision,
                                                                        include=include)))
    if found is not None:
        return found
    data = export_data.load(db, article=article, revision=revision, include=include, config=config, links=links,
                            reads=chosen.reads)
    content = chosen.present(data)
    # Kept only under the stamps of the very rows it was made from: when a claim changed between
    # the two reads, its version tells, and the document is served without being kept.
    if [(s.id, s.version) for s in stamps] == [(item.claim.id, item.claim.version) for item in data.claims]:
        _kept_exports.store(shown(data.fingerprint), content)
    return content


def printer_turn():
    """Wait for a turn at the PDF printer (``pdf_queue``), as the settings say."""
    config = current_app.config
    return pdf_queue.turn(Path(current_app.instance_path) / "pdf-printers", printers=config["PDF_CONCURRENCY"],
                          wait=config["PDF_QUEUE_WAIT"], per_process=config["PDF_PER_PROCESS"])
