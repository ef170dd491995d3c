"""Two gunicorn processes behind one Redis: an event caused through one reaches sockets on the other, once."""

from __future__ import annotations

import json
import urllib.request
from collections.abc import Iterator

import pytest

from fantasize.realtime.broker import connection_status, publish
from tests.factories import UserFactory
from tests.realtime.conftest import access_token, wait_until
from tests.support.ws_server import ServerProcess

pytestmark = [pytest.mark.redis, pytest.mark.slow]


@pytest.fixture
def two_servers(app) -> Iterator[tuple[ServerProcess, ServerProcess]]:
    first, second = ServerProcess(app), ServerProcess(app)
    try:
        yield first.start(), second.start()
    finally:
        first.stop()
        second.stop()


def _post(url: str, body: dict, token: str) -> tuple[int, dict]:
    request = urllib.request.Request(  # noqa: S310 - loopback only
        url,
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json", "Authorization": f"Bearer {token}"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
        return response.status, json.loads(response.read())


def test_an_announcement_made_through_one_process_reaches_sockets_on_the_other(two_servers, signed_in):
    first, second = two_servers
    admin, customer = UserFactory(role="admin"), UserFactory()
    on_first, on_second = signed_in(customer, url=first.ws_url), signed_in(customer, url=second.ws_url)

    status, body = _post(
        f"{first.url}/api/v2/realtime/broadcast-announcement",
        {"title": "Maintenance", "message": "Tonight at 22:00", "level": "warning"},
        access_token(admin),
    )
    assert status == 202, body

    for socket in (on_second, on_first):
        frame = socket.expect("system_announcement")
        assert frame["data"]["title"] == "Maintenance"
        assert frame["id"] == body["data"]["id"]


def test_every_interested_socket_in_every_process_gets_an_event_exactly_once(two_servers, signed_in):
    first, second = two_servers
    owner, other = UserFactory(), UserFactory()
    sockets = [signed_in(owner, url=first.ws_url), signed_in(owner, url=second.ws_url)]
    stranger = signed_in(other, url=second.ws_url)
    wait_until(lambda: len([p for p in connection_status()["processes"] if p["sockets"]]) >= 2, message="presence")

    # Published from this (third) process; the owner's sockets are in both target rooms.
    event_id = publish(
        "real_time_notification",
        {"title": "Hi", "message": "once", "kind": "info"},
        [f"user:{owner.id}", "role:customer"],
    )
    for socket in sockets:
        assert socket.expect("real_time_notification")["id"] == event_id
        assert [f for f in socket.frames_within(0.5) if f.get("id") == event_id] == []
    assert stranger.expect("real_time_notification")["id"] == event_id  # role:customer


def test_presence_counts_sockets_across_processes(two_servers, signed_in):
    first, second = two_servers
    user = UserFactory()
    sockets = [signed_in(user, url=first.ws_url), signed_in(user, url=second.ws_url)]
    wait_until(lambda: connection_status()["rooms"].get(f"user:{user.id}") == 2, message="two sockets counted")
    for socket in sockets:
        socket.close()
    wait_until(lambda: connection_status()["rooms"].get(f"user:{user.id}", 0) == 0, message="none left")


def test_events_published_while_a_process_lost_its_redis_subscription_still_arrive_once(two_servers, signed_in, app):
    first, _ = two_servers
    user = UserFactory()
    socket = signed_in(user, url=first.ws_url)
    warm = publish("real_time_notification", {"title": "before", "message": "", "kind": "info"}, [f"user:{user.id}"])
    assert socket.expect("real_time_notification")["id"] == warm

    redis = app.extensions["redis"]
    prefix = app.config["REALTIME_KEY_PREFIX"]
    subscribers = [c for c in redis.client_list() if c["name"].startswith(f"{prefix}subscriber:")]
    assert subscribers, "the server process subscribes under a name of this run"
    for client in subscribers:
        redis.client_kill_filter(_id=client["id"])
    during = publish("real_time_notification", {"title": "during", "message": "", "kind": "info"}, [f"user:{user.id}"])

    frames = [f for f in socket.frames_within(8) if f.get("event") == "real_time_notification"]
    assert [f["id"] for f in frames] == [during]
