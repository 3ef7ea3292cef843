"""The one check for every URL a user or integrator gives: source, archived copy, article source, import.

Pure (no Flask, no database). A URL is kept only when it is an absolute http(s) address that every
later use can write as it is: no whitespace, control or invisible characters, none of ``<>"'`\\``
(they break out of HTML attributes and Markdown links; such characters are refused, not rewritten,
so what is stored is what the user gave, and the message says how to write them percent-encoded),
no user name or password, and a host name, which is kept lower-case and IDNA-encoded (punycode):

    >>> normalize_url("HTTP://Bücher.example/Seite?x=1")
    'http://xn--bcher-kva.example/Seite?x=1'
"""

from __future__ import annotations

import ipaddress
import re
import unicodedata

import idna

#: The longest URL kept (the columns hold 2,000 characters); measured after the host is encoded.
MAX_URL_LENGTH = 2000

#: Characters refused as typed: quotes and angle brackets end HTML attributes and Markdown links,
#: a backtick starts Markdown code, and browsers read a backslash as a slash (``https://a\@b``).
_REFUSED = frozenset("<>\"'`\\")
_LINE_BREAKS = frozenset("\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*):")
_LABEL = re.compile(r"[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?")
_NUMERIC_LABEL = re.compile(r"(?:0x[0-9a-f]*|[0-9]+)")


class InvalidURLError(ValueError):
    """A URL that cannot be kept; the message names the field and says what is wrong."""


def normalize_url(value: str, *, field: str = "URL") -> str:
    """``value`` as the URL to store: surrounding whitespace trimmed, scheme and host normalised.

    :param field: how the message names the field (``"source URL"``, ``"archived copy URL"``).
    :raises InvalidURLError: anything but an absolute http(s) URL that is safe to write as it is.
    """

    def refuse(problem: str):
        return InvalidURLError(f"The {field} {problem}")

    if not isinstance(value, str):
        raise refuse("must be text.")
    text = value.strip()
    if not text:
        raise refuse("is empty.")
    if len(text) > MAX_URL_LENGTH:
        raise refuse(f"is longer than {MAX_URL_LENGTH:,} characters.")
    scheme = _SCHEME.match(text)
    if scheme is None or scheme.group(1).lower() not in ("http", "https"):
        named = f", not {scheme.group(1)[:20]}:" if scheme else ""
        raise refuse(f"must start with http:// or https://{named}.")
    for char in text:
        _check_char(char, refuse)
    after = text[scheme.end():]
    if not after.startswith("//"):
        raise refuse("has no host name (as in https://example.org/…).")
    # The authority runs to the first / ? or # (RFC 3986); the rest is kept exactly as given.
    authority = re.match(r"[^/?#]*", after[2:]).group(0)
    rest = after[2 + len(authority):]
    if "@" in authority:
        raise refuse("must not contain a user name or password (the part before @).")
    host, port = _split_host_port(authority, refuse)
    url = f"{scheme.group(1).lower()}://{host}{port}{rest}"
    if len(url) > MAX_URL_LENGTH:
        raise refuse(f"is longer than {MAX_URL_LENGTH:,} characters once its host name is encoded.")
    return url


def _check_char(char: str, refuse) -> None:
    if char in _LINE_BREAKS:
        raise refuse("contains a line break; a URL is one line.")
    if char == "\t":
        raise refuse("contains a tab.")
    category = unicodedata.category(char)
    if category == "Cc":
        raise refuse(f"contains a control character (U+{ord(char):04X}).")
    if char.isspace() or category.startswith("Z"):
        raise refuse("contains a space; write a space as %20.")
    if char in _REFUSED:
        raise refuse(f"contains {char}, which a URL may not hold as typed; write it as %{ord(char):02X}.")
    if category == "Cf":
        # Zero-width and bidirectional marks make an address look like another.
        raise refuse(f"contains an invisible formatting character (U+{ord(char):04X}).")
    if category in ("Cs", "Co", "Cn"):
        raise refuse(f"contains a character that is not text (U+{ord(char):04X}).")


def _split_host_port(authority: str, refuse) -> tuple[str, str]:
    """(host, ":port" or "") of an authority without user info; the host normalised."""
    if authority.startswith("["):
        literal, bracket, port_part = authority[1:].partition("]")
        try:
            if not bracket:
                raise ValueError(literal)
            host = f"[{ipaddress.IPv6Address(literal).compressed}]"
        except ValueError:
            raise refuse("has an invalid IPv6 address (in [brackets]).") from None
        if port_part and not port_part.startswith(":"):
            raise refuse("has an invalid IPv6 address (in [brackets]).")
        return host, _port(port_part[1:], refuse)
    name, colon, port_text = authority.rpartition(":")
    if not colon:
        name, port_text = authority, ""
    return _host_name(name, refuse), _port(port_text, refuse)


def _port(text: str, refuse) -> str:
    if not text:
        return ""  # "example.org:" means the default port
    if not text.isascii() or not text.isdigit() or not 1 <= int(text) <= 65535:
        raise refuse("has an invalid port (a number from 1 to 65535).")
    return f":{int(text)}"


def _host_name(name: str, refuse) -> str:
    if not name:
        raise refuse("has no host name (as in https://example.org/…).")
    if not name.isascii():
        try:
            # UTS #46 maps the name as browsers do (case, full-width dots), then IDNA 2008 encodes it.
            name = idna.encode(name, uts46=True).decode("ascii")
        except (idna.IDNAError, ValueError) as err:
            raise refuse(f"has an invalid host name: {err}.") from None
    name = name.lower()
    labels = name[:-1].split(".") if name.endswith(".") else name.split(".")
    if len(name) > 253 or not all(_LABEL.fullmatch(label) for label in labels):
        raise refuse("has an invalid host name (letters, digits and hyphens, each part at most 63 long).")
    # A host that ends in a number is an IPv4 address; browsers read 0x7f.1 or 2130706433 as one too,
    # so only the dotted-decimal form is kept.
    if _NUMERIC_LABEL.fullmatch(labels[-1]):
        try:
            ipaddress.IPv4Address(".".join(labels))
        except ValueError:
            raise refuse("has an invalid IPv4 address (write it as four numbers, like 192.0.2.1).") from None
    return name
