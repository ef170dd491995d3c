"""Canceling an order: the stock goes back exactly once, a card authorization is voided."""

import pytest

from fantasize.catalog.models import Product
from fantasize.extensions import db
from fantasize.orders import payments
from fantasize.orders.models import Order
from tests.orders.conftest import add, checkout
from tests.support.parallel import run_in_parallel


@pytest.mark.postgres
def test_two_cancels_at_once_give_the_stock_back_once(app, client, shopper, shelf):
    _, auth = shopper
    add(client, auth, product=shelf["mug"], quantity=3)
    order_id = checkout(client, auth).get_json()["data"]["id"]

    def cancel(c):
        return c.post(f"/api/v2/orders/{order_id}/cancel", json={}, headers=auth).status_code

    assert sorted(run_in_parallel(app, [cancel, cancel])) == [200, 409]
    db.session.expire_all()
    assert db.session.get(Product, shelf["mug"].id).stock == 10


def test_canceling_a_card_order_voids_its_authorization(client, shopper, shelf):
    _, auth = shopper
    add(client, auth, product=shelf["mug"])
    order = checkout(client, auth, payment_method="card", payment_token="tok_visa").get_json()["data"]
    reference = db.session.get(Order, order["id"]).payment_reference
    client.post(f"/api/v2/orders/{order['id']}/cancel", json={}, headers=auth)
    assert reference in payments.gateway().voided
