"""Browser sessions with Flask-Login."""

from __future__ import annotations

from flask import Flask

from fantasize.accounts.models import User
from fantasize.extensions import db, login_manager


def load_user(user_id: str) -> User | None:
    user = db.session.get(User, user_id)
    return user if user is not None and user.is_active else None


def init_login(app: Flask) -> None:
    login_manager.user_loader(load_user)
    login_manager.login_view = "catalog.home"
    login_manager.login_message_category = "info"
