"""Writing Markdown that every renderer shows as meant: text escaped, URLs percent-encoded, and the
checker's own Markdown written back from its parse, so that no raw HTML, script link or remote image
reaches a reader, whatever was typed or stored (nothing here relies on validation at input).

Text gets a backslash before each Markdown metacharacter and ``&<>`` as HTML entities, so it reads
as typed: ``escape("<b>*x*</b>")`` is ``&lt;b&gt;\\*x\\*&lt;/b&gt;``. A link is written only for an
http, https or mailto URL, as ``[text](<url>)`` with anything that could end it percent-encoded.
"""

from __future__ import annotations

import re

from workbench.text.sanitize import parse_markdown

_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~])")
_LINK_SCHEMES = ("http://", "https://", "mailto:")
#: Kept as they are in a written URL; everything else (spaces, quotes, <>()[]`\, line breaks,
#: non-ASCII) is percent-encoded, so the URL cannot end its link or start anything else.
_URL_SAFE = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~:/?#@!$&*+,;=%")
_AUTHORITY = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://[^/?#]*")
#: The checker's headings sit under the export's own (the title is h1, each claim h2).
_HEADING_SHIFT = 2


def escape(text: str) -> str:
    """One line of text that Markdown shows as typed (line breaks and runs of spaces become one space)."""
    return escape_run(" ".join((text or "").split()))


def escape_run(text: str) -> str:
    """Text shown as typed, its spacing kept; it must hold no line break."""
    html_safe = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    escaped = _SPECIAL.sub(r"\\\1", html_safe)
    # "=" matters only where a line starts (a line of them makes the one above a heading).
    return "\\" + escaped if escaped.startswith("=") else escaped


def quote_block(text: str) -> str:
    """``text`` as a block quote, line by line; a right-to-left line keeps its direction."""
    return "\n".join("> " + directed(escape_run(line)) if line.strip() else ">"
                     for line in (text or "").splitlines() or [""])


def directed(text: str) -> str:
    """``text`` isolated as right-to-left when its first strong letter is Arabic, Hebrew or another
    right-to-left script: Markdown has no direction of its own, and Unicode's isolates (RLI … PDI)
    make any viewer lay the line out from the right, its full stop at the left end."""
    return f"\u2067{text}\u2069" if first_strong_direction(text) == "rtl" else text


def first_strong_direction(text: str) -> str | None:
    """"rtl" or "ltr" by the first letter with a strong direction (as ``dir="auto"`` decides), else None."""
    import unicodedata

    for char in text or "":
        kind = unicodedata.bidirectional(char)
        if kind in ("R", "AL"):
            return "rtl"
        if kind == "L":
            return "ltr"
    return None


def link_target(url: str | None) -> str | None:
    """``<url>`` for a link or autolink, percent-encoded; None unless it is an http(s) or mailto URL."""
    url = (url or "").strip()
    if not url.lower().startswith(_LINK_SCHEMES):
        return None
    authority = _AUTHORITY.match(url)
    head = authority.group(0) if authority else ""
    # Brackets are kept only around an IPv6 host; in a path they would end the link text in some renderers.
    return "<" + _percent_encoded(head, extra="[]") + _percent_encoded(url[len(head):]) + ">"


def link(text_markdown: str, url: str | None, *, title: str | None = None) -> str:
    """A link with already-escaped text; just the text when the URL is not one to link to."""
    target = link_target(url)
    if not target:
        return text_markdown
    if title:
        # &quot; rather than \": a renderer that copies the title into an attribute as it is stays inside it.
        target += ' "' + escape(title).replace('"', "&quot;") + '"'
    return f"[{text_markdown}]({target})"


def url_text(url: str | None) -> str:
    """A URL shown for itself: an autolink, or escaped text when it is not one to link to."""
    return link_target(url) or escape(url or "")


def _percent_encoded(text: str, extra: str = "") -> str:
    return "".join(c if c in _URL_SAFE or c in extra else
                   "".join(f"%{b:02X}" for b in c.encode("utf-8", "surrogatepass")) for c in text)


# --- the checker's Markdown, written back -----------------------------------------------------

def user_markdown(text: str) -> str:
    """The checker's Markdown (a rationale) written again from its parse: emphasis, lists, quotes,
    code, tables and http(s)/mailto links are kept; raw HTML is shown as text; other links become
    their text; an image becomes a link to it (or its description), so nothing loads by itself."""
    return "\n".join(_blocks(parse_markdown(text).children)).strip("\n")


def _blocks(nodes, *, tight: bool = False) -> list[str]:
    lines: list[str] = []
    for node in nodes:
        block = _block(node)
        if not block:
            continue
        # Blocks are parted by a blank line, except a list inside a tight list's item.
        if lines and not (tight and node.type in ("bullet_list", "ordered_list")):
            lines.append("")
        lines += block
    return lines


def _block(node) -> list[str]:
    kind = node.type
    if kind == "paragraph":
        return [directed(line) for line in _inline_of(node).split("\n")]
    if kind == "heading":
        level = min(6, int(node.tag[1]) + _HEADING_SHIFT)
        return ["#" * level + " " + _inline_of(node).replace("\\\n", " ").replace("\n", " ")]
    if kind == "blockquote":
        return ["> " + line if line else ">" for line in _blocks(node.children)]
    if kind in ("bullet_list", "ordered_list"):
        return _list(node)
    if kind in ("fence", "code_block"):
        content = node.content.rstrip("\n")
        longest = max((len(run) for run in re.findall(r"`+", content)), default=0)
        fence = "`" * max(3, longest + 1)
        return [fence, *content.split("\n"), fence]
    if kind == "hr":
        return ["* * *"]
    if kind == "table":
        return _table(node)
    # Nothing else is parsed with raw HTML off; anything unforeseen is shown as text.
    return [escape_run(line) for line in (node.content or "").splitlines()]


def _list(node) -> list[str]:
    ordered = node.type == "ordered_list"
    number = int(node.attrs.get("start", 1)) if ordered else 0
    # The parser marks the paragraphs of a tight list hidden; keep the list tight (or loose) as typed.
    tight = all(child.hidden for item in node.children for child in item.children if child.type == "paragraph")
    delimiter = node.markup if node.markup in (".", ")") else "."
    bullet = node.markup if node.markup in ("-", "*", "+") else "-"
    lines: list[str] = []
    for item in node.children:
        marker = f"{number}{delimiter}" if ordered else bullet
        number += 1
        body = _blocks(item.children, tight=tight) or [""]
        if lines and not tight:
            lines.append("")
        lines.append(f"{marker} {body[0]}".rstrip())
        lines += [" " * (len(marker) + 1) + line if line else "" for line in body[1:]]
    return lines


def _table(node) -> list[str]:
    rows = [row for part in node.children for row in part.children]
    if not rows:
        return []

    def cells(row) -> str:
        return "| " + " | ".join(_inline_of(cell, in_table=True) for cell in row.children) + " |"

    aligns = []
    for cell in rows[0].children:
        style = cell.attrs.get("style", "")
        aligns.append({"text-align:left": ":--", "text-align:center": ":-:", "text-align:right": "--:"}.get(style, "---"))
    return [cells(rows[0]), "| " + " | ".join(aligns) + " |", *(cells(row) for row in rows[1:])]


def _inline_of(node, *, in_table: bool = False) -> str:
    """The Markdown of a block's inline content (a paragraph, heading or table cell)."""
    return "".join(_inline(child, in_link=False, in_table=in_table)
                   for inline in node.children for child in inline.children)


def _inline(node, *, in_link: bool, in_table: bool) -> str:
    kind = node.type

    def inner(*, in_link: bool = in_link) -> str:
        return "".join(_inline(child, in_link=in_link, in_table=in_table) for child in node.children)

    if kind == "text":
        return escape_run(node.content)
    if kind == "softbreak":
        return "\n"
    if kind == "hardbreak":
        return "\\\n"
    if kind in ("em", "strong", "s"):
        mark = {"em": "*", "strong": "**", "s": "~~"}[kind]
        return mark + inner() + mark
    if kind == "code_inline":
        content = node.content.replace("|", "\\|") if in_table else node.content
        longest = max((len(run) for run in re.findall(r"`+", content)), default=0)
        fence = "`" * (longest + 1)
        padded = f" {content} " if content.startswith("`") or content.endswith("`") else content
        return fence + padded + fence
    if kind == "link":
        href = node.attrs.get("href")
        if node.markup == "autolink" and not in_link and _plain(node) == href:
            return url_text(href)
        text = inner(in_link=True) or escape(href or "")
        return text if in_link else link(text, href, title=node.attrs.get("title"))
    if kind == "image":
        # A remote image would load as soon as the export is viewed: a link to it is shown instead.
        alt = escape(_plain(node)) or "image"
        target = None if in_link else link_target(node.attrs.get("src"))
        return f"[Image: {alt}]({target})" if target else alt
    return escape_run(node.content or "")


def _plain(node) -> str:
    return "".join(child.content if child.type in ("text", "code_inline") else _plain(child)
                   for child in node.children)
