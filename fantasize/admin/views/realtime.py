"""Staff page for the realtime tools (admins: ``realtime.admin``).

- ``/admin/realtime``: sockets open in total, per process and per room; a user's sockets
  (``?lookup-user=<e-mail or id>``); the two forms below
- ``POST /admin/realtime/announcements``: "Broadcast announcement" to every connected socket
- ``POST /admin/realtime/test-notifications``: "Send a test notification" to one user's sockets

Both POSTs redirect (303) with a flash when sent, or show the page again with the errors next
to their fields.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, render_template, request, url_for
from flask_login import current_user

from fantasize.accounts.permissions import permission_required
from fantasize.errors import AppError
from fantasize.realtime import services
from fantasize.realtime.forms import AnnouncementForm, TestNotificationForm, UserConnectionForm
from fantasize.web.forms import flash_and_redirect
from fantasize.web.transactions import run_form

bp = Blueprint("admin_realtime", __name__, url_prefix="/admin/realtime")
admin_only = permission_required("realtime.admin")
ROOMS_SHOWN = 50


def _announcement_form(**kwargs: Any) -> AnnouncementForm:
    return AnnouncementForm(prefix="announce", **kwargs)


def _test_form(**kwargs: Any) -> TestNotificationForm:
    return TestNotificationForm(prefix="test", **kwargs)


def _lookup(form: UserConnectionForm) -> tuple[Any, dict | None]:
    """The user named in the lookup form and their connection, or the problem on the form."""
    if not form.user.data or not form.validate():
        return None, None
    try:
        user = services.find_user(form.user.data)
        return user, services.user_connection(user.id)
    except AppError as error:
        form.user.errors = [*form.user.errors, *(error.details.get("user") or [error.message])]
        return None, None


def _page(announcement: AnnouncementForm, test: TestNotificationForm, status: int = 200) -> tuple[str, int]:
    lookup_form = UserConnectionForm(request.args, prefix="lookup")
    looked_up, connection = _lookup(lookup_form)
    try:
        connections, unavailable = services.connection_status(), None
    except services.RealtimeUnavailable as error:
        connections, unavailable = None, error.message
    rooms = sorted((connections or {}).get("rooms", {}).items(), key=lambda item: (-item[1], item[0]))
    body = render_template(
        "admin/realtime/index.html",
        connections=connections,
        unavailable=unavailable,
        rooms=rooms[:ROOMS_SHOWN],
        room_count=len(rooms),
        announcement_form=announcement,
        test_form=test,
        lookup_form=lookup_form,
        looked_up=looked_up,
        connection=connection,
    )
    return body, status


@bp.get("")
@admin_only
def index() -> tuple[str, int]:
    return _page(_announcement_form(formdata=None), _test_form(formdata=None))


@bp.post("/announcements")
@admin_only
def announce() -> Any:
    form = _announcement_form()
    actor = current_user._get_current_object()
    done, event_id = run_form(
        form, lambda: services.broadcast_announcement(actor, form.title.data, form.message.data, form.level.data)
    )
    if done:
        return flash_and_redirect(f"Announcement sent to everyone connected (event {event_id}).", url_for(".index"))
    return _page(form, _test_form(formdata=None), 422)


@bp.post("/test-notifications")
@admin_only
def test_notification() -> Any:
    form = _test_form()
    actor = current_user._get_current_object()

    def send() -> tuple[str, int]:
        user = services.find_user(form.user.data)
        return user.email, services.send_test_notification(actor, user, form.title.data, form.message.data)

    done, sent = run_form(form, send)
    if done:
        email, event_id = sent
        return flash_and_redirect(f"Test notification sent to {email} (event {event_id}).", url_for(".index"))
    return _page(_announcement_form(formdata=None), form, 422)
