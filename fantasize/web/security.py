"""Security headers, caching of personal responses, and CSRF for browser routes."""

from __future__ import annotations

import re

from flask import Flask, current_app, g, request
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


# Browser pages that are personal whoever asks (sign-in forms, a guest's cart, password reset links).
PERSONAL_PAGE_PREFIXES = ("/account", "/login", "/logout", "/register", "/password", "/auth/", "/cart", "/checkout")
# API endpoints that hand out credentials (token pairs, recovery codes) to callers not yet signed in.
_API_AUTH_PATH = re.compile(r"^/api/v\d+/auth(/|$)")


def _is_personal() -> bool:
    """Whether this response is made for one person, so no cache (browser or shared) may keep it.

    API: any call with a credential (``g.principal``) and every ``/auth`` endpoint; the session is
    not read (in Flask 3.1 merely touching it adds ``Vary: Cookie``). Pages: account, sign-in and
    cart paths, and any page that loaded a signed-in user (Flask-Login keeps it in
    ``g._login_user``); a page that never asked who is signed in (a static file, say) is not
    personal, and asking here would cost a user query on every such request.
    """
    path = request.path
    if path.startswith("/api/"):
        return g.get("principal") is not None or bool(_API_AUTH_PATH.match(path))
    if path.startswith(PERSONAL_PAGE_PREFIXES):
        return True
    user = g.get("_login_user")
    return bool(user is not None and user.is_authenticated)


def forbid_caching_personal_responses(response: Response) -> Response:
    """``Cache-Control: no-store`` on personal responses, unless the view chose ``private`` caching itself."""
    if _is_personal() and not (response.cache_control.no_store or response.cache_control.private):
        response.headers["Cache-Control"] = "no-store"
    return response


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


def retry_after_only_when_refused(response: Response) -> Response:
    """Flask-Limiter adds ``Retry-After`` to every rate-limited response; it only means something on a 429 or 503."""
    if response.status_code not in (429, 503):
        response.headers.pop("Retry-After", None)
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
    app.after_request(forbid_caching_personal_responses)
    # After-request hooks run last-registered first; at the head of the list this one runs after
    # Flask-Limiter's header hook, which ``create_app`` registers earlier.
    app.after_request_funcs.setdefault(None, []).insert(0, retry_after_only_when_refused)
