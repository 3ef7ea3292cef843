"""Bringing an article in: fetching a URL safely, decoding bytes, and choosing the cleaner.

The fetcher refuses loopback, private, link-local and other non-public addresses (unless
allowed by a setting), in every IPv6 form that carries an IPv4 address too, after DNS resolution
and again on every redirect, and connects to the address it checked so that a second DNS answer
cannot point it elsewhere.
"""

from __future__ import annotations

import http.client
import ipaddress
import re
import socket
import ssl
import time
from dataclasses import dataclass
from typing import Callable
from urllib.parse import quote, urljoin, urlsplit

from workbench.cleaning import CleanResult, clean_text
from workbench.errors import FetchError, InvalidContentError, TooLargeError

ARTICLE_MEDIA_TYPES = {"text/html", "application/xhtml+xml", "text/plain", "text/markdown", "text/x-markdown"}
UPLOAD_EXTENSIONS = {".html": "text/html", ".htm": "text/html", ".txt": "text/plain", ".md": "text/markdown"}
USER_AGENT = "Workbench/0.1 (fact-check article import)"
_URL_SAFE = "!#$%&'()*+,/:;=?@[]~"  # reserved characters, and "%" of what is encoded already


@dataclass
class Fetched:
    url: str
    body: bytes
    media_type: str
    charset: str | None


# ---------------------------------------------------------------------------
# Which addresses may be contacted
# ---------------------------------------------------------------------------

_IPV4_COMPATIBLE = ipaddress.ip_network("::/96")  # ::a.b.c.d (deprecated, still routed by some stacks)
_IPV4_TRANSLATED = ipaddress.ip_network("::ffff:0:0:0/96")  # SIIT, ::ffff:0:a.b.c.d
_NAT64 = ipaddress.ip_network("64:ff9b::/96")  # the well-known NAT64 prefix: the IPv4 is the last 32 bits
_NAT64_LOCAL = ipaddress.ip_network("64:ff9b:1::/48")  # local-use NAT64: a private network's own translator


def carried_ipv4(ip: ipaddress.IPv6Address) -> list[ipaddress.IPv4Address]:
    """The IPv4 addresses an IPv6 address leads to: mapped, compatible, translated (SIIT), NAT64,
    6to4 and both ends of Teredo; empty for an IPv6 address of its own."""
    if ip.ipv4_mapped:
        return [ip.ipv4_mapped]
    if ip.sixtofour:
        return [ip.sixtofour]
    if ip.teredo:
        return list(ip.teredo)
    if any(ip in network for network in (_IPV4_COMPATIBLE, _IPV4_TRANSLATED, _NAT64)):
        return [ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)]
    return []


def address_is_public(address: str) -> bool:
    """False for loopback, private, link-local, site-local, multicast, reserved and unspecified
    addresses, and for an IPv6 address that carries one of those IPv4 addresses."""
    ip = ipaddress.ip_address(address)
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.is_site_local or ip in _NAT64_LOCAL:
            return False
        carried = carried_ipv4(ip)
        if carried:
            # The IPv6 wrapper itself counts as non-global for some of these forms (mapped, Teredo):
            # what matters is where the packets go.
            return all(_is_public(v4) for v4 in carried)
    return _is_public(ip)


def _is_public(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    return ip.is_global and not ip.is_multicast


def check_url_syntax(url: str) -> tuple[str, str, int]:
    """(scheme, host, port) of an http(s) URL, or an error naming what is wrong."""
    try:
        parts = urlsplit(url.strip())
        scheme, host, port = parts.scheme, parts.hostname, parts.port
    except ValueError as err:  # unbalanced brackets, a bracketed host that is no IPv6 address, a bad port
        raise InvalidContentError(f"The URL's host or port is not valid ({err}).", code="bad_url") from None
    if scheme not in ("http", "https"):
        raise InvalidContentError(f"Only http and https URLs can be imported, not {scheme or 'this'!r}.",
                                  code="bad_url")
    if not host:
        raise InvalidContentError("The URL has no host name.", code="bad_url")
    # urlsplit lets text after "]" pass ("http://[::1]x/"); only ":port" may follow an IPv6 address.
    if "]" in parts.netloc and not re.search(r"\](:\d*)?$", parts.netloc):
        raise InvalidContentError("The URL's host is not valid: only a port may follow an IPv6 address.",
                                  code="bad_url")
    return scheme, host, port or (443 if scheme == "https" else 80)


# ---------------------------------------------------------------------------
# Fetching
# ---------------------------------------------------------------------------

class _PinnedHTTPConnection(http.client.HTTPConnection):
    """Connects to an address we already checked, while naming the host in the request."""

    def __init__(self, host: str, address: str, port: int, timeout: float):
        super().__init__(host, port, timeout=timeout)
        self._address = address

    def connect(self):
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, host: str, address: str, port: int, timeout: float):
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self._address = address

    def connect(self):
        sock = socket.create_connection((self._address, self.port), self.timeout)
        # Certificate checked against the host name, not the address we pinned.
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


def fetch_url(
    url: str,
    *,
    allow_private: bool = False,
    timeout: float = 10.0,
    max_bytes: int = 5 * 1024 * 1024,
    max_redirects: int = 5,
    address_allowed: Callable[[str], bool] | None = None,
) -> Fetched:
    """GET ``url`` as an article.

    :param address_allowed: decides which resolved addresses may be contacted; defaults to
        public addresses only, or any address when ``allow_private`` is set.
    :raises InvalidContentError: bad scheme, refused address, not an article's media type.
    :raises TooLargeError: the body is larger than ``max_bytes``.
    :raises FetchError: network failure, timeout or an error status.
    """
    if address_allowed is None:
        address_allowed = (lambda _a: True) if allow_private else address_is_public
    deadline = time.monotonic() + timeout
    for _hop in range(max_redirects + 1):
        scheme, host, port = check_url_syntax(url)
        address = _resolve_checked(host, port, address_allowed)
        remaining = max(0.1, deadline - time.monotonic())
        connection_class = _PinnedHTTPSConnection if scheme == "https" else _PinnedHTTPConnection
        connection = connection_class(host, address, port, remaining)
        response = None
        try:
            parts = urlsplit(url)
            # The request line is ASCII: other characters go percent-encoded as UTF-8, as browsers send them.
            path = quote((parts.path or "/") + (f"?{parts.query}" if parts.query else ""), safe=_URL_SAFE)
            connection.request("GET", path, headers={
                "User-Agent": USER_AGENT,
                "Accept": "text/html,application/xhtml+xml,text/plain,text/markdown;q=0.9",
                "Accept-Encoding": "identity",
            })
            response = connection.getresponse()
            if response.status in (301, 302, 303, 307, 308):
                location = response.getheader("Location")
                if not location:
                    raise FetchError(f"{url} redirected without saying where to.")
                try:
                    url = urljoin(url, location)
                except ValueError:
                    raise InvalidContentError(f"{url} redirected to an address that is not valid: {location!r}.",
                                              code="bad_url") from None
                continue
            if response.status != 200:
                raise FetchError(f"{url} answered {response.status} {response.reason}.")
            media_type, charset = _content_type(response.getheader("Content-Type", ""))
            if media_type and media_type not in ARTICLE_MEDIA_TYPES:
                raise InvalidContentError(
                    f"{url} is {media_type}, not an article (HTML, plain text or Markdown).", code="not_an_article"
                )
            body = _read_capped(response, max_bytes, deadline, url)
            return Fetched(url=url, body=body, media_type=media_type or "text/html", charset=charset)
        except (socket.timeout, TimeoutError):
            raise FetchError(f"Fetching {url} timed out after {timeout:g} s.", code="fetch_timeout", status=504) from None
        except ssl.SSLError as err:
            raise FetchError(f"Could not make a secure connection to {host}: {err.reason or err}.") from None
        except (OSError, http.client.HTTPException) as err:
            raise FetchError(f"Could not fetch {url}: {err}.") from None
        finally:
            if response is not None:
                response.close()
            connection.close()
    raise FetchError(f"Too many redirects (more than {max_redirects}).", code="too_many_redirects")


def fetch_with_settings(url: str, config) -> Fetched:
    """``fetch_url`` with the app's settings (private addresses, timeout, size cap, redirects)."""
    return fetch_url(url, allow_private=config["FETCH_ALLOW_PRIVATE"], timeout=config["FETCH_TIMEOUT"],
                     max_bytes=config["MAX_IMPORT_BYTES"], max_redirects=config["FETCH_MAX_REDIRECTS"])


def _resolve_checked(host: str, port: int, address_allowed: Callable[[str], bool]) -> str:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except UnicodeError:  # IDNA: an empty or over-long label ("a..b")
        raise InvalidContentError(f"The host name {host!r} is not valid.", code="bad_url") from None
    except socket.gaierror:
        raise FetchError(f"The host {host!r} could not be found.", code="dns_failed") from None
    addresses = [info[4][0] for info in infos]
    if not addresses:
        raise FetchError(f"The host {host!r} could not be found.", code="dns_failed")
    # Every address must pass: a host that resolves to one public and one private address is refused.
    refused = [a for a in addresses if not address_allowed(a)]
    if refused:
        raise InvalidContentError(
            f"Refusing to fetch {host}: it resolves to a loopback, private or link-local address ({refused[0]}).",
            code="address_refused",
        )
    return addresses[0]


def _content_type(header: str) -> tuple[str, str | None]:
    media_type, _, params = header.partition(";")
    match = re.search(r"charset=\"?([\w.-]+)", params, re.I)
    return media_type.strip().lower(), (match.group(1) if match else None)


def _read_capped(response, max_bytes: int, deadline: float, url: str) -> bytes:
    length = response.getheader("Content-Length")
    if length and length.isdigit() and int(length) > max_bytes:
        raise TooLargeError(f"{url} is {int(length):,} bytes; the limit is {max_bytes:,}.")
    chunks, total = [], 0
    while True:
        if time.monotonic() > deadline:
            raise socket.timeout()
        chunk = response.read(64 * 1024)
        if not chunk:
            break
        total += len(chunk)
        if total > max_bytes:
            raise TooLargeError(f"{url} is larger than the limit of {max_bytes:,} bytes.")
        chunks.append(chunk)
    return b"".join(chunks)


# ---------------------------------------------------------------------------
# Decoding and dispatch
# ---------------------------------------------------------------------------

_HTML_SNIFF_RE = re.compile(r"^\s*(<!doctype html|<html|<head|<body)|<(p|div|article|section|span|br|a)\b[^>]*>", re.I)


def looks_like_html(text: str) -> bool:
    head = text[:4096]
    return bool(_HTML_SNIFF_RE.search(head)) and len(re.findall(r"</?[a-z][^>]*>", head, re.I)) >= 2


def media_type_for_upload(filename: str) -> str:
    lower = filename.lower()
    for extension, media_type in UPLOAD_EXTENSIONS.items():
        if lower.endswith(extension):
            return media_type
    allowed = ", ".join(UPLOAD_EXTENSIONS)
    raise InvalidContentError(f"{filename!r} is not a supported file; upload one of {allowed}.", code="bad_file_type")


def decode_text(data: bytes, charset: str | None = None) -> str:
    """Bytes to text: the declared charset, else UTF-8 (with or without BOM), else a detected one."""
    for candidate in filter(None, [charset, "utf-8-sig"]):
        try:
            return data.decode(candidate)
        except (UnicodeDecodeError, LookupError):
            continue
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise InvalidContentError("The file is not readable text in any known encoding.", code="undecodable")
    return str(best)


def clean_input(data: bytes, media_type: str, *, charset: str | None = None, url: str | None = None) -> CleanResult:
    """Run the right cleaner for ``media_type``: HTML through the extractor, text line by line."""
    from workbench.extraction import extract_html

    if media_type in ("text/html", "application/xhtml+xml"):
        return extract_html(data if charset is None else decode_text(data, charset), url=url)
    text = decode_text(data, charset)
    if media_type == "text/plain" and looks_like_html(text):
        return extract_html(text, url=url)
    return clean_text(text, markdown=media_type in ("text/markdown", "text/x-markdown"))
