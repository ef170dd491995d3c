"""Notification preferences: the service, the API and the account page."""

from __future__ import annotations

import re

import pytest

from fantasize.errors import ValidationFailed
from fantasize.extensions import db
from fantasize.notifications import preferences
from fantasize.notifications.kinds import KINDS
from fantasize.notifications.models import NotificationPreference
from tests.accounts.helpers import api_login, bearer
from tests.factories import UserFactory

API = "/api/v2/users/me/notification-preferences"


def _auth(client, user) -> dict[str, str]:
    return bearer(api_login(client, user.email)["access_token"])


def _as_dict(choices) -> dict[str, dict[str, bool]]:
    return {choice.event: choice.channels for choice in choices}


# --- the service ---------------------------------------------------------------------------------


def test_shoppers_see_every_switchable_kind_all_on_by_default_and_no_staff_kinds():
    shown = _as_dict(preferences.choices(UserFactory().id))
    assert shown["order_shipped"] == {"email": True, "push": True, "in_app": True}
    assert shown["announcement"] == {"push": True, "in_app": True}
    assert "password_reset" not in shown
    assert "welcome" not in shown
    assert "gift_notice" not in shown
    assert "staff_new_order" not in shown


@pytest.mark.parametrize("role", ["manager", "admin"])
def test_staff_also_see_the_team_kinds(role):
    shown = _as_dict(preferences.choices(UserFactory(role=role).id))
    assert shown["staff_new_order"] == {"in_app": True}
    assert shown["staff_review_needed"] == {"in_app": True}


def test_update_switches_channels_and_channels_for_follows():
    user = UserFactory()
    preferences.update(user.id, {"order_shipped": {"email": False, "push": False}})
    preferences.update(user.id, {"order_shipped": {"push": True}})  # an existing row is updated
    db.session.commit()
    assert _as_dict(preferences.choices(user.id))["order_shipped"] == {"email": False, "push": True, "in_app": True}
    assert preferences.channels_for(user.id, "order_shipped") == {"push", "in_app"}
    assert db.session.query(NotificationPreference).filter_by(user_id=user.id).count() == 2


def test_one_users_choices_do_not_touch_anothers():
    me, other = UserFactory(), UserFactory()
    preferences.update(me.id, {"order_placed": {"email": False}})
    assert preferences.channels_for(other.id, "order_placed") == {"email", "push", "in_app"}


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"password_reset": {"email": False}}, "password_reset"),
        ({"gift_notice": {"email": False}}, "gift_notice"),
        ({"no_such_kind": {"email": False}}, "no_such_kind"),
        ({"announcement": {"email": False}}, "announcement"),  # announcements never go by e-mail
        ({"order_shipped": {"fax": False}}, "order_shipped"),
        ({"order_shipped": {"email": "no"}}, "order_shipped"),
        ({"staff_new_order": {"in_app": False}}, "staff_new_order"),  # not a shopper's kind
    ],
)
def test_update_refuses_what_cannot_be_chosen(changes, field):
    user = UserFactory()
    with pytest.raises(ValidationFailed) as refused:
        preferences.update(user.id, {"order_placed": {"email": False}, **changes})
    assert set(refused.value.details) == {field}
    assert db.session.query(NotificationPreference).count() == 0  # nothing saved, not even the valid part


def test_non_optional_kinds_stay_on_whatever_is_stored():
    user = UserFactory()
    db.session.add(NotificationPreference(user_id=user.id, event="password_reset", channel="email", enabled=False))
    db.session.commit()
    assert preferences.channels_for(user.id, "password_reset") == {"email"}


def test_users_with_channel_on_matches_channels_for():
    users = [UserFactory() for _ in range(4)]
    preferences.update(users[1].id, {"announcement": {"in_app": False}})
    preferences.update(users[2].id, {"announcement": {"push": False}})
    ids = [user.id for user in users]
    assert preferences.users_with_channel_on(ids, "announcement", "in_app") == [
        user_id for user_id in ids if "in_app" in preferences.channels_for(user_id, "announcement")
    ]
    assert preferences.users_with_channel_on(ids, "announcement", "email") == []
    assert preferences.users_with_channel_on(ids, "password_reset", "email") == ids


# --- the API -------------------------------------------------------------------------------------


def test_the_api_lists_the_choices(client):
    user = UserFactory()
    response = client.get(API, headers=_auth(client, user))
    assert response.status_code == 200
    rows = {row["event"]: row for row in response.get_json()["data"]}
    assert rows["order_shipped"] == {
        "event": "order_shipped",
        "label": KINDS["order_shipped"].label,
        "channels": {"email": True, "push": True, "in_app": True},
    }
    assert rows["announcement"]["channels"] == {"push": True, "in_app": True}
    assert "password_reset" not in rows


def test_the_api_updates_and_answers_the_new_list(client):
    user = UserFactory()
    headers = _auth(client, user)
    response = client.patch(
        API, json={"order_shipped": {"email": False}, "announcement": {"push": False}}, headers=headers
    )
    assert response.status_code == 200
    rows = {row["event"]: row["channels"] for row in response.get_json()["data"]}
    assert rows["order_shipped"] == {"email": False, "push": True, "in_app": True}
    assert rows["announcement"] == {"push": False, "in_app": True}
    again = {row["event"]: row["channels"] for row in client.get(API, headers=headers).get_json()["data"]}
    assert again == rows


@pytest.mark.parametrize(
    "body",
    [
        {"password_reset": {"email": False}},
        {"welcome": {"email": False}},
        {"order_shipped": {"fax": False}},
        {"order_shipped": {"email": 0}},
        {"order_shipped": {"email": "false"}},
        {"announcement": {"email": False}},
        {"order_shipped": False},
    ],
)
def test_the_api_refuses_what_cannot_be_chosen(client, body):
    user = UserFactory()
    response = client.patch(API, json=body, headers=_auth(client, user))
    assert response.status_code == 422
    assert response.get_json()["error"]["details"]
    assert db.session.query(NotificationPreference).count() == 0


def test_a_shopper_cannot_switch_staff_kinds_through_the_api(client):
    response = client.patch(API, json={"staff_new_order": {"in_app": False}}, headers=_auth(client, UserFactory()))
    assert response.status_code == 422
    assert set(response.get_json()["error"]["details"]) == {"staff_new_order"}


def test_anonymous_api_calls_are_401(client):
    assert client.get(API).status_code == 401
    assert client.patch(API, json={}).status_code == 401


# --- the page ------------------------------------------------------------------------------------


def test_the_page_shows_a_labelled_checkbox_per_kind_and_channel(client, login):
    login(UserFactory())
    page = client.get("/account/notifications").get_data(as_text=True)
    assert "Save preferences" in page
    checkbox = re.search(r'<input checked id="order_shipped__email" name="order_shipped__email" type="checkbox"', page)
    assert checkbox
    assert re.search(r'<label for="order_shipped__email">.*Order shipped: E-mail</span></label>', page)
    assert 'id="announcement__email"' not in page  # not a channel of announcements
    assert "password_reset" not in page
    assert "staff_new_order" not in page


def test_the_page_saves_and_the_api_reflects_it(client, login):
    user = UserFactory()
    login(user)
    checked = {
        f"{choice.event}__{channel}": "y" for choice in preferences.choices(user.id) for channel in choice.channels
    }
    del checked["order_shipped__email"], checked["announcement__in_app"]
    response = client.post("/account/notifications", data=checked)
    assert response.status_code == 303
    assert response.headers["Location"] == "/account/notifications"
    page = client.get("/account/notifications").get_data(as_text=True)
    assert "Your notification preferences are saved." in page
    assert re.search(r'<input id="order_shipped__email" name="order_shipped__email" type="checkbox"', page)
    rows = {row["event"]: row["channels"] for row in client.get(API, headers=_auth(client, user)).get_json()["data"]}
    assert rows["order_shipped"] == {"email": False, "push": True, "in_app": True}
    assert rows["announcement"] == {"push": True, "in_app": False}
    assert rows["order_placed"] == {"email": True, "push": True, "in_app": True}


def test_staff_get_the_team_kinds_on_the_page(client, login):
    login(UserFactory(role="manager"))
    page = client.get("/account/notifications").get_data(as_text=True)
    assert 'id="staff_new_order__in_app"' in page


def test_the_page_needs_a_signed_in_user(client):
    response = client.get("/account/notifications")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")
