"""``/ws`` with real clients: authentication, room permissions, delivery, resume, limits and cleanup."""

from __future__ import annotations

import contextlib

import pytest
from simple_websocket import ConnectionClosed

from fantasize.accounts.sign_ins import revoke
from fantasize.extensions import db
from fantasize.realtime.broker import connection_status, publish
from tests.accounts.helpers import api_login, bearer, issue_api_key
from tests.factories import ProductFactory, UserFactory
from tests.orders.conftest import add, checkout
from tests.realtime.conftest import AUTH_TIMEOUT, session_cookie, sockets_of, wait_until


def _order_of(client, user) -> str:
    product = ProductFactory(price="10.00", stock=5)
    auth = bearer(api_login(client, user.email)["access_token"])
    add(client, auth, product=product)
    response = checkout(client, auth)
    assert response.status_code == 201, response.get_json()
    return response.get_json()["data"]["id"]


def _named(frames: list[dict], event: str) -> list[dict]:
    return [frame for frame in frames if frame["event"] == event]


def test_a_browser_socket_is_authenticated_by_its_session_cookie(app, connect):
    user = UserFactory()
    socket = connect(cookie=session_cookie(app, user))
    frame = socket.expect("authenticated")
    assert frame["data"] == {
        "user_id": user.id,
        "role": "customer",
        "rooms": [f"user:{user.id}", "role:customer", "all"],
    }
    assert "id" not in frame
    assert frame["ts"].endswith("Z")


def test_a_revoked_sign_in_does_not_authenticate_a_socket(app, connect):
    user = UserFactory()
    cookie = session_cookie(app, user)
    revoke(user.current_sign_in.id)
    db.session.commit()
    socket = connect(cookie=cookie)
    assert socket.backlog == []
    frame = socket.reply("track_inventory", {"product_id": 1})
    assert frame["event"] == "error"
    assert frame["data"]["code"] == "not_authenticated"


def test_a_cookie_sent_from_another_site_does_not_authenticate(app, connect):
    user = UserFactory()
    socket = connect(cookie=session_cookie(app, user), origin="https://evil.example")
    assert socket.backlog == []  # no "authenticated" before the first pong
    assert socket.reply("join_room", {"room": "inventory:1"})["data"]["code"] == "not_authenticated"


def test_a_mobile_socket_authenticates_with_an_access_token(signed_in):
    user = UserFactory(role="manager")
    socket = signed_in(user)
    authenticated = socket.received[-1]
    assert authenticated["data"]["user_id"] == user.id
    assert authenticated["data"]["rooms"] == [f"user:{user.id}", "role:manager", "all"]


@pytest.mark.parametrize("token", ["not-a-jwt", "", None])
def test_a_bad_token_gets_an_authentication_error(connect, token):
    socket = connect()
    frame = socket.reply("authenticate", {"token": token})
    assert frame["event"] == "authentication_error"
    assert frame["data"]["message"]
    assert socket.reply("track_order", {"order_id": "x"})["data"]["code"] == "not_authenticated"


def test_an_api_key_does_not_authenticate_a_socket(connect):
    user = UserFactory()
    _, raw_key = issue_api_key(user, "integration")
    db.session.commit()
    assert connect().reply("authenticate", {"token": raw_key})["event"] == "authentication_error"


def test_an_unauthenticated_socket_gets_errors_not_data_and_is_closed_after_the_timeout(connect):
    socket = connect()
    assert socket.reply("track_inventory", {"product_id": 1})["data"]["code"] == "not_authenticated"
    publish("system_announcement", {"title": "Hi", "message": "to everyone", "level": "info"}, ["all"])
    code = socket.wait_closed(timeout=AUTH_TIMEOUT + 3)
    assert code == 4401
    assert [f["event"] for f in socket.received] == ["error", "error"]  # not_authenticated, then the timeout


def test_rooms_assigned_by_the_server_cannot_be_joined_or_left(signed_in):
    customer, other = UserFactory(), UserFactory()
    socket = signed_in(customer)
    for room in ("role:admin", "role:manager", f"user:{other.id}", "all", "anything", "order:", "inventory:x"):
        frame = socket.reply("join_room", {"room": room})
        assert (frame["event"], frame["data"]["code"]) == ("error", "forbidden_room"), room
    frame = socket.reply("leave_room", {"room": f"user:{customer.id}"})
    assert frame["data"]["code"] == "forbidden_room"
    assert connection_status()["rooms"].get("role:admin", 0) == 0


def test_only_the_owner_and_staff_may_follow_an_order(client, signed_in):
    owner, stranger, manager = UserFactory(), UserFactory(), UserFactory(role="manager")
    order_id = _order_of(client, owner)

    stranger_socket = signed_in(stranger)
    assert stranger_socket.reply("track_order", {"order_id": order_id})["data"]["code"] == "forbidden"
    assert stranger_socket.reply("join_room", {"room": f"order:{order_id}"})["data"]["code"] == "forbidden_room"

    frame = signed_in(owner).reply("track_order", {"order_id": order_id})
    assert frame["event"] == "order_tracking_started"
    assert frame["data"] == {"order_id": order_id, "status": "placed"}
    frame = signed_in(manager).reply("join_room", {"room": f"order:{order_id}"})
    assert frame == {**frame, "event": "room_joined", "data": {"room": f"order:{order_id}"}}


def test_an_order_status_change_reaches_its_owner_once_and_no_other_customer(client, signed_in):
    owner, stranger = UserFactory(), UserFactory()
    order_id = _order_of(client, owner)
    owner_socket, stranger_socket = signed_in(owner), signed_in(stranger)
    owner_socket.send("track_order", {"order_id": order_id})
    owner_socket.expect("order_tracking_started")  # now in user:<owner> and order:<id>

    data = {"order_id": order_id, "number": "FZ-1", "status": "shipped", "status_label": "Shipped"}
    event_id = publish("order_status_update", data, [f"user:{owner.id}", f"order:{order_id}"])

    frame = owner_socket.expect("order_status_update")
    assert (frame["id"], frame["data"]) == (event_id, data)
    assert frame["ts"].endswith("Z")
    assert _named(owner_socket.frames_within(0.5), "order_status_update") == []  # once, though in both rooms
    assert _named(stranger_socket.frames_within(0.5), "order_status_update") == []


def test_an_announcement_reaches_every_signed_in_socket(app, connect, signed_in):
    customer, admin = UserFactory(), UserFactory(role="admin")
    sockets = [signed_in(customer), signed_in(admin), connect(cookie=session_cookie(app, UserFactory()))]
    sockets[2].expect("authenticated")
    event_id = publish("system_announcement", {"title": "Sale", "message": "Today only", "level": "info"}, ["all"])
    for socket in sockets:
        assert socket.expect("system_announcement")["id"] == event_id


def test_inventory_tracking_gets_the_stock_and_its_updates(signed_in):
    product = ProductFactory(stock=7)
    db.session.commit()
    socket = signed_in(UserFactory())
    frame = socket.reply("track_inventory", {"product_id": product.id})
    assert frame["event"] == "inventory_tracking_started"
    assert frame["data"] == {"product_id": product.id, "stock": 7, "in_stock": True}
    publish("inventory_update", {"product_id": product.id, "stock": 0, "in_stock": False}, [f"inventory:{product.id}"])
    assert socket.expect("inventory_update")["data"]["stock"] == 0
    assert socket.reply("leave_room", {"room": f"inventory:{product.id}"})["event"] == "room_left"
    publish("inventory_update", {"product_id": product.id, "stock": 3, "in_stock": True}, [f"inventory:{product.id}"])
    assert _named(socket.frames_within(0.5), "inventory_update") == []


def test_ping_pong_and_errors_for_bad_messages(signed_in):
    socket = signed_in(UserFactory())
    assert socket.reply("ping")["event"] == "pong"
    socket.send_raw("{not json")
    assert socket.expect("error")["data"]["code"] == "invalid_json"
    socket.send_raw('["event"]')
    assert socket.expect("error")["data"]["code"] == "invalid_message"
    assert socket.reply("fly_to_the_moon")["data"] == {
        "code": "unknown_event",
        "message": "Unknown event 'fly_to_the_moon'.",
        "event": "fly_to_the_moon",
    }


def test_resume_sends_the_missed_events_oldest_first_then_live_ones(signed_in):
    user, other = UserFactory(), UserFactory()
    first = signed_in(user)
    seen = publish("real_time_notification", {"title": "1", "message": "seen", "kind": "info"}, [f"user:{user.id}"])
    assert first.expect("real_time_notification")["id"] == seen
    first.close()
    wait_until(lambda: sockets_of(user.id) == 0, message="the socket is gone")

    missed = [
        publish("real_time_notification", {"title": str(n), "message": "missed", "kind": "info"}, [f"user:{user.id}"])
        for n in (2, 3, 4)
    ]
    publish("real_time_notification", {"title": "x", "message": "someone else's", "kind": "info"}, [f"user:{other.id}"])

    again = signed_in(user)
    again.send("resume", {"last_event_id": seen})
    frames = [again.expect("real_time_notification") for _ in missed]
    assert [f["id"] for f in frames] == missed
    assert [f["data"]["title"] for f in frames] == ["2", "3", "4"]
    live = publish("real_time_notification", {"title": "5", "message": "live", "kind": "info"}, [f"user:{user.id}"])
    assert again.expect("real_time_notification")["id"] == live
    assert _named(again.frames_within(0.3), "real_time_notification") == []


def test_a_connection_resumes_once(signed_in):
    socket = signed_in(UserFactory())
    socket.send("resume", {"last_event_id": 0})
    socket.send("resume", {"last_event_id": 0})
    error = socket.expect("error")
    assert (error["data"]["code"], error["data"]["event"]) == ("invalid_request", "resume")


def test_a_flood_of_messages_is_refused_then_closed(signed_in):
    socket = signed_in(UserFactory())
    with contextlib.suppress(ConnectionClosed, OSError):  # the server may close it before the last one
        for _ in range(200):
            socket.send("ping")
    assert socket.wait_closed(timeout=10) == 4429
    codes = {f["data"].get("code") for f in socket.received if f["event"] == "error"}
    assert codes == {"rate_limited"}


def test_a_message_over_the_size_cap_closes_the_socket(signed_in):
    socket = signed_in(UserFactory())
    socket.send("ping", {"padding": "x" * 5000})
    assert socket.wait_closed(timeout=5) == 1009


def test_sockets_that_die_leave_the_hub_and_their_rooms(signed_in, connect):
    user = UserFactory()
    sockets = [signed_in(user), signed_in(user), connect()]
    wait_until(lambda: sockets_of(user.id) == 2, message="two sockets in the user's room")
    with_them = connection_status()["total_sockets"]  # sockets of earlier tests may still be closing
    for socket in sockets:  # the TCP connection ends without a closing handshake
        socket.ws.sock.shutdown(2)
    wait_until(lambda: f"user:{user.id}" not in connection_status()["rooms"], message="the user's room is gone")
    wait_until(lambda: connection_status()["total_sockets"] <= with_them - 3, message="the hub has none of them")
