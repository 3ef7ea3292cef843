"""Response headers every page carries: a Content-Security-Policy without inline script, and friends;
and HTTPS: which requests count as served over it (for HSTS and the Secure cookie), and which proxies
in front of the app are believed about the client's address and scheme."""

from __future__ import annotations

from flask import Flask, current_app, request
from werkzeug.middleware.proxy_fix import ProxyFix

# No 'unsafe-inline' anywhere: scripts and styles come only from our own static files.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "font-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


#: A year: browsers then use only HTTPS for the site, and refuse to be talked down to HTTP.
HSTS = "max-age=31536000"


def served_over_https() -> bool:
    """Whether users reach this request over HTTPS: the connection says so (directly, or through a
    trusted proxy's X-Forwarded-Proto with ``PROXY_FIX``), or ``PUBLIC_URL`` is an https address
    (TLS ends before the app and nothing tells it so: the users' side is HTTPS all the same)."""
    return request.is_secure or str(current_app.config["PUBLIC_URL"]).lower().startswith("https://")


def set_security_headers(response):
    response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    response.headers.setdefault("X-Frame-Options", "DENY")
    if served_over_https():
        response.headers.setdefault("Strict-Transport-Security", HSTS)
    return response


def init_app(app: Flask) -> None:
    from workbench.web import cors

    app.after_request(set_security_headers)
    cors.init_app(app)  # the API's answers to other origins
    proxies = int(app.config["PROXY_FIX"])
    if proxies > 0:
        # Only the last `proxies` hops' X-Forwarded-For and -Proto are believed: what a client
        # writes there itself is ignored, so it can neither pose as HTTPS nor take another address.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)
