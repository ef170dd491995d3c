"""What the API accepts at its boundary: ids, text, JSON bodies, integers and content types."""

from __future__ import annotations

import pytest

from fantasize.extensions import db
from tests.accounts.helpers import api_login, bearer
from tests.factories import (
    BrandFactory,
    CategoryFactory,
    MaterialFactory,
    PackageFactory,
    ProductFactory,
    SubcategoryFactory,
    UserFactory,
)

ADDRESS = {"full_name": "Ada Lovelace", "line1": "12 Square", "city": "London", "postal_code": "SW1Y", "country": "GB"}


@pytest.fixture
def customer(client):
    user = UserFactory()
    return user, bearer(api_login(client, user.email)["access_token"])


@pytest.fixture
def manager(client):
    user = UserFactory(role="manager")
    return user, bearer(api_login(client, user.email)["access_token"])


# --- item 7: ids and slugs are ASCII digits within range --------------------------------------


NOT_IDS = ("%C2%B2", "%D9%A3", "%EF%BC%93", "99999999999999999999", "0")


@pytest.mark.parametrize("key", NOT_IDS)
@pytest.mark.parametrize("kind", ["products", "packages"])
def test_an_id_or_slug_that_is_no_ascii_id_is_not_found(client, kind, key):
    for _ in range(3):
        ProductFactory()
        PackageFactory()
    response = client.get(f"/api/v2/{kind}/{key}")
    assert response.status_code == 404, response.get_json()
    assert response.get_json()["error"]["code"] == "not_found"


@pytest.mark.parametrize("key", NOT_IDS)
def test_category_products_by_a_non_ascii_digit_is_not_found(client, key):
    SubcategoryFactory(parent=CategoryFactory())
    assert client.get(f"/api/v2/categories/{key}/products").status_code == 404


@pytest.mark.parametrize("name", ["category", "subcategory", "brand", "material"])
@pytest.mark.parametrize("value", ["²", "٣", "99999999999999999999"])
def test_filters_by_a_non_ascii_digit_match_nothing(client, name, value):
    ProductFactory(brand=BrandFactory())
    MaterialFactory()
    response = client.get("/api/v2/products", query_string={name: value})
    assert response.status_code == 200
    assert response.get_json()["data"] == []


def test_the_product_page_with_a_superscript_digit_is_a_404(client):
    ProductFactory()
    assert client.get("/products/²").status_code == 404
    assert client.get("/products/%D9%A3").status_code == 404


def test_path_ids_with_other_digits_or_beyond_the_column_are_404(client, customer):
    product = ProductFactory()
    for path in (f"/api/v2/products/{product.id}/reviews", "/api/v2/users/me/addresses/1"):
        assert client.get(path, headers=customer[1]).status_code in (200, 404)
    assert client.get("/api/v2/products/%D9%A3/reviews").status_code == 404
    response = client.get("/api/v2/products/99999999999999999999/reviews")
    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == "not_found"
    assert client.get("/api/v2/users/me/addresses/2147483648", headers=customer[1]).status_code == 404


# --- item 8: whitespace-only required text is refused, naming the field -------------------------


@pytest.mark.parametrize("field", ["full_name", "line1", "city", "postal_code"])
def test_a_blank_required_address_field_is_a_422_naming_it(client, customer, field):
    response = client.post("/api/v2/users/me/addresses", json={**ADDRESS, field: "   "}, headers=customer[1])
    assert response.status_code == 422, response.get_json()
    assert field in response.get_json()["error"]["details"]


def test_a_blank_field_in_an_address_patch_is_a_422(client, customer):
    created = client.post("/api/v2/users/me/addresses", json=ADDRESS, headers=customer[1]).get_json()["data"]
    response = client.patch(
        f"/api/v2/users/me/addresses/{created['id']}", json={"postal_code": " \t "}, headers=customer[1]
    )
    assert response.status_code == 422
    assert "postal_code" in response.get_json()["error"]["details"]


def test_address_text_is_trimmed(client, customer):
    response = client.post(
        "/api/v2/users/me/addresses", json={**ADDRESS, "city": "  London ", "line2": "   "}, headers=customer[1]
    )
    assert response.status_code == 201
    assert response.get_json()["data"]["city"] == "London"
    assert response.get_json()["data"]["line2"] is None


def test_the_address_service_refuses_blank_required_fields_for_every_caller(customer):
    from fantasize.accounts import addresses
    from fantasize.errors import ValidationFailed

    with pytest.raises(ValidationFailed) as error:
        addresses.create_address(customer[0], {**ADDRESS, "full_name": "  "})
    assert "full_name" in error.value.details
    db.session.rollback()


def test_a_blank_checkout_address_field_is_a_422(client, customer):
    response = client.post(
        "/api/v2/checkout", json={"payment_method": "cod", "address": {**ADDRESS, "line1": "  "}}, headers=customer[1]
    )
    assert response.status_code == 422
    assert "address" in response.get_json()["error"]["details"]


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/api/v2/brands", {"name": "   "}),
        ("/api/v2/materials", {"name": "  "}),
        ("/api/v2/categories", {"name": " "}),
        ("/api/v2/products", {"name": "   ", "price": "1.00", "subcategory_id": 1}),
    ],
)
def test_blank_names_are_refused(client, manager, path, body):
    response = client.post(path, json=body, headers=manager[1])
    assert response.status_code == 422
    assert "name" in response.get_json()["error"]["details"]


# --- items 9 and 10: deep nesting and invalid Unicode are a 400, once, at the boundary ----------


DEEP = '{"email": ' + "[" * 100_000 + "]" * 100_000 + "}"


@pytest.mark.parametrize("path", ["/api/v2/auth/login", "/api/v2/auth/register", "/api/v2/users/me/addresses"])
def test_deeply_nested_json_is_a_400(client, customer, path):
    for headers in ({}, customer[1]):
        response = client.post(path, data=DEEP, content_type="application/json", headers=headers)
        if path.startswith("/api/v2/users") and not headers:
            assert response.status_code == 401
            continue
        assert response.status_code == 400, response.get_data(as_text=True)[:300]
        assert response.get_json()["error"]["code"] == "bad_request"
        assert "nest" in response.get_json()["error"]["message"]


def test_moderately_nested_json_past_the_limit_is_a_400(client, customer):
    body = '{"customization": {"1": ' + "[" * 40 + "]" * 40 + "}, " + '"product_id": 1}'
    response = client.post("/api/v2/cart/items", data=body, content_type="application/json", headers=customer[1])
    assert response.status_code == 400


LONE_SURROGATE = '"xxxxxxxxxx\\ud800"'


@pytest.mark.parametrize(
    ("path", "template", "signed_in"),
    [
        ("/api/v2/auth/login", '{"email": "a@example.com", "password": %s}', False),
        ("/api/v2/auth/register", '{"email": "new@example.com", "password": %s}', False),
        ("/api/v2/users/me", '{"username": %s}', True),
        (
            "/api/v2/users/me/addresses",
            '{"full_name": %s, "line1": "x", "city": "y", "postal_code": "z", "country": "GB"}',
            True,
        ),
        ("/api/v2/brands", '{"name": %s}', True),
    ],
)
def test_lone_surrogates_are_a_400(client, manager, path, template, signed_in):
    headers = manager[1] if signed_in else {}
    method = client.patch if path == "/api/v2/users/me" else client.post
    response = method(path, data=template % LONE_SURROGATE, content_type="application/json", headers=headers)
    assert response.status_code == 400, response.get_data(as_text=True)[:300]
    error = response.get_json()["error"]
    assert error["code"] == "bad_request"
    assert "not valid JSON" in error["message"]


def test_a_lone_surrogate_in_a_review_is_a_400(client, customer):
    product = ProductFactory()
    response = client.post(
        f"/api/v2/products/{product.id}/reviews",
        data='{"rating": 5, "comment": "nice \\udfff"}',
        content_type="application/json",
        headers=customer[1],
    )
    assert response.status_code == 400


def test_malformed_json_and_nan_are_a_400_with_a_clear_message(client):
    for body in ('{"email": ', '{"email": NaN}', '{"email": "a@example.com", "password": 1e999}'):
        response = client.post("/api/v2/auth/login", data=body, content_type="application/json")
        assert response.status_code == 400, body
        assert "not valid JSON" in response.get_json()["error"]["message"]


# --- item 22: integers are integers, bodies are JSON, required bodies are required ------------------


@pytest.mark.parametrize("quantity", [1.5, "2", 2.6e-42, True, 2.0])
def test_a_cart_quantity_must_be_a_json_integer(client, customer, quantity):
    product = ProductFactory(stock=5)
    added = client.post("/api/v2/cart/items", json={"product_id": product.id}, headers=customer[1])
    line_id = added.get_json()["data"]["items"][0]["id"]
    response = client.patch(f"/api/v2/cart/items/{line_id}", json={"quantity": quantity}, headers=customer[1])
    assert response.status_code == 422
    assert "quantity" in response.get_json()["error"]["details"]
    cart = client.get("/api/v2/cart", headers=customer[1]).get_json()["data"]
    assert cart["items"][0]["quantity"] == 1


def test_an_id_must_be_a_json_integer(client, customer):
    product = ProductFactory(stock=5)
    for value in (str(product.id), float(product.id), True):
        response = client.post("/api/v2/cart/items", json={"product_id": value}, headers=customer[1])
        assert response.status_code == 422, value


def test_a_position_must_be_an_integer(client, manager):
    response = client.post("/api/v2/categories", json={"name": "Mugs", "position": 1.7}, headers=manager[1])
    assert response.status_code == 422
    assert "position" in response.get_json()["error"]["details"]


def test_an_out_of_range_body_field_is_a_422_naming_it(client, manager):
    category = SubcategoryFactory(parent=CategoryFactory())
    body = {"name": "Mug", "price": "1.00", "subcategory_id": category.id, "stock": 2**40}
    response = client.post("/api/v2/products", json=body, headers=manager[1])
    assert response.status_code == 422
    assert "stock" in response.get_json()["error"]["details"]


def test_query_integers_are_ascii_digits(client):
    for value in ("1.5", "٣", " 3", "1_0"):
        response = client.get("/api/v2/products", query_string={"limit": value})
        assert response.status_code == 422, value
    assert client.get("/api/v2/products?limit=3").status_code == 200


def test_a_required_body_is_required(client, customer):
    response = client.post("/api/v2/users/me/addresses", headers=customer[1])
    assert response.status_code == 422
    assert {"full_name", "line1", "city", "postal_code", "country"} <= set(response.get_json()["error"]["details"])


@pytest.mark.parametrize(
    ("data", "content_type"),
    [
        ('{"email": "a@example.com", "password": "x"}', "text/plain"),
        ("email=a%40example.com", "application/x-www-form-urlencoded"),
    ],
)
def test_a_json_endpoint_refuses_other_content_types_with_415(client, data, content_type):
    response = client.post("/api/v2/auth/login", data=data, content_type=content_type)
    assert response.status_code == 415
    assert response.get_json()["error"]["code"] == "unsupported_media_type"


def test_a_long_password_within_the_limit_is_judged_not_a_500(client):
    body = {"email": "long@example.com", "password": "correct horse battery staple " * 4}
    assert 73 <= len(body["password"]) <= 128
    assert client.post("/api/v2/auth/register", json=body).status_code == 201


def test_a_patch_still_needs_whole_nested_objects(client, manager):
    product = ProductFactory()
    response = client.patch(
        f"/api/v2/products/{product.id}", json={"materials": [{"percentage": "50"}]}, headers=manager[1]
    )
    assert response.status_code == 422
    assert "materials" in response.get_json()["error"]["details"]


def test_a_category_with_deleted_products_is_kept_with_a_409(client, manager):
    subcategory = SubcategoryFactory(parent=CategoryFactory())
    product = ProductFactory(subcategory=subcategory)
    assert client.delete(f"/api/v2/products/{product.id}", headers=manager[1]).status_code == 204
    response = client.delete(f"/api/v2/categories/{subcategory.id}", headers=manager[1])
    assert response.status_code == 409


def test_the_cart_form_refuses_an_item_id_in_other_digits(client):
    product = ProductFactory(stock=5)
    arabic = "".join(chr(0x0660 + int(d)) for d in str(product.id))
    response = client.post("/cart/add", data={"kind": "product", "item_id": arabic, "quantity": "1"})
    assert response.status_code == 303
    assert client.get("/cart").get_data(as_text=True).count(product.name) == 0
