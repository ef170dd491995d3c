"""``/api/v2/users/me/notification-preferences``: which events reach the user on which channel."""

from __future__ import annotations

from dataclasses import asdict

from fantasize.api.auth import require_api_user
from fantasize.api.envelope import ApiBlueprint
from fantasize.notifications import preferences
from fantasize.notifications.inbox_schemas import PreferenceChangesSchema, PreferenceSchema

bp = ApiBlueprint(
    "notification_preferences", __name__, description="Notification preferences of the signed-in user", signed_in=True
)


@bp.get("")
@bp.response(200, PreferenceSchema(many=True))
def list_preferences():
    """The kinds of message the user can switch, and per channel whether it is on"""
    return [asdict(choice) for choice in preferences.choices(require_api_user().id)]


@bp.patch("")
@bp.arguments(PreferenceChangesSchema)
@bp.response(200, PreferenceSchema(many=True))
def update_preferences(body: dict):
    """Switch channels on or off, e.g. `{"order_shipped": {"email": false}}`; kinds left out are kept"""
    return [asdict(choice) for choice in preferences.update(require_api_user().id, body)]
