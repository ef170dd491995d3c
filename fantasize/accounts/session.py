"""Browser sessions with Flask-Login."""

from __future__ import annotations

from flask import Flask

from fantasize.accounts.models import User
from fantasize.extensions import db, login_manager


def load_user(session_id: str) -> User | None:
    """The user of a session id ``"<user id>:<session version>"``; older versions are signed out."""
    user_id, _, version = session_id.partition(":")
    user = db.session.get(User, user_id)
    if user is None or not user.is_active or str(user.session_version) != version:
        return None
    return user


def init_login(app: Flask) -> None:
    login_manager.user_loader(load_user)
    login_manager.login_view = "accounts.login"
    login_manager.login_message = "Please sign in to continue."
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"
