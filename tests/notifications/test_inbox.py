"""The in-app inbox: the service, the inbox page (with and without htmx) and the header bell."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from fantasize.db import utcnow
from fantasize.errors import NotFound, ValidationFailed
from fantasize.extensions import db
from fantasize.notifications import inbox, preferences
from fantasize.notifications.models import Notification
from tests.factories import UserFactory
from tests.support.queries import counted_statements


def _notify(user, title: str, minutes_ago: int = 0, read: bool = False, link: str | None = None) -> Notification:
    notification = inbox.add(user.id, "order_shipped", title, f"About {title}", link=link)
    notification.created_at = utcnow() - timedelta(minutes=minutes_ago)
    if read:
        notification.read_at = utcnow()
    db.session.commit()
    return notification


# --- the service ---------------------------------------------------------------------------------


def test_the_list_is_newest_first_and_pages_with_a_cursor():
    user = UserFactory()
    for n in range(5):
        _notify(user, f"n{n}", minutes_ago=10 - n)  # n4 is the newest
    first, key = inbox.list_page(user.id, 2, None)
    second, key2 = inbox.list_page(user.id, 2, key)
    third, key3 = inbox.list_page(user.id, 2, key2)
    assert [n.title for n in first + second + third] == ["n4", "n3", "n2", "n1", "n0"]
    assert key3 is None


def test_ties_on_the_time_are_broken_by_id_without_skipping_or_repeating():
    user = UserFactory()
    made = [inbox.add(user.id, "order_shipped", f"t{n}") for n in range(4)]
    at = utcnow()
    for notification in made:
        notification.created_at = at
    db.session.commit()
    first, key = inbox.list_page(user.id, 3, None)
    second, _ = inbox.list_page(user.id, 3, key)
    assert [n.title for n in first + second] == ["t3", "t2", "t1", "t0"]


def test_unread_only_and_the_unread_count():
    user = UserFactory()
    _notify(user, "old", minutes_ago=3, read=True)
    _notify(user, "mid", minutes_ago=2)
    _notify(user, "new", minutes_ago=1)
    rows, _ = inbox.list_page(user.id, 10, None, unread_only=True)
    assert [n.title for n in rows] == ["new", "mid"]
    assert inbox.unread_count(user.id) == 2


def test_another_users_notifications_are_never_listed_nor_counted():
    me, other = UserFactory(), UserFactory()
    _notify(other, "theirs")
    assert inbox.list_page(me.id, 10, None) == ([], None)
    assert inbox.unread_count(me.id) == 0


def test_marking_another_users_notification_read_is_not_found_and_changes_nothing():
    me, other = UserFactory(), UserFactory()
    theirs = _notify(other, "theirs")
    with pytest.raises(NotFound):
        inbox.mark_read(me.id, theirs.id)
    with pytest.raises(NotFound):
        inbox.mark_read(me.id, theirs.id + 1000)
    db.session.refresh(theirs)
    assert theirs.read_at is None


def test_mark_read_is_idempotent_and_keeps_the_first_time():
    user = UserFactory()
    notification = _notify(user, "x")
    first = inbox.mark_read(user.id, notification.id).read_at
    assert first is not None
    assert inbox.mark_read(user.id, notification.id).read_at == first
    assert inbox.unread_count(user.id) == 0


def test_mark_all_read_counts_only_the_users_unread_ones():
    me, other = UserFactory(), UserFactory()
    _notify(me, "a")
    _notify(me, "b")
    _notify(me, "c", read=True)
    _notify(other, "theirs")
    assert inbox.mark_all_read(me.id) == 2
    db.session.commit()
    assert inbox.unread_count(me.id) == 0
    assert inbox.unread_count(other.id) == 1
    assert inbox.mark_all_read(me.id) == 0


# --- sending (the service; the API's permission checks are in test_inbox_api.py) ---------------------


def _titles(user) -> list[str]:
    return [n.title for n in inbox.list_page(user.id, 100, None)[0]]


def test_send_to_one_user():
    admin, shopper, bystander = UserFactory(role="admin"), UserFactory(), UserFactory()
    assert inbox.send(admin, "Hello", "Welcome aboard", link="/orders", user_id=shopper.id) == 1
    db.session.commit()
    (notification,) = inbox.list_page(shopper.id, 10, None)[0]
    assert (notification.event, notification.title, notification.body, notification.link) == (
        "announcement",
        "Hello",
        "Welcome aboard",
        "/orders",
    )
    assert notification.data["sent_by"] == admin.id
    assert _titles(bystander) == []


@pytest.mark.parametrize(
    ("role", "reached"),
    [("customer", {"c1", "c2"}), ("manager", {"m"}), ("admin", {"a"}), ("staff", {"m", "a"})],
)
def test_send_to_a_role_reaches_its_active_members(role, reached):
    users = {
        "c1": UserFactory(role="customer"),
        "c2": UserFactory(role="customer"),
        "m": UserFactory(role="manager"),
        "a": UserFactory(role="admin"),
        "gone": UserFactory(role="customer", is_active_account=False),
    }
    assert inbox.send(users["a"], "Sale", "Everything half price", role=role) == len(reached)
    db.session.commit()
    assert {name for name, user in users.items() if _titles(user) == ["Sale"]} == reached


def test_users_who_switched_off_in_app_announcements_are_left_out():
    admin = UserFactory(role="admin")
    keen, quiet = UserFactory(), UserFactory()
    preferences.update(quiet.id, {"announcement": {"in_app": False}})
    assert inbox.send(admin, "Sale", "Half price", role="customer") == 1
    assert inbox.send(admin, "Just you", "Hello", user_id=quiet.id) == 0
    db.session.commit()
    assert _titles(keen) == ["Sale"]
    assert _titles(quiet) == []


def test_sending_to_a_large_role_does_not_query_per_user():
    admin = UserFactory(role="admin")
    few = [UserFactory() for _ in range(3)]
    preferences.update(few[0].id, {"announcement": {"in_app": False}})
    db.session.commit()
    with counted_statements() as small:
        inbox.send(admin, "One", "x", role="customer")
    for _ in range(30):
        UserFactory()
    with counted_statements() as large:
        assert inbox.send(admin, "Two", "x", role="customer") == 32
    assert len(large) == len(small)  # the same statements for 3 or 33 recipients


@pytest.mark.parametrize(
    ("fields", "errors"),
    [
        ({"title": "", "message": "m", "role": "customer"}, {"title"}),
        ({"title": "x" * 201, "message": "m", "role": "customer"}, {"title"}),
        ({"title": "t", "message": "", "role": "customer"}, {"message"}),
        ({"title": "t", "message": "m" * 2001, "role": "customer"}, {"message"}),
        ({"title": "t", "message": "m", "role": "nobody"}, {"role"}),
        ({"title": "t", "message": "m"}, {"user_id", "role"}),
        ({"title": "t", "message": "m", "role": "customer", "user_id": "someone"}, {"user_id", "role"}),
        ({"title": "t", "message": "m", "user_id": "no-such-user"}, {"user_id"}),
        (
            {"title": "", "message": "", "role": "customer", "link": "https://evil.example/"},
            {"title", "message", "link"},
        ),
    ],
)
def test_send_refuses_bad_input_field_by_field(fields, errors):
    admin = UserFactory(role="admin")
    with pytest.raises(ValidationFailed) as refused:
        inbox.send(admin, **fields)
    assert set(refused.value.details) == errors
    assert db.session.query(Notification).count() == 0


@pytest.mark.parametrize(
    "link", ["https://evil.example/x", "//evil.example/x", "/\\evil.example", "javascript:alert(1)", "orders", "/a b"]
)
def test_links_must_be_paths_on_this_site(link):
    admin = UserFactory(role="admin")
    with pytest.raises(ValidationFailed) as refused:
        inbox.send(admin, "t", "m", link=link, role="customer")
    assert set(refused.value.details) == {"link"}


# --- the inbox page --------------------------------------------------------------------------------


def test_the_inbox_page_lists_the_users_notifications_with_unread_ones_marked(client, login):
    me, other = UserFactory(), UserFactory()
    _notify(me, "Your mug shipped", minutes_ago=2, link="/orders")
    _notify(me, "Earlier news", minutes_ago=5, read=True)
    _notify(other, "Not yours")
    login(me)
    page = client.get("/notifications").get_data(as_text=True)
    assert page.index("Your mug shipped") < page.index("Earlier news")
    assert "Not yours" not in page
    assert re.search(r'class="notification-item unread"[\s\S]*?<a href="/orders"><strong>Your mug shipped', page)
    assert page.count("Mark as read<") == 1
    assert "Mark all as read" in page


def test_the_inbox_page_pages_with_an_older_link(client, login):
    me = UserFactory()
    for n in range(25):
        _notify(me, f"note {n:02d}", minutes_ago=100 - n)
    login(me)
    page = client.get("/notifications").get_data(as_text=True)
    assert "note 24" in page
    assert "note 05" in page
    assert "note 04" not in page
    older = re.search(r'href="(/notifications\?cursor=[^"]+)" rel="next"', page).group(1)
    second = client.get(older.replace("&amp;", "&")).get_data(as_text=True)
    assert "note 04" in second
    assert "note 00" in second
    assert "note 05" not in second


def test_a_plain_form_marks_one_read_and_redirects_with_303(client, login):
    me = UserFactory()
    notification = _notify(me, "x")
    login(me)
    response = client.post(f"/notifications/{notification.id}/read", data={"next": "/notifications"})
    assert response.status_code == 303
    assert response.headers["Location"] == "/notifications"
    db.session.refresh(notification)
    assert notification.read_at is not None


def test_the_redirect_after_marking_read_stays_on_this_site(client, login):
    me = UserFactory()
    notification = _notify(me, "x")
    login(me)
    response = client.post(f"/notifications/{notification.id}/read", data={"next": "https://evil.example/"})
    assert response.headers["Location"] == "/notifications"


def test_htmx_gets_the_item_back_and_a_bell_refresh(client, login):
    me = UserFactory()
    notification = _notify(me, "x")
    login(me)
    response = client.post(f"/notifications/{notification.id}/read", headers={"HX-Request": "true"})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert f'id="notification-{notification.id}"' in html
    assert "unread" not in html
    assert "<html" not in html
    assert response.headers["HX-Trigger"] == "notification"


def test_marking_another_users_notification_from_the_page_is_404(client, login):
    me, other = UserFactory(), UserFactory()
    theirs = _notify(other, "theirs")
    login(me)
    assert client.post(f"/notifications/{theirs.id}/read").status_code == 404
    db.session.refresh(theirs)
    assert theirs.read_at is None


def test_mark_all_as_read_plain_form_and_htmx(client, login):
    me = UserFactory()
    _notify(me, "a")
    _notify(me, "b")
    login(me)
    response = client.post("/notifications/read-all")
    assert response.status_code == 303
    assert inbox.unread_count(me.id) == 0
    follow = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "All your notifications are read." in follow
    _notify(me, "c")
    response = client.post("/notifications/read-all", headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert 'id="notification-list"' in response.get_data(as_text=True)
    assert response.headers["HX-Trigger"] == "notification"
    assert inbox.unread_count(me.id) == 0


def test_the_inbox_page_does_not_query_per_notification(client, login):
    me = UserFactory()
    login(me)
    for n in range(2):
        _notify(me, f"few {n}")
    with counted_statements() as few:
        assert client.get("/notifications").status_code == 200
    for n in range(18):
        _notify(me, f"many {n}", link="/orders")
    with counted_statements() as many:
        assert client.get("/notifications").status_code == 200
    assert len(many) == len(few)


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get("/notifications")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")
    assert client.post("/notifications/read-all").status_code == 302


# --- the bell --------------------------------------------------------------------------------------


def test_the_header_bell_shows_the_unread_count(client, login):
    me = UserFactory()
    for title in ("a", "b", "c"):
        _notify(me, title)
    _notify(me, "d", read=True)
    login(me)
    page = client.get("/").get_data(as_text=True)
    bell = re.search(r'<a id="notification-bell"[\s\S]*?</a>', page).group(0)
    assert 'aria-label="Notifications, 3 unread"' in bell
    assert 'href="/notifications"' in bell
    assert re.search(r'class="[^"]*notification-count[^"]*"[^>]*>3</span>', bell)
    assert 'hx-trigger="every 60s, notification from:body"' in bell


def test_no_bell_for_anonymous_visitors(client):
    page = client.get("/").get_data(as_text=True)
    assert "notification-bell" not in page


def test_the_bell_partial_refreshes_the_count(client, login):
    me = UserFactory()
    login(me)
    first = client.get("/notifications/bell", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert 'aria-label="Notifications, 0 unread"' in first
    assert "notification-count" not in first
    _notify(me, "new")
    response = client.get("/notifications/bell", headers={"HX-Request": "true"})
    assert 'aria-label="Notifications, 1 unread"' in response.get_data(as_text=True)
    assert "<html" not in response.get_data(as_text=True)
    assert response.headers["Cache-Control"] == "no-store"


def test_the_bell_stops_polling_once_signed_out(client):
    response = client.get("/notifications/bell", headers={"HX-Request": "true"})
    assert response.status_code == 286  # htmx: stop polling (and the empty answer removes the bell)
    assert response.get_data() == b""


def test_the_header_count_costs_one_query_per_page(client, login):
    me = UserFactory()
    login(me)
    _notify(me, "a")
    with counted_statements() as statements:
        client.get("/notifications")
    counts = [s for s in statements if "count(" in s.lower() and "notifications" in s.lower()]
    assert len(counts) == 1
