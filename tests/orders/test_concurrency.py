"""Fifty buyers at once, on PostgreSQL: stock never oversold, exactly the right number win."""

import threading
from collections import Counter

import pytest
from sqlalchemy import func, select

from fantasize.accounts.tokens import issue_token_pair
from fantasize.catalog.models import Package, Product
from fantasize.customization import services as customization
from fantasize.extensions import db
from fantasize.orders.cart import CartOwner, add_item
from fantasize.orders.models import Order
from tests.accounts.helpers import bearer
from tests.factories import PackageFactory, ProductFactory, UserFactory
from tests.orders.conftest import ADDRESS

pytestmark = pytest.mark.postgres
BUYERS = 50


def _buyers_with(fill_cart) -> list[dict]:
    headers = []
    for _ in range(BUYERS):
        user = UserFactory()
        fill_cart(CartOwner(user_id=user.id))
        headers.append(bearer(issue_token_pair(user).access_token))
    db.session.commit()
    return headers


def _checkout_all_at_once(app, headers: list[dict]) -> Counter:
    barrier = threading.Barrier(len(headers))
    statuses: list[int] = []
    lock = threading.Lock()

    def buy(auth: dict) -> None:
        client = app.test_client()
        barrier.wait()
        response = client.post("/api/v2/checkout", json={"address": ADDRESS, "payment_method": "cod"}, headers=auth)
        with lock:
            statuses.append(response.status_code)

    threads = [threading.Thread(target=buy, args=(auth,)) for auth in headers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return Counter(statuses)


def _stock(model, item_id: int) -> int:
    db.session.expire_all()
    return db.session.get(model, item_id).stock


def test_fifty_buyers_race_for_the_last_five_units(app):
    product = ProductFactory(stock=5)
    headers = _buyers_with(lambda owner: add_item(owner, "product", product.id, 1, {}))
    results = _checkout_all_at_once(app, headers)
    assert results == Counter({201: 5, 409: 45})
    assert _stock(Product, product.id) == 0
    assert db.session.scalar(select(func.count(Order.id))) == 5


def test_a_package_whose_component_runs_out(app):
    candle = ProductFactory(stock=6)  # each box holds two candles: 3 boxes at most
    box = PackageFactory(stock=100, items=[(candle, 2), (ProductFactory(stock=1000), 1)])
    headers = _buyers_with(lambda owner: add_item(owner, "package", box.id, 1, {}))
    results = _checkout_all_at_once(app, headers)
    assert results == Counter({201: 3, 409: 47})
    assert _stock(Product, candle.id) == 0
    assert _stock(Package, box.id) == 97


def test_one_cart_with_the_same_product_twice_and_a_package_containing_it(app):
    mug = ProductFactory(stock=12)
    engraving = customization.create_option(mug, {"name": "Engraving", "type": "text", "max_length": 20})
    box = PackageFactory(stock=100, items=[(mug, 1)])
    db.session.commit()

    def fill(owner: CartOwner) -> None:
        # 1 + 1 + 2 = 4 mugs per buyer: three buyers fit in twelve mugs.
        add_item(owner, "product", mug.id, 1, {str(engraving.id): "For Ada"})
        add_item(owner, "product", mug.id, 1, {str(engraving.id): "For Grace"})
        add_item(owner, "package", box.id, 2, {})

    headers = _buyers_with(fill)
    results = _checkout_all_at_once(app, headers)
    assert results == Counter({201: 3, 409: 47})
    assert _stock(Product, mug.id) == 0
    assert _stock(Package, box.id) == 94


def test_the_same_idempotency_key_sent_ten_times_at_once_makes_one_order(app):
    product = ProductFactory(stock=100)
    user = UserFactory()
    add_item(CartOwner(user_id=user.id), "product", product.id, 1, {})
    db.session.commit()
    auth = {**bearer(issue_token_pair(user).access_token), "Idempotency-Key": "double-click-42"}
    db.session.commit()
    results = _checkout_all_at_once(app, [auth] * 10)
    assert set(results) <= {201, 409}  # the order (first or replayed), or "still running"
    assert db.session.scalar(select(func.count(Order.id))) == 1
    assert _stock(Product, product.id) == 99
