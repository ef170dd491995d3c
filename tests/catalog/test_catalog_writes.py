"""Staff writes over the API: validation, permissions, sanitizing, cache invalidation, uploads."""

import io
from decimal import Decimal

import pytest
from PIL import Image

from fantasize.catalog.models import Media, Product
from fantasize.extensions import db
from tests.accounts.helpers import api_login, bearer
from tests.factories import PackageFactory, ProductFactory, SubcategoryFactory, UserFactory


@pytest.fixture
def staff(client) -> dict:
    manager = UserFactory(role="manager")
    return bearer(api_login(client, manager.email)["access_token"])


def _png(size=(800, 600)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (30, 120, 200)).save(out, format="PNG")
    return out.getvalue()


def test_staff_create_a_product_with_sanitized_description(client, staff):
    subcategory = SubcategoryFactory()
    body = {
        "name": "Heart Locket",
        "description": '<p>Opens to hold <strong>two</strong> photos.</p><script>alert("x")</script><img src=x onerror=alert(1)>',
        "price": "35.00",
        "stock": 4,
        "subcategory_id": subcategory.id,
    }
    response = client.post("/api/v2/products", json=body, headers=staff)
    assert response.status_code == 201, response.get_json()
    data = response.get_json()["data"]
    assert data["slug"] == "heart-locket"
    assert "<script" not in data["description"]
    assert "onerror" not in data["description"]
    assert "<strong>two</strong>" in data["description"]
    page = client.get("/products/heart-locket").get_data(as_text=True)
    assert "<script>alert" not in page


def test_product_validation_is_field_by_field(client, staff):
    response = client.post("/api/v2/products", json={"price": "-3", "stock": -1}, headers=staff)
    assert response.status_code == 422
    assert {"name", "price", "stock", "subcategory_id"} <= set(response.get_json()["error"]["details"])
    not_a_subcategory = SubcategoryFactory().parent
    response = client.post(
        "/api/v2/products", json={"name": "X", "price": "1", "subcategory_id": not_a_subcategory.id}, headers=staff
    )
    assert "subcategory_id" in response.get_json()["error"]["details"]


def test_customers_and_anonymous_cannot_write(client):
    product = ProductFactory()
    assert client.patch(f"/api/v2/products/{product.id}", json={"price": "1"}).status_code == 401
    customer = bearer(api_login(client, UserFactory().email)["access_token"])
    assert client.patch(f"/api/v2/products/{product.id}", json={"price": "1"}, headers=customer).status_code == 403


def test_an_edit_is_visible_on_the_next_read_despite_the_cache(client, staff):
    product = ProductFactory(name="Cached Mug", price=Decimal("10.00"))
    assert client.get(f"/api/v2/products/{product.id}").get_json()["data"]["price"] == "10.00"
    assert client.get("/api/v2/products").get_json()["data"][0]["price"] == "10.00"
    assert "€10.00" in client.get("/").get_data(as_text=True)
    client.patch(f"/api/v2/products/{product.id}", json={"price": "12.50"}, headers=staff)
    assert client.get(f"/api/v2/products/{product.id}").get_json()["data"]["price"] == "12.50"
    assert client.get("/api/v2/products").get_json()["data"][0]["price"] == "12.50"
    assert "€12.50" in client.get("/").get_data(as_text=True)


def test_reads_are_served_from_the_cache(client, app):
    from sqlalchemy import event

    product = ProductFactory()
    statements = []

    def count(*args, **kwargs):
        statements.append(1)

    client.get(f"/api/v2/products/{product.id}")
    event.listen(db.engine, "before_cursor_execute", count)
    try:
        client.get(f"/api/v2/products/{product.id}")
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    assert statements == []


def test_category_tree_is_invalidated_by_a_new_category(client, staff):
    parent = client.post("/api/v2/categories", json={"name": "Home"}, headers=staff).get_json()["data"]
    assert [c["name"] for c in client.get("/api/v2/categories").get_json()["data"]] == ["Home"]
    client.post("/api/v2/categories", json={"name": "Mugs", "parent_id": parent["id"]}, headers=staff)
    tree = client.get("/api/v2/categories").get_json()["data"]
    assert [c["name"] for c in tree[0]["children"]] == ["Mugs"]


def test_delete_is_refused_while_a_package_contains_the_product(client, staff):
    product = ProductFactory()
    PackageFactory(name="Coffee Box", items=[(product, 1)])
    response = client.delete(f"/api/v2/products/{product.id}", headers=staff)
    assert response.status_code == 409
    assert "Coffee Box" in response.get_json()["error"]["message"]


def test_delete_hides_the_product_but_keeps_the_row(client, staff):
    product = ProductFactory()
    assert client.delete(f"/api/v2/products/{product.id}", headers=staff).status_code == 204
    assert client.get(f"/api/v2/products/{product.id}").status_code == 404
    db.session.expire_all()
    assert db.session.get(Product, product.id).deleted_at is not None


def test_picture_upload_is_re_encoded_and_thumbnailed(client, staff):
    product = ProductFactory()
    response = client.post(
        f"/api/v2/products/{product.id}/media",
        data={"file": (io.BytesIO(_png((2400, 1800))), "photo.png")},
        headers=staff,
        content_type="multipart/form-data",
    )
    assert response.status_code == 201, response.get_json()
    media = response.get_json()["data"]
    assert (media["width"], media["height"]) == (1600, 1200)
    assert media["is_primary"] is True
    thumb = client.get(media["thumbnail_url"].replace("http://localhost", ""))
    assert thumb.status_code == 200
    assert max(Image.open(io.BytesIO(thumb.data)).size) == 480
    thumb.close()
    listed = client.get("/api/v2/products").get_json()["data"][0]
    assert listed["image_url"] == media["thumbnail_url"]


@pytest.mark.parametrize(
    ("payload", "filename", "status"),
    [
        (b"definitely not an image", "photo.jpg", 422),
        (b"GIF89a" + b"\x00" * 100, "photo.png", 422),
    ],
    ids=["text-renamed-jpg", "gif-renamed-png"],
)
def test_picture_upload_checks_the_content_not_the_name(client, staff, payload, filename, status):
    product = ProductFactory()
    response = client.post(
        f"/api/v2/products/{product.id}/media",
        data={"file": (io.BytesIO(payload), filename)},
        headers=staff,
        content_type="multipart/form-data",
    )
    assert response.status_code == status
    assert "file" in response.get_json()["error"]["details"]
    assert db.session.query(Media).count() == 0


def test_picture_upload_refuses_a_decompression_bomb(client, staff):
    product = ProductFactory()
    bomb = _png((12_000, 12_000))
    response = client.post(
        f"/api/v2/products/{product.id}/media",
        data={"file": (io.BytesIO(bomb), "bomb.png")},
        headers=staff,
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    assert "too many pixels" in response.get_json()["error"]["message"]


def test_picture_upload_refuses_an_oversized_file(client, staff, app, monkeypatch):
    monkeypatch.setitem(app.config, "MAX_UPLOAD_MB", 1)
    product = ProductFactory()
    noisy = Image.effect_noise((1400, 1400), 100).convert("RGB")
    out = io.BytesIO()
    noisy.save(out, format="PNG")
    assert len(out.getvalue()) > 1024 * 1024
    response = client.post(
        f"/api/v2/products/{product.id}/media",
        data={"file": (io.BytesIO(out.getvalue()), "big.png")},
        headers=staff,
        content_type="multipart/form-data",
    )
    assert response.status_code == 413
    assert response.get_json()["error"]["code"] == "payload_too_large"


def test_create_a_package_and_reject_unknown_products(client, staff):
    product = ProductFactory()
    subcategory = SubcategoryFactory()
    ok = client.post(
        "/api/v2/packages",
        json={
            "name": "Tea Box",
            "price": "30",
            "subcategory_id": subcategory.id,
            "items": [{"product_id": product.id, "quantity": 2}],
        },
        headers=staff,
    )
    assert ok.status_code == 201, ok.get_json()
    assert ok.get_json()["data"]["items"][0]["quantity"] == 2
    bad = client.post(
        "/api/v2/packages",
        json={"name": "Ghost Box", "price": "30", "subcategory_id": subcategory.id, "items": [{"product_id": 999999}]},
        headers=staff,
    )
    assert bad.status_code == 422
    assert "items" in bad.get_json()["error"]["details"]
