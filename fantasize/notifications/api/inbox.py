"""``/api/v2/notifications``: the signed-in user's in-app notifications; admins send them.

The list answers the usual envelope, with the user's unread count in ``meta.unread_count``
(for the app's badge, so it needs no second call).
"""

from __future__ import annotations

from flask import jsonify

from fantasize.accounts.permissions import permission_required
from fantasize.api.auth import require_api_user
from fantasize.api.envelope import ApiBlueprint, response_meta
from fantasize.api.pagination import decode_cursor, encode_cursor, set_pagination
from fantasize.notifications import inbox
from fantasize.notifications.inbox_schemas import (
    InboxPageSchema,
    NotificationQuerySchema,
    NotificationSchema,
    SendNotificationSchema,
    SentSchema,
    UpdatedSchema,
)

# Every route needs a signed-in user; sending also needs the ``notifications.send`` permission.
bp = ApiBlueprint("notifications", __name__, description="In-app notifications", signed_in=True)

_LIST_RESPONSE = {
    "description": "The notifications, newest first; `meta.unread_count` counts all the unread ones.",
    "content": {"application/json": {"schema": InboxPageSchema}},
}


@bp.get("")
@bp.arguments(NotificationQuerySchema, location="query")
@bp.response(200, NotificationSchema(many=True))
@bp.doc(responses={"200": _LIST_RESPONSE})
def list_notifications(query: dict):
    """The signed-in user's notifications, newest first"""
    user = require_api_user()
    rows, next_key = inbox.list_page(user.id, query["limit"], decode_cursor(query["cursor"]), query["unread"])
    set_pagination(query["limit"], encode_cursor(next_key) if next_key else None)
    data = NotificationSchema(many=True).dump(rows)
    return jsonify({"data": data, "meta": response_meta(unread_count=inbox.unread_count(user.id))})


@bp.post("/<int:notification_id>/read")
@bp.response(200, NotificationSchema)
def mark_read(notification_id: int):
    """Mark one notification read"""
    return inbox.mark_read(require_api_user().id, notification_id)


@bp.post("/read-all")
@bp.response(200, UpdatedSchema)
def mark_all_read():
    """Mark all the user's notifications read"""
    return {"updated": inbox.mark_all_read(require_api_user().id)}


@bp.post("")
@permission_required("notifications.send")
@bp.arguments(SendNotificationSchema)
@bp.response(201, SentSchema)
def send_notification(body: dict):
    """Send an announcement to one user or to a role"""
    sent = inbox.send(
        require_api_user(),
        body["title"],
        body["message"],
        link=body["link"],
        user_id=body["user_id"],
        role=body["role"],
    )
    return {"sent": sent}
