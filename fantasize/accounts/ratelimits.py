"""Rate limits on sign-in, registration, MFA and password reset: per client address and per account.

Each protected view says how its "account" is identified, so a caller can never pick the
key: the e-mail typed on the sign-in and reset forms, the user waiting for their second
factor, or the authenticated caller.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import current_app, g, request, session
from flask.wrappers import Response
from flask_limiter.util import get_remote_address

from fantasize.accounts.session import RESET_TOKEN
from fantasize.extensions import limiter


def _auth_limit() -> str:
    return current_app.config["RATE_LIMIT_AUTH"]


def by_email() -> str:
    """The e-mail address sent in the form or JSON body (sign-in, registration, reset requests)."""
    data = request.get_json(silent=True) if request.is_json else request.form
    email = data.get("email") if isinstance(data, dict) or hasattr(data, "getlist") else None
    if isinstance(email, str) and email.strip():
        return f"account:{email.strip().lower()}"
    return f"client:{get_remote_address()}"


def by_pending_user() -> str:
    """The user who passed the password step and now owes a second factor (browser)."""
    pending = session.get("mfa_pending_user")
    return f"account-id:{pending}" if pending else f"client:{get_remote_address()}"


def by_caller() -> str:
    """The authenticated API caller (MFA set-up and verification)."""
    principal = g.get("principal")
    return f"account-id:{principal.user.id}" if principal is not None else f"client:{get_remote_address()}"


def by_token() -> str:
    """A password-reset token: attempts on one link are limited wherever they come from."""
    token = (
        (request.view_args or {}).get("token")
        or session.get(RESET_TOKEN)
        or (request.get_json(silent=True) or {}).get("token", "")
    )
    return f"reset:{token}"


def _failed(response: Response) -> bool:
    return bool(g.get("auth_failed")) or response.status_code in (400, 401, 403, 409, 422)


def auth_rate_limited(account_key: Callable[[], str] = by_email, count_only_failures: bool = True) -> Callable:
    """Apply the auth limit to a view's POSTs, per client address and per account."""
    deduct_when = _failed if count_only_failures else None

    def decorator(view: Callable) -> Callable:
        view = limiter.shared_limit(
            _auth_limit, scope="auth-client", key_func=get_remote_address, methods=["POST"], deduct_when=deduct_when
        )(view)
        return limiter.shared_limit(
            _auth_limit, scope="auth-account", key_func=account_key, methods=["POST"], deduct_when=deduct_when
        )(view)

    return decorator


def mark_failed_attempt() -> None:
    """Count this (HTML) attempt against the limits although the page answers 200."""
    g.auth_failed = True
