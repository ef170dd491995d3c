"""Order messages reach the buyer's phones through FCM; a dead token is pruned, a busy FCM retried."""

import pytest
from sqlalchemy import select

from fantasize.extensions import db
from fantasize.notifications.models import Delivery, DeviceToken
from tests.orders.conftest import add, checkout


def _register(client, auth, token: str) -> None:
    response = client.post("/api/v2/users/me/devices", json={"token": token, "platform": "android"}, headers=auth)
    assert response.status_code == 201, response.get_json()


def _sent_to(fake_fcm) -> list[str]:
    return [send["json"]["message"]["token"] for send in fake_fcm.sends if send.get("outcome") == 200]


def test_an_order_is_pushed_to_each_of_the_buyers_devices(client, shopper, shelf, fake_fcm, run_jobs):
    _, auth = shopper
    _register(client, auth, "phone-token-1")
    _register(client, auth, "tablet-token-2")
    add(client, auth, product=shelf["mug"])
    order = checkout(client, auth).get_json()["data"]
    run_jobs()

    assert sorted(_sent_to(fake_fcm)) == ["phone-token-1", "tablet-token-2"]
    message = fake_fcm.sends[-1]["json"]["message"]
    assert order["number"] in message["notification"]["title"]
    assert message["data"]["order_id"] == order["id"]
    assert message["data"]["link"] == f"/orders/{order['id']}"


def test_a_token_fcm_calls_unregistered_is_pruned(client, shopper, shelf, fake_fcm, run_jobs):
    _, auth = shopper
    _register(client, auth, "old-phone")
    fake_fcm.unregistered.add("old-phone")
    add(client, auth, product=shelf["mug"])
    checkout(client, auth)
    run_jobs()

    assert db.session.scalar(select(DeviceToken).where(DeviceToken.token == "old-phone")) is None
    assert db.session.scalar(select(Delivery.status).where(Delivery.channel == "push")) == "skipped"


@pytest.mark.redis  # inline jobs (no Redis) are not retried
def test_a_busy_fcm_is_retried_until_the_push_goes_out(client, shopper, shelf, fake_fcm, run_jobs):
    _, auth = shopper
    _register(client, auth, "busy-phone")
    fake_fcm.fail_next(2, status=503, error_code="UNAVAILABLE")
    add(client, auth, product=shelf["mug"])
    checkout(client, auth)
    run_jobs()

    assert _sent_to(fake_fcm) == ["busy-phone"]
    delivery = db.session.scalar(select(Delivery).where(Delivery.channel == "push"))
    assert (delivery.status, delivery.attempts) == ("sent", 3)


def test_without_fcm_settings_the_push_is_skipped_not_failed(client, shopper, shelf, run_jobs):
    _, auth = shopper
    _register(client, auth, "any-phone")
    add(client, auth, product=shelf["mug"])
    checkout(client, auth)
    run_jobs()
    delivery = db.session.scalar(select(Delivery).where(Delivery.channel == "push"))
    assert (delivery.status, delivery.last_error) == ("skipped", "push is not configured")


def test_a_retried_push_never_reaches_a_phone_that_changed_account(client, shopper, shelf, fake_fcm, app):
    from fantasize.notifications.jobs import deliver
    from tests.accounts.helpers import api_login, bearer
    from tests.factories import UserFactory

    _, auth = shopper
    _register(client, auth, "shared-phone")
    add(client, auth, product=shelf["mug"])
    fake_fcm.fail_next(100, status=503, error_code="UNAVAILABLE")
    checkout(client, auth)  # inline: the push fails and waits for a retry
    fake_fcm._failures.clear()  # FCM is back: only the ownership check can stop the push now
    other = UserFactory()
    _register(client, bearer(api_login(client, other.email)["access_token"]), "shared-phone")

    delivery_id = db.session.scalar(select(Delivery.id).where(Delivery.channel == "push"))
    with app.app_context():
        assert deliver(delivery_id) == "skipped"
    assert _sent_to(fake_fcm) == []
