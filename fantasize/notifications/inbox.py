"""The in-app inbox: notifications stored per user, read on the site (the bell) and in the apps."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from fantasize import events
from fantasize.accounts.models import User
from fantasize.extensions import db
from fantasize.notifications.models import Notification


def add(
    user_id: str, event: str, title: str, body: str = "", link: str | None = None, data: dict[str, Any] | None = None
) -> Notification:
    """Put a notification in ``user_id``'s inbox; realtime hears of it once the transaction commits."""
    notification = Notification(
        user_id=user_id, event=event, title=title[:200], body=body[:2000], link=link, data=data or {}
    )
    db.session.add(notification)
    db.session.flush()
    events.publish(
        "notification.created",
        {"notification_id": notification.id, "user_id": user_id, "event": event, "title": notification.title},
    )
    return notification


def user_ids_with_roles(roles: tuple[str, ...]) -> list[str]:
    """Active accounts holding one of ``roles``."""
    query = select(User.id).where(User.role.in_(roles), User.is_active_account.is_(True)).order_by(User.id)
    return list(db.session.scalars(query))
