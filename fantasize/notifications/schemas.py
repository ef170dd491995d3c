"""API schemas for notifications (they validate requests and document the API)."""

from __future__ import annotations

import marshmallow as ma

from fantasize.notifications.devices import PLATFORMS, platform_problems, token_problems

# --- Devices -----------------------------------------------------------------------------


def _check(problems_of):
    def validator(value: object) -> None:
        problems = problems_of(value)
        if problems:
            raise ma.ValidationError(problems)

    return validator


class DeviceSchema(ma.Schema):
    id = ma.fields.Integer(dump_only=True)
    token = ma.fields.String(dump_only=True, metadata={"description": "The FCM registration token"})
    platform = ma.fields.String(dump_only=True, metadata={"enum": list(PLATFORMS)})
    created_at = ma.fields.DateTime(dump_only=True, metadata={"description": "When this user registered it"})
    last_seen_at = ma.fields.DateTime(dump_only=True, metadata={"description": "When the app last registered it"})


class DeviceInputSchema(ma.Schema):
    token = ma.fields.String(
        required=True,
        validate=_check(token_problems),
        metadata={"description": "The FCM registration token the app got from Firebase", "maxLength": 512},
    )
    platform = ma.fields.String(required=True, validate=_check(platform_problems), metadata={"enum": list(PLATFORMS)})


class DeviceTokenSchema(ma.Schema):
    """The token to unregister, in the JSON body or the query string."""

    token = ma.fields.String(load_default=None, metadata={"description": "The FCM registration token"})
