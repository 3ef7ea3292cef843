"""Article extraction from HTML: trafilatura decides what is the article, we list every block.

The preview needs the dropped blocks as well as the kept ones, so the page is walked into
blocks in document order; a block is kept when trafilatura kept its text and the line rules of
:mod:`workbench.text.cleaning` do not call it junk. Title, byline, date and site name come from
trafilatura's metadata.
"""

from __future__ import annotations

import re
import warnings

import lxml.html
from lxml import etree

from workbench.text.cleaning import (
    Block,
    CleanResult,
    classify,
    classify_blocks,
    drop_control_characters,
    guess_language,
    normalize_block,
    plain_key,
    word_count,
)
from workbench.text.decoding import declare_utf8

BLOCK_TAGS = {
    "address", "article", "aside", "blockquote", "body", "caption", "dd", "details", "div", "dl", "dt",
    "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr",
    "li", "main", "nav", "ol", "p", "pre", "section", "summary", "table", "tbody", "td", "tfoot", "th",
    "thead", "tr", "ul", "br",
}
INVISIBLE_TAGS = {"script", "style", "noscript", "template", "svg", "iframe", "object", "embed", "head", "button",
                  "select", "option", "input", "textarea", "canvas", "video", "audio", "picture", "img", "meta",
                  "link"}
# Structural hints shown in the preview when a block is dropped.
CONTEXT_HINTS = [
    ("nav", "navigation"),
    ("footer", "page footer"),
    ("aside", "sidebar"),
    ("form", "form"),
]
_CLASS_HINTS = re.compile(r"(share|social|related|recommend|cookie|consent|newsletter|promo|advert|\bad-|comment)", re.I)


def html_blocks(document: str | bytes) -> list[Block]:
    """Every visible block of text in document order, with a hint of where it stood."""
    root = _parse(document)
    blocks: list[Block] = []
    buffer: list[str] = []
    context_stack: list[str] = []

    def flush():
        text = normalize_block("".join(buffer))
        buffer.clear()
        if text:
            blocks.append(Block(text=text, context=_context(context_stack)))

    def walk(element):
        tag = element.tag if isinstance(element.tag, str) else ""
        tag = tag.lower()
        if tag in INVISIBLE_TAGS or not isinstance(element.tag, str):
            if element.tail:
                buffer.append(element.tail)
            return
        is_block = tag in BLOCK_TAGS
        if is_block:
            flush()
        context_stack.append(_hint(element, tag))
        if element.text:
            buffer.append(element.text)
        for child in element:
            walk(child)
        if is_block:
            flush()
        context_stack.pop()
        if element.tail:
            buffer.append(element.tail)

    body = root.find(".//body")
    walk(body if body is not None else root)
    flush()
    return blocks


def _parse(document: str | bytes):
    parser = lxml.html.HTMLParser(remove_comments=True, remove_pis=True)
    if isinstance(document, bytes):
        return lxml.html.fromstring(document, parser=parser)
    # lxml refuses str input that declares an encoding; encode it so the declaration agrees.
    return lxml.html.fromstring(document.encode("utf-8"), parser=lxml.html.HTMLParser(
        remove_comments=True, remove_pis=True, encoding="utf-8"))


def _hint(element, tag: str) -> str:
    for name, hint in CONTEXT_HINTS:
        if tag == name or element.get("role") == ("navigation" if name == "nav" else name):
            return hint
    classes = f"{element.get('class', '')} {element.get('id', '')}"
    match = _CLASS_HINTS.search(classes)
    return f"{match.group(1).lower()} box" if match else ""


def _context(stack: list[str]) -> str:
    hints = [h for h in stack if h]
    return hints[-1] if hints else ""


def extract_html(document: str, *, url: str | None = None) -> CleanResult:
    """Clean an HTML page into judged blocks and metadata.

    Text only: given bytes, trafilatura inflates whatever looks gzip-, zlib- or zstd-compressed,
    up to 20 MB whatever our import cap (:func:`workbench.services.ingest.clean_input` decodes the page).
    """
    import trafilatura

    if not isinstance(document, str):
        raise TypeError("extract_html takes the page as text; decode it first (workbench.services.ingest.decode_html)")

    # Before parsing: lxml would end the text at a NUL, losing the rest of the page.
    document = drop_control_characters(document)
    # The text is decoded already: a legacy <meta charset> left in it would make lxml misread it.
    document = declare_utf8(document)
    blocks = html_blocks(document)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # trafilatura's dependencies warn about lxml internals
        extracted = trafilatura.bare_extraction(
            document, url=url, include_comments=False, include_tables=True, with_metadata=True, favor_recall=True
        )
    kept_texts: set[str] = set()
    kept_joined = ""
    meta: dict = {}
    if extracted is not None:
        kept_texts = {normalize_block(" ".join(el.itertext())) for el in extracted.body.iter() if len(el) == 0 or el.text}
        kept_texts |= {normalize_block(" ".join(el.itertext())) for el in extracted.body}
        kept_joined = " " + normalize_block(" ".join(extracted.body.itertext())) + " "
        meta = {
            "title": (extracted.title or "").strip(),
            "byline": (extracted.author or "").strip(),
            "published": extracted.date or "",
            "publisher": (extracted.sitename or "").strip(),
        }
    meta = {k: v for k, v in meta.items() if v}
    title_key = plain_key(meta.get("title", ""))

    for block in blocks:
        if title_key and plain_key(block.text) == title_key:
            block.role, block.reason = "title", "headline (used as the title)"
            continue
        verdict = classify(block.text)
        if verdict:
            block.role, block.reason = verdict
        elif extracted is not None and not _kept_by_extractor(block.text, kept_texts, kept_joined):
            where = f" ({block.context})" if block.context else ""
            block.role, block.reason = "junk", f"not part of the article{where}"
    classify_blocks(blocks)
    # A title from metadata wins over whatever headline-like block the line rules picked.
    if "title" in meta:
        for block in blocks:
            if block.role == "title" and plain_key(block.text) != title_key:
                block.role, block.reason = "body", "article text"
    else:
        meta.update({k: v for k, v in _meta_from_roles(blocks).items() if k not in meta})

    language = _declared_language(document) or guess_language(" ".join(b.text for b in blocks if b.kept))
    if language:
        meta["language"] = language
    return CleanResult(blocks=blocks, meta=meta)


def _kept_by_extractor(text: str, kept_texts: set[str], kept_joined: str) -> bool:
    if text in kept_texts:
        return True
    # Longer blocks may be merged or split differently by the extractor: accept them when
    # they appear whole, on word boundaries, in what it kept. Short ones must match exactly,
    # or "Home" would pass for being somewhere in the story. (Words as word_count counts them:
    # a Japanese or Chinese sentence has no spaces between its words.)
    return word_count(text) >= 6 and f" {text} " in kept_joined


def _meta_from_roles(blocks: list[Block]) -> dict:
    from workbench.text.cleaning import meta_from_blocks

    found = meta_from_blocks(blocks)
    found.pop("language", None)
    return found


def _declared_language(document: str | bytes) -> str | None:
    try:
        root = _parse(document)
    except (etree.ParserError, ValueError):
        return None
    lang = (root.get("lang") or "").strip()
    return lang.split("-")[0].lower() or None if lang else None
