"""``/api/v2/users/me/devices``: push tokens of the signed-in user's mobile apps."""

from __future__ import annotations

from fantasize.api.envelope import ApiBlueprint

bp = ApiBlueprint("devices", __name__, description="Push notification devices of the signed-in user", signed_in=True)
