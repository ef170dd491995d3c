"""The in-app inbox: notifications stored per user, read on the site (the bell) and in the apps."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import func, insert, select, update

from fantasize import events
from fantasize.accounts.models import STAFF_ROLES, Role, User
from fantasize.audit import services as audit
from fantasize.db import utcnow
from fantasize.errors import NotFound, ValidationFailed
from fantasize.extensions import db
from fantasize.notifications import preferences
from fantasize.notifications.models import Notification
from fantasize.paging import newest_first_page

ANNOUNCEMENT = "announcement"
# Who an admin may address by role: one role, or every member of the team.
SEND_ROLES: dict[str, tuple[str, ...]] = {
    Role.CUSTOMER.value: (Role.CUSTOMER.value,),
    Role.MANAGER.value: (Role.MANAGER.value,),
    Role.ADMIN.value: (Role.ADMIN.value,),
    "staff": tuple(sorted(role.value for role in STAFF_ROLES)),
}
MAX_TITLE = 200
MAX_MESSAGE = 2000
MAX_LINK = 500


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


# --- reading ------------------------------------------------------------------------------


def list_page(
    user_id: str, limit: int, cursor_key: list | None, unread_only: bool = False
) -> tuple[list[Notification], list | None]:
    """One page of the user's inbox, newest first, and the key of the next page (``None`` on the last)."""
    query = select(Notification).where(Notification.user_id == user_id)
    if unread_only:
        query = query.where(Notification.read_at.is_(None))
    return newest_first_page(query, Notification, limit, cursor_key)


def unread_count(user_id: str) -> int:
    query = select(func.count()).where(Notification.user_id == user_id, Notification.read_at.is_(None))
    return db.session.scalar(query) or 0


def mark_read(user_id: str, notification_id: int) -> Notification:
    """Mark one of the user's notifications read (again is harmless); another user's is "not found"."""
    notification = db.session.get(Notification, notification_id)
    if notification is None or notification.user_id != user_id:
        raise NotFound("There is no such notification.")
    if notification.read_at is None:
        notification.read_at = utcnow()
        db.session.flush()
    return notification


def mark_all_read(user_id: str) -> int:
    """Mark every unread notification of the user read; returns how many were."""
    result = db.session.execute(
        update(Notification)
        .where(Notification.user_id == user_id, Notification.read_at.is_(None))
        .values(read_at=utcnow())
        .execution_options(synchronize_session="fetch")
    )
    return result.rowcount or 0


# --- sending (admins) ---------------------------------------------------------------------


def _is_site_path(link: str) -> bool:
    if not link.startswith("/") or link.startswith("//") or "\\" in link:
        return False
    if any(ord(char) < 33 for char in link):  # no whitespace or control characters
        return False
    parts = urlsplit(link)
    return not parts.scheme and not parts.netloc


def _check_send(
    title: str, message: str, link: str | None, user_id: str | None, role: str | None
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not 1 <= len(title) <= MAX_TITLE:
        errors["title"] = [f"Give a title of 1 to {MAX_TITLE} characters."]
    if not 1 <= len(message) <= MAX_MESSAGE:
        errors["message"] = [f"Give a message of 1 to {MAX_MESSAGE} characters."]
    if link is not None and (len(link) > MAX_LINK or not _is_site_path(link)):
        errors["link"] = [f'Give a path on this site starting with "/" (at most {MAX_LINK} characters).']
    if (user_id is None) == (role is None):
        both = "Give either a user_id or a role, not both." if user_id else "Give a user_id or a role."
        errors["user_id"] = [both]
        errors["role"] = [both]
    elif role is not None and role not in SEND_ROLES:
        errors["role"] = [f"Choose one of: {', '.join(SEND_ROLES)}."]
    elif user_id is not None:
        exists = db.session.scalar(select(User.id).where(User.id == user_id, User.is_active_account.is_(True)))
        if exists is None:
            errors["user_id"] = ["There is no active user with this id."]
    return errors


def send(
    actor: User,
    title: str,
    message: str,
    link: str | None = None,
    user_id: str | None = None,
    role: str | None = None,
) -> int:
    """An announcement from ``actor`` to one user or to everyone with ``role`` (or ``"staff"``).

    Users who switched announcements off in the app are left out. Returns how many inboxes got it.
    """
    title, message = (title or "").strip(), (message or "").strip()
    link = (link or "").strip() or None
    errors = _check_send(title, message, link, user_id, role)
    if errors:
        raise ValidationFailed("The notification cannot be sent as it is.", errors)
    data = {"sent_by": actor.id}
    if user_id is not None:
        sent = 0
        if "in_app" in preferences.channels_for(user_id, ANNOUNCEMENT):
            add(user_id, ANNOUNCEMENT, title, message, link, data)
            sent = 1
        target = f"user:{user_id}"
    else:
        roles = SEND_ROLES[role]
        recipients = preferences.users_with_channel_on(user_ids_with_roles(roles), ANNOUNCEMENT, "in_app")
        sent = _add_many(recipients, title, message, link, data)
        if sent:
            events.publish(
                "notification.broadcast",
                {
                    "roles": list(roles),
                    "event": ANNOUNCEMENT,
                    "title": title,
                    "message": message,
                    "link": link,
                    "count": sent,
                },
            )
        target = f"role:{role}"
    audit.record(
        "notification.sent", actor_id=actor.id, target=target, after={"title": title, "link": link, "sent": sent}
    )
    return sent


def _add_many(user_ids: list[str], title: str, body: str, link: str | None, data: dict[str, Any]) -> int:
    """One bulk INSERT for many inboxes (a role can hold thousands of users)."""
    if not user_ids:
        return 0
    now = utcnow()
    rows = [
        {
            "user_id": uid,
            "event": ANNOUNCEMENT,
            "title": title,
            "body": body,
            "link": link,
            "data": data,
            "created_at": now,
        }
        for uid in user_ids
    ]
    db.session.execute(insert(Notification), rows)
    return len(rows)
