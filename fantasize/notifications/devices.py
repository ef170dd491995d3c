"""Push devices: the FCM registration tokens of a user's mobile apps.

A token names one app install, not a person: when a phone signs in to another account the
token moves to that account (the old one must stop getting its pushes). Registration is an
``INSERT ... ON CONFLICT (token) DO UPDATE``, so apps registering the same token at once
leave one row. A user keeps at most :data:`MAX_DEVICES`; past that the least recently seen
is dropped.
"""

from __future__ import annotations

from sqlalchemy import case, delete, select
from sqlalchemy.dialects import postgresql, sqlite

from fantasize.db import utcnow
from fantasize.errors import NotFound, ValidationFailed
from fantasize.extensions import db
from fantasize.notifications.models import DeviceToken

PLATFORMS = ("ios", "android", "web")
MAX_TOKEN_LENGTH = 512
MAX_DEVICES = 20


def token_problems(token: object) -> list[str]:
    """What is wrong with ``token`` as a registration token (empty when nothing)."""
    if not isinstance(token, str) or not token:
        return ["Must not be blank."]
    if len(token) > MAX_TOKEN_LENGTH:
        return [f"Must be at most {MAX_TOKEN_LENGTH} characters."]
    # FCM tokens are ASCII letters, digits and a few marks; spaces and control characters
    # are a client bug (a token copied with its line break), never part of a token.
    if not all(33 <= ord(char) <= 126 for char in token):
        return ["Must be printable ASCII without spaces."]
    return []


def platform_problems(platform: object) -> list[str]:
    if platform not in PLATFORMS:
        return [f"Must be one of: {', '.join(PLATFORMS)}."]
    return []


def _validate(token: object, platform: object) -> None:
    errors = {
        field: problems
        for field, problems in (("token", token_problems(token)), ("platform", platform_problems(platform)))
        if problems
    }
    if errors:
        raise ValidationFailed("The device has invalid fields; see details.", errors)


def register_device(user_id: str, token: str, platform: str) -> DeviceToken:
    """Register (or refresh) ``token`` for ``user_id``; a token another user had moves to this one.

    ``created_at`` restarts when the token changes hands, so :func:`was_just_registered` tells
    a new registration for this user from a refresh of one it already had.
    """
    _validate(token, platform)
    now = utcnow()
    dialect = db.session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = insert(DeviceToken).values(
        user_id=user_id, token=token, platform=platform, created_at=now, last_seen_at=now
    )
    moved = DeviceToken.user_id != statement.excluded.user_id
    statement = statement.on_conflict_do_update(
        index_elements=[DeviceToken.token],
        set_={
            "user_id": statement.excluded.user_id,
            "platform": statement.excluded.platform,
            "last_seen_at": statement.excluded.last_seen_at,
            "created_at": case((moved, statement.excluded.created_at), else_=DeviceToken.created_at),
        },
    ).returning(DeviceToken)
    device = db.session.scalars(statement, execution_options={"populate_existing": True}).one()
    _drop_beyond_cap(user_id)
    return device


def was_just_registered(device: DeviceToken) -> bool:
    """Whether :func:`register_device` created this registration (rather than refreshed it)."""
    return device.created_at == device.last_seen_at


def _drop_beyond_cap(user_id: str) -> None:
    keep = (
        select(DeviceToken.id)
        .where(DeviceToken.user_id == user_id)
        .order_by(DeviceToken.last_seen_at.desc(), DeviceToken.id.desc())
        .limit(MAX_DEVICES)
    )
    db.session.execute(
        delete(DeviceToken)
        .where(DeviceToken.user_id == user_id, DeviceToken.id.not_in(keep.scalar_subquery()))
        .execution_options(synchronize_session="fetch")
    )


def list_devices(user_id: str) -> list[DeviceToken]:
    """The user's devices, most recently seen first."""
    return list(
        db.session.scalars(
            select(DeviceToken)
            .where(DeviceToken.user_id == user_id)
            .order_by(DeviceToken.last_seen_at.desc(), DeviceToken.id.desc())
        )
    )


def devices_of(user_id: str) -> list[DeviceToken]:
    """The devices a push to ``user_id`` goes to."""
    return list_devices(user_id)


def remove_device(user_id: str, device_id: int) -> None:
    """Unregister one of the user's devices; another user's device is ``NotFound`` like a missing one."""
    device = db.session.scalar(select(DeviceToken).where(DeviceToken.id == device_id, DeviceToken.user_id == user_id))
    if device is None:
        raise NotFound("No such device.")
    db.session.delete(device)
    db.session.flush()


def remove_token(user_id: str, token: str) -> None:
    """Unregister ``token`` if it is the user's (an app signing out); otherwise do nothing, and say nothing."""
    db.session.execute(
        delete(DeviceToken)
        .where(DeviceToken.user_id == user_id, DeviceToken.token == token)
        .execution_options(synchronize_session="fetch")
    )


def prune_token(token: str) -> bool:
    """Forget a token the push provider called dead; whether there was one."""
    result = db.session.execute(
        delete(DeviceToken).where(DeviceToken.token == token).execution_options(synchronize_session="fetch")
    )
    return bool(result.rowcount)
