"""Browser sessions: Flask-Login, starting a sign-in, and the wait for a second factor."""

from __future__ import annotations

import time

from flask import Flask, redirect, session, url_for
from flask.wrappers import Response
from flask_login import login_user

from fantasize.accounts import sign_ins
from fantasize.accounts.models import User
from fantasize.extensions import db, login_manager
from fantasize.web.forms import safe_next_url

# The reset token that replaced the e-mailed link's once it was opened (services.open_password_reset).
RESET_TOKEN = "password_reset_token"  # noqa: S105 - a session key's name
# What survives the fresh session of a sign-in (a guest's cart is merged into the account's).
CARRIED_OVER = ("cart_key",)
PENDING_KEYS = ("mfa_pending_user", "mfa_pending_at", "mfa_method", "mfa_remember", "mfa_next")
MFA_PENDING_SECONDS = 300


def load_user(sign_in_id: str) -> User | None:
    """The user of the sign-in named by the session (or remember) cookie, while it is not revoked."""
    return sign_ins.active_user(sign_in_id)


def start_session(user: User, remember: bool, next_url: str | None) -> Response:
    """Sign ``user`` in with a fresh session (no session fixation) and a new sign-in record, and go on."""
    carried = {key: session[key] for key in CARRIED_OVER if key in session}
    session.clear()
    session.update(carried)
    sign_ins.start_sign_in(user, sign_ins.BROWSER)
    login_user(user, remember=remember)
    return redirect(safe_next_url(next_url, url_for("catalog.home")), code=303)


def await_second_factor(user: User, method: str, remember: bool, next_url: str | None) -> Response:
    """The password (or provider) checked out; the session now waits a few minutes for the code."""
    session.update(
        mfa_pending_user=user.id,
        mfa_pending_at=int(time.time()),
        mfa_method=method,
        mfa_remember=remember,
        mfa_next=next_url,
    )
    return redirect(url_for("accounts.login_second_factor"), code=303)


def pending_sign_in() -> tuple[User, str] | None:
    """The user waiting for their second factor and how they signed in, unless the wait expired."""
    started = session.get("mfa_pending_at", 0)
    if not session.get("mfa_pending_user") or time.time() - started > MFA_PENDING_SECONDS:
        for key in PENDING_KEYS:
            session.pop(key, None)
        return None
    user = db.session.get(User, session["mfa_pending_user"])
    return (user, session.get("mfa_method", "password")) if user else None


def init_login(app: Flask) -> None:
    login_manager.user_loader(load_user)
    login_manager.login_view = "accounts.login"
    login_manager.login_message = "Please sign in to continue."
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"
