"""API schemas of the inbox and the notification preferences (input checks and the OpenAPI source)."""

from __future__ import annotations

from typing import Any

import marshmallow as ma

from fantasize.api.envelope import MetaSchema
from fantasize.api.fields import QueryInt, RequiredText, Text
from fantasize.api.pagination import DEFAULT_LIMIT, MAX_LIMIT
from fantasize.notifications.inbox import MAX_LINK, MAX_MESSAGE, MAX_TITLE, SEND_ROLES
from fantasize.notifications.kinds import user_configurable
from fantasize.notifications.models import CHANNELS


class StrictBoolean(ma.fields.Boolean):
    """A JSON ``true`` or ``false`` (not ``1``, ``"yes"`` or ``"true"``)."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> bool:
        if not isinstance(value, bool):
            raise self.make_error("invalid", input=value)
        return value


# --- inbox ----------------------------------------------------------------------------------


class NotificationQuerySchema(ma.Schema):
    limit = QueryInt(load_default=DEFAULT_LIMIT, minimum=1, maximum=MAX_LIMIT)
    cursor = ma.fields.String(load_default=None)
    unread = ma.fields.Boolean(load_default=False, metadata={"description": "Only unread notifications"})


class NotificationSchema(ma.Schema):
    id = ma.fields.Integer(dump_only=True)
    event = ma.fields.String(dump_only=True, metadata={"description": "The kind of message, e.g. order_shipped"})
    title = ma.fields.String(dump_only=True)
    body = ma.fields.String(dump_only=True)
    link = ma.fields.String(dump_only=True, allow_none=True, metadata={"description": "A path on this site"})
    data = ma.fields.Dict(dump_only=True)
    read = ma.fields.Function(lambda n: n.read_at is not None, dump_only=True, metadata={"type": "boolean"})
    created_at = ma.fields.DateTime(dump_only=True)
    read_at = ma.fields.DateTime(dump_only=True, allow_none=True)


class InboxMetaSchema(MetaSchema):
    unread_count = ma.fields.Integer(metadata={"description": "The user's unread notifications (all of them)"})


class InboxPageSchema(ma.Schema):
    """The inbox list: the usual envelope, with the unread count in ``meta``."""

    data = ma.fields.Nested(NotificationSchema, many=True)
    meta = ma.fields.Nested(InboxMetaSchema)


class SendNotificationSchema(ma.Schema):
    title = RequiredText(max_length=MAX_TITLE)
    message = RequiredText(max_length=MAX_MESSAGE)
    link = Text(
        load_default=None,
        allow_none=True,
        validate=ma.validate.Length(max=MAX_LINK),
        metadata={"description": 'A path on this site, starting with "/"'},
    )
    user_id = ma.fields.String(load_default=None, allow_none=True, metadata={"description": "Send to this user"})
    role = ma.fields.String(
        load_default=None,
        allow_none=True,
        validate=ma.validate.OneOf(list(SEND_ROLES)),
        metadata={"description": "Send to every active user with this role (staff: managers and admins)"},
    )


class SentSchema(ma.Schema):
    sent = ma.fields.Integer(metadata={"description": "How many inboxes received it"})


class UpdatedSchema(ma.Schema):
    updated = ma.fields.Integer(metadata={"description": "How many notifications were marked read"})


# --- preferences ----------------------------------------------------------------------------


class ChannelStatesSchema(ma.Schema):
    """Per channel the kind uses, whether it is on (channels it does not use are absent)."""

    email = ma.fields.Boolean()
    push = ma.fields.Boolean()
    in_app = ma.fields.Boolean()


class PreferenceSchema(ma.Schema):
    event = ma.fields.String()
    label = ma.fields.String()
    channels = ma.fields.Nested(ChannelStatesSchema)


def _channel_changes_schema(channels: tuple[str, ...]) -> type[ma.Schema]:
    name = "".join(part.capitalize() for channel in channels for part in channel.split("_"))
    fields = {channel: StrictBoolean() for channel in channels}
    return type(f"{name}ChannelChangesSchema", (ma.Schema,), fields)


def _preference_changes_schema() -> type[ma.Schema]:
    by_channels: dict[tuple[str, ...], type[ma.Schema]] = {}
    fields: dict[str, ma.fields.Field] = {}
    for kind in user_configurable():
        channels = tuple(channel for channel in CHANNELS if channel in kind.channels)
        if channels not in by_channels:
            by_channels[channels] = _channel_changes_schema(channels)
        fields[kind.key] = ma.fields.Nested(by_channels[channels], metadata={"description": kind.label})
    return type("PreferenceChangesSchema", (ma.Schema,), fields)


# ``{"order_shipped": {"email": false}}``: one optional object per kind a user can switch.
PreferenceChangesSchema = _preference_changes_schema()
