"""JSON answers compressed (gzip) when the client accepts it, with ETags told apart by encoding.

A compressed body is another representation (RFC 9110 §8.8.3): its strong tag is the plain
one's with ``-gzip`` after it, and ``protocol.tag_variants`` lets either tag match in
If-None-Match and If-Match. A 304 names the tag the client holds. Every JSON answer carries
``Vary: Accept-Encoding``, compressed or not, so that a cache keeps the two apart.

Large bodies are compressed once: the compressed bytes are kept under the plain body's SHA-256,
so a kept container page (178 KB for 200 claims, 1 ms to compress) is not compressed again for
each reader. The same bytes always compress to the same bytes (level and mtime are fixed).
"""

from __future__ import annotations

import gzip
import hashlib

from flask import Flask, Response, request

from workbench.memo import Memo

#: What a compressed body's tag carries after the plain one's, by encoding.
SUFFIXES = ("-gzip",)
#: Bodies smaller than this are sent as they are: compressing them saves next to nothing.
MIN_SIZE = 1024
#: gzip's level: 5 makes JSON nearly as small as 9 at about half the time.
LEVEL = 5
COMPRESSED_TYPES = ("application/json", "application/ld+json")
#: Bodies at least this large are compressed once and kept (``_compressed``); hashing a body
#: takes about a tenth of the time compressing it does.
KEEP_SIZE = 32 * 1024
#: Compressed bodies, by their plain body's SHA-256.
_compressed = Memo(max_chars=8_000_000)


def _compressible(response: Response) -> bool:
    return (response.mimetype in COMPRESSED_TYPES or response.mimetype.endswith("+json"))


def _accepts_gzip() -> bool:
    return request.accept_encodings["gzip"] > 0


def compress(response: Response) -> Response:
    if not _compressible(response) and response.status_code != 304:
        return response
    if response.status_code == 304:
        tag, weak = response.get_etag()
        if tag and not weak and request.if_none_match.contains_weak(tag + "-gzip") \
                and not request.if_none_match.contains_weak(tag):
            response.set_etag(tag + "-gzip")
        return response
    response.vary.add("Accept-Encoding")
    if (response.direct_passthrough or response.is_streamed or "Content-Encoding" in response.headers
            or not 200 <= response.status_code < 300 or not _accepts_gzip()):
        return response
    body = response.get_data()
    if len(body) < MIN_SIZE:
        return response
    response.set_data(gzip_bytes(body))
    response.headers["Content-Encoding"] = "gzip"
    tag, weak = response.get_etag()
    if tag:
        response.set_etag(tag + "-gzip", weak=weak)
    return response


def gzip_bytes(body: bytes) -> bytes:
    """``body`` compressed; a large one is compressed once."""
    if len(body) < KEEP_SIZE:
        return gzip.compress(body, compresslevel=LEVEL, mtime=0)
    return _compressed.get(hashlib.sha256(body).digest(), lambda: gzip.compress(body, compresslevel=LEVEL, mtime=0))


def init_app(app: Flask) -> None:
    app.after_request(compress)
