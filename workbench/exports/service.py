"""Build an export of one article in any format: (content, media type, file name)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from flask import current_app, url_for
from sqlmodel import Session

from workbench.articles import get_revision
from workbench.errors import MalformedRequestError
from workbench.exports import claimreview, csv_export, data as export_data, html_report, markdown, pdf, w3c
from workbench.models import Article

FORMATS = {
    "html": ("text/html; charset=utf-8", "html"),
    "md": ("text/markdown; charset=utf-8", "md"),
    "csv": ("text/csv; charset=utf-8", "csv"),
    "jsonld": ('application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"', "jsonld"),
    "claimreview": ("application/ld+json; charset=utf-8", "claimreview.jsonld"),
    "pdf": ("application/pdf", "pdf"),
}


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


def build(db: Session, *, article: Article, fmt: str, include: str = "approved") -> Export:
    """Needs an application and request context (for the IRIs in the exports)."""
    check_options(fmt, include)
    revision = get_revision(db, article)
    data = export_data.load(db, article=article, revision=revision, include=include, config=current_app.config)
    media_type, extension = FORMATS[fmt]
    slug = re.sub(r"[^a-z0-9]+", "-", (article.title or "article").lower()).strip("-")[:60] or "article"
    filename = f"{slug}-{article.id}.{extension}"
    article_url = url_for("articles.show", article_id=article.id, _external=True)

    def claim_url(item):
        return claim_page_url(article, item)

    if fmt in ("html", "pdf"):
        html = html_report.render(data, claim_url=claim_url, article_url=article_url)
        content = html.encode("utf-8") if fmt == "html" else pdf.html_to_pdf(html)
    elif fmt == "md":
        content = markdown.render(data).encode("utf-8")
    elif fmt == "csv":
        content = csv_export.render(data).encode("utf-8")
    elif fmt == "claimreview":
        content = json.dumps(claimreview.claim_reviews(data, url_for_claim=claim_url), ensure_ascii=False,
                             indent=2).encode("utf-8")
    else:
        from workbench.annotations import annotations_for
        from workbench.views.api.annotations import links

        annotations = annotations_for(db, [item.claim for item in data.claims], links=links(), embedded=True)
        collection_id = url_for("api.export_article", article_id=article.id, format="jsonld", include=include,
                                _external=True)
        document = w3c.export_collection(annotations, links=links(), collection_id=collection_id,
                                         label=f"Claims in “{article.title}”")
        content = json.dumps(document, ensure_ascii=False, indent=2).encode("utf-8")
    return Export(content=content, media_type=media_type, filename=filename)
