"""Security headers and CSRF for browser routes."""

from __future__ import annotations

from flask import Flask, current_app, request
from flask.wrappers import Response
from werkzeug.exceptions import RequestEntityTooLarge

from fantasize.extensions import csrf

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "img-src 'self' data: blob:",
        "style-src 'self'",
        "script-src 'self'",
        "connect-src 'self'",
        "font-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


def set_security_headers(response: Response) -> Response:
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
    headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    if request.is_secure:
        headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
    return response


def reject_oversized_bodies() -> None:
    """Refuse a declared body over the cap before routing, even where the view never reads it."""
    limit = current_app.config.get("MAX_CONTENT_LENGTH")
    if limit and request.content_length and request.content_length > limit:
        raise RequestEntityTooLarge()


def protect_browser_forms() -> None:
    """CSRF for every browser route; the JSON API authenticates with tokens, not cookies."""
    if not current_app.config.get("WTF_CSRF_ENABLED", True):
        return
    if request.path.startswith("/api/"):
        return
    csrf.protect()


def init_security(app: Flask) -> None:
    app.before_request(reject_oversized_bodies)
    app.before_request(protect_browser_forms)
    app.after_request(set_security_headers)
