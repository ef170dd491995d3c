"""Offer prices and package availability."""

from datetime import timedelta
from decimal import Decimal

from fantasize.db import utcnow
from tests.factories import OfferFactory, PackageFactory, ProductFactory


def _product(client, product_id: int) -> dict:
    return client.get(f"/api/v2/products/{product_id}").get_json()["data"]


def test_the_best_current_offer_sets_the_final_price(client):
    product = ProductFactory(price=Decimal("19.99"))
    OfferFactory(percent=Decimal("10"), products=[product])
    OfferFactory(percent=Decimal("25"), products=[product])
    data = _product(client, product.id)
    assert data["price"] == "19.99"
    assert data["final_price"] == "14.99"  # 19.99 × 0.75 = 14.9925, rounded half up to the cent
    assert data["discount_percent"] == "25.00"


def test_expired_future_and_inactive_offers_do_not_count(client):
    product = ProductFactory(price=Decimal("40.00"))
    now = utcnow()
    OfferFactory(
        percent=Decimal("50"), products=[product], starts_at=now - timedelta(days=5), ends_at=now - timedelta(days=1)
    )
    OfferFactory(
        percent=Decimal("50"), products=[product], starts_at=now + timedelta(days=1), ends_at=now + timedelta(days=5)
    )
    OfferFactory(percent=Decimal("50"), products=[product], active=False)
    data = _product(client, product.id)
    assert data["final_price"] == "40.00"
    assert data["discount_percent"] is None


def test_the_storefront_shows_old_and_new_price(client):
    product = ProductFactory(name="Silver Bracelet", price=Decimal("50.00"))
    OfferFactory(percent=Decimal("20"), products=[product])
    html = client.get(f"/products/{product.slug}").get_data(as_text=True)
    assert "€40.00" in html
    assert "<del" in html
    assert "€50.00" in html


def test_package_availability_is_capped_by_its_products(client):
    mug = ProductFactory(stock=7)
    candle = ProductFactory(stock=100)
    box = PackageFactory(stock=50, items=[(mug, 2), (candle, 1)])
    data = client.get(f"/api/v2/packages/{box.id}").get_json()["data"]
    assert data["stock"] == 50
    assert data["available"] == 3  # 7 mugs make 3 boxes of 2
    assert data["in_stock"] is True
    assert {(i["product_id"], i["quantity"]) for i in data["items"]} == {(mug.id, 2), (candle.id, 1)}


def test_package_own_stock_can_be_the_limit(client):
    box = PackageFactory(stock=1, items=[(ProductFactory(stock=100), 1)])
    assert client.get(f"/api/v2/packages/{box.id}").get_json()["data"]["available"] == 1


def test_a_package_whose_product_ran_out_is_out_of_stock(client):
    empty = ProductFactory(stock=1)
    box = PackageFactory(stock=10, items=[(empty, 2)])
    listed = client.get("/api/v2/packages").get_json()["data"]
    assert listed[0]["available"] == 0
    assert listed[0]["in_stock"] is False
    assert client.get("/api/v2/packages?in_stock=true").get_json()["data"] == []
    html = client.get(f"/packages/{box.slug}").get_data(as_text=True)
    assert "Out of stock" in html
    assert "2 ×" in html


def test_package_offers_apply_too(client):
    box = PackageFactory(price=Decimal("60.00"), items=[(ProductFactory(), 1)])
    OfferFactory(percent=Decimal("15"), packages=[box])
    assert client.get(f"/api/v2/packages/{box.slug}").get_json()["data"]["final_price"] == "51.00"


def test_cached_prices_expire_when_an_offer_starts(client, app):
    from fantasize.catalog.cache import _timeout

    product = ProductFactory()
    assert _timeout("CACHE_TTL_PRODUCTS") == app.config["CACHE_TTL_PRODUCTS"]
    OfferFactory(products=[product], starts_at=utcnow() + timedelta(seconds=42), ends_at=utcnow() + timedelta(days=1))
    assert 1 <= _timeout("CACHE_TTL_PRODUCTS") <= 43
