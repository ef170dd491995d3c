"""Each user's choice of which kinds of message reach them on which channel."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from fantasize.accounts.models import User
from fantasize.errors import NotFound, ValidationFailed
from fantasize.extensions import db
from fantasize.notifications.kinds import KINDS, Kind, user_configurable
from fantasize.notifications.models import CHANNELS, NotificationPreference

# Past this many users, reading every opt-out of the event beats a long ``IN`` list.
_IN_LIST_LIMIT = 500


@dataclass(frozen=True)
class Choice:
    """One row of the preferences: a kind of message and, per channel it uses, whether it is on."""

    event: str
    label: str
    channels: dict[str, bool]


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


def users_with_channel_on(user_ids: list[str], event: str, channel: str) -> list[str]:
    """Those of ``user_ids`` whom ``event`` reaches on ``channel`` (as :func:`channels_for`, in one query)."""
    kind = KINDS[event]
    if channel not in kind.channels or not user_ids:
        return []
    if not kind.optional:
        return list(user_ids)
    query = select(NotificationPreference.user_id).where(
        NotificationPreference.event == event,
        NotificationPreference.channel == channel,
        NotificationPreference.enabled.is_(False),
    )
    if len(user_ids) <= _IN_LIST_LIMIT:
        query = query.where(NotificationPreference.user_id.in_(user_ids))
    switched_off = set(db.session.scalars(query))
    return [user_id for user_id in user_ids if user_id not in switched_off]


def _kinds_for(user: User) -> list[Kind]:
    return [kind for kind in user_configurable() if user.is_staff or not kind.staff]


def _user(user_id: str) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound("There is no such user.")
    return user


def choices(user_id: str) -> list[Choice]:
    """What the user may switch on or off (team messages only for staff), with each channel's state."""
    kinds = _kinds_for(_user(user_id))
    stored = {
        (event, channel): enabled
        for event, channel, enabled in db.session.execute(
            select(NotificationPreference.event, NotificationPreference.channel, NotificationPreference.enabled).where(
                NotificationPreference.user_id == user_id
            )
        )
    }
    return [
        Choice(
            event=kind.key,
            label=kind.label,
            channels={
                channel: stored.get((kind.key, channel), True) for channel in CHANNELS if channel in kind.channels
            },
        )
        for kind in kinds
    ]


def update(user_id: str, changes: dict[str, dict[str, bool]]) -> list[Choice]:
    """Switch channels of kinds on or off, e.g. ``{"order_shipped": {"email": False}}``; returns the new choices.

    Unknown kinds and channels, and kinds that cannot be switched off, are refused (nothing is changed).
    """
    user = _user(user_id)
    allowed = {kind.key: kind for kind in _kinds_for(user)}
    errors: dict[str, list[str]] = {}
    for event, channels in changes.items():
        kind = allowed.get(event)
        if kind is None:
            if event in KINDS and not KINDS[event].optional:
                errors[event] = ["This message is always sent; it cannot be switched off."]
            else:
                errors[event] = ["There is no such kind of message to choose."]
            continue
        if not isinstance(channels, dict):
            errors[event] = ['Give the channels as an object, e.g. {"email": false}.']
            continue
        wrong = [channel for channel in channels if channel not in kind.channels]
        if wrong:
            errors[event] = [
                f"This message does not go by {', '.join(map(str, wrong))}; choose from {', '.join(kind.channels)}."
            ]
        elif any(not isinstance(value, bool) for value in channels.values()):
            errors[event] = ["Each channel is true (on) or false (off)."]
    if errors:
        raise ValidationFailed("Some preferences cannot be saved.", errors)

    existing = {
        (row.event, row.channel): row
        for row in db.session.scalars(
            select(NotificationPreference).where(
                NotificationPreference.user_id == user_id, NotificationPreference.event.in_(list(changes))
            )
        )
    }
    for event, channels in changes.items():
        for channel, enabled in channels.items():
            row = existing.get((event, channel))
            if row is None:
                db.session.add(NotificationPreference(user_id=user_id, event=event, channel=channel, enabled=enabled))
            else:
                row.enabled = enabled
    db.session.flush()
    return choices(user_id)
