"""What the shop publishes to sockets after a commit: orders, stock and notifications."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from fantasize.extensions import db
from fantasize.notifications import inbox
from fantasize.orders.models import Order
from tests.accounts.helpers import api_login, bearer
from tests.factories import PackageFactory, ProductFactory, UserFactory
from tests.orders.conftest import add, checkout
from tests.realtime.publisher_fixtures import observe_realtime, unreachable_broker

STAFF = ("role:admin", "role:manager")


@pytest.fixture
def published(app):
    with observe_realtime(app) as reader:
        yield reader


@pytest.fixture
def shopper(client):
    user = UserFactory()
    return user, bearer(api_login(client, user.email)["access_token"])


@pytest.fixture
def manager(client):
    user = UserFactory(role="manager")
    return user, bearer(api_login(client, user.email)["access_token"])


def _buy(client, auth, product, quantity=1) -> dict:
    add(client, auth, product=product, quantity=quantity)
    response = checkout(client, auth)
    assert response.status_code == 201, response.get_json()
    return response.get_json()["data"]


def test_checkout_tells_staff_of_the_new_order(client, published, shopper):
    _, auth = shopper
    order = _buy(client, auth, ProductFactory(price="12.50", stock=10), quantity=2)

    (update,) = published.events("admin_order_update", "role:admin")
    assert update == {
        "order_id": order["id"],
        "number": order["number"],
        "status": "placed",
        "status_label": "Placed",
        "total": order["total"],
        "created_at": update["created_at"],
        "action": "created",
    }
    assert update["created_at"].startswith(order["created_at"][:19])
    assert published.events("admin_order_update", "role:manager") == [update]
    assert published.events("admin_order_update", "role:customer", "all") == []


def test_checkout_sends_the_new_stock_to_the_products_inventory_room(client, published, shopper):
    _, auth = shopper
    mug, candle = ProductFactory(stock=10), ProductFactory(stock=30)
    add(client, auth, product=candle, quantity=3)
    _buy(client, auth, mug, quantity=2)

    assert published.events("inventory_update", f"inventory:{mug.id}") == [
        {"product_id": mug.id, "stock": 8, "in_stock": True}
    ]
    assert published.events("inventory_update", f"inventory:{candle.id}") == [
        {"product_id": candle.id, "stock": 27, "in_stock": True}
    ]


def test_a_package_draws_on_its_products_and_each_product_room_hears_of_it(client, published, shopper):
    _, auth = shopper
    mug = ProductFactory(stock=10)
    box = PackageFactory(stock=4, items=[(mug, 2)])
    add(client, auth, package=box)
    assert checkout(client, auth).status_code == 201

    assert published.events("inventory_update", f"inventory:{mug.id}") == [
        {"product_id": mug.id, "stock": 8, "in_stock": True}
    ]


def test_stock_falling_to_the_threshold_alerts_staff(client, published, shopper, app):
    _, auth = shopper
    assert app.config["LOW_STOCK_THRESHOLD"] == 5
    plenty, scarce = ProductFactory(name="Plenty", stock=20), ProductFactory(name="Scarce Mug", stock=7)
    add(client, auth, product=plenty)
    _buy(client, auth, scarce, quantity=2)

    alerts = published.events("low_stock_alert", *STAFF)
    assert alerts == [{"product_id": scarce.id, "name": "Scarce Mug", "stock": 5, "threshold": 5}]
    assert published.events("low_stock_alert", "role:customer", "all", f"inventory:{scarce.id}") == []


def test_the_threshold_is_configurable(client, published, shopper, app, monkeypatch):
    _, auth = shopper
    monkeypatch.setitem(app.config, "LOW_STOCK_THRESHOLD", 1)
    product = ProductFactory(stock=7)
    _buy(client, auth, product, quantity=2)
    assert published.events("low_stock_alert", *STAFF) == []
    _buy(client, auth, product, quantity=4)
    assert published.events("low_stock_alert", *STAFF) == [
        {"product_id": product.id, "name": product.name, "stock": 1, "threshold": 1}
    ]


def test_staff_changing_a_status_tells_the_owner_the_order_room_and_staff(client, published, shopper, manager):
    owner, auth = shopper
    _, staff_auth = manager
    order = _buy(client, auth, ProductFactory())

    response = client.patch(
        f"/api/v2/admin/orders/{order['id']}/status", json={"status": "processing", "note": "On it"}, headers=staff_auth
    )
    assert response.status_code == 200, response.get_json()

    expected = {
        "order_id": order["id"],
        "number": order["number"],
        "status": "processing",
        "status_label": "Being made",
        "previous_status": "placed",
        "note": "On it",
    }
    assert published.events("order_status_update", f"user:{owner.id}") == [expected]
    assert published.events("order_status_update", f"order:{order['id']}") == [expected]
    other = UserFactory()
    assert published.events("order_status_update", f"user:{other.id}", "role:customer", *STAFF) == []
    actions = [(u["action"], u["status"]) for u in published.events("admin_order_update", *STAFF)]
    assert actions == [("created", "placed"), ("status_changed", "processing")]


def test_a_cancel_gives_stock_back_without_a_low_stock_alert(client, published, shopper):
    owner, auth = shopper
    product = ProductFactory(stock=3)
    order = _buy(client, auth, product, quantity=2)
    assert len(published.events("low_stock_alert", *STAFF)) == 1  # 3 → 1

    assert client.post(f"/api/v2/orders/{order['id']}/cancel", json={}, headers=auth).status_code == 200

    assert [u["stock"] for u in published.events("inventory_update", f"inventory:{product.id}")] == [1, 3]
    assert len(published.events("low_stock_alert", *STAFF)) == 1  # 1 → 3 is no alert
    (update,) = published.events("order_status_update", f"user:{owner.id}")
    assert (update["previous_status"], update["status"]) == ("placed", "canceled")


def test_a_staff_stock_edit_is_published_and_a_cut_alerts(client, published, manager):
    _, staff_auth = manager
    product = ProductFactory(name="Lamp", stock=12)

    assert client.patch(f"/api/v2/products/{product.id}", json={"stock": 40}, headers=staff_auth).status_code == 200
    assert client.patch(f"/api/v2/products/{product.id}", json={"stock": 0}, headers=staff_auth).status_code == 200
    assert client.patch(f"/api/v2/products/{product.id}", json={"name": "Lamp"}, headers=staff_auth).status_code == 200

    assert published.events("inventory_update", f"inventory:{product.id}") == [
        {"product_id": product.id, "stock": 40, "in_stock": True},
        {"product_id": product.id, "stock": 0, "in_stock": False},
    ]
    assert published.events("low_stock_alert", *STAFF) == [
        {"product_id": product.id, "name": "Lamp", "stock": 0, "threshold": 5}
    ]


def test_a_checkout_that_fails_publishes_nothing(client, published, shopper):
    _, auth = shopper
    product = ProductFactory(stock=1)
    add(client, auth, product=product, quantity=1)
    product.stock = 0
    db.session.commit()

    assert checkout(client, auth).status_code == 409
    assert published.to("role:admin", "role:manager", f"inventory:{product.id}") == []


def test_an_inbox_entry_reaches_the_users_sockets(published):
    user = UserFactory()
    notification = inbox.add(user.id, "order_shipped", "Your mug is on its way", "Tracking: 123", "/orders/abc")
    assert published.to(f"user:{user.id}") == []  # not before the commit
    db.session.commit()

    assert published.events("real_time_notification", f"user:{user.id}") == [
        {
            "id": notification.id,
            "title": "Your mug is on its way",
            "message": "Tracking: 123",
            "link": "/orders/abc",
            "kind": "order_shipped",
        }
    ]


def test_a_rolled_back_inbox_entry_is_never_published(published):
    user = UserFactory()
    inbox.add(user.id, "order_shipped", "Never sent")
    db.session.rollback()
    db.session.commit()
    assert published.to(f"user:{user.id}") == []


def test_an_announcement_to_a_role_reaches_that_roles_room(published):
    admin = UserFactory(role="admin")
    UserFactory(role="manager")
    assert inbox.send(admin, "Inventory day", "Count the mugs", link="/admin", role="staff") == 2
    db.session.commit()

    expected = {"title": "Inventory day", "message": "Count the mugs", "link": "/admin", "kind": "announcement"}
    assert published.events("real_time_notification", "role:admin") == [expected]
    assert published.events("real_time_notification", "role:manager") == [expected]
    assert published.events("real_time_notification", "role:customer", "all") == []


def test_an_unreachable_broker_never_fails_the_order(app, client, shopper, caplog):
    _, auth = shopper
    product = ProductFactory(stock=10)
    with unreachable_broker(app):
        order = _buy(client, auth, product)
    db.session.expire_all()
    assert db.session.scalar(select(Order.number).where(Order.id == order["id"])) == order["number"]
    assert db.session.get(type(product), product.id).stock == 9
    assert any("could not publish" in record.getMessage() for record in caplog.records)
