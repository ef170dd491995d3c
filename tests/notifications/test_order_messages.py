"""Order and customization-review events send the right messages, over real SMTP, once."""

from sqlalchemy import func, select, text

from fantasize.extensions import db
from fantasize.notifications.models import Delivery, Notification
from fantasize.orders.models import Order
from tests.factories import UserFactory
from tests.orders.conftest import add, checkout


def _parts(message):
    """The text and HTML parts of a received multipart message."""
    assert message.is_multipart()
    parts = {
        part.get_content_type(): part.get_payload(decode=True).decode()
        for part in message.walk()
        if not part.is_multipart()
    }
    return parts["text/plain"], parts["text/html"]


def _staff_move(client, staff_auth, order_id, status, note=None):
    response = client.patch(
        f"/api/v2/admin/orders/{order_id}/status", json={"status": status, "note": note}, headers=staff_auth
    )
    assert response.status_code == 200, response.get_json()


def test_placing_an_order_mails_the_buyer_a_multipart_confirmation(client, shopper, shelf, mailbox, run_jobs):
    user, auth = shopper
    add(client, auth, product=shelf["mug"])
    number = checkout(client, auth).get_json()["data"]["number"]
    run_jobs()

    [message] = [m for m in mailbox if m["To"] == user.email]
    assert number in message["Subject"]
    plain, html = _parts(message)
    assert number in plain
    assert "Mug" in plain
    assert number in html
    assert "<html" in html.lower()


def test_the_buyer_and_the_staff_find_the_new_order_in_their_inbox(client, shopper, staff, shelf, run_jobs):
    user, auth = shopper
    manager, _ = staff
    add(client, auth, product=shelf["mug"])
    order_id = checkout(client, auth).get_json()["data"]["id"]

    buyer_entry = db.session.scalar(select(Notification).where(Notification.user_id == user.id))
    staff_entry = db.session.scalar(select(Notification).where(Notification.user_id == manager.id))
    assert (buyer_entry.event, buyer_entry.link) == ("order_placed", f"/orders/{order_id}")
    assert (staff_entry.event, staff_entry.link) == ("staff_new_order", f"/admin/orders/{order_id}")


def test_an_anonymous_gift_tells_the_recipient_without_naming_the_buyer_or_the_prices(client, shelf, mailbox, run_jobs):
    from tests.accounts.helpers import api_login, bearer

    buyer = UserFactory(username="Bartholomew")
    auth = bearer(api_login(client, buyer.email)["access_token"])
    add(client, auth, product=shelf["mug"])
    gift = {"recipient_name": "Grace", "recipient_email": "grace@example.com", "message": "Enjoy!", "hide_prices": True}
    response = checkout(client, auth, gift=gift, anonymous=True)
    assert response.status_code == 201, response.get_json()
    run_jobs()

    [notice] = [m for m in mailbox if m["To"] == "grace@example.com"]
    plain, html = _parts(notice)
    for part in (notice["Subject"], plain, html):
        assert "Bartholomew" not in part
        assert buyer.email not in part
        assert "10.00" not in part
        assert "€" not in part
    assert "Grace" in plain
    assert "Enjoy!" in plain


def test_a_gift_that_needs_review_tells_the_recipient_only_once_approved(
    client, shopper, staff, shelf, mailbox, run_jobs
):
    _, auth = shopper
    _, staff_auth = staff
    add(client, auth, product=shelf["mug"])
    order = checkout(client, auth, gift={"recipient_email": "grace@example.com"}).get_json()["data"]
    db.session.execute(text("UPDATE orders SET status = 'under_review' WHERE id = :i"), {"i": order["id"]})
    db.session.execute(text("DELETE FROM notification_deliveries WHERE event = 'gift_notice'"))
    db.session.commit()
    run_jobs()
    mailbox.clear()

    approved = client.post(
        f"/api/v2/admin/orders/{order['id']}/review", json={"decision": "approve"}, headers=staff_auth
    )
    assert approved.status_code == 200
    run_jobs()
    assert sorted(m["To"] for m in mailbox if "grace" in m["To"]) == ["grace@example.com"]
    assert any("approved" in m["Subject"].lower() for m in mailbox if m["To"] != "grace@example.com")


def test_a_rejected_personalisation_tells_the_buyer_why(client, shopper, staff, shelf, mailbox, run_jobs):
    user, auth = shopper
    _, staff_auth = staff
    add(client, auth, product=shelf["mug"])
    order = checkout(client, auth).get_json()["data"]
    db.session.execute(text("UPDATE orders SET status = 'under_review' WHERE id = :i"), {"i": order["id"]})
    db.session.commit()
    run_jobs()
    mailbox.clear()

    client.post(
        f"/api/v2/admin/orders/{order['id']}/review",
        json={"decision": "reject", "reason": "The photo is too blurry to print"},
        headers=staff_auth,
    )
    run_jobs()
    [message] = mailbox
    assert message["To"] == user.email
    assert "The photo is too blurry to print" in _parts(message)[0]


def test_shipped_delivered_and_canceled_each_send_one_message(client, shopper, staff, shelf, mailbox, run_jobs):
    _, auth = shopper
    _, staff_auth = staff
    add(client, auth, product=shelf["mug"])
    shipped = checkout(client, auth).get_json()["data"]["id"]
    for status in ("processing", "shipped", "delivered"):
        _staff_move(client, staff_auth, shipped, status)
    add(client, auth, product=shelf["mug"])
    canceled = checkout(client, auth).get_json()["data"]["id"]
    client.post(f"/api/v2/orders/{canceled}/cancel", json={"note": "Ordered twice"}, headers=auth)
    run_jobs()

    events = db.session.scalars(select(Delivery.event).where(Delivery.channel == "email").order_by(Delivery.id))
    assert list(events) == ["order_placed", "order_shipped", "order_delivered", "order_placed", "order_canceled"]
    assert len(mailbox) == 5


def test_an_order_that_rolls_back_sends_nothing(client, shopper, shelf, mailbox, run_jobs):
    _, auth = shopper
    add(client, auth, product=shelf["mug"])
    refused = checkout(client, auth, payment_method="card", payment_token="tok_declined")
    assert refused.status_code >= 400
    run_jobs()
    assert mailbox == []
    assert db.session.scalar(select(func.count()).select_from(Delivery)) == 0
    assert db.session.scalar(select(func.count()).select_from(Notification)) == 0


def test_a_delivery_job_that_runs_twice_sends_once(client, shopper, shelf, mailbox, run_jobs, app):
    from fantasize.notifications.jobs import deliver

    _, auth = shopper
    add(client, auth, product=shelf["mug"])
    checkout(client, auth)
    run_jobs()
    delivery_id = db.session.scalar(select(Delivery.id).where(Delivery.channel == "email"))
    with app.app_context():
        assert deliver(delivery_id) == "already handled"
    assert len(mailbox) == 1


def test_switching_order_e_mails_off_keeps_the_inbox(client, shopper, shelf, mailbox, run_jobs):
    user, auth = shopper
    response = client.patch(
        "/api/v2/users/me/notification-preferences", json={"order_placed": {"email": False}}, headers=auth
    )
    assert response.status_code == 200, response.get_json()
    add(client, auth, product=shelf["mug"])
    checkout(client, auth)
    run_jobs()
    assert [m for m in mailbox if m["To"] == user.email] == []
    assert db.session.scalar(select(Notification.event).where(Notification.user_id == user.id)) == "order_placed"


def test_registering_sends_a_welcome_e_mail(client, mailbox, run_jobs):
    response = client.post(
        "/api/v2/auth/register", json={"email": "newbie@example.com", "password": "a long and quiet river 42"}
    )
    assert response.status_code == 201, response.get_json()
    run_jobs()
    [welcome] = mailbox
    assert welcome["To"] == "newbie@example.com"
    assert "welcome" in welcome["Subject"].lower()


def test_a_notification_that_cannot_be_written_does_not_cost_the_order(client, shopper, shelf, monkeypatch, caplog):
    from fantasize.notifications import subscribers

    def broken(*_args, **_kwargs):
        raise RuntimeError("the template store is on fire")

    monkeypatch.setattr(subscribers.services, "notify", broken)
    _, auth = shopper
    add(client, auth, product=shelf["mug"])
    response = checkout(client, auth)
    assert response.status_code == 201, response.get_json()
    assert db.session.get(Order, response.get_json()["data"]["id"]) is not None
    assert "the template store is on fire" in caplog.text


def test_a_gift_to_a_very_long_address_is_still_placed(client, shopper, shelf, mailbox, run_jobs):
    _, auth = shopper
    address = "a" * 64 + "@" + ".".join(["b" * 60, "c" * 60, "d" * 60]) + ".com"
    add(client, auth, product=shelf["mug"])
    response = checkout(client, auth, gift={"recipient_email": address})
    assert response.status_code == 201, response.get_json()
    run_jobs()
    assert address in [message["To"] for message in mailbox]
