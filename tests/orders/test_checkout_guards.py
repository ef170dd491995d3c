"""What checkout refuses or gets right: one order per cart, no sale of inactive items, every line charged, no negative price."""

import pytest
from sqlalchemy import func, select

from fantasize.catalog.models import Product
from fantasize.extensions import db
from fantasize.orders.models import Order
from tests.factories import ProductFactory
from tests.orders.conftest import add, checkout
from tests.support.parallel import run_in_parallel


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

    assert sorted(run_in_parallel(app, [buy, buy])) == [201, 422]
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


@pytest.mark.parametrize("shown_total", ["sNaN", "NaN", "Infinity"])
def test_a_tampered_shown_total_on_the_checkout_form_is_not_a_500(client, login, shown_total):
    from tests.factories import ProductFactory, UserFactory

    user = UserFactory()
    login(user)
    product = ProductFactory(stock=5)
    client.post("/cart/add", data={"kind": "product", "item_id": str(product.id), "quantity": "1"})
    page = client.get("/checkout").get_data(as_text=True)
    token = (
        page.split('name="checkout_token" type="hidden" value="')[1].split('"')[0] if "checkout_token" in page else ""
    )
    response = client.post(
        "/checkout",
        data={
            "checkout_token": token,
            "items_total": shown_total,
            "address_choice": "new",
            "address-full_name": "Ada Lovelace",
            "address-line1": "1 Lane",
            "address-city": "Leeds",
            "address-postal_code": "LS1 1AA",
            "address-country": "GB",
            "payment_method": "cod",
        },
    )
    assert response.status_code < 500
