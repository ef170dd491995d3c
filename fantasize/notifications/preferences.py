"""Each user's choice of which kinds of message reach them on which channel."""

from __future__ import annotations

from sqlalchemy import select

from fantasize.extensions import db
from fantasize.notifications.kinds import KINDS
from fantasize.notifications.models import NotificationPreference


def channels_for(user_id: str | None, event: str) -> set[str]:
    """The channels ``event`` goes out on for this user: the kind's defaults minus what they switched off."""
    kind = KINDS[event]
    channels = set(kind.channels)
    if user_id is None or not kind.optional:
        return channels
    rows = db.session.execute(
        select(NotificationPreference.channel, NotificationPreference.enabled).where(
            NotificationPreference.user_id == user_id, NotificationPreference.event == event
        )
    ).all()
    for channel, enabled in rows:
        if channel in kind.channels and not enabled:
            channels.discard(channel)
    return channels
