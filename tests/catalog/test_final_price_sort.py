"""Sorting and price filters use the price the shopper pays (after the best current offer)."""

from datetime import timedelta
from decimal import Decimal

import pytest

from fantasize.db import utcnow
from tests.factories import OfferFactory, PackageFactory, ProductFactory, SubcategoryFactory


def _names(client, url: str) -> list[str]:
    response = client.get(url)
    assert response.status_code == 200, response.get_json()
    return [item["name"] for item in response.get_json()["data"]]


def _all_pages(client, url: str, limit: int) -> list[str]:
    names, cursor = [], None
    for _ in range(100):
        body = client.get(f"{url}&limit={limit}" + (f"&cursor={cursor}" if cursor else "")).get_json()
        names += [item["name"] for item in body["data"]]
        cursor = body["meta"]["pagination"]["next_cursor"]
        if cursor is None:
            return names
    raise AssertionError("pagination never ended")


@pytest.fixture
def frames():
    shelf = SubcategoryFactory(slug="frames")
    frame = ProductFactory(name="Oak Frame", price=Decimal("22.00"), subcategory=shelf)  # 17.60 on offer
    ProductFactory(name="Pine Frame", price=Decimal("18.00"), subcategory=shelf)
    ProductFactory(name="Tin Frame", price=Decimal("17.00"), subcategory=shelf)
    ProductFactory(name="Gilt Frame", price=Decimal("30.00"), subcategory=shelf)
    OfferFactory(percent=Decimal("20"), products=[frame])
    ended = ProductFactory(name="Elm Frame", price=Decimal("19.00"), subcategory=shelf)
    OfferFactory(
        percent=Decimal("50"),
        starts_at=utcnow() - timedelta(days=9),
        ends_at=utcnow() - timedelta(days=1),
        products=[ended],
    )
    return shelf


def test_price_sorts_by_the_offer_price(client, frames):
    cheapest_first = ["Tin Frame", "Oak Frame", "Pine Frame", "Elm Frame", "Gilt Frame"]
    assert _names(client, "/api/v2/products?sort=price") == cheapest_first
    assert _names(client, "/api/v2/products?sort=-price") == cheapest_first[::-1]


@pytest.mark.parametrize("limit", [1, 2, 3])
def test_pages_follow_the_offer_price_order(client, frames, limit):
    cheapest_first = ["Tin Frame", "Oak Frame", "Pine Frame", "Elm Frame", "Gilt Frame"]
    assert _all_pages(client, "/api/v2/products?sort=price", limit) == cheapest_first
    assert _all_pages(client, "/api/v2/products?sort=-price", limit) == cheapest_first[::-1]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("max_price=17.99", {"Tin Frame", "Oak Frame"}),
        ("min_price=17.60&max_price=17.60", {"Oak Frame"}),
        ("min_price=18", {"Pine Frame", "Elm Frame", "Gilt Frame"}),
        ("min_price=20", {"Gilt Frame"}),
    ],
)
def test_price_filters_use_the_offer_price(client, frames, query, expected):
    assert set(_names(client, f"/api/v2/products?{query}")) == expected


def test_the_category_page_sorts_by_the_offer_price(client, frames):
    html = client.get("/categories/frames?sort=price").get_data(as_text=True)
    positions = [html.index(name) for name in ("Tin Frame", "Oak Frame", "Pine Frame", "Elm Frame", "Gilt Frame")]
    assert positions == sorted(positions)


def test_packages_sort_and_page_by_the_offer_price(client):
    candle = ProductFactory()
    boxes = [
        PackageFactory(name="Big Box", price=Decimal("50.00"), items=[(candle, 1)]),  # 25.00 on offer
        PackageFactory(name="Mid Box", price=Decimal("30.00"), items=[(candle, 1)]),
        PackageFactory(name="Small Box", price=Decimal("20.00"), items=[(candle, 1)]),
    ]
    OfferFactory(percent=Decimal("50"), packages=[boxes[0]])
    assert _all_pages(client, "/api/v2/packages?sort=price", 1) == ["Small Box", "Big Box", "Mid Box"]
    assert _all_pages(client, "/api/v2/packages?sort=-price", 2) == ["Mid Box", "Big Box", "Small Box"]
    assert _names(client, "/api/v2/packages?max_price=26&sort=price") == ["Small Box", "Big Box"]


def test_half_cents_round_up_like_the_shown_price(client):
    # 10.01 at 50% is 5.005: shown as 5.01, so it is not under 5.01.
    odd = ProductFactory(name="Odd", price=Decimal("10.01"))
    OfferFactory(percent=Decimal("50"), products=[odd])
    assert client.get("/api/v2/products").get_json()["data"][0]["final_price"] == "5.01"
    assert _names(client, "/api/v2/products?min_price=5.01") == ["Odd"]
    assert _names(client, "/api/v2/products?max_price=5.00") == []
