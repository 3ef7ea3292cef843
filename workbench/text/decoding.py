"""Bytes to text, once, for every way an article comes in (upload, URL fetch, API).

The order is the WHATWG encoding standard's, as browsers read a page: a byte-order mark, then the
charset of the HTTP header (or the one the caller knows), then the page's own ``<meta charset>`` or
``<meta http-equiv="Content-Type">`` within its first ``PRESCAN_BYTES``, then detection. The BOM
beats the header, as in browsers: a BOM is in the bytes themselves and cannot be stale, while a
server's default charset often is.

Two corrections browsers do not make, because a fact-checker must never read mojibake:

* a declaration that is wrong: bytes that are valid UTF-8 and hold non-ASCII are read as UTF-8
  whatever a legacy charset says (every byte string is "valid" windows-1252, and real legacy text
  is practically never valid UTF-8 by chance); a declared charset the bytes are not valid in is
  passed over for detection;
* labels mean what WHATWG says they mean: latin1, iso-8859-1 and us-ascii are windows-1252,
  gb2312 and gbk are gb18030, sjis and x-sjis are Shift_JIS (read as cp932, its Windows superset).
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

PRESCAN_BYTES = 8192
_CHAOS_TIE = 0.01  # charset-normalizer's mess ratios this close count as equal

_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))

# WHATWG labels whose Python codec differs from the label's own meaning (or that Python lacks).
_LABELS = {
    **dict.fromkeys(("latin1", "latin-1", "l1", "iso-8859-1", "iso8859-1", "iso_8859-1", "iso88591", "cp819",
                     "ibm819", "us-ascii", "ascii", "ansi_x3.4-1968", "windows-1252", "cp1252", "x-cp1252"),
                    "cp1252"),
    **dict.fromkeys(("gb2312", "gbk", "gb_2312", "gb_2312-80", "chinese", "csgb2312", "x-gbk", "iso-ir-58",
                     "cp936", "ms936", "windows-936", "gb18030"), "gb18030"),
    **dict.fromkeys(("shift_jis", "shift-jis", "sjis", "x-sjis", "ms_kanji", "csshiftjis", "windows-31j",
                     "ms932", "cp932"), "cp932"),
    **dict.fromkeys(("euc-jp", "x-euc-jp", "cseucpkdfmtjapanese"), "euc_jp"),
    **dict.fromkeys(("koi8-r", "koi8r", "koi", "koi8", "koi8_r", "cskoi8r"), "koi8_r"),
    **dict.fromkeys(("koi8-u", "koi8-ru"), "koi8_u"),
    **dict.fromkeys(("euc-kr", "ks_c_5601-1987", "windows-949", "cseuckr"), "cp949"),
    **dict.fromkeys(("big5", "big5-hkscs", "cn-big5", "x-x-big5", "csbig5"), "big5hkscs"),
    **dict.fromkeys(("iso-8859-9", "latin5", "windows-1254"), "cp1254"),
    **dict.fromkeys(("iso-8859-11", "tis-620", "windows-874"), "cp874"),
    **dict.fromkeys(("utf8", "utf-8", "unicode-1-1-utf-8", "x-unicode20utf8"), "utf-8"),
}
# Declarations that say nothing about the bytes: a page cannot be UTF-16 if its <meta> is readable
# as ASCII (WHATWG reads it as UTF-8), and x-user-defined is not a text encoding.
_META_MEANS_UTF8 = {"utf-16", "utf-16le", "utf-16be", "utf-16-le", "utf-16-be", "x-user-defined"}

_META_RE = re.compile(rb"""<meta\b[^>]*?charset\s*=\s*["']?\s*([\w.:-]+)""", re.I)
_XML_DECL_RE = re.compile(rb"""^\s*<\?xml\b[^>]*?encoding\s*=\s*["']([\w.:-]+)""", re.I)


@dataclass(frozen=True)
class Decoded:
    """The text and how its encoding was found (``source``: bom, declared, meta, utf-8, detected)."""

    text: str
    encoding: str
    source: str


def codec_for(label: str | None) -> str | None:
    """The Python codec for a charset label, WHATWG's meaning first; None when it names no encoding."""
    if not label:
        return None
    name = label.strip().strip("\"'").lower()
    if name in _LABELS:
        return _LABELS[name]
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def declared_in_page(data: bytes) -> str | None:
    """The charset a page's ``<meta>`` (or XML declaration) names in its first ``PRESCAN_BYTES``."""
    head = data[:PRESCAN_BYTES]
    match = _XML_DECL_RE.search(head) or _META_RE.search(head)
    if not match:
        return None
    label = match.group(1).decode("ascii", "replace").lower()
    return "utf-8" if label in _META_MEANS_UTF8 else label


def decode_bytes(data: bytes, charset: str | None = None, *, html: bool = False) -> Decoded:
    """Decode ``data``: BOM, else ``charset`` (the HTTP header's), else the page's ``<meta>`` when
    ``html``, else UTF-8, else detection. Raises ``UnicodeError`` when nothing reads it."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return Decoded(data[len(bom):].decode(codec, "replace"), codec, "bom")
    declared = [(codec_for(charset), "declared")]
    if html:
        declared.append((codec_for(declared_in_page(data)), "meta"))
    for codec, source in declared:
        if codec is None:
            continue
        if codec != "utf-8" and _is_utf8_beyond_ascii(data):
            return Decoded(data.decode("utf-8"), "utf-8", "utf-8")  # a wrong declaration
        try:
            return Decoded(data.decode(codec), codec, source)
        except (UnicodeDecodeError, LookupError):
            continue  # bytes not valid in what was declared: the next clue, then detection
    try:
        return Decoded(data.decode("utf-8"), "utf-8", "utf-8")
    except UnicodeDecodeError:
        pass
    return _detected(data)


def _is_utf8_beyond_ascii(data: bytes) -> bool:
    if data.isascii():
        return False
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _detected(data: bytes) -> Decoded:
    from charset_normalizer import from_bytes

    matches = from_bytes(data)
    best = matches.best()
    if best is None:
        raise UnicodeError("not readable text in any known encoding")
    # Western text reads as little chaos in many Latin code pages (£ in windows-1252 is Ł in
    # windows-1250); on a tie, windows-1252 wins, as it is browsers' default for undeclared pages.
    western = next((m for m in matches if m.encoding == "cp1252"), None)
    if western is not None and western.chaos <= best.chaos + _CHAOS_TIE:
        best = western
    codec = codec_for(best.encoding) or best.encoding
    try:
        return Decoded(data.decode(codec), codec, "detected")
    except (UnicodeDecodeError, LookupError):
        return Decoded(str(best), best.encoding, "detected")


_DECLARATION_RE = re.compile(
    r"""(<meta\b[^>]*?charset\s*=\s*["']?\s*)[\w.:-]+|(^\s*<\?xml\b[^>]*?encoding\s*=\s*["'])[\w.:-]+""", re.I)


def declare_utf8(document: str) -> str:
    """``document`` with every charset declaration in its head saying UTF-8.

    Text is what the extractor gets, but lxml and trafilatura encode it back to UTF-8 bytes on some
    paths and would then honour a ``<meta charset=windows-1252>`` left in it, reading the UTF-8 as
    windows-1252 (``Â£``). Once decoded, the truthful declaration is UTF-8.
    """
    head, rest = document[:PRESCAN_BYTES], document[PRESCAN_BYTES:]
    head = _DECLARATION_RE.sub(lambda m: (m.group(1) or m.group(2)) + "utf-8", head)
    return head + rest
