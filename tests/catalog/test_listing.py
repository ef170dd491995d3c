"""Listing products: filters, sorts and keyset pagination (API and pages)."""

from datetime import timedelta
from decimal import Decimal

import pytest

from fantasize.catalog.models import ProductMaterial
from fantasize.db import utcnow
from fantasize.extensions import db
from tests.factories import BrandFactory, MaterialFactory, OfferFactory, ProductFactory, SubcategoryFactory


def _names(response) -> list[str]:
    assert response.status_code == 200, response.get_json()
    return [item["name"] for item in response.get_json()["data"]]


def _all_pages(client, query: str, limit: int) -> list[int]:
    seen, cursor = [], None
    for _ in range(100):
        url = f"/api/v2/products?{query}&limit={limit}" + (f"&cursor={cursor}" if cursor else "")
        body = client.get(url).get_json()
        seen += [item["id"] for item in body["data"]]
        cursor = body["meta"]["pagination"]["next_cursor"]
        if cursor is None:
            return seen
    raise AssertionError("pagination never ended")


@pytest.fixture
def shelf():
    """A small shelf: two subcategories of one category, a brand, a material."""
    mugs = SubcategoryFactory(name="Mugs", slug="mugs")
    frames = SubcategoryFactory(name="Frames", slug="frames")
    brand = BrandFactory(name="Clay & Co", slug="clay-co")
    walnut = MaterialFactory(name="Walnut", slug="walnut")
    mug = ProductFactory(name="Engraved Mug", price=Decimal("15.00"), subcategory=mugs, brand=brand, stock=3)
    cup = ProductFactory(name="Espresso Cup", price=Decimal("9.50"), subcategory=mugs, stock=0)
    frame = ProductFactory(name="Walnut Photo Frame", price=Decimal("42.00"), subcategory=frames, stock=8)
    db.session.add(ProductMaterial(product_id=frame.id, material_id=walnut.id, percentage=Decimal(90)))
    db.session.commit()
    return {"mugs": mugs, "frames": frames, "mug": mug, "cup": cup, "frame": frame}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("subcategory=mugs", {"Engraved Mug", "Espresso Cup"}),
        ("brand=clay-co", {"Engraved Mug"}),
        ("material=walnut", {"Walnut Photo Frame"}),
        ("min_price=10&max_price=50", {"Engraved Mug", "Walnut Photo Frame"}),
        ("in_stock=true", {"Engraved Mug", "Walnut Photo Frame"}),
        ("q=walnut", {"Walnut Photo Frame"}),
        ("q=engrav", {"Engraved Mug"}),
        ("q=photo&subcategory=mugs", set()),
    ],
)
def test_filters(client, shelf, query, expected):
    assert set(_names(client.get(f"/api/v2/products?{query}"))) == expected


def test_filter_by_category_covers_its_subcategories(client, shelf):
    other = ProductFactory(name="Elsewhere")
    parent = shelf["mugs"].parent
    shelf["frames"].parent_id = parent.id
    db.session.commit()
    names = set(_names(client.get(f"/api/v2/products?category={parent.slug}")))
    assert names == {"Engraved Mug", "Espresso Cup", "Walnut Photo Frame"}
    assert other.name not in names


def test_on_offer_filter_ignores_expired_offers(client, shelf):
    OfferFactory(products=[shelf["mug"]])
    OfferFactory(
        products=[shelf["frame"]], starts_at=utcnow() - timedelta(days=9), ends_at=utcnow() - timedelta(days=1)
    )
    assert _names(client.get("/api/v2/products?on_offer=true")) == ["Engraved Mug"]


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("price", ["Espresso Cup", "Engraved Mug", "Walnut Photo Frame"]),
        ("-price", ["Walnut Photo Frame", "Engraved Mug", "Espresso Cup"]),
        ("name", ["Engraved Mug", "Espresso Cup", "Walnut Photo Frame"]),
        ("newest", ["Walnut Photo Frame", "Espresso Cup", "Engraved Mug"]),
    ],
)
def test_sorts(client, shelf, sort, expected):
    assert _names(client.get(f"/api/v2/products?sort={sort}")) == expected


def test_rating_sort_puts_the_best_rated_first(client):
    ProductFactory(name="Fine", rating=Decimal("3.5"))
    ProductFactory(name="Great", rating=Decimal("4.8"))
    assert _names(client.get("/api/v2/products?sort=rating")) == ["Great", "Fine"]


@pytest.mark.parametrize("sort", ["newest", "price", "-price", "rating", "name"])
def test_paging_never_repeats_or_skips_even_with_ties(client, sort):
    created = []
    for number in range(23):
        # Many equal prices, ratings, names and timestamps: the id breaks every tie.
        created.append(
            ProductFactory(
                name=f"Gift {number % 4}",
                price=Decimal(10 + number % 3),
                rating=Decimal(number % 2),
                created_at=utcnow().replace(microsecond=0) - timedelta(days=number % 5),
            ).id
        )
    seen = _all_pages(client, f"sort={sort}", limit=5)
    assert len(seen) == len(set(seen)) == 23
    assert set(seen) == set(created)


def test_inactive_and_deleted_products_are_hidden(client):
    ProductFactory(name="Visible")
    ProductFactory(name="Hidden", active=False)
    ProductFactory(name="Gone", deleted_at=utcnow())
    assert _names(client.get("/api/v2/products")) == ["Visible"]


def test_bad_filters_are_field_errors(client):
    response = client.get("/api/v2/products?sort=cheapest&min_price=-1&in_stock=maybe")
    assert response.status_code == 422
    assert {"sort", "min_price", "in_stock"} <= set(response.get_json()["error"]["details"])
    inverted = client.get("/api/v2/products?min_price=50&max_price=10")
    assert "max_price" in inverted.get_json()["error"]["details"]


def test_a_cursor_from_another_sort_is_refused(client):
    for _ in range(3):
        ProductFactory()
    cursor = client.get("/api/v2/products?limit=1&sort=price").get_json()["meta"]["pagination"]["next_cursor"]
    response = client.get(f"/api/v2/products?limit=1&sort=name&cursor={cursor}")
    assert response.status_code == 422
    assert "cursor" in response.get_json()["error"]["details"]


def test_category_page_filters_without_javascript(client, shelf):
    html = client.get("/categories/mugs?in_stock=1&sort=price").get_data(as_text=True)
    assert "Engraved Mug" in html
    assert "Espresso Cup" not in html
    assert 'hx-get="/categories/mugs"' in html  # and htmx refreshes the results when it can


def test_category_page_returns_only_the_results_for_htmx(client, shelf):
    response = client.get("/categories/mugs?sort=price", headers={"HX-Request": "true"})
    html = response.get_data(as_text=True)
    assert html.lstrip().startswith('<div id="results"')
    assert "<html" not in html
    assert "HX-Request" in response.headers["Vary"]


def test_category_pages_link_the_next_page(client):
    subcategory = SubcategoryFactory(slug="lots")
    for _ in range(30):
        ProductFactory(subcategory=subcategory)
    html = client.get("/categories/lots").get_data(as_text=True)
    assert html.count('class="product-card"') == 24
    assert "cursor=" in html


def test_unknown_category_is_404(client):
    assert client.get("/categories/no-such-thing").status_code == 404
