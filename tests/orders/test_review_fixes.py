"""Regression tests for the order review: each would fail with the defect it guards against."""

import io
import threading

import pytest
from PIL import Image
from sqlalchemy import func, select

from fantasize.catalog.models import Product
from fantasize.events import subscribe, unsubscribe
from fantasize.extensions import db
from fantasize.orders import payments
from fantasize.orders.models import Order
from tests.accounts.helpers import api_login, bearer, issue_api_key
from tests.factories import DEFAULT_PASSWORD, ProductFactory, UserFactory
from tests.orders.conftest import add, checkout


def _parallel(app, calls) -> list:
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def run(index, call):
        client = app.test_client()
        barrier.wait()
        results[index] = call(client)

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


@pytest.mark.postgres
def test_two_cancels_at_once_give_the_stock_back_once(app, client, shopper, shelf):
    _, auth = shopper
    add(client, auth, product=shelf["mug"], quantity=3)
    order_id = checkout(client, auth).get_json()["data"]["id"]

    def cancel(c):
        return c.post(f"/api/v2/orders/{order_id}/cancel", json={}, headers=auth).status_code

    assert sorted(_parallel(app, [cancel, cancel])) == [200, 409]
    db.session.expire_all()
    assert db.session.get(Product, shelf["mug"].id).stock == 10


@pytest.mark.postgres
def test_one_cart_checked_out_from_two_tabs_makes_one_order(app, client, shopper, shelf):
    _, auth = shopper
    add(client, auth, product=shelf["mug"], quantity=2)

    def buy(c):
        body = {
            "address": {"full_name": "A", "line1": "1", "city": "C", "postal_code": "1", "country": "GB"},
            "payment_method": "cod",
        }
        return c.post("/api/v2/checkout", json=body, headers=auth).status_code  # no idempotency key

    assert sorted(_parallel(app, [buy, buy])) == [201, 422]
    assert db.session.scalar(select(func.count(Order.id))) == 1
    db.session.expire_all()
    assert db.session.get(Product, shelf["mug"].id).stock == 8


def test_a_deactivated_item_in_the_cart_cannot_be_bought(client, shopper, shelf):
    _, auth = shopper
    add(client, auth, product=shelf["mug"])
    shelf["mug"].active = False
    db.session.commit()
    cart = client.get("/api/v2/cart", headers=auth).get_json()["data"]
    assert "No longer for sale" in cart["items"][0]["problem"]
    response = checkout(client, auth)
    assert response.status_code == 422
    assert db.session.scalar(select(func.count(Order.id))) == 0


def test_every_line_is_charged_even_one_shown_out_of_stock_before_a_restock(client, shopper, shelf):
    _, auth = shopper
    add(client, auth, product=shelf["mug"], quantity=1)
    add(client, auth, product=shelf["candle"], quantity=1)
    shelf["mug"].stock = 0
    db.session.commit()
    assert checkout(client, auth).status_code == 409
    shelf["mug"].stock = 5  # restocked before the retry
    db.session.commit()
    order = checkout(client, auth).get_json()["data"]
    assert order["total"] == "18.00"
    assert sum(float(item["line_total"]) for item in order["items"]) == 18.0


def test_a_manager_key_scoped_to_the_catalogue_cannot_read_other_peoples_orders(client, shopper, shelf):
    _, auth = shopper
    add(client, auth, product=shelf["mug"])
    order_id = checkout(client, auth).get_json()["data"]["id"]
    manager = UserFactory(role="manager")
    _, key = issue_api_key(manager, "Catalogue sync", ["catalog.write"])
    db.session.commit()
    headers = {"X-API-Key": key}
    assert client.get(f"/api/v2/orders/{order_id}", headers=headers).status_code == 404
    assert client.post(f"/api/v2/orders/{order_id}/cancel", json={}, headers=headers).status_code == 404
    staff = bearer(api_login(client, manager.email)["access_token"])
    assert client.get(f"/api/v2/orders/{order_id}", headers=staff).status_code == 200


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


def test_canceling_a_card_order_voids_its_authorization(client, shopper, shelf):
    _, auth = shopper
    add(client, auth, product=shelf["mug"])
    order = checkout(client, auth, payment_method="card", payment_token="tok_visa").get_json()["data"]
    reference = db.session.get(Order, order["id"]).payment_reference
    client.post(f"/api/v2/orders/{order['id']}/cancel", json={}, headers=auth)
    assert reference in payments.gateway().voided


def test_options_never_make_a_price_negative(client, shopper):
    from fantasize.customization import services

    cheap = ProductFactory(price="3.00")
    option = services.create_option(
        cheap, {"name": "Size", "type": "button", "choices": [{"value": "mini", "price_delta": "-10.00"}]}
    )
    db.session.commit()
    _, auth = shopper
    cart = add(client, auth, product=cheap, customization={str(option.id): "mini"})
    assert cart["items"][0]["unit_price"] == "0.00"
    assert checkout(client, auth).status_code == 201


def test_the_upload_quota_covers_the_cart_form_too(app, client, monkeypatch):
    from fantasize.customization import services

    monkeypatch.setitem(app.config, "RATE_LIMIT_UPLOADS", "2 per hour")
    frame = ProductFactory(stock=50)
    photo = services.create_option(frame, {"name": "Photo", "type": "image"})
    db.session.commit()
    user = UserFactory()
    client.post("/login", data={"email": user.email, "password": DEFAULT_PASSWORD})
    statuses = []
    for _ in range(3):
        picture = io.BytesIO()
        Image.new("RGB", (300, 200), (9, 9, 9)).save(picture, format="PNG")
        form = {
            "kind": "product",
            "item_id": str(frame.id),
            "quantity": "1",
            f"c.{photo.id}": (io.BytesIO(picture.getvalue()), "p.png"),
        }
        statuses.append(client.post("/cart/add", data=form, content_type="multipart/form-data").status_code)
    assert statuses == [303, 303, 422]


def test_ids_beyond_the_column_type_are_a_400_not_a_500(client, shopper):
    _, auth = shopper
    huge = 2**63
    response = client.post("/api/v2/cart/items", json={"product_id": huge, "quantity": 1}, headers=auth)
    assert response.status_code in (400, 404, 422)
    preview = client.post("/api/v2/customizations/preview", json={"product_id": huge})
    assert preview.status_code in (400, 404, 422)
