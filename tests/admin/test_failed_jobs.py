"""The admin's "Failed jobs" page: who may see it, failed messages listed and sent again."""

from sqlalchemy import select

from fantasize.extensions import db
from fantasize.notifications.models import Delivery


def _failed_delivery(user) -> Delivery:
    delivery = Delivery(
        key=f"order_shipped:order:x:user:{user.id}:email",
        channel="email",
        event="order_shipped",
        user_id=user.id,
        recipient=user.email,
        context={"shop": {"name": "Fantasize", "url": "http://localhost/"}, "recipient": {"name": "Ada"}},
        status="failed",
        attempts=4,
        last_error="SMTPServerDisconnected: Connection unexpectedly closed",
    )
    db.session.add(delivery)
    db.session.commit()
    return delivery


def test_only_admins_see_failed_jobs(client, login, user_factory):
    assert client.get("/admin/jobs").status_code in (302, 401)
    assert login(user_factory(role="manager")).get("/admin/jobs").status_code == 403


def test_a_message_that_did_not_go_out_is_listed_and_sent_again(login, user_factory, mailbox, run_jobs):
    admin = login(user_factory(role="admin"))
    shopper = user_factory(email="ada@example.com")
    delivery = _failed_delivery(shopper)

    page = admin.get("/admin/jobs").get_data(as_text=True)
    assert "Connection unexpectedly closed" in page
    assert "Order shipped" in page

    assert admin.post(f"/admin/jobs/deliveries/{delivery.id}/retry").status_code == 303
    run_jobs()
    db.session.expire_all()
    assert db.session.scalar(select(Delivery.status).where(Delivery.id == delivery.id)) == "sent"
    assert [message["To"] for message in mailbox] == ["ada@example.com"]


def test_retrying_a_job_that_is_not_failed_is_a_404(login, user_factory):
    admin = login(user_factory(role="admin"))
    assert admin.post("/admin/jobs/no-such-job/retry").status_code == 404
    assert admin.post("/admin/jobs/deliveries/999/retry").status_code == 404
