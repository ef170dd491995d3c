"""Validating a shopper's choices when adding to the cart, over the API and the HTML form."""

import io
import re
from html import unescape

import pytest

from fantasize.customization import services
from fantasize.extensions import db
from tests.accounts.helpers import api_login, bearer
from tests.factories import UserFactory
from tests.support.gifts import image_bytes


@pytest.fixture
def shopper(client):
    user = UserFactory()
    return user, bearer(api_login(client, user.email)["access_token"])


def _add(client, auth, mug, customization, quantity=1):
    body = {"product_id": mug["product"].id, "quantity": quantity, "customization": customization}
    return client.post("/api/v2/cart/items", json=body, headers=auth)


def test_options_are_listed_with_preset_options_after_the_items_own(client, mug):
    data = client.get(f"/api/v2/products/{mug['product'].id}/customizations").get_json()["data"]
    assert [(o["name"], o["type"]) for o in data] == [("Colour", "button"), ("Photo", "image"), ("Engraving", "text")]
    colour = data[0]
    assert colour["required"] is True
    assert [c["value"] for c in colour["choices"]] == ["white", "black"]
    assert data[2]["max_length"] == 12


def test_a_valid_selection_is_priced_with_its_deltas(client, mug, shopper):
    _, auth = shopper
    ids = {name: str(mug[name].id) for name in ("colour", "engraving")}
    response = _add(client, auth, mug, {ids["colour"]: "black", ids["engraving"]: "For Ada"}, quantity=2)
    assert response.status_code == 201, response.get_json()
    line = response.get_json()["data"]["items"][0]
    assert line["unit_price"] == "22.00"  # 15 + 2 (black) + 5 (engraving)
    assert line["line_total"] == "44.00"
    assert {o["name"]: o["display"] for o in line["options"]} == {"Colour": "Black", "Engraving": "For Ada"}
    assert response.get_json()["data"]["total"] == "44.00"


@pytest.mark.parametrize(
    ("make_selection", "field", "message"),
    [
        (lambda m: {}, "colour", "required"),
        (lambda m: {str(m["colour"].id): "purple"}, "colour", "Choose one of"),
        (lambda m: {str(m["colour"].id): "white", str(m["engraving"].id): "x" * 13}, "engraving", "Too long"),
        (lambda m: {str(m["colour"].id): "white", str(m["engraving"].id): "Hi 😀 <b>"}, "engraving", "can't be used"),
        (lambda m: {str(m["colour"].id): "white", "99999": "surprise"}, None, "does not exist"),
        (
            lambda m: {str(m["colour"].id): "white", str(m["photo"].id): "not-a-token"},
            "photo",
            "Upload the picture first",
        ),
    ],
    ids=[
        "missing-required",
        "not-a-choice",
        "text-too-long",
        "forbidden-characters",
        "unknown-option",
        "bad-upload-token",
    ],
)
def test_each_invalid_selection_is_a_field_error_over_the_api(client, mug, shopper, make_selection, field, message):
    _, auth = shopper
    response = _add(client, auth, mug, make_selection(mug))
    assert response.status_code == 422
    details = response.get_json()["error"]["details"]
    key = f"customization.{mug[field].id}" if field else "customization.99999"
    assert key in details, details
    assert message in " ".join(details[key])
    assert client.get("/api/v2/cart", headers=auth).get_json()["data"]["items"] == []


def test_an_upload_of_the_wrong_size_is_refused_for_an_image_option(client, mug, shopper):
    _, auth = shopper
    small = client.post(
        "/api/v2/uploads",
        data={"file": (io.BytesIO(image_bytes((100, 80))), "a.png")},
        headers=auth,
        content_type="multipart/form-data",
    ).get_json()["data"]
    response = _add(client, auth, mug, {str(mug["colour"].id): "white", str(mug["photo"].id): small["token"]})
    assert response.status_code == 422
    assert "too small" in " ".join(response.get_json()["error"]["details"][f"customization.{mug['photo'].id}"])


def test_a_valid_upload_makes_the_line_special(client, mug, shopper):
    _, auth = shopper
    upload = client.post(
        "/api/v2/uploads",
        data={"file": (io.BytesIO(image_bytes()), "me.png")},
        headers=auth,
        content_type="multipart/form-data",
    )
    assert upload.status_code == 201
    token = upload.get_json()["data"]["token"]
    response = _add(client, auth, mug, {str(mug["colour"].id): "white", str(mug["photo"].id): token})
    assert response.status_code == 201
    assert response.get_json()["data"]["items"][0]["special"] is True


def test_someone_elses_upload_token_cannot_be_used(client, mug, shopper):
    other_auth = bearer(api_login(client, UserFactory().email)["access_token"])
    token = client.post(
        "/api/v2/uploads",
        data={"file": (io.BytesIO(image_bytes()), "x.png")},
        headers=other_auth,
        content_type="multipart/form-data",
    ).get_json()["data"]["token"]
    _, auth = shopper
    response = _add(client, auth, mug, {str(mug["colour"].id): "white", str(mug["photo"].id): token})
    assert response.status_code == 422


def test_editing_a_preset_changes_every_item_that_uses_it(client, mug):
    services.update_option(mug["engraving"], {"max_length": 30})
    db.session.commit()
    data = client.get(f"/api/v2/products/{mug['product'].id}/customizations").get_json()["data"]
    assert next(o for o in data if o["name"] == "Engraving")["max_length"] == 30


def test_staff_option_definitions_are_validated(client):
    from tests.factories import ProductFactory

    staff = bearer(api_login(client, UserFactory(role="manager").email)["access_token"])
    product = ProductFactory()
    response = client.post(
        f"/api/v2/products/{product.id}/customizations",
        json={"name": "Colour", "type": "button", "choices": [{"value": "red", "swatch": "red"}, {"value": "red"}]},
        headers=staff,
    )
    assert response.status_code == 422
    details = response.get_json()["error"]["details"]
    assert "choices.0.swatch" in details
    assert "choices.1.value" in details
    customer = bearer(api_login(client, UserFactory().email)["access_token"])
    assert (
        client.post(
            f"/api/v2/products/{product.id}/customizations", json={"name": "X", "type": "text"}, headers=customer
        ).status_code
        == 403
    )


def test_the_html_form_shows_option_errors_next_to_the_options(client, mug, login):
    login(UserFactory())
    engraving = mug["engraving"].id
    response = client.post(
        "/cart/add",
        data={"kind": "product", "item_id": mug["product"].id, "quantity": "1", f"c.{engraving}": "x" * 20},
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "“Colour” is required." in html
    assert "Too long" in html
    assert f'id="help-{engraving}" class="field-error"' in html
    assert 'value="' + "x" * 20 + '"' in html  # what the shopper typed is kept


def test_editing_a_preset_does_not_change_an_existing_orders_snapshot(client, mug, shopper):
    _, auth = shopper
    colour, engraving = str(mug["colour"].id), str(mug["engraving"].id)
    _add(client, auth, mug, {colour: "black", engraving: "For Ada"})
    address = {"full_name": "Ada", "line1": "1 Lane", "city": "London", "postal_code": "N1", "country": "GB"}
    order = client.post(
        "/api/v2/checkout", json={"address": address, "payment_method": "cod"}, headers=auth
    ).get_json()["data"]

    services.update_option(mug["engraving"], {"name": "Laser engraving", "price_delta": "9.00"})
    db.session.commit()

    again = client.get(f"/api/v2/orders/{order['id']}", headers=auth).get_json()["data"]
    snapshot = {choice["name"]: choice for choice in again["items"][0]["customization"]}
    assert snapshot["Engraving"]["display"] == "For Ada"
    assert snapshot["Engraving"]["price_delta"] == "5.00"
    assert again["items"][0]["unit_price"] == "22.00"
    assert again["total"] == "22.00"


@pytest.mark.parametrize(
    ("make_fields", "field", "message"),
    [
        (lambda m: {}, "colour", "required"),
        (lambda m: {f"c.{m['colour'].id}": "purple"}, "colour", "Choose one of"),
        (lambda m: {f"c.{m['colour'].id}": "white", f"c.{m['engraving'].id}": "x" * 13}, "engraving", "Too long"),
        (lambda m: {f"c.{m['colour'].id}": "white", f"c.{m['engraving'].id}": "Hi 😀"}, "engraving", "can't be used"),
        (
            lambda m: {f"c.{m['colour'].id}": "white", f"c.{m['photo'].id}": "not-a-token"},
            "photo",
            "Upload the picture first",
        ),
    ],
    ids=["missing-required", "not-a-choice", "text-too-long", "forbidden-characters", "bad-upload-token"],
)
def test_each_invalid_selection_is_a_field_error_on_the_page(client, mug, login, make_fields, field, message):
    login(UserFactory())
    form = {"kind": "product", "item_id": mug["product"].id, "quantity": "1", **make_fields(mug)}
    response = client.post("/cart/add", data=form)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    tag = re.search(rf'<small[^>]*id="help-{mug[field].id}"[^>]*>(.*?)</small>', html, re.S)
    assert tag is not None
    assert "field-error" in tag.group(0)
    assert message in unescape(tag.group(1))


def test_an_oversized_or_tiny_picture_uploaded_from_the_page_is_a_field_error(client, mug, login):
    login(UserFactory())
    form = {
        "kind": "product",
        "item_id": str(mug["product"].id),
        "quantity": "1",
        f"c.{mug['colour'].id}": "white",
        f"c.{mug['photo'].id}": (io.BytesIO(image_bytes((120, 90))), "tiny.png"),
    }
    response = client.post("/cart/add", data=form, content_type="multipart/form-data")
    assert response.status_code == 422
    assert "too small" in response.get_data(as_text=True)
