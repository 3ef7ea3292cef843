"""Bringing an article in: fetching a URL safely, decoding bytes, and choosing the cleaner.

The fetcher refuses loopback, private, link-local and other non-public addresses (unless
allowed by a setting), in every IPv6 form that carries an IPv4 address too, after DNS resolution
and again on every redirect, and connects to the address it checked so that a second DNS answer
cannot point it elsewhere. One deadline covers the whole fetch; the size cap counts the bytes
after any decompression; a process runs only so many fetches at once.
"""

from __future__ import annotations

import http.client
import ipaddress
import math
import re
import socket
import ssl
import threading
import time
import zlib
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Callable
from urllib.parse import quote, urljoin, urlsplit

from workbench.errors import BusyError, FetchError, InvalidContentError, TooLargeError
from workbench.waits import slow_wait
from workbench.services.schemas import parse_url
from workbench.text.cleaning import CleanResult
from workbench.text.paste_cleaning import clean_text
from workbench.text.decoding import decode_bytes

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
    """(scheme, host, port) of an http(s) URL that ``urls.normalize_url`` accepts, or an error naming
    what is wrong."""
    parts = urlsplit(parse_url(url, field="URL", required=True))
    return parts.scheme, parts.hostname, parts.port or (443 if parts.scheme == "https" else 80)


# ---------------------------------------------------------------------------
# Fetching
# ---------------------------------------------------------------------------

class _DeadlinePassed(Exception):
    """The fetch's time is up (raised by our own checks; the network calls raise their own errors)."""


class _Deadline:
    """One time limit for a whole fetch: name lookups, connecting, TLS, headers and body, on every hop.

    A socket's timeout bounds each read alone, so a server sending a byte a second never trips it.
    A timer shuts the current connection down when the time is up, wherever the fetch is waiting.
    """

    def __init__(self, seconds: float):
        self.seconds = seconds
        self._end = time.monotonic() + seconds
        self._lock = threading.Lock()
        self._watched: socket.socket | None = None
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True
        self._timer.start()

    @property
    def passed(self) -> bool:
        return time.monotonic() >= self._end

    def remaining(self) -> float:
        left = self._end - time.monotonic()
        if left <= 0:
            raise _DeadlinePassed()
        return left

    def watch(self, sock: socket.socket) -> None:
        """Shut ``sock``'s connection down at the deadline (a duplicate descriptor: TLS wraps the original)."""
        with self._lock:
            self._forget()
            self._watched = sock.dup()
        if self.passed:
            self._expire()

    def close(self) -> None:
        self._timer.cancel()
        with self._lock:
            self._forget()

    def _expire(self) -> None:
        with self._lock:
            if self._watched is not None:
                try:
                    self._watched.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass  # already closed by the other end

    def _forget(self) -> None:
        if self._watched is not None:
            self._watched.close()
            self._watched = None


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """Connects to an address we already checked, while naming the host in the request."""

    def __init__(self, host: str, address: str, port: int, deadline: _Deadline):
        super().__init__(host, port, timeout=deadline.remaining())
        self._address = address
        self._deadline = deadline

    def _open(self) -> socket.socket:
        sock = socket.create_connection((self._address, self.port), self._deadline.remaining())
        self._deadline.watch(sock)
        return sock

    def connect(self):
        self.sock = self._open()


class _PinnedHTTPSConnection(_PinnedHTTPConnection):
    default_port = http.client.HTTPS_PORT  # the Host header names no port for 443

    def connect(self):
        sock = self._open()
        # Certificate checked against the host name, not the address we pinned.
        self.sock = ssl.create_default_context().wrap_socket(sock, server_hostname=self.host)


def fetch_url(
    url: str,
    *,
    allow_private: bool = False,
    timeout: float = 10.0,
    max_bytes: int = 5 * 1024 * 1024,
    max_redirects: int = 5,
    address_allowed: Callable[[str], bool] | None = None,
) -> Fetched:
    """GET ``url`` as an article, within ``timeout`` seconds in all (redirects included).

    :param address_allowed: decides which resolved addresses may be contacted; defaults to
        public addresses only, or any address when ``allow_private`` is set.
    :raises InvalidContentError: bad URL, refused address, not an article's media type, an
        encoding that cannot be read.
    :raises TooLargeError: the body, decompressed, is larger than ``max_bytes``.
    :raises FetchError: network failure, the deadline passed, or an error status.
    """
    if address_allowed is None:
        address_allowed = (lambda _a: True) if allow_private else address_is_public
    deadline = _Deadline(timeout)
    try:
        for _hop in range(max_redirects + 1):
            fetched_or_next = _fetch_once(url, deadline, address_allowed, max_bytes)
            if isinstance(fetched_or_next, Fetched):
                return fetched_or_next
            url = fetched_or_next
    except _DeadlinePassed:
        raise _timed_out(url, timeout) from None
    finally:
        deadline.close()
    raise FetchError(f"Too many redirects (more than {max_redirects}).", code="too_many_redirects")


def _timed_out(url: str, timeout: float) -> FetchError:
    return FetchError(f"Fetching {url} was stopped after {timeout:g} s, the limit for the whole fetch "
                      f"(connecting, redirects and the page itself).", code="fetch_timeout", status=504)


def _fetch_once(url: str, deadline: _Deadline, address_allowed: Callable[[str], bool],
                max_bytes: int) -> Fetched | str:
    """One request: the article, or the URL a redirect points to."""
    # Fetch the normalised form (punycode host): it is also what is kept as the source URL.
    url = parse_url(url, field="URL", required=True)
    scheme, host, port = check_url_syntax(url)
    address = _resolve_checked(host, port, address_allowed, deadline)
    connection_class = _PinnedHTTPSConnection if scheme == "https" else _PinnedHTTPConnection
    connection = connection_class(host, address, port, deadline)
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
                return urljoin(url, location)
            except ValueError:
                raise InvalidContentError(f"{url} redirected to an address that is not valid: {location!r}.",
                                          code="bad_url") from None
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
        raise _DeadlinePassed() from None
    except ssl.SSLError as err:
        if deadline.passed:
            raise _DeadlinePassed() from None
        raise FetchError(f"Could not make a secure connection to {host}: {err.reason or err}.") from None
    except (OSError, http.client.HTTPException) as err:
        if deadline.passed:  # the deadline shut the connection down under the read
            raise _DeadlinePassed() from None
        raise FetchError(f"Could not fetch {url}: {err}.") from None
    finally:
        if response is not None:
            response.close()
        connection.close()


def fetch_with_settings(url: str, config) -> Fetched:
    """``fetch_url`` with the app's settings (private addresses, timeout, size cap, redirects),
    in one of the process's ``FETCH_CONCURRENCY`` fetch slots."""
    with _fetch_slots.take(int(config["FETCH_CONCURRENCY"]), retry_after=math.ceil(config["FETCH_TIMEOUT"])), \
            slow_wait():
        return fetch_url(url, allow_private=config["FETCH_ALLOW_PRIVATE"], timeout=config["FETCH_TIMEOUT"],
                         max_bytes=config["MAX_IMPORT_BYTES"], max_redirects=config["FETCH_MAX_REDIRECTS"])


class _FetchSlots:
    """How many URL fetches this process runs at once. A fetch can hold a server thread for the whole
    timeout; past the limit a request is answered at once (503) instead of waiting for a slot, so
    slow sites cannot take every thread and leave none for the rest of the app."""

    def __init__(self):
        self._lock = threading.Lock()
        self._busy = 0

    @contextmanager
    def take(self, limit: int, *, retry_after: int):
        with self._lock:
            if self._busy >= limit:
                raise BusyError(
                    f"Workbench is already fetching as many pages as it may at once ({limit}); "
                    f"try again in {retry_after} s.", retry_after=retry_after)
            self._busy += 1
        try:
            yield
        finally:
            with self._lock:
                self._busy -= 1


_fetch_slots = _FetchSlots()


def _resolve_checked(host: str, port: int, address_allowed: Callable[[str], bool], deadline: _Deadline) -> str:
    addresses = [info[4][0] for info in _resolve(host, port, deadline)]
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


def _resolve(host: str, port: int, deadline: _Deadline) -> list:
    """``getaddrinfo`` within the deadline: the system resolver has its own, longer timeouts, so it
    runs in a thread of its own that is left to finish if the time runs out."""
    try:
        ipaddress.ip_address(host)
        literal = True
    except ValueError:
        literal = False
    outcome: dict = {}

    def lookup():
        try:
            outcome["infos"] = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except (OSError, UnicodeError) as err:
            outcome["error"] = err

    if literal:
        lookup()
    else:
        thread = threading.Thread(target=lookup, name="workbench-resolve", daemon=True)
        thread.start()
        thread.join(deadline.remaining())
        if thread.is_alive():
            raise _DeadlinePassed()
    error = outcome.get("error")
    if isinstance(error, UnicodeError):  # IDNA: an empty or over-long label ("a..b")
        raise InvalidContentError(f"The host name {host!r} is not valid.", code="bad_url")
    if error is not None:
        raise FetchError(f"The host {host!r} could not be found.", code="dns_failed")
    return outcome["infos"]


def _content_type(header: str) -> tuple[str, str | None]:
    media_type, _, params = header.partition(";")
    match = re.search(r"charset=\"?([\w.-]+)", params, re.I)
    return media_type.strip().lower(), (match.group(1) if match else None)


def _read_capped(response, max_bytes: int, deadline: _Deadline, url: str) -> bytes:
    """The body, decoded from its Content-Encoding, of at most ``max_bytes`` either way."""
    length = response.getheader("Content-Length")
    # ASCII digits only (a header may say "²"), and few enough for int() to read; else it is ignored.
    if length and length.isascii() and length.isdigit() and len(length) < 20 and int(length) > max_bytes:
        raise TooLargeError(f"{url} is {int(length):,} bytes; the limit is {max_bytes:,}.")
    inflater = _inflater_for(response.getheader("Content-Encoding", ""), max_bytes, url)
    chunks, received = [], 0
    while True:
        deadline.remaining()
        chunk = response.read(64 * 1024)
        if not chunk:
            break
        received += len(chunk)
        if received > max_bytes:
            raise TooLargeError(f"{url} is larger than the limit of {max_bytes:,} bytes.")
        chunks.append(inflater.feed(chunk) if inflater else chunk)
    # A connection shut at the deadline ends a body without a length as if it were complete.
    deadline.remaining()
    if response.length:  # what Content-Length promised and did not come (http.client does not check)
        raise FetchError(f"{url} closed the connection {response.length:,} bytes before the end of the page.")
    if inflater:
        inflater.finish()
    return b"".join(chunks)


class _Inflater:
    """gzip or deflate decompression that stops as soon as the output passes the cap."""

    def __init__(self, max_bytes: int, url: str):
        self.max_bytes, self.url, self.size = max_bytes, url, 0
        self._zlib = zlib.decompressobj(zlib.MAX_WBITS | 32)  # a gzip or a zlib header, either

    def feed(self, data: bytes) -> bytes:
        if self._zlib.eof:
            return b""  # what follows the end of the stream is ignored, as browsers do
        try:
            # At most one byte over the room left: the rest of the input stays unread.
            piece = self._zlib.decompress(data, self.max_bytes - self.size + 1)
        except zlib.error as err:
            raise InvalidContentError(f"{self.url} sent a compressed page that cannot be read ({err}).",
                                      code="bad_encoding") from None
        self.size += len(piece)
        if self.size > self.max_bytes:
            raise TooLargeError(f"{self.url} is larger than the limit of {self.max_bytes:,} bytes once decompressed.")
        return piece

    def finish(self) -> None:
        if not self._zlib.eof:
            raise InvalidContentError(f"{self.url} sent a compressed page that ends early.", code="bad_encoding")


def _inflater_for(header: str, max_bytes: int, url: str) -> _Inflater | None:
    encoding = header.strip().lower()
    if encoding in ("", "identity"):
        return None
    if encoding in ("gzip", "x-gzip", "deflate"):
        return _Inflater(max_bytes, url)
    raise InvalidContentError(f"{url} sent its page compressed as {header.strip()!r}, which Workbench "
                              f"cannot read (it reads gzip and deflate).", code="unsupported_encoding")


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
    """Plain-text bytes to text: see :func:`workbench.text.decoding.decode_bytes` (no ``<meta>`` scan)."""
    return _decode(data, charset, html=False)


def decode_html(data: bytes, charset: str | None = None) -> str:
    """HTML bytes to text: BOM, the server's charset, the page's ``<meta>``, UTF-8, detection (see
    :mod:`workbench.text.decoding`). The only place an HTML page's bytes become text."""
    return _decode(data, charset, html=True)


def _decode(data: bytes, charset: str | None, *, html: bool) -> str:
    try:
        return decode_bytes(data, charset, html=html).text
    except UnicodeError:
        raise InvalidContentError("The file is not readable text in any known encoding.", code="undecodable") from None


def compression_of(data: bytes) -> str | None:
    """The format ``data`` is compressed in (gzip, zlib, zstd, xz, bzip2), or None for anything else."""
    for magic, name in ((b"\x1f\x8b", "gzip"), (b"\x28\xb5\x2f\xfd", "zstd"), (b"\xfd7zXZ\x00", "xz")):
        if data.startswith(magic):
            return name
    if data[:3] == b"BZh" and data[4:10] == b"1AY&SY":
        return "bzip2"
    if len(data) >= 2 and data[0] & 0x0F == 8 and data[0] >> 4 <= 7 and int.from_bytes(data[:2], "big") % 31 == 0:
        # A zlib header is two bytes that ordinary text can start with ("x^"): only a stream that
        # inflates counts. The trial is bounded, so a bomb costs nothing here.
        try:
            if zlib.decompressobj().decompress(data[:4096], 64 * 1024):
                return "zlib"
        except zlib.error:
            pass
    return None


def clean_input(data: bytes, media_type: str, *, charset: str | None = None, url: str | None = None) -> CleanResult:
    """Run the right cleaner for ``media_type``: HTML through the extractor, text line by line.

    The extractor is only ever given text: handed bytes, trafilatura would inflate gzip or zlib
    data by itself, past every size cap (a 20 KB upload can hold a 20 MB page). Compressed input
    is refused here; a server's Content-Encoding is decoded, within the cap, by the fetcher.
    """
    from workbench.text.extraction import extract_html

    packed = compression_of(data)
    if packed:
        raise InvalidContentError(f"This is {packed}-compressed data, not a page's text: import the page itself, "
                                  f"uncompressed.", code="compressed")
    if media_type in ("text/html", "application/xhtml+xml"):
        return extract_html(decode_html(data, charset), url=url)
    text = decode_text(data, charset)
    if media_type == "text/plain" and looks_like_html(text):
        return extract_html(text, url=url)
    return clean_text(text, markdown=media_type in ("text/markdown", "text/x-markdown"))
