"""Order events reach subscribers who may read the database."""

from sqlalchemy import select

from fantasize.events import subscribe, unsubscribe
from fantasize.extensions import db
from fantasize.orders.models import Order
from tests.orders.conftest import add, checkout


def test_subscribers_can_query_the_database(client, shopper, shelf):
    _, auth = shopper
    seen = []

    def listener(name, payload):
        seen.append(db.session.scalar(select(Order.number).where(Order.id == payload["order_id"])))

    subscribe("order.created", listener)
    try:
        add(client, auth, product=shelf["mug"])
        number = checkout(client, auth).get_json()["data"]["number"]
    finally:
        unsubscribe("order.created", listener)
    assert seen == [number]
