"""Storefront pages: home, product and package pages, search, reviews and favorites."""

from decimal import Decimal

from sqlalchemy import select

from fantasize.catalog.models import Favorite, Product, Review
from fantasize.extensions import db
from tests.accounts.helpers import api_login, bearer
from tests.factories import OfferFactory, PackageFactory, ProductFactory, UserFactory


def test_home_shows_new_arrivals_offers_categories_and_gift_boxes(client):
    deal = ProductFactory(name="Deal Mug", price=Decimal("20.00"))
    OfferFactory(products=[deal])
    PackageFactory(name="Coffee Box", items=[(deal, 1)])
    html = client.get("/").get_data(as_text=True)
    for text in (
        "New arrivals",
        "Current offers",
        "Shop by category",
        "Gift boxes",
        "Deal Mug",
        "Coffee Box",
        "€16.00",
    ):
        assert text in html


def test_product_page_shows_price_stock_materials_and_description(client):
    product = ProductFactory(name="Oak Frame", stock=2, description="<p>Solid <strong>oak</strong>.</p>")
    html = client.get(f"/products/{product.slug}").get_data(as_text=True)
    assert "<h1>Oak Frame</h1>" in html
    assert "only 2 left" in html
    assert "<strong>oak</strong>" in html
    assert "Sign in</a> to write a review" in html


def test_unknown_or_hidden_products_are_404(client):
    hidden = ProductFactory(active=False)
    assert client.get("/products/nope").status_code == 404
    assert client.get(f"/products/{hidden.slug}").status_code == 404


def test_a_review_updates_the_rating_and_is_escaped(client, login):
    product = ProductFactory()
    login(UserFactory(username="Ada"))
    response = client.post(
        f"/products/{product.slug}/reviews", data={"rating": "4", "comment": "Lovely <script>alert(1)</script> gift"}
    )
    assert response.status_code == 303
    html = client.get(f"/products/{product.slug}").get_data(as_text=True)
    assert "<script>alert(1)" not in html
    assert "Lovely" in html
    assert "Not a verified purchase" in html
    db.session.expire_all()
    stored = db.session.get(Product, product.id)
    assert (stored.rating, stored.review_count) == (Decimal("4.00"), 1)
    assert db.session.scalar(select(Review.comment)) == "Lovely <script>alert(1)</script> gift"  # escaped when shown


def test_one_review_per_user_per_item(client):
    product = ProductFactory()
    user = UserFactory()
    auth = bearer(api_login(client, user.email)["access_token"])
    first = client.post(f"/api/v2/products/{product.id}/reviews", json={"rating": 5, "comment": "Great"}, headers=auth)
    assert first.status_code == 201
    second = client.post(f"/api/v2/products/{product.id}/reviews", json={"rating": 1}, headers=auth)
    assert second.status_code == 409
    listed = client.get(f"/api/v2/products/{product.id}/reviews").get_json()["data"]
    assert [(r["rating"], r["verified_purchase"]) for r in listed] == [(5, False)]


def test_review_rating_out_of_range_is_a_field_error(client):
    product = ProductFactory()
    auth = bearer(api_login(client, UserFactory().email)["access_token"])
    response = client.post(f"/api/v2/products/{product.id}/reviews", json={"rating": 9}, headers=auth)
    assert response.status_code == 422
    assert "rating" in response.get_json()["error"]["details"]


def test_favorite_toggle_with_htmx_swaps_the_button(client, login):
    product = ProductFactory()
    user = UserFactory()
    login(user)
    added = client.post(f"/favorites/product/{product.id}", headers={"HX-Request": "true"})
    assert added.status_code == 200
    assert "In your favorites" in added.get_data(as_text=True)
    assert "<html" not in added.get_data(as_text=True)
    assert product.name in client.get("/favorites").get_data(as_text=True)
    removed = client.post(f"/favorites/product/{product.id}", headers={"HX-Request": "true"})
    assert "Add to favorites" in removed.get_data(as_text=True)
    assert db.session.scalars(select(Favorite)).all() == []


def test_favorite_toggle_without_javascript_redirects_back(client, login):
    box = PackageFactory(items=[(ProductFactory(), 1)])
    login(UserFactory())
    response = client.post(f"/favorites/package/{box.id}")
    assert response.status_code == 303
    assert response.headers["Location"] == f"/packages/{box.slug}"


def test_favorites_over_the_api(client):
    product = ProductFactory(name="Saved Mug")
    auth = bearer(api_login(client, UserFactory().email)["access_token"])
    assert client.post("/api/v2/users/me/favorites", json={"product_id": product.id}, headers=auth).status_code == 201
    listed = client.get("/api/v2/users/me/favorites", headers=auth).get_json()["data"]
    assert [item["name"] for item in listed] == ["Saved Mug"]
    assert client.delete(f"/api/v2/users/me/favorites?product_id={product.id}", headers=auth).status_code == 204
    assert client.get("/api/v2/users/me/favorites", headers=auth).get_json()["data"] == []
    assert client.get("/api/v2/users/me/favorites").status_code == 401


def test_search_page_works_as_a_plain_form_and_as_active_search(client):
    ProductFactory(name="Walnut Board")
    ProductFactory(name="Silver Ring")
    full = client.get("/search?q=walnut").get_data(as_text=True)
    assert "Walnut Board" in full
    assert "Silver Ring" not in full
    assert 'hx-trigger="input changed delay:300ms, search"' in full
    partial = client.get("/search?q=silver", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert partial.lstrip().startswith('<div id="search-results"')
    assert "Silver Ring" in partial


def test_search_api_returns_products_and_packages(client):
    mug = ProductFactory(name="Walnut Mug")
    PackageFactory(name="Walnut Box", items=[(mug, 1)])
    data = client.get("/api/v2/search?q=walnut").get_json()["data"]
    assert [p["name"] for p in data["products"]] == ["Walnut Mug"]
    assert [p["name"] for p in data["packages"]] == ["Walnut Box"]
    assert client.get("/api/v2/search").status_code == 400
