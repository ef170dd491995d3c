"""No N+1: a listing page costs the same few SQL statements whatever its size."""

import pytest

from fantasize.extensions import cache
from tests.factories import OfferFactory, PackageFactory, ProductFactory, SubcategoryFactory
from tests.support.queries import counted_statements


def _statements_for(client, url: str) -> int:
    cache.clear()
    with counted_statements() as statements:
        response = client.get(url)
    assert response.status_code == 200
    return len(statements)


@pytest.mark.parametrize("kind", ["products", "packages"])
def test_listing_20_or_100_items_runs_the_same_statements(client, kind):
    subcategories = [SubcategoryFactory() for _ in range(5)]
    products = [ProductFactory(subcategory=subcategories[n % 5]) for n in range(100)]
    OfferFactory(products=products[::3])
    if kind == "packages":
        for n in range(100):
            PackageFactory(subcategory=subcategories[n % 5], items=[(products[n], 1), (products[(n + 1) % 100], 2)])
    small = _statements_for(client, f"/api/v2/{kind}?limit=20")
    large = _statements_for(client, f"/api/v2/{kind}?limit=100")
    assert small == large
    assert small <= 5


def test_the_category_page_does_not_grow_with_its_size(client):
    subcategory = SubcategoryFactory(slug="big")
    for _ in range(5):
        ProductFactory(subcategory=subcategory)
    few = _statements_for(client, "/categories/big")
    for _ in range(40):
        ProductFactory(subcategory=subcategory)
    many = _statements_for(client, "/categories/big")
    assert few == many
