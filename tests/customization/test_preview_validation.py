"""The live preview validates like the cart: it only tolerates what is not chosen yet."""

import pytest

from tests.accounts.helpers import api_login, bearer
from tests.factories import UserFactory


@pytest.fixture
def auth(client):
    return bearer(api_login(client, UserFactory().email)["access_token"])


def _preview(client, mug, customization, headers=None):
    body = {"product_id": mug["product"].id, "customization": customization}
    return client.post("/api/v2/customizations/preview", json=body, headers=headers or {})


def _cart(client, mug, customization, auth):
    body = {"product_id": mug["product"].id, "quantity": 1, "customization": customization}
    return client.post("/api/v2/cart/items", json=body, headers=auth)


INVALID = {
    "a colour that is not offered": lambda m: {str(m["colour"].id): "purple"},
    "an engraving that is too long": lambda m: {str(m["colour"].id): "white", str(m["engraving"].id): "x" * 13},
    "characters that cannot be engraved": lambda m: {str(m["colour"].id): "white", str(m["engraving"].id): "<3 you"},
    "an option the item does not have": lambda m: {str(m["colour"].id): "white", "123456": "x"},
    "a picture that was never uploaded": lambda m: {str(m["colour"].id): "white", str(m["photo"].id): "no-such"},
}


@pytest.mark.parametrize("case", INVALID, ids=list(INVALID))
def test_the_preview_refuses_what_the_cart_refuses_with_the_same_field_errors(client, mug, auth, case):
    customization = INVALID[case](mug)
    preview = _preview(client, mug, customization, auth)
    cart = _cart(client, mug, customization, auth)
    assert cart.status_code == 422
    assert preview.status_code == 422, preview.data[:200]
    assert preview.get_json()["error"]["details"] == cart.get_json()["error"]["details"]
    assert all(key.startswith("customization.") for key in preview.get_json()["error"]["details"])


def test_the_preview_tolerates_only_what_is_not_chosen_yet(client, mug, auth):
    engraving = str(mug["engraving"].id)
    for not_chosen_yet in ({}, {engraving: ""}, {engraving: "   "}):
        response = _preview(client, mug, not_chosen_yet, auth)
        assert response.status_code == 200
        assert response.mimetype == "image/png"
    # The cart still wants the required colour.
    colour = str(mug["colour"].id)
    assert list(_cart(client, mug, {engraving: "Ada"}, auth).get_json()["error"]["details"]) == [
        f"customization.{colour}"
    ]


def test_the_page_preview_shows_the_cart_error_instead_of_a_picture(client, mug):
    slug, colour = mug["product"].slug, mug["colour"].id
    fragment = client.get(f"/products/{slug}/preview?c.{colour}=purple", headers={"HX-Request": "true"})
    assert fragment.status_code == 422
    html = fragment.get_data(as_text=True)
    assert html.lstrip().startswith('<figure id="preview-box"')
    assert "Colour: Choose one of: white, black." in html
    assert "<img" not in html
    assert client.get(f"/preview/product/{mug['product'].id}.png?c.{colour}=purple").status_code == 422
    page = client.get(f"/products/{slug}?c.{colour}=purple").get_data(as_text=True)
    assert "Colour: Choose one of: white, black." in page


def test_the_page_preview_still_draws_a_half_finished_choice(client, mug):
    slug, engraving = mug["product"].slug, mug["engraving"].id
    fragment = client.get(f"/products/{slug}/preview?c.{engraving}=Lo", headers={"HX-Request": "true"})
    assert fragment.status_code == 200
    src = fragment.get_data(as_text=True).split('src="')[1].split('"')[0].replace("&amp;", "&")
    assert client.get(src).status_code == 200
