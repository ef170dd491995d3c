"""The cart's input limits: the upload quota on the cart form, ids too large for the database."""

import io

from PIL import Image

from fantasize.extensions import db
from tests.factories import DEFAULT_PASSWORD, ProductFactory, UserFactory


def test_the_upload_quota_covers_the_cart_form_too(app, client, monkeypatch):
    from fantasize.customization import services

    monkeypatch.setitem(app.config, "RATE_LIMIT_UPLOADS", "2 per hour")
    frame = ProductFactory(stock=50)
    photo = services.create_option(frame, {"name": "Photo", "type": "image"})
    db.session.commit()
    user = UserFactory()
    client.post("/login", data={"email": user.email, "password": DEFAULT_PASSWORD})
    statuses = []
    for _ in range(3):
        picture = io.BytesIO()
        Image.new("RGB", (300, 200), (9, 9, 9)).save(picture, format="PNG")
        form = {
            "kind": "product",
            "item_id": str(frame.id),
            "quantity": "1",
            f"c.{photo.id}": (io.BytesIO(picture.getvalue()), "p.png"),
        }
        statuses.append(client.post("/cart/add", data=form, content_type="multipart/form-data").status_code)
    assert statuses == [303, 303, 422]


def test_ids_beyond_the_column_type_are_a_400_not_a_500(client, shopper):
    _, auth = shopper
    huge = 2**63
    response = client.post("/api/v2/cart/items", json={"product_id": huge, "quantity": 1}, headers=auth)
    assert response.status_code in (400, 404, 422)
    preview = client.post("/api/v2/customizations/preview", json={"product_id": huge})
    assert preview.status_code in (400, 404, 422)
