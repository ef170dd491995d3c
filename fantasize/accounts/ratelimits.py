"""Rate limits on sign-in, registration, MFA and password reset: per client and per account."""

from __future__ import annotations

from collections.abc import Callable

from flask import current_app, g, request, session
from flask.wrappers import Response
from flask_limiter.util import get_remote_address

from fantasize.extensions import limiter


def _auth_limit() -> str:
    return current_app.config["RATE_LIMIT_AUTH"]


def _account_key() -> str:
    """The account an attempt is about: the e-mail sent, the pending MFA user, or the caller."""
    data = request.get_json(silent=True) if request.is_json else request.form
    email = (data or {}).get("email") if hasattr(data, "get") else None
    if isinstance(email, str) and email.strip():
        return f"account:{email.strip().lower()}"
    pending = session.get("mfa_pending_user")
    if pending:
        return f"account-id:{pending}"
    principal = g.get("principal")
    if principal is not None:
        return f"account-id:{principal.user.id}"
    return f"client:{get_remote_address()}"


def _failed(response: Response) -> bool:
    return bool(g.get("auth_failed")) or response.status_code in (400, 401, 403, 409, 422)


def auth_rate_limited(count_only_failures: bool = True) -> Callable[[Callable], Callable]:
    """Apply the auth limit per client address and per account to a view's POSTs."""
    deduct_when = _failed if count_only_failures else None

    def decorator(view: Callable) -> Callable:
        view = limiter.shared_limit(
            _auth_limit, scope="auth-client", key_func=get_remote_address, methods=["POST"], deduct_when=deduct_when
        )(view)
        return limiter.shared_limit(
            _auth_limit, scope="auth-account", key_func=_account_key, methods=["POST"], deduct_when=deduct_when
        )(view)

    return decorator


def mark_failed_attempt() -> None:
    """Count this (HTML) attempt against the limits although the page answers 200."""
    g.auth_failed = True
