"""``/api/v2/notifications``: the signed-in user's in-app notifications; admins send them."""

from __future__ import annotations

from fantasize.api.envelope import ApiBlueprint

bp = ApiBlueprint("notifications", __name__, description="In-app notifications")
