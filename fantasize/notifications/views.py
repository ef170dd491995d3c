"""Shopper pages for notifications: the inbox, the header bell and the preferences.

- ``GET /notifications``: the inbox, newest first, a cursor "older" link; unread ones stand out.
- ``POST /notifications/<id>/read`` and ``POST /notifications/read-all``: plain forms (303 back
  to the inbox), or for htmx the updated item / list, and an ``HX-Trigger: notification`` so the
  bell refreshes.
- ``GET /notifications/bell``: the bell with its unread count (the header polls it with htmx).
- ``GET/POST /account/notifications``: which kinds of message arrive by which channel.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, g, make_response, redirect, render_template, request, url_for
from flask.wrappers import Response
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import BooleanField

from fantasize.accounts.permissions import login_required
from fantasize.api.pagination import decode_cursor, encode_cursor
from fantasize.notifications import inbox, preferences
from fantasize.notifications.models import Notification
from fantasize.web.forms import flash_and_redirect, safe_next_url
from fantasize.web.htmx import is_htmx, partial_or_redirect, render_page_or_partial
from fantasize.web.transactions import run_form

bp = Blueprint("notification_pages", __name__)

PAGE_SIZE = 20
CHANNEL_LABELS = {"email": "E-mail", "push": "Push", "in_app": "In the app"}
# Tells the bell (``hx-trigger="… notification from:body"``) to refresh itself.
REFRESH_BELL = {"HX-Trigger": "notification"}


def unread_notifications() -> int:
    """The signed-in user's unread count, counted once per request (the bell asks for it)."""
    if not current_user.is_authenticated:
        return 0
    if "unread_notifications" not in g:
        g.unread_notifications = inbox.unread_count(current_user.id)
    return g.unread_notifications


@bp.app_context_processor
def _bell_context() -> dict[str, Any]:
    # A function, so that only pages that draw the bell run the COUNT.
    return {"unread_notifications": unread_notifications}


def site_link(link: str | None) -> str | None:
    """A notification's link only if it is a path on this site."""
    return safe_next_url(link, "") or None


# --- inbox -------------------------------------------------------------------------------------


def _inbox_context(cursor: str | None) -> dict[str, Any]:
    rows, next_key = inbox.list_page(current_user.id, PAGE_SIZE, decode_cursor(cursor))
    return {
        "notifications": rows,
        "next_cursor": encode_cursor(next_key) if next_key else None,
        "paged": cursor is not None,
        "site_link": site_link,
    }


@bp.get("/notifications")
@login_required
def inbox_page() -> Response:
    context = _inbox_context(request.args.get("cursor") or None)
    return render_page_or_partial("notifications/inbox.html", "notifications/_list.html", **context)


def _back_to_inbox() -> str:
    return safe_next_url(request.form.get("next"), url_for("notification_pages.inbox_page"))


@bp.post("/notifications/<int:notification_id>/read")
@login_required
def mark_read(notification_id: int) -> Response:
    notification: Notification = inbox.mark_read(current_user.id, notification_id)
    response = partial_or_redirect(
        "notifications/_item.html", _back_to_inbox, notification=notification, site_link=site_link
    )
    response.headers.update(REFRESH_BELL)
    return response


@bp.post("/notifications/read-all")
@login_required
def mark_all_read() -> Response:
    count = inbox.mark_all_read(current_user.id)
    if is_htmx():
        response = partial_or_redirect(
            "notifications/_list.html", _back_to_inbox, context_of=lambda: _inbox_context(None)
        )
    else:
        message = "All your notifications are read." if count else "There was nothing unread."
        response = flash_and_redirect(message, _back_to_inbox())
    response.headers.update(REFRESH_BELL)
    return response


@bp.get("/notifications/bell")
def bell() -> Response | tuple[str, int]:
    if not current_user.is_authenticated:
        # 286 makes htmx stop polling and swap the bell away (signed out in another tab).
        return ("", 286) if is_htmx() else redirect(url_for("accounts.login"))
    response = make_response(render_template("notifications/_bell.html"))
    response.headers["Cache-Control"] = "no-store"
    return response


# --- preferences ---------------------------------------------------------------------------------


def _field_name(event: str, channel: str) -> str:
    return f"{event}__{channel}"


def _preferences_form(choices: list[preferences.Choice]) -> FlaskForm:
    """A form with one checkbox per kind and channel, checked as the user has it now."""

    class PreferencesForm(FlaskForm):
        pass

    for choice in choices:
        for channel, enabled in choice.channels.items():
            label = f"{choice.label}: {CHANNEL_LABELS[channel]}"
            setattr(PreferencesForm, _field_name(choice.event, channel), BooleanField(label, default=enabled))
    return PreferencesForm()


@bp.route("/account/notifications", methods=["GET", "POST"])
@login_required
def preferences_page() -> str | Response | tuple[str, int]:
    choices = preferences.choices(current_user.id)
    form = _preferences_form(choices)
    changes = {
        choice.event: {channel: form[_field_name(choice.event, channel)].data for channel in choice.channels}
        for choice in choices
    }
    ok, _ = run_form(form, lambda: preferences.update(current_user.id, changes))
    if ok:
        return flash_and_redirect("Your notification preferences are saved.", url_for(".preferences_page"))
    page = render_template(
        "notifications/preferences.html",
        form=form,
        choices=choices,
        channels=CHANNEL_LABELS,
        field_name=_field_name,
    )
    return (page, 422) if form.is_submitted() else page
