"""The admin's Realtime page: connection counts, "Broadcast announcement" and "Send a test notification"."""

from __future__ import annotations

import re

import pytest

from tests.realtime.publisher_fixtures import observe_realtime


@pytest.fixture
def published(app):
    with observe_realtime(app) as reader:
        yield reader


@pytest.fixture
def admin(login, user_factory, app, monkeypatch):
    """An admin's browser with CSRF protection on, as in production."""
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    return login(user_factory(role="admin"))


def _token(page: str, prefix: str) -> str:
    match = re.search(rf'name="{prefix}-csrf_token" type="hidden" value="([^"]+)"', page) or re.search(
        rf'value="([^"]+)" name="{prefix}-csrf_token"', page
    )
    assert match, f"no CSRF token for {prefix}"
    return match.group(1)


def test_only_admins_open_the_page(client, login, user_factory):
    response = client.get("/admin/realtime")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]
    assert login(user_factory(role="manager")).get("/admin/realtime").status_code == 403
    assert login(user_factory(role="customer")).post("/admin/realtime/announcements").status_code == 403


def test_the_page_shows_connections_and_both_forms_with_labels(admin, published):
    page = admin.get("/admin/realtime").get_data(as_text=True)
    assert "sockets open across" in page
    for label in ("Title", "Message", "Level", "User (e-mail address or id)"):
        assert f">{label}</label>" in page
    assert "Broadcast announcement</button>" in page
    assert "Send test notification</button>" in page


def test_broadcasting_an_announcement_redirects_with_a_flash(admin, published):
    page = admin.get("/admin/realtime").get_data(as_text=True)
    response = admin.post(
        "/admin/realtime/announcements",
        data={
            "announce-csrf_token": _token(page, "announce"),
            "announce-title": "Sale starts",
            "announce-message": "Mugs at half price until Sunday.",
            "announce-level": "info",
        },
    )
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/admin/realtime")
    (frame,) = published.to("all")
    assert frame["event"] == "system_announcement"
    assert frame["data"] == {"title": "Sale starts", "message": "Mugs at half price until Sunday.", "level": "info"}
    assert f"event {frame['id']}" in admin.get("/admin/realtime").get_data(as_text=True)


def test_an_announcement_without_a_csrf_token_is_refused(admin, published):
    response = admin.post(
        "/admin/realtime/announcements",
        data={"announce-title": "Sale", "announce-message": "Now", "announce-level": "info"},
    )
    assert response.status_code in (400, 422)
    assert published.to("all") == []


def test_announcement_errors_show_next_to_their_fields(admin, published):
    page = admin.get("/admin/realtime").get_data(as_text=True)
    response = admin.post(
        "/admin/realtime/announcements",
        data={
            "announce-csrf_token": _token(page, "announce"),
            "announce-title": "",
            "announce-message": "Kept as typed",
            "announce-level": "shouting",
        },
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert re.search(r'id="announce-title-help" class="field-error">\s*Give a title\.', page)
    assert re.search(r'id="announce-level-help" class="field-error">\s*Not a valid choice', page)
    assert "Kept as typed" in page
    assert published.to("all") == []


def test_a_test_notification_goes_to_the_user_named_by_email(admin, published, user_factory):
    target = user_factory(email="ada@example.com")
    page = admin.get("/admin/realtime").get_data(as_text=True)
    response = admin.post(
        "/admin/realtime/test-notifications",
        data={
            "test-csrf_token": _token(page, "test"),
            "test-user": "ADA@example.com",
            "test-title": "Ping",
            "test-message": "Hello from the shop",
        },
    )
    assert response.status_code == 303
    assert published.events("real_time_notification", f"user:{target.id}") == [
        {"title": "Ping", "message": "Hello from the shop", "kind": "test"}
    ]
    assert "Test notification sent to ada@example.com" in admin.get("/admin/realtime").get_data(as_text=True)


def test_a_test_notification_to_an_unknown_user_shows_the_error_at_the_field(admin, published):
    page = admin.get("/admin/realtime").get_data(as_text=True)
    response = admin.post(
        "/admin/realtime/test-notifications",
        data={
            "test-csrf_token": _token(page, "test"),
            "test-user": "nobody@example.com",
            "test-title": "Ping",
            "test-message": "Hello",
        },
    )
    assert response.status_code == 422
    assert re.search(
        r'id="test-user-help" class="field-error">\s*No user has this e-mail address or id\.',
        response.get_data(as_text=True),
    )


def test_looking_up_a_users_connection(admin, user_factory):
    user_factory(email="grace@example.com")
    page = admin.get("/admin/realtime?lookup-user=grace@example.com").get_data(as_text=True)
    assert re.search(r"grace@example\.com\s+is not connected\.", page)
    page = admin.get("/admin/realtime?lookup-user=nobody@example.com").get_data(as_text=True)
    assert "No user has this e-mail address or id." in page
