"""The realtime admin API (``/api/v2/realtime``): admins only, checked input, real publishes."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from fantasize.audit.models import AuditEvent
from fantasize.extensions import db
from tests.accounts.helpers import api_login, bearer
from tests.factories import UserFactory
from tests.realtime.publisher_fixtures import observe_realtime, unreachable_broker

ENDPOINTS = [
    ("get", "/api/v2/realtime/connection-status", None),
    ("post", "/api/v2/realtime/test-notification", {"user_id": "x", "title": "Hi", "message": "Test"}),
    ("post", "/api/v2/realtime/broadcast-announcement", {"title": "Hi", "message": "Test"}),
    ("get", "/api/v2/realtime/user-connection/x", None),
]


@pytest.fixture
def published(app):
    with observe_realtime(app) as reader:
        yield reader


def _auth(client, role: str) -> tuple:
    user = UserFactory(role=role)
    return user, bearer(api_login(client, user.email)["access_token"])


@pytest.fixture
def admin(client):
    return _auth(client, "admin")


@pytest.mark.parametrize(("method", "path", "body"), ENDPOINTS)
def test_anonymous_callers_get_401(client, method, path, body):
    response = getattr(client, method)(path, json=body)
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "unauthorized"


@pytest.mark.parametrize("role", ["customer", "manager"])
@pytest.mark.parametrize(("method", "path", "body"), ENDPOINTS)
def test_only_admins_may_use_the_tools(client, published, role, method, path, body):
    _, auth = _auth(client, role)
    response = getattr(client, method)(path, json=body, headers=auth)
    assert response.status_code == 403
    assert published.to("all", "user:x") == []


def test_connection_status_counts_sockets_per_process_and_room(client, admin):
    _, auth = admin
    response = client.get("/api/v2/realtime/connection-status", headers=auth)
    assert response.status_code == 200
    data = response.get_json()["data"]
    assert set(data) == {"total_sockets", "processes", "rooms"}
    assert data["total_sockets"] == sum(process["sockets"] for process in data["processes"])


def test_broadcast_announcement_reaches_room_all_with_its_event_id(client, published, admin):
    actor, auth = admin
    response = client.post(
        "/api/v2/realtime/broadcast-announcement",
        json={"title": " Maintenance tonight ", "message": "Checkout pauses at 23:00.", "level": "warning"},
        headers=auth,
    )
    assert response.status_code == 202, response.get_json()
    event_id = response.get_json()["data"]["id"]

    (frame,) = published.to("all")
    assert frame["event"] == "system_announcement"
    assert frame["id"] == event_id
    assert frame["data"] == {"title": "Maintenance tonight", "message": "Checkout pauses at 23:00.", "level": "warning"}
    record = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "realtime.announcement"))
    assert (record.actor_id, record.after["event_id"]) == (actor.id, event_id)


def test_an_announcement_is_info_unless_told(client, published, admin):
    _, auth = admin
    response = client.post(
        "/api/v2/realtime/broadcast-announcement", json={"title": "Hello", "message": "New mugs"}, headers=auth
    )
    assert response.status_code == 202
    assert published.events("system_announcement", "all") == [
        {"title": "Hello", "message": "New mugs", "level": "info"}
    ]


def test_an_announcement_is_checked_field_by_field(client, published, admin):
    _, auth = admin
    response = client.post(
        "/api/v2/realtime/broadcast-announcement",
        json={"title": "   ", "message": "x" * 2001, "level": "shouting"},
        headers=auth,
    )
    assert response.status_code == 422
    details = response.get_json()["error"]["details"]
    assert set(details) == {"title", "message", "level"}
    assert published.to("all") == []


def test_a_test_notification_reaches_only_that_users_sockets(client, published, admin):
    _, auth = admin
    target, other = UserFactory(), UserFactory()
    response = client.post(
        "/api/v2/realtime/test-notification",
        json={"user_id": target.id, "title": "Ping", "message": "Can you see this?"},
        headers=auth,
    )
    assert response.status_code == 202, response.get_json()
    (frame,) = published.to(f"user:{target.id}")
    assert frame["id"] == response.get_json()["data"]["id"]
    assert frame["event"] == "real_time_notification"
    assert frame["data"] == {"title": "Ping", "message": "Can you see this?", "kind": "test"}
    assert published.to(f"user:{other.id}", "all", "role:customer") == []


def test_a_test_notification_to_an_unknown_user_is_404(client, published, admin):
    _, auth = admin
    response = client.post(
        "/api/v2/realtime/test-notification",
        json={"user_id": "00000000-0000-0000-0000-000000000000", "title": "Ping", "message": "Hello"},
        headers=auth,
    )
    assert response.status_code == 404
    assert "user_id" in response.get_json()["error"]["details"]


def test_a_test_notification_is_checked_field_by_field(client, admin):
    _, auth = admin
    response = client.post("/api/v2/realtime/test-notification", json={"title": "", "message": 7}, headers=auth)
    assert response.status_code == 422
    assert set(response.get_json()["error"]["details"]) == {"user_id", "title", "message"}


def test_user_connection_of_a_user_without_sockets(client, admin):
    _, auth = admin
    user = UserFactory()
    response = client.get(f"/api/v2/realtime/user-connection/{user.id}", headers=auth)
    assert response.status_code == 200
    assert response.get_json()["data"] == {"connected": False, "sockets": 0}
    assert client.get("/api/v2/realtime/user-connection/nobody", headers=auth).status_code == 404


def test_an_unreachable_broker_is_a_503_and_nothing_is_recorded(app, client, admin):
    _, auth = admin
    with unreachable_broker(app):
        response = client.post(
            "/api/v2/realtime/broadcast-announcement", json={"title": "Hello", "message": "World"}, headers=auth
        )
    assert response.status_code == 503
    assert response.get_json()["error"]["code"] == "service_unavailable"
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "realtime.announcement")) is None


def test_the_tools_are_in_the_openapi_document(client):
    paths = client.get("/api/v2/openapi.json").get_json()["paths"]
    for path in ("connection-status", "test-notification", "broadcast-announcement", "user-connection/{user_id}"):
        assert f"/api/v2/realtime/{path}" in paths
