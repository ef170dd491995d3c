"""Deliveries that lost their job are found and sent; one being sent elsewhere is not sent twice."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from fantasize.db import utcnow
from fantasize.extensions import db
from fantasize.notifications.jobs import DeliveryInProgress, deliver, sweep_deliveries
from fantasize.notifications.models import Delivery


def _delivery(user, **values) -> Delivery:
    delivery = Delivery(
        key=f"welcome:user:{user.id}:user:{user.id}:email",
        channel="email",
        event="welcome",
        user_id=user.id,
        recipient=user.email,
        context={"shop": {"name": "Fantasize", "url": "http://localhost/"}, "recipient": {"name": "Ada"}},
        **values,
    )
    db.session.add(delivery)
    db.session.commit()
    return delivery


def test_a_delivery_another_worker_is_sending_is_retried_later_not_sent_twice(user_factory, mailbox):
    delivery = _delivery(user_factory(), status="sending", claimed_at=utcnow())
    with pytest.raises(DeliveryInProgress):
        deliver(delivery.id)
    assert mailbox == []


@pytest.mark.parametrize(
    ("status", "age"),
    [("pending", timedelta(minutes=3)), ("sending", timedelta(minutes=6)), ("retrying", timedelta(hours=1))],
)
def test_the_sweep_sends_what_lost_its_job(user_factory, mailbox, run_jobs, status, age):
    user = user_factory()
    delivery = _delivery(user, status=status, created_at=utcnow() - age, claimed_at=utcnow() - age)
    assert sweep_deliveries() == 1
    run_jobs()
    assert [message["To"] for message in mailbox] == [user.email]
    assert db.session.scalar(select(Delivery.status).where(Delivery.id == delivery.id)) == "sent"
    assert sweep_deliveries() == 0


def test_the_sweep_leaves_fresh_work_alone(user_factory, mailbox, run_jobs):
    _delivery(user_factory(), status="sending", claimed_at=utcnow() - timedelta(minutes=1))
    assert sweep_deliveries() == 0
