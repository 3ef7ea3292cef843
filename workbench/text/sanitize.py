"""The one place HTML is made safe. Everything user-supplied that becomes HTML passes here.

An allowlist, not a blocklist: tags, attributes and link protocols not named below are
removed. No images at all (so no remote images), no scripts, styles or event handlers.
"""

from __future__ import annotations

import html as html_lib
import re
import threading
from functools import partial

import bleach
from bleach.linkifier import LinkifyFilter
from markdown_it import MarkdownIt
from markdown_it.tree import SyntaxTreeNode

ALLOWED_TAGS = frozenset(
    {
        "a", "abbr", "b", "blockquote", "br", "code", "del", "em", "h1", "h2", "h3", "h4", "h5", "h6",
        "hr", "i", "li", "mark", "ol", "p", "pre", "q", "s", "strong", "sub", "sup", "table", "tbody",
        "td", "th", "thead", "tr", "u", "ul",
    }
)
ALLOWED_ATTRIBUTES = {
    "a": ["href", "title", "rel"],
    "abbr": ["title"],
    "mark": ["data-claims", "class", "tabindex"],
    "p": ["data-offset", "dir"],
    "th": ["scope"],
}
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})


# Markdown's own raw-HTML support is off: what a user types as <b> shows as text.
_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("strikethrough").enable("table")


def _nofollow(attrs, new=False):
    # Links in user content point outside; never pass our referrer or page authority on.
    href_key = (None, "href")
    if href_key in attrs:
        attrs[(None, "rel")] = "nofollow noopener noreferrer"
    return attrs


_NEVER = re.compile(r"(?!)")  # the filter only rewrites existing links; it never makes new ones

def _make_cleaner() -> bleach.Cleaner:
    return bleach.Cleaner(
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        protocols=ALLOWED_PROTOCOLS,
        strip=True,
        strip_comments=True,
        filters=[partial(LinkifyFilter, callbacks=[_nofollow], url_re=_NEVER, parse_email=False)],
    )


# A Cleaner keeps parser state while it works: one per thread, or concurrent requests corrupt it.
_local = threading.local()


def _cleaner() -> bleach.Cleaner:
    if not hasattr(_local, "cleaner"):
        _local.cleaner = _make_cleaner()
    return _local.cleaner


def clean_html(fragment: str) -> str:
    """Return ``fragment`` with everything outside the allowlist removed."""
    return _cleaner().clean(fragment)


def render_markdown(text: str) -> str:
    """Render user Markdown (a rationale, a comment) to safe HTML."""
    return clean_html(_markdown.render(text or ""))


def parse_markdown(text: str) -> SyntaxTreeNode:
    """User Markdown parsed exactly as ``render_markdown`` reads it (raw HTML is text, links are checked),
    for exports that write it back as Markdown."""
    return SyntaxTreeNode(_markdown.parse(text or ""))


def render_paragraphs(canonical_text: str) -> str:
    """Render canonical text (paragraphs split by a blank line) as safe ``<p>`` elements."""
    paragraphs = [p for p in canonical_text.split("\n\n") if p]
    return clean_html("".join(f"<p>{html_lib.escape(p, quote=False)}</p>\n" for p in paragraphs))
