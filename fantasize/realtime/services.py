"""Realtime admin tools: an announcement to every connected socket, a test notification to one
user, and who is connected. Used by the admin API and the admin page alike.

Unlike the publishers (which wait for a commit), these publish during the request: there is
nothing in the database to wait for but the audit record, and the admin is told the event's
id, or that the broker could not be reached (503, nothing sent).
"""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy import select

from fantasize.accounts.models import User
from fantasize.accounts.services import find_user_by_email
from fantasize.audit import services as audit
from fantasize.errors import AppError, NotFound, ValidationFailed
from fantasize.extensions import db
from fantasize.realtime import broker

log = logging.getLogger("fantasize.realtime")

LEVELS = ("info", "warning", "critical")
MAX_TITLE = 200
MAX_MESSAGE = 2000
TEST_KIND = "test"


class RealtimeUnavailable(AppError):
    status = 503
    code = "service_unavailable"


def _check_text(title: str, message: str) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not 1 <= len(title) <= MAX_TITLE:
        errors["title"] = [f"Give a title of 1 to {MAX_TITLE} characters."]
    if not 1 <= len(message) <= MAX_MESSAGE:
        errors["message"] = [f"Give a message of 1 to {MAX_MESSAGE} characters."]
    return errors


def _publish(event: str, data: dict[str, Any], rooms: list[str]) -> int:
    try:
        return broker.publish(event, data, rooms)
    except Exception as exc:
        log.exception("realtime: could not publish %s", event)
        raise RealtimeUnavailable("The realtime service cannot be reached right now; nothing was sent.") from exc


def broadcast_announcement(actor: User, title: str, message: str, level: str | None = None) -> int:
    """Send ``system_announcement`` to every connected socket (room ``all``); returns the event id."""
    title, message, level = (title or "").strip(), (message or "").strip(), (level or "info").strip()
    errors = _check_text(title, message)
    if level not in LEVELS:
        errors["level"] = [f"Choose one of: {', '.join(LEVELS)}."]
    if errors:
        raise ValidationFailed("The announcement cannot be sent as it is.", errors)
    event_id = _publish("system_announcement", {"title": title, "message": message, "level": level}, ["all"])
    after = {"title": title, "level": level, "event_id": event_id}
    audit.record("realtime.announcement", actor_id=actor.id, target="all", after=after)
    return event_id


def user_by_id(user_id: str) -> User:
    user = db.session.get(User, user_id) if user_id else None
    if user is None:
        raise NotFound("There is no user with this id.", {"user_id": ["There is no user with this id."]})
    return user


def find_user(reference: str) -> User:
    """A user named by e-mail address or id (the admin page takes either)."""
    reference = (reference or "").strip()
    user = find_user_by_email(reference) if "@" in reference else db.session.get(User, reference) if reference else None
    if user is None:
        raise NotFound("There is no such user.", {"user": ["No user has this e-mail address or id."]})
    return user


def send_test_notification(actor: User, user: User, title: str, message: str) -> int:
    """Send ``real_time_notification`` to ``user``'s sockets only (nothing is stored in the inbox)."""
    title, message = (title or "").strip(), (message or "").strip()
    errors = _check_text(title, message)
    if errors:
        raise ValidationFailed("The test notification cannot be sent as it is.", errors)
    data = {"title": title, "message": message, "kind": TEST_KIND}
    event_id = _publish("real_time_notification", data, [f"user:{user.id}"])
    after = {"title": title, "event_id": event_id}
    audit.record("realtime.test_notification", actor_id=actor.id, target=f"user:{user.id}", after=after)
    return event_id


def _unreachable(exc: Exception) -> RealtimeUnavailable:
    log.warning("realtime: the broker cannot be reached: %s", exc)
    return RealtimeUnavailable("The realtime service cannot be reached right now.")


def connection_status() -> dict[str, Any]:
    """Sockets in total, per process and per room (across processes)."""
    try:
        return broker.connection_status()
    except Exception as exc:
        raise _unreachable(exc) from exc


def user_connection(user_id: str) -> dict[str, Any]:
    """Whether ``user_id`` has a socket open anywhere, and how many; an unknown user is "not found"."""
    if db.session.scalar(select(User.id).where(User.id == user_id)) is None:
        raise NotFound("There is no user with this id.")
    try:
        return broker.user_connection(user_id)
    except Exception as exc:
        raise _unreachable(exc) from exc
