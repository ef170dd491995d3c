"""``/api/v2/users/me/devices``: push tokens of the signed-in user's mobile apps."""

from __future__ import annotations

from flask import Response

from fantasize.api.auth import require_api_user
from fantasize.api.envelope import ApiBlueprint
from fantasize.errors import ValidationFailed
from fantasize.notifications import devices
from fantasize.notifications.schemas import DeviceInputSchema, DeviceSchema, DeviceTokenSchema

bp = ApiBlueprint("devices", __name__, description="Push notification devices of the signed-in user", signed_in=True)


@bp.get("")
@bp.response(200, DeviceSchema(many=True))
def list_devices():
    """The signed-in user's registered devices, most recently seen first (at most 20)."""
    return devices.list_devices(require_api_user().id)


@bp.post("")
@bp.arguments(DeviceInputSchema)
@bp.response(201, DeviceSchema)
@bp.alt_response(200, schema=DeviceSchema, description="The token was already registered to this user: refreshed")
def register_device(body: dict):
    """Register this app install for push notifications.

    Apps call this at every start and whenever Firebase gives them a new token. A token that
    was registered by another account moves to this one. Answers 201 for a new registration
    and 200 when the token was already this user's (its `last_seen_at` is refreshed). A user
    keeps at most 20 devices: registering one more drops the least recently seen.
    """
    device = devices.register_device(require_api_user().id, body["token"], body["platform"])
    return device, 201 if devices.was_just_registered(device) else 200


@bp.delete("/<int:device_id>")
@bp.response(204)
def remove_device(device_id: int):
    """Unregister one of the signed-in user's devices."""
    devices.remove_device(require_api_user().id, device_id)
    return Response(status=204)


@bp.delete("")
@bp.arguments(DeviceTokenSchema, location="query", as_kwargs=False)
@bp.arguments(DeviceTokenSchema, location="json", required=False, as_kwargs=False)
@bp.response(204)
def remove_token(query: dict, body: dict):
    """Unregister a device by its token (`{"token"}` in the body, or `?token=`), e.g. when the app signs out.

    Answers 204 whether or not the token was registered to this user.
    """
    token = body.get("token") or query.get("token")
    if not token:
        raise ValidationFailed("Send the token to unregister.", {"token": ["Missing data for required field."]})
    devices.remove_token(require_api_user().id, token)
    return Response(status=204)
