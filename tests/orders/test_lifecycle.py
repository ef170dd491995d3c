"""The state machine, ownership, idempotency and card data that must never be kept."""

import itertools
import logging

import pytest
from sqlalchemy import func, select, text

from fantasize.catalog.models import Product
from fantasize.extensions import db
from fantasize.orders.models import Order, OrderStatus
from tests.accounts.helpers import api_login, bearer
from tests.factories import UserFactory
from tests.orders.conftest import add, checkout

ALL = list(OrderStatus)
# The lifecycle as the shop promises it, written out here rather than read from the code under test.
ALLOWED = {
    ("under_review", "placed"),
    ("under_review", "rejected"),
    ("under_review", "canceled"),
    ("placed", "processing"),
    ("placed", "canceled"),
    ("processing", "shipped"),
    ("processing", "canceled"),
    ("shipped", "delivered"),
    ("delivered", "completed"),
    ("delivered", "returned"),
}


def _order_in(client, auth, shelf, status: OrderStatus) -> dict:
    add(client, auth, product=shelf["mug"])
    order = checkout(client, auth).get_json()["data"]
    db.session.execute(text("UPDATE orders SET status = :s WHERE id = :i"), {"s": status.value, "i": order["id"]})
    db.session.commit()
    return order


@pytest.mark.parametrize(("current", "target"), list(itertools.product(ALL, ALL)), ids=lambda s: s.value)
def test_every_transition_is_allowed_or_refused_by_the_table(client, shopper, staff, shelf, current, target):
    _, auth = shopper
    _, staff_auth = staff
    order = _order_in(client, auth, shelf, current)
    response = client.patch(
        f"/api/v2/admin/orders/{order['id']}/status",
        json={"status": target.value, "note": "because"},
        headers=staff_auth,
    )
    if (current.value, target.value) in ALLOWED:
        assert response.status_code == 200, response.get_json()
        assert response.get_json()["data"]["status"] == target.value
        history = response.get_json()["data"]["history"][-1]
        assert (history["from"], history["to"], history["note"], history["by"]) == (
            current.value,
            target.value,
            "because",
            "staff",
        )
    else:
        assert response.status_code == 409
        assert response.get_json()["error"]["code"] == "invalid_transition"
        db.session.expire_all()
        assert db.session.get(Order, order["id"]).status == current.value


@pytest.mark.parametrize("status", ALL, ids=lambda s: s.value)
def test_shoppers_cancel_only_while_allowed(client, shopper, shelf, status):
    _, auth = shopper
    order = _order_in(client, auth, shelf, status)
    response = client.post(f"/api/v2/orders/{order['id']}/cancel", json={}, headers=auth)
    expected = 200 if status in (OrderStatus.UNDER_REVIEW, OrderStatus.PLACED, OrderStatus.PROCESSING) else 409
    assert response.status_code == expected


def test_a_shopper_cannot_move_an_order_forward(client, shopper, shelf):
    _, auth = shopper
    order = _order_in(client, auth, shelf, OrderStatus.PLACED)
    assert (
        client.patch(f"/api/v2/admin/orders/{order['id']}/status", json={"status": "shipped"}, headers=auth).status_code
        == 403
    )


def test_cancel_gives_the_stock_back(client, shopper, shelf):
    _, auth = shopper
    add(client, auth, product=shelf["mug"], quantity=2)
    add(client, auth, package=shelf["box"], quantity=1)
    order = checkout(client, auth).get_json()["data"]
    client.post(f"/api/v2/orders/{order['id']}/cancel", json={"note": "Changed my mind"}, headers=auth)
    db.session.expire_all()
    assert db.session.get(Product, shelf["mug"].id).stock == 10
    assert db.session.get(Product, shelf["candle"].id).stock == 10


def test_reject_needs_a_reason_and_gives_stock_back(client, shopper, staff, shelf):
    _, auth = shopper
    _, staff_auth = staff
    order = _order_in(client, auth, shelf, OrderStatus.UNDER_REVIEW)
    no_reason = client.post(
        f"/api/v2/admin/orders/{order['id']}/review", json={"decision": "reject"}, headers=staff_auth
    )
    assert no_reason.status_code == 422
    rejected = client.post(
        f"/api/v2/admin/orders/{order['id']}/review",
        json={"decision": "reject", "reason": "The photo is blurry"},
        headers=staff_auth,
    )
    assert rejected.get_json()["data"]["status"] == "rejected"
    db.session.expire_all()
    assert db.session.get(Product, shelf["mug"].id).stock == 10


def test_another_customers_order_is_404_everywhere(client, shopper, shelf):
    _, auth = shopper
    add(client, auth, product=shelf["mug"])
    order = checkout(client, auth).get_json()["data"]
    intruder = bearer(api_login(client, UserFactory().email)["access_token"])
    for method, path in [
        ("GET", f"/api/v2/orders/{order['id']}"),
        ("GET", f"/api/v2/orders/{order['id']}/tracking"),
        ("POST", f"/api/v2/orders/{order['id']}/cancel"),
    ]:
        assert client.open(path, method=method, json={}, headers=intruder).status_code == 404, path
    assert client.get("/api/v2/orders", headers=intruder).get_json()["data"] == []


def test_the_same_idempotency_key_returns_the_same_order(client, shopper, shelf):
    _, auth = shopper
    add(client, auth, product=shelf["mug"])
    first = checkout(client, auth, key="order-abc-1")
    again = checkout(client, auth, key="order-abc-1")
    assert first.status_code == again.status_code == 201
    assert again.headers["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first.headers
    assert again.get_json()["data"] == first.get_json()["data"]
    assert db.session.scalar(select(func.count(Order.id))) == 1


def test_the_same_key_with_a_different_body_is_a_422(client, shopper, shelf):
    _, auth = shopper
    add(client, auth, product=shelf["mug"])
    assert checkout(client, auth, key="order-abc-2").status_code == 201
    response = checkout(client, auth, key="order-abc-2", anonymous=True)
    assert response.status_code == 422
    assert response.get_json()["error"]["code"] == "idempotency_key_reused"


def test_a_failed_checkout_releases_its_key(client, shopper, shelf):
    _, auth = shopper
    add(client, auth, product=shelf["mug"], quantity=50)
    assert checkout(client, auth, key="order-abc-3").status_code == 409
    cart_line = client.get("/api/v2/cart", headers=auth).get_json()["data"]["items"][0]["id"]
    client.patch(f"/api/v2/cart/items/{cart_line}", json={"quantity": 1}, headers=auth)
    assert checkout(client, auth, key="order-abc-3").status_code == 201


CARD = "4242424242424242"
CVV = "737"


def test_no_card_number_or_cvv_reaches_columns_logs_or_errors(client, shopper, shelf, caplog):
    caplog.set_level(logging.DEBUG)
    _, auth = shopper
    add(client, auth, product=shelf["mug"])
    answers = [
        checkout(client, auth, payment_method="card", card_number=CARD, cvv=CVV).get_data(as_text=True),
        checkout(client, auth, payment_method="card", payment_token=CARD).get_data(as_text=True),
        checkout(client, auth, payment_method="card", payment_token="tok_visa").get_data(as_text=True),
    ]
    stored = []
    for table in db.metadata.sorted_tables:
        for row in db.session.execute(text(f'SELECT * FROM "{table.name}"')):
            stored.extend(str(value) for value in row)
    everything = "\n".join(answers + stored + [str(r.__dict__) for r in caplog.records])
    assert CARD not in everything
    assert CARD[-8:] not in everything
    assert f'"{CVV}"' not in everything


def test_a_review_after_delivery_is_a_verified_purchase(client, shopper, shelf):
    _, auth = shopper
    order = _order_in(client, auth, shelf, OrderStatus.DELIVERED)
    assert order["items"][0]["product_id"] == shelf["mug"].id
    verified = client.post(f"/api/v2/products/{shelf['mug'].id}/reviews", json={"rating": 5}, headers=auth)
    assert verified.get_json()["data"]["verified_purchase"] is True
    unverified = client.post(f"/api/v2/products/{shelf['candle'].id}/reviews", json={"rating": 4}, headers=auth)
    assert unverified.get_json()["data"]["verified_purchase"] is False


def test_a_return_gives_the_stock_back(client, shopper, staff, shelf):
    _, auth = shopper
    _, staff_auth = staff
    order = _order_in(client, auth, shelf, OrderStatus.DELIVERED)
    db.session.expire_all()
    assert db.session.get(Product, shelf["mug"].id).stock == 9
    response = client.patch(
        f"/api/v2/admin/orders/{order['id']}/status",
        json={"status": "returned", "note": "Wrong size"},
        headers=staff_auth,
    )
    assert response.status_code == 200
    db.session.expire_all()
    assert db.session.get(Product, shelf["mug"].id).stock == 10


def test_order_pages_walk_newest_first_and_refuse_a_cursor_from_another_list(client, shopper, shelf):
    from fantasize.api.pagination import encode_cursor

    _, auth = shopper
    ids = []
    for _ in range(3):
        add(client, auth, product=shelf["mug"])
        ids.append(checkout(client, auth).get_json()["data"]["id"])
    seen, cursor = [], None
    while True:
        url = "/api/v2/orders?limit=2" + (f"&cursor={cursor}" if cursor else "")
        body = client.get(url, headers=auth).get_json()
        seen += [order["id"] for order in body["data"]]
        cursor = body["meta"]["pagination"]["next_cursor"]
        if cursor is None:
            break
    assert seen == list(reversed(ids))
    product_list_cursor = encode_cursor(["price", "10.00", 3])
    assert client.get(f"/api/v2/orders?cursor={product_list_cursor}", headers=auth).status_code == 422
