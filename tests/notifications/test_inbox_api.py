"""``/api/v2/notifications``: the list with its unread count, marking read, and admins sending."""

from __future__ import annotations

from datetime import timedelta

import pytest

from fantasize.db import utcnow
from fantasize.extensions import db
from fantasize.notifications import inbox
from fantasize.notifications.models import Notification
from tests.accounts.helpers import api_login, bearer
from tests.factories import UserFactory
from tests.support.queries import counted_statements


def _auth(client, user) -> dict[str, str]:
    return bearer(api_login(client, user.email)["access_token"])


def _notify(user, title: str, minutes_ago: int = 0, read: bool = False) -> Notification:
    notification = inbox.add(user.id, "order_shipped", title, "body", link="/orders")
    notification.created_at = utcnow() - timedelta(minutes=minutes_ago)
    if read:
        notification.read_at = utcnow()
    db.session.commit()
    return notification


def test_the_list_pages_newest_first_with_the_unread_count_in_meta(client):
    me = UserFactory()
    for n in range(5):
        _notify(me, f"n{n}", minutes_ago=10 - n, read=n == 0)
    headers = _auth(client, me)
    first = client.get("/api/v2/notifications?limit=3", headers=headers).get_json()
    assert [item["title"] for item in first["data"]] == ["n4", "n3", "n2"]
    assert first["meta"]["unread_count"] == 4
    assert first["meta"]["pagination"]["limit"] == 3
    cursor = first["meta"]["pagination"]["next_cursor"]
    second = client.get("/api/v2/notifications", query_string={"limit": 3, "cursor": cursor}, headers=headers)
    body = second.get_json()
    assert [item["title"] for item in body["data"]] == ["n1", "n0"]
    assert body["meta"]["pagination"]["next_cursor"] is None
    assert body["data"][1]["read"] is True
    assert body["data"][1]["read_at"]
    assert body["data"][0] | {"id": None, "created_at": None} == {
        "id": None,
        "event": "order_shipped",
        "title": "n1",
        "body": "body",
        "link": "/orders",
        "data": {},
        "read": False,
        "created_at": None,
        "read_at": None,
    }


def test_unread_filter(client):
    me = UserFactory()
    _notify(me, "read one", read=True)
    _notify(me, "unread one")
    body = client.get("/api/v2/notifications?unread=true", headers=_auth(client, me)).get_json()
    assert [item["title"] for item in body["data"]] == ["unread one"]
    assert body["meta"]["unread_count"] == 1


def test_a_forged_cursor_is_422(client):
    me = UserFactory()
    response = client.get("/api/v2/notifications?cursor=forged", headers=_auth(client, me))
    assert response.status_code == 422
    assert "cursor" in response.get_json()["error"]["details"]


def test_another_users_notification_is_not_listed_and_404_on_read(client):
    me, other = UserFactory(), UserFactory()
    theirs = _notify(other, "theirs")
    headers = _auth(client, me)
    assert client.get("/api/v2/notifications", headers=headers).get_json()["data"] == []
    response = client.post(f"/api/v2/notifications/{theirs.id}/read", headers=headers)
    assert response.status_code == 404
    missing = client.post(f"/api/v2/notifications/{theirs.id + 99}/read", headers=headers)
    assert missing.get_json()["error"] == response.get_json()["error"]  # the same answer: nothing revealed
    db.session.refresh(theirs)
    assert theirs.read_at is None


def test_mark_one_read_returns_it(client):
    me = UserFactory()
    notification = _notify(me, "x")
    response = client.post(f"/api/v2/notifications/{notification.id}/read", headers=_auth(client, me))
    assert response.status_code == 200
    data = response.get_json()["data"]
    assert data["id"] == notification.id
    assert data["read"] is True
    assert data["read_at"]
    assert inbox.unread_count(me.id) == 0


def test_mark_all_read(client):
    me, other = UserFactory(), UserFactory()
    _notify(me, "a")
    _notify(me, "b")
    _notify(other, "c")
    headers = _auth(client, me)
    response = client.post("/api/v2/notifications/read-all", headers=headers)
    assert response.status_code == 200
    assert response.get_json()["data"] == {"updated": 2}
    assert client.get("/api/v2/notifications", headers=headers).get_json()["meta"]["unread_count"] == 0
    assert inbox.unread_count(other.id) == 1


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/api/v2/notifications"),
        ("POST", "/api/v2/notifications/1/read"),
        ("POST", "/api/v2/notifications/read-all"),
        ("POST", "/api/v2/notifications"),
    ],
)
def test_anonymous_calls_are_401(client, method, path):
    response = client.open(path, method=method, json={"title": "t", "message": "m", "role": "customer"})
    assert response.status_code == 401


def test_the_list_does_not_query_per_notification(client):
    me = UserFactory()
    headers = _auth(client, me)
    _notify(me, "one")
    with counted_statements() as few:
        assert client.get("/api/v2/notifications?limit=50", headers=headers).status_code == 200
    for n in range(30):
        _notify(me, f"more {n}")
    with counted_statements() as many:
        response = client.get("/api/v2/notifications?limit=50", headers=headers)
    assert len(response.get_json()["data"]) == 31
    assert len(many) == len(few)


# --- admins send -----------------------------------------------------------------------------------


def test_an_admin_sends_to_one_user(client):
    admin, shopper = UserFactory(role="admin"), UserFactory()
    response = client.post(
        "/api/v2/notifications",
        json={"title": "Hello", "message": "Your gift is ready", "link": "/orders", "user_id": shopper.id},
        headers=_auth(client, admin),
    )
    assert response.status_code == 201
    assert response.get_json()["data"] == {"sent": 1}
    listed = client.get("/api/v2/notifications", headers=_auth(client, shopper)).get_json()
    assert [(item["event"], item["title"], item["body"]) for item in listed["data"]] == [
        ("announcement", "Hello", "Your gift is ready")
    ]


@pytest.mark.parametrize(("role", "expected"), [("customer", 2), ("manager", 1), ("admin", 1), ("staff", 2)])
def test_an_admin_sends_to_a_role(client, role, expected):
    admin = UserFactory(role="admin")
    manager = UserFactory(role="manager")
    customers = [UserFactory(), UserFactory()]
    response = client.post(
        "/api/v2/notifications",
        json={"title": "Heads up", "message": "Maintenance tonight", "role": role},
        headers=_auth(client, admin),
    )
    assert response.status_code == 201
    assert response.get_json()["data"] == {"sent": expected}
    reached = {user.email for user in [admin, manager, *customers] if inbox.unread_count(user.id)}
    members = {"customer": customers, "manager": [manager], "admin": [admin], "staff": [admin, manager]}[role]
    assert reached == {user.email for user in members}


@pytest.mark.parametrize("role", ["customer", "manager"])
def test_only_admins_may_send(client, role):
    caller, target = UserFactory(role=role), UserFactory()
    response = client.post(
        "/api/v2/notifications",
        json={"title": "t", "message": "m", "user_id": target.id},
        headers=_auth(client, caller),
    )
    assert response.status_code == 403
    assert response.get_json()["error"]["code"] == "forbidden"
    assert db.session.query(Notification).count() == 0


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        ({"message": "m", "role": "customer"}, {"title"}),
        ({"title": "  ", "message": "m", "role": "customer"}, {"title"}),
        ({"title": "x" * 201, "message": "m", "role": "customer"}, {"title"}),
        ({"title": "t", "message": "m" * 2001, "role": "customer"}, {"message"}),
        ({"title": "t", "message": "m", "role": "everyone"}, {"role"}),
        ({"title": "t", "message": "m"}, {"user_id", "role"}),
        ({"title": "t", "message": "m", "role": "customer", "user_id": "x"}, {"user_id", "role"}),
        ({"title": "t", "message": "m", "user_id": "nobody"}, {"user_id"}),
        ({"title": "t", "message": "m", "role": "customer", "link": "//evil.example"}, {"link"}),
        ({"title": "t", "message": "m", "role": "customer", "link": "https://evil.example/"}, {"link"}),
    ],
)
def test_sending_refuses_bad_input_field_by_field(client, body, fields):
    admin = UserFactory(role="admin")
    response = client.post("/api/v2/notifications", json=body, headers=_auth(client, admin))
    assert response.status_code == 422
    error = response.get_json()["error"]
    assert error["code"] == "validation_error"
    assert set(error["details"]) == fields
    assert db.session.query(Notification).count() == 0


def test_sending_leaves_out_users_who_switched_off_in_app_announcements(client):
    admin, keen, quiet = UserFactory(role="admin"), UserFactory(), UserFactory()
    off = client.patch(
        "/api/v2/users/me/notification-preferences",
        json={"announcement": {"in_app": False}},
        headers=_auth(client, quiet),
    )
    assert off.status_code == 200
    response = client.post(
        "/api/v2/notifications",
        json={"title": "Sale", "message": "m", "role": "customer"},
        headers=_auth(client, admin),
    )
    assert response.get_json()["data"] == {"sent": 1}
    assert inbox.unread_count(keen.id) == 1
    assert inbox.unread_count(quiet.id) == 0


def test_sending_is_recorded_in_the_audit_log(client):
    from fantasize.audit.models import AuditEvent

    admin = UserFactory(role="admin")
    UserFactory()
    client.post(
        "/api/v2/notifications",
        json={"title": "Sale", "message": "m", "role": "customer"},
        headers=_auth(client, admin),
    )
    event = db.session.query(AuditEvent).filter_by(action="notification.sent").one()
    assert (event.actor_id, event.target, event.after["sent"]) == (admin.id, "role:customer", 1)
