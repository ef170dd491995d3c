"""The live preview (API and page) and the privacy of shoppers' uploads."""

import io

from PIL import Image

from tests.accounts.helpers import api_login, bearer
from tests.factories import UserFactory
from tests.support.gifts import image_bytes


def _preview(client, mug, customization, fmt="png", headers=None):
    body = {"product_id": mug["product"].id, "customization": customization, "format": fmt}
    return client.post("/api/v2/customizations/preview", json=body, headers=headers or {})


def test_the_preview_is_an_image_that_changes_with_the_text(client, mug):
    engraving = str(mug["engraving"].id)
    first = _preview(client, mug, {engraving: "For Ada"})
    second = _preview(client, mug, {engraving: "For Grace"})
    assert first.status_code == second.status_code == 200
    assert first.mimetype == "image/png"
    assert Image.open(io.BytesIO(first.data)).size == (800, 600)
    assert first.data != second.data
    webp = _preview(client, mug, {engraving: "For Ada"}, fmt="webp")
    assert webp.mimetype == "image/webp"
    assert Image.open(io.BytesIO(webp.data)).format == "WEBP"


def test_the_colour_choice_tints_the_preview(client, mug):
    colour = str(mug["colour"].id)
    white = Image.open(io.BytesIO(_preview(client, mug, {colour: "white"}).data)).convert("RGB")
    black = Image.open(io.BytesIO(_preview(client, mug, {colour: "black"}).data)).convert("RGB")
    assert sum(black.getpixel((10, 10))) < sum(white.getpixel((10, 10)))


def test_the_preview_refuses_invalid_values_and_needs_an_item(client, mug):
    response = _preview(client, mug, {str(mug["engraving"].id): "way too long for the engraving", "123456": "x"})
    assert response.status_code == 422
    assert set(response.get_json()["error"]["details"]) == {
        f"customization.{mug['engraving'].id}",
        "customization.123456",
    }
    assert client.post("/api/v2/customizations/preview", json={"customization": {}}).status_code == 422


def test_the_product_page_preview_updates_over_htmx(client, mug):
    slug, engraving = mug["product"].slug, mug["engraving"].id
    page = client.get(f"/products/{slug}").get_data(as_text=True)
    assert 'id="preview-box"' in page
    assert 'hx-trigger="input delay:300ms, change"' in page
    fragment = client.get(f"/products/{slug}/preview?c.{engraving}=Love", headers={"HX-Request": "true"})
    html = fragment.get_data(as_text=True)
    assert html.lstrip().startswith('<figure id="preview-box"')
    src = html.split('src="')[1].split('"')[0].replace("&amp;", "&")
    assert f"c.{engraving}=Love" in src
    image = client.get(src)
    assert image.status_code == 200
    assert image.mimetype == "image/png"


def test_uploads_are_private_to_their_owner_and_staff(client):
    owner = UserFactory()
    owner_auth = bearer(api_login(client, owner.email)["access_token"])
    upload = client.post(
        "/api/v2/uploads",
        data={"file": (io.BytesIO(image_bytes()), "me.png")},
        headers=owner_auth,
        content_type="multipart/form-data",
    ).get_json()["data"]
    assert (upload["width"], upload["height"]) == (640, 480)
    url = f"/api/v2/uploads/{upload['token']}"
    with client.get(url, headers=owner_auth) as mine:
        assert mine.status_code == 200
    stranger = bearer(api_login(client, UserFactory().email)["access_token"])
    assert client.get(url, headers=stranger).status_code == 404
    staff = bearer(api_login(client, UserFactory(role="manager").email)["access_token"])
    with client.get(url, headers=staff) as seen_by_staff:
        assert seen_by_staff.status_code == 200
    assert client.get(url).status_code == 401


def test_uploads_are_checked_by_content_and_rate_limited(client, app, monkeypatch):
    auth = bearer(api_login(client, UserFactory().email)["access_token"])
    fake = client.post(
        "/api/v2/uploads",
        data={"file": (io.BytesIO(b"<svg onload=alert(1)>"), "x.png")},
        headers=auth,
        content_type="multipart/form-data",
    )
    assert fake.status_code == 422
    monkeypatch.setitem(app.config, "RATE_LIMIT_UPLOADS", "2 per hour")
    statuses = [
        client.post(
            "/api/v2/uploads",
            data={"file": (io.BytesIO(image_bytes()), "a.png")},
            headers=auth,
            content_type="multipart/form-data",
        ).status_code
        for _ in range(3)
    ]
    assert statuses[-1] == 429


def test_an_upload_whose_request_fails_leaves_no_file_or_row(app):
    from sqlalchemy import select

    from fantasize.customization.models import CustomerUpload
    from fantasize.customization.uploads import store_upload
    from fantasize.extensions import db
    from fantasize.media.storage import storage

    user = UserFactory()
    db.session.commit()
    with app.test_request_context():
        upload = store_upload(user, image_bytes())
        stored = storage().path(upload.path)
        assert stored.is_file()
        db.session.rollback()  # what the request boundary does when the rest of the request fails
    assert not stored.exists()
    assert db.session.scalars(select(CustomerUpload)).all() == []
