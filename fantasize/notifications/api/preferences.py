"""``/api/v2/users/me/notification-preferences``: which events reach the user on which channel."""

from __future__ import annotations

from fantasize.api.envelope import ApiBlueprint

bp = ApiBlueprint(
    "notification_preferences", __name__, description="Notification preferences of the signed-in user", signed_in=True
)
