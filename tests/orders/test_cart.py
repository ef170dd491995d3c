"""The cart: identical lines add up, the page updates over htmx, stock warnings, guest carts."""

from fantasize.extensions import cache, db
from tests.accounts.helpers import api_login, bearer
from tests.factories import DEFAULT_PASSWORD, UserFactory


def _signed_in(client) -> dict:
    return bearer(api_login(client, UserFactory().email)["access_token"])


def _add(client, auth, mug, customization, quantity=1):
    body = {"product_id": mug["product"].id, "quantity": quantity, "customization": customization}
    return client.post("/api/v2/cart/items", json=body, headers=auth)


def test_identical_lines_add_up_and_different_engravings_stay_apart(client, mug):
    auth = _signed_in(client)
    colour, engraving = str(mug["colour"].id), str(mug["engraving"].id)
    _add(client, auth, mug, {colour: "white", engraving: "Ada"})
    _add(client, auth, mug, {colour: "white", engraving: "Ada"})
    cart = _add(client, auth, mug, {colour: "white", engraving: "Grace"}).get_json()["data"]
    assert [(line["quantity"], line["customization"][engraving]) for line in cart["items"]] == [
        (2, "Ada"),
        (1, "Grace"),
    ]


def test_the_html_form_adds_a_customized_line_to_a_guest_cart(client, mug):
    colour, engraving = mug["colour"].id, mug["engraving"].id
    response = client.post(
        "/cart/add",
        data={
            "kind": "product",
            "item_id": mug["product"].id,
            "quantity": "1",
            f"c.{colour}": "black",
            f"c.{engraving}": "Hi Mum",
        },
    )
    assert response.status_code == 303
    html = client.get("/cart").get_data(as_text=True)
    assert "Custom Mug" in html
    assert "Hi Mum" in html
    assert "€22.00" in html


def test_a_guest_cart_joins_the_account_on_sign_in(client, mug):
    colour = mug["colour"].id
    client.post(
        "/cart/add", data={"kind": "product", "item_id": mug["product"].id, "quantity": "2", f"c.{colour}": "white"}
    )
    user = UserFactory()
    client.post("/login", data={"email": user.email, "password": DEFAULT_PASSWORD})
    auth = bearer(api_login(client, user.email)["access_token"])
    cart = client.get("/api/v2/cart", headers=auth).get_json()["data"]
    assert [(line["name"], line["quantity"]) for line in cart["items"]] == [("Custom Mug", 2)]


def test_the_cart_page_updates_quantities_over_htmx(client, mug):
    colour = mug["colour"].id
    client.post(
        "/cart/add", data={"kind": "product", "item_id": mug["product"].id, "quantity": "1", f"c.{colour}": "white"}
    )
    page = client.get("/cart").get_data(as_text=True)
    line_id = page.split('action="/cart/lines/')[1].split('"')[0]
    fragment = client.post(f"/cart/lines/{line_id}", data={"quantity": "3"}, headers={"HX-Request": "true"})
    html = fragment.get_data(as_text=True)
    assert html.lstrip().startswith('<div id="cart"')
    assert "€45.00" in html
    removed = client.post(f"/cart/lines/{line_id}", data={"remove": "1"}, headers={"HX-Request": "true"})
    assert "Your cart is empty" in removed.get_data(as_text=True)


def test_the_cart_warns_when_stock_is_below_the_quantity(client, mug):
    colour = mug["colour"].id
    client.post(
        "/cart/add", data={"kind": "product", "item_id": mug["product"].id, "quantity": "5", f"c.{colour}": "white"}
    )
    mug["product"].stock = 2
    db.session.commit()
    cache.clear()
    assert "Only 2 left" in client.get("/cart").get_data(as_text=True)
