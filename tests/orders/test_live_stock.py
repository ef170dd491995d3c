"""Stock and availability are current on every read, even when the item itself comes from the cache.

Each test warms the cache with a read, changes stock through an order (checkout, cancel,
staff reject or return) and reads again over the API, the product page and the listings.
Runs on SQLite with the in-process cache, and on PostgreSQL with Redis when they are set.
"""

from fantasize.catalog.cache import STOCK_EPOCH_KEY, cached_cards, catalog_version
from fantasize.extensions import cache, db
from fantasize.orders.models import OrderStatus
from tests.factories import PackageFactory, ProductFactory, SubcategoryFactory
from tests.orders.conftest import add, checkout


def _api(client, kind: str, item_id: int) -> dict:
    data = client.get(f"/api/v2/{kind}s/{item_id}").get_json()["data"]
    return {"stock": data["stock"], "available": data["available"], "in_stock": data["in_stock"]}


def _listed(client, kind: str, **query) -> dict[int, dict]:
    params = "&".join(f"{key}={value}" for key, value in query.items())
    rows = client.get(f"/api/v2/{kind}s?limit=50&{params}").get_json()["data"]
    return {
        row["id"]: {"stock": row["stock"], "available": row["available"], "in_stock": row["in_stock"]} for row in rows
    }


def test_checkout_and_cancel_show_at_once_in_the_product_api_and_listing(client, shopper):
    _, auth = shopper
    frame = ProductFactory(name="Walnut Frame", stock=10)
    assert _api(client, "product", frame.id) == {"stock": 10, "available": 10, "in_stock": True}
    assert _listed(client, "product")[frame.id]["stock"] == 10
    version = catalog_version()

    add(client, auth, product=frame, quantity=2)
    order = checkout(client, auth).get_json()["data"]
    assert _api(client, "product", frame.id) == {"stock": 8, "available": 8, "in_stock": True}
    assert _listed(client, "product")[frame.id]["stock"] == 8

    client.post(f"/api/v2/orders/{order['id']}/cancel", json={}, headers=auth)
    assert _api(client, "product", frame.id) == {"stock": 10, "available": 10, "in_stock": True}
    assert _listed(client, "product")[frame.id]["stock"] == 10
    # Orders do not throw the whole catalogue cache away.
    assert catalog_version() == version


def test_selling_the_last_one_shows_out_of_stock_on_the_pages_and_cancel_brings_it_back(client, shopper):
    _, auth = shopper
    shelf = SubcategoryFactory()
    vase = ProductFactory(name="Glass Vase", stock=1, subcategory=shelf)
    category = shelf.slug
    assert "In stock" in client.get(f"/products/{vase.slug}").get_data(as_text=True)
    assert 'class="stock in">In stock' in client.get(f"/categories/{category}").get_data(as_text=True)
    assert vase.id in _listed(client, "product", in_stock="true")

    add(client, auth, product=vase)
    order = checkout(client, auth).get_json()["data"]
    assert _api(client, "product", vase.id) == {"stock": 0, "available": 0, "in_stock": False}
    page = client.get(f"/products/{vase.slug}").get_data(as_text=True)
    assert "Out of stock" in page
    assert "only 1 left" not in page
    listing_page = client.get(f"/categories/{category}").get_data(as_text=True)
    assert 'class="stock out">Out of stock' in listing_page
    assert 'class="stock in"' not in listing_page
    assert _listed(client, "product")[vase.id]["in_stock"] is False
    assert vase.id not in _listed(client, "product", in_stock="true")

    client.post(f"/api/v2/orders/{order['id']}/cancel", json={}, headers=auth)
    assert _api(client, "product", vase.id)["in_stock"] is True
    assert "only 1 left" in client.get(f"/products/{vase.slug}").get_data(as_text=True)
    assert 'class="stock in">In stock' in client.get(f"/categories/{category}").get_data(as_text=True)
    assert vase.id in _listed(client, "product", in_stock="true")


def test_a_package_follows_its_own_stock_and_its_products(client, shopper):
    _, auth = shopper
    candle = ProductFactory(name="Candle", stock=3)
    box = PackageFactory(name="Candle Box", stock=5, items=[(candle, 2)])
    assert _api(client, "package", box.id) == {"stock": 5, "available": 1, "in_stock": True}
    assert _listed(client, "package")[box.id]["available"] == 1
    assert box.id in _listed(client, "package", in_stock="true")
    assert "In stock" in client.get(f"/packages/{box.slug}").get_data(as_text=True)

    add(client, auth, product=candle, quantity=2)  # one candle left: not enough for a box
    order = checkout(client, auth).get_json()["data"]
    assert _api(client, "package", box.id) == {"stock": 5, "available": 0, "in_stock": False}
    assert _listed(client, "package")[box.id]["in_stock"] is False
    assert box.id not in _listed(client, "package", in_stock="true")
    assert "Out of stock" in client.get(f"/packages/{box.slug}").get_data(as_text=True)

    client.post(f"/api/v2/orders/{order['id']}/cancel", json={}, headers=auth)
    add(client, auth, package=box)
    checkout(client, auth)
    # The box's own stock and its candles both moved.
    assert _api(client, "package", box.id) == {"stock": 4, "available": 0, "in_stock": False}
    assert _api(client, "product", candle.id)["stock"] == 1


def test_staff_reject_and_return_restock_what_shoppers_see(client, shopper, staff):
    _, auth = shopper
    _, staff_auth = staff
    lamp = ProductFactory(name="Lamp", stock=4)
    assert _api(client, "product", lamp.id)["stock"] == 4
    add(client, auth, product=lamp, quantity=4)
    order = checkout(client, auth).get_json()["data"]
    assert _api(client, "product", lamp.id)["in_stock"] is False

    db.session.execute(
        db.text("UPDATE orders SET status = :s WHERE id = :i"), {"s": OrderStatus.UNDER_REVIEW.value, "i": order["id"]}
    )
    db.session.commit()
    response = client.post(
        f"/api/v2/admin/orders/{order['id']}/review",
        json={"decision": "reject", "reason": "The photo is blurry"},
        headers=staff_auth,
    )
    assert response.status_code == 200, response.get_json()
    assert _api(client, "product", lamp.id) == {"stock": 4, "available": 4, "in_stock": True}

    add(client, auth, product=lamp, quantity=3)
    order = checkout(client, auth).get_json()["data"]
    assert _api(client, "product", lamp.id)["stock"] == 1
    db.session.execute(
        db.text("UPDATE orders SET status = :s WHERE id = :i"), {"s": OrderStatus.DELIVERED.value, "i": order["id"]}
    )
    db.session.commit()
    response = client.patch(
        f"/api/v2/admin/orders/{order['id']}/status", json={"status": "returned", "note": "Broken"}, headers=staff_auth
    )
    assert response.status_code == 200, response.get_json()
    assert _api(client, "product", lamp.id)["stock"] == 4


def test_a_page_computed_while_an_order_commits_is_not_kept():
    calls = []

    def compute():
        calls.append(1)
        if len(calls) == 1:
            cache.set(STOCK_EPOCH_KEY, "an order committed meanwhile")
        return ["page"]

    for _ in range(3):
        assert cached_cards("test", {}, compute, lambda page: [("product", 1)]) == ["page"]
    assert len(calls) == 2
