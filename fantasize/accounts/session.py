"""Browser sessions with Flask-Login."""

from __future__ import annotations

from flask import Flask

from fantasize.accounts import sign_ins
from fantasize.accounts.models import User
from fantasize.extensions import login_manager

# The reset token that replaced the e-mailed link's once it was opened (services.open_password_reset).
RESET_TOKEN = "password_reset_token"  # noqa: S105 - a session key's name


def load_user(sign_in_id: str) -> User | None:
    """The user of the sign-in named by the session (or remember) cookie, while it is not revoked."""
    return sign_ins.active_user(sign_in_id)


def init_login(app: Flask) -> None:
    login_manager.user_loader(load_user)
    login_manager.login_view = "accounts.login"
    login_manager.login_message = "Please sign in to continue."
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"
