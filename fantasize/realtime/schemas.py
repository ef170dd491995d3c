"""API schemas of the realtime admin tools (input checks and the OpenAPI source)."""

from __future__ import annotations

import marshmallow as ma

from fantasize.api.fields import RequiredText
from fantasize.realtime.services import LEVELS, MAX_MESSAGE, MAX_TITLE


class ProcessConnectionsSchema(ma.Schema):
    id = ma.fields.String(metadata={"description": "The process (host and pid)"})
    sockets = ma.fields.Integer(metadata={"description": "Sockets open in this process"})
    rooms = ma.fields.Integer(metadata={"description": "Rooms with a socket in this process"})


class ConnectionStatusSchema(ma.Schema):
    total_sockets = ma.fields.Integer(metadata={"description": "Sockets open across every process"})
    processes = ma.fields.List(ma.fields.Nested(ProcessConnectionsSchema))
    rooms = ma.fields.Dict(
        keys=ma.fields.String(), values=ma.fields.Integer(), metadata={"description": "Sockets per room"}
    )


class UserConnectionSchema(ma.Schema):
    connected = ma.fields.Boolean(metadata={"description": "Whether the user has a socket open anywhere"})
    sockets = ma.fields.Integer(metadata={"description": "How many"})


class TestNotificationSchema(ma.Schema):
    user_id = RequiredText(max_length=36, metadata={"description": "The user whose sockets get it"})
    title = RequiredText(max_length=MAX_TITLE)
    message = RequiredText(max_length=MAX_MESSAGE)


class AnnouncementSchema(ma.Schema):
    title = RequiredText(max_length=MAX_TITLE)
    message = RequiredText(max_length=MAX_MESSAGE)
    level = ma.fields.String(
        load_default="info",
        validate=ma.validate.OneOf(LEVELS),
        metadata={"description": "How prominently apps show it"},
    )


class PublishedSchema(ma.Schema):
    id = ma.fields.Integer(metadata={"description": "The event's id (increasing; clients resume after it)"})
