"""Build an export of one article in any format: (content, media type, file name)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Hashable, NamedTuple

from flask import current_app, url_for
from sqlmodel import Session

from workbench.errors import MalformedRequestError
from workbench.memo import Memo
from workbench.services.annotations import annotations_from, load_related
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
from workbench.text.json_text import indented

FORMATS = {
    "html": ("text/html; charset=utf-8", "html"),
    "md": ("text/markdown; charset=utf-8", "md"),
    "csv": ("text/csv; charset=utf-8", "csv"),
    "jsonld": ('application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"', "jsonld"),
    "claimreview": ("application/ld+json; charset=utf-8", "claimreview.jsonld"),
    "pdf": ("application/pdf", "pdf"),
}


#: W3C exports as made, by everything they show (``W3CShown``).
_w3c_exports = Memo(max_chars=8_000_000)


class W3CShown(NamedTuple):
    """Everything a W3C export shows: its memo key. The claims and related rows are named by their
    stamps and fingerprint, and the document is kept only when made from rows with those stamps."""

    collection_id: str
    context: str
    label: str
    scale: tuple
    #: (claim id, version, ...) of each claim in it (``export_data.claim_stamps_for``).
    stamps: tuple[tuple, ...]
    #: The sources, creators and revision numbers it names (``load_related(...).fingerprint``).
    related: Hashable


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


def claim_page_url(article: Article, item) -> str:
    return url_for("articles.show", article_id=article.id, claim=item.claim.id, _external=True)


def build(db: Session, *, article: Article, fmt: str, links: w3c.Links, include: str = "approved") -> Export:
    """Needs an application and request context (for the IRIs in the exports); ``links`` gives the
    IRIs of annotations, revisions and users (``workbench.web.links``)."""
    check_options(fmt, include)
    if fmt == "pdf":
        # The turn at the printer comes first: an export refused for a busy printer costs next to
        # nothing, and the report is made only once it can be printed.
        with printer_turn():
            return _build(db, article=article, fmt=fmt, include=include, links=links)
    return _build(db, article=article, fmt=fmt, include=include, links=links)


def _build(db: Session, *, article: Article, fmt: str, include: str, links: w3c.Links) -> Export:
    revision = get_revision(db, article)
    media_type, extension = FORMATS[fmt]
    slug = re.sub(r"[^a-z0-9]+", "-", (article.title or "article").lower()).strip("-")[:60] or "article"
    filename = f"{slug}-{article.id}.{extension}"
    if fmt == "jsonld":
        return Export(content=_w3c_collection(db, article, revision, include, links), media_type=media_type,
                      filename=filename)
    data = export_data.load(db, article=article, revision=revision, include=include, config=current_app.config)
    article_url = url_for("articles.show", article_id=article.id, _external=True)

    def claim_url(item):
        return claim_page_url(article, item)

    if fmt in ("html", "pdf"):
        html = html_report.render(data, claim_url=claim_url, article_url=article_url)
        content = html.encode("utf-8") if fmt == "html" else print_pdf(html)
    elif fmt == "md":
        content = markdown.render(data).encode("utf-8")
    elif fmt == "csv":
        content = csv_export.render(data).encode("utf-8")
    else:
        content = indented(claimreview.claim_reviews(data, url_for_claim=claim_url))
    return Export(content=content, media_type=media_type, filename=filename)


def printer_turn():
    """Wait for a turn at the PDF printer (``pdf_queue``), as the settings say."""
    config = current_app.config
    return pdf_queue.turn(Path(current_app.instance_path) / "pdf-printers", printers=config["PDF_CONCURRENCY"],
                          wait=config["PDF_QUEUE_WAIT"], per_process=config["PDF_PER_PROCESS"])


def print_pdf(html: str) -> bytes:
    """The report printed (during a turn at the printer)."""
    config = current_app.config
    return pdf.html_to_pdf(html, max_memory=config["PDF_MAX_MEMORY_MB"] * 2**20, run_as=config["PDF_USER"])


def _w3c_collection(db: Session, article: Article, revision, include: str, links: w3c.Links) -> bytes:
    """The claims as one W3C AnnotationCollection, made again only when something in it changed.

    The memo's key names every value the document shows: the claims by their stamps (see
    ``export_data.claim_stamps_for``), the related rows (sources, creators, revision numbers) by
    their values, and the IRIs, label and rating scale.
    """
    collection_id = url_for("api.export_article", article_id=article.id, format="jsonld", include=include,
                            _external=True)
    label = f"Claims in “{article.title}”"
    chosen_by = export_data.export_conditions(revision, include)
    stamps = export_data.claim_stamps_for(db, revision=revision, include=include)

    def shown(related) -> W3CShown:
        return W3CShown(collection_id, links.context, label, tuple(rating_scale()), tuple(map(tuple, stamps)),
                        related.fingerprint)

    found = _w3c_exports.lookup(shown(load_related(db, stamps, chosen_by=chosen_by)))
    if found is not None:
        return found
    claims = export_data.claims_for(db, revision=revision, include=include)
    related = load_related(db, claims, chosen_by=chosen_by)
    annotations = annotations_from(claims, related, links=links, embedded=True)
    document = indented(w3c.export_collection(annotations, links=links, collection_id=collection_id, label=label))
    # Kept only under the stamps of the very rows it was made from: when a claim changed between
    # the two reads, its version tells, and the document is served without being kept.
    if [(s.id, s.version) for s in stamps] == [(c.id, c.version) for c in claims]:
        _w3c_exports.store(shown(related), document)
    return document
