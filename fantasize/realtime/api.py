"""``/api/v2/realtime``: the realtime admin tools (admins: ``realtime.admin``).

- ``GET connection-status``: sockets in total, per process and per room
- ``POST test-notification`` ``{"user_id", "title", "message"}``: a ``real_time_notification``
  to that user's sockets only (not stored in the inbox)
- ``POST broadcast-announcement`` ``{"title", "message", "level"?}``: a ``system_announcement``
  to every connected socket
- ``GET user-connection/<user_id>``: ``{"connected", "sockets"}``

Both POSTs answer ``202 {"data": {"id": <event id>}}``: the event is on its way to the sockets.
"""

from __future__ import annotations

from fantasize.accounts.permissions import permission_required
from fantasize.api.auth import require_api_user
from fantasize.api.envelope import ApiBlueprint
from fantasize.realtime import services
from fantasize.realtime.schemas import (
    AnnouncementSchema,
    ConnectionStatusSchema,
    PublishedSchema,
    TestNotificationSchema,
    UserConnectionSchema,
)

bp = ApiBlueprint("realtime_admin", __name__, description="Realtime admin tools (admins)", signed_in=True)
admin_only = permission_required("realtime.admin")


@bp.get("/connection-status")
@admin_only
@bp.response(200, ConnectionStatusSchema)
def connection_status():
    """Sockets open in total, per process and per room"""
    return services.connection_status()


@bp.post("/test-notification")
@admin_only
@bp.arguments(TestNotificationSchema)
@bp.response(202, PublishedSchema)
def test_notification(body: dict):
    """Send a test notification to one user's sockets"""
    user = services.user_by_id(body["user_id"])
    return {"id": services.send_test_notification(require_api_user(), user, body["title"], body["message"])}


@bp.post("/broadcast-announcement")
@admin_only
@bp.arguments(AnnouncementSchema)
@bp.response(202, PublishedSchema)
def broadcast_announcement(body: dict):
    """Announce something to every connected socket"""
    event_id = services.broadcast_announcement(require_api_user(), body["title"], body["message"], body["level"])
    return {"id": event_id}


@bp.get("/user-connection/<user_id>")
@admin_only
@bp.response(200, UserConnectionSchema)
def user_connection(user_id: str):
    """Whether a user has a socket open, and how many"""
    return services.user_connection(user_id)
