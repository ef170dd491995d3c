"""Checkout: totals from the server, stock taken once, gifts, anonymous orders, payments."""

from decimal import Decimal

from sqlalchemy import func, select

from fantasize.catalog.models import Package, Product
from fantasize.events import subscribe, unsubscribe
from fantasize.extensions import db
from fantasize.orders.models import CartItem, Order
from tests.factories import OfferFactory
from tests.orders.conftest import ADDRESS, add, checkout


def _stock(model, item_id) -> int:
    db.session.expire_all()
    return db.session.get(model, item_id).stock


def test_a_checkout_creates_the_order_and_takes_the_stock(client, shopper, shelf):
    _, auth = shopper
    add(client, auth, product=shelf["mug"], quantity=2)
    add(client, auth, package=shelf["box"], quantity=1)
    response = checkout(client, auth)
    assert response.status_code == 201, response.get_json()
    order = response.get_json()["data"]
    assert order["status"] == "placed"
    assert order["number"].startswith("FZ-")
    assert order["total"] == "45.00"  # 2 × 10 + 25
    assert [(i["name"], i["quantity"]) for i in order["items"]] == [("Mug", 2), ("Cosy Box", 1)]
    assert [(e["from"], e["to"]) for e in order["history"]] == [(None, "placed")]
    # The box holds a mug and two candles: they are taken from their products' stock too.
    assert _stock(Product, shelf["mug"].id) == 10 - 2 - 1
    assert _stock(Product, shelf["candle"].id) == 10 - 2
    assert _stock(Package, shelf["box"].id) == 9
    assert db.session.scalar(select(func.count(CartItem.id))) == 0


def test_the_total_comes_from_the_server_with_current_offers(client, shopper, shelf):
    _, auth = shopper
    add(client, auth, product=shelf["mug"], quantity=1)
    OfferFactory(percent=Decimal("50"), products=[shelf["mug"]])
    response = checkout(client, auth, total="0.01")  # a client-sent total is refused, not used
    assert response.status_code == 422
    order = checkout(client, auth).get_json()["data"]
    assert order["total"] == "5.00"


def test_an_empty_cart_is_a_422(client, shopper):
    _, auth = shopper
    response = checkout(client, auth)
    assert response.status_code == 422
    assert response.get_json()["error"]["code"] == "cart_empty"


def test_not_enough_stock_is_a_409_naming_the_lines_and_nothing_changes(client, shopper, shelf):
    _, auth = shopper
    add(client, auth, product=shelf["mug"], quantity=6)
    add(client, auth, package=shelf["box"], quantity=5)  # 5 more mugs: 11 in all, 10 in stock
    response = checkout(client, auth)
    assert response.status_code == 409
    error = response.get_json()["error"]
    assert error["code"] == "out_of_stock"
    assert error["details"]["lines"] == [
        {"kind": "product", "product_id": shelf["mug"].id, "name": "Mug", "requested": 11, "available": 10}
    ]
    assert _stock(Product, shelf["mug"].id) == 10
    assert _stock(Package, shelf["box"].id) == 10
    assert db.session.scalar(select(func.count(Order.id))) == 0
    assert db.session.scalar(select(func.count(CartItem.id))) == 2  # the cart is kept to fix


def test_a_gift_goes_to_the_recipient_with_wrap_and_hidden_prices(client, shopper, shelf):
    _, auth = shopper
    add(client, auth, product=shelf["mug"])
    gift = {
        "message": "Happy birthday, Grace!",
        "recipient_name": "Grace Hopper",
        "recipient_address": {**ADDRESS, "full_name": "Grace Hopper", "city": "Arlington", "country": "US"},
        "hide_prices": True,
        "wrap": True,
    }
    order = checkout(client, auth, gift=gift, anonymous=True).get_json()["data"]
    assert order["shipping_address"]["full_name"] == "Grace Hopper"
    assert order["gift"] == {
        "message": "Happy birthday, Grace!",
        "recipient_name": "Grace Hopper",
        "recipient_email": None,
        "hide_prices": True,
        "wrap": True,
    }
    assert order["anonymous"] is True
    assert order["wrap_fee"] == "3.50"
    assert order["total"] == "13.50"


def test_a_saved_address_of_someone_else_cannot_be_used(client, shopper, shelf):
    from fantasize.accounts.models import Address
    from tests.factories import UserFactory

    other = UserFactory()
    foreign = Address(user_id=other.id, full_name="X", line1="1", city="Y", postal_code="1", country="GB")
    db.session.add(foreign)
    db.session.commit()
    _, auth = shopper
    add(client, auth, product=shelf["mug"])
    response = client.post("/api/v2/checkout", json={"address_id": foreign.id, "payment_method": "cod"}, headers=auth)
    assert response.status_code == 404


def test_card_payments_keep_only_the_gateway_reference_brand_and_last_four(client, shopper, shelf):
    _, auth = shopper
    add(client, auth, product=shelf["mug"])
    order = checkout(client, auth, payment_method="card", payment_token="tok_visa").get_json()["data"]
    assert (order["payment_method"], order["card_brand"], order["card_last4"]) == ("card", "visa", "4242")
    stored = db.session.get(Order, order["id"])
    assert stored.payment_reference.startswith("test_")


def test_a_declined_card_leaves_everything_as_it_was(client, shopper, shelf):
    _, auth = shopper
    add(client, auth, product=shelf["mug"], quantity=3)
    response = checkout(client, auth, payment_method="card", payment_token="tok_declined")
    assert response.status_code == 402
    assert response.get_json()["error"]["code"] == "payment_declined"
    assert _stock(Product, shelf["mug"].id) == 10
    assert db.session.scalar(select(func.count(Order.id))) == 0


def test_card_numbers_are_refused_outright(client, shopper, shelf):
    _, auth = shopper
    add(client, auth, product=shelf["mug"])
    response = checkout(client, auth, payment_method="card", card_number="4242424242424242", cvv="123")
    assert response.status_code == 422
    assert "4242424242424242" not in response.get_data(as_text=True)


def test_an_order_with_a_special_customization_starts_under_review(client, shopper):
    import io

    from PIL import Image

    from fantasize.customization import services
    from tests.factories import ProductFactory

    frame = ProductFactory(name="Frame", price="20.00", stock=5)
    photo = services.create_option(frame, {"name": "Photo", "type": "image", "special": True})
    db.session.commit()
    _, auth = shopper
    picture = io.BytesIO()
    Image.new("RGB", (400, 300), (1, 2, 3)).save(picture, format="PNG")
    token = client.post(
        "/api/v2/uploads",
        data={"file": (io.BytesIO(picture.getvalue()), "p.png")},
        headers=auth,
        content_type="multipart/form-data",
    ).get_json()["data"]["token"]
    add(client, auth, product=frame, customization={str(photo.id): token})
    order = checkout(client, auth).get_json()["data"]
    assert order["status"] == "under_review"
    assert order["needs_review"] is True
    assert order["items"][0]["special"] is True
    assert order["items"][0]["customization"][0]["value"] == token


def test_events_are_published_after_commit_only(client, shopper, shelf):
    _, auth = shopper
    heard = []

    def listener(name, payload):
        order = db.session.get(Order, payload["order_id"])
        heard.append((name, order is not None))  # the order is already committed and visible

    subscribe("order.created", listener)
    try:
        add(client, auth, product=shelf["mug"], quantity=20)  # more than the stock
        assert checkout(client, auth).status_code == 409
        assert heard == []  # a rolled-back checkout announces nothing
        client.patch(
            f"/api/v2/cart/items/{client.get('/api/v2/cart', headers=auth).get_json()['data']['items'][0]['id']}",
            json={"quantity": 1},
            headers=auth,
        )
        assert checkout(client, auth).status_code == 201
        assert heard == [("order.created", True)]
    finally:
        unsubscribe("order.created", listener)


def test_a_price_change_since_the_shopper_looked_is_a_409_and_nothing_is_charged(client, shopper, shelf):
    _, auth = shopper
    add(client, auth, product=shelf["mug"], quantity=2)
    shown = client.get("/api/v2/cart", headers=auth).get_json()["data"]["total"]
    OfferFactory(percent=Decimal("10"), products=[shelf["mug"]])  # an offer starts in between
    response = checkout(client, auth, expected_items_total=shown, payment_method="card", payment_token="tok_visa")
    assert response.status_code == 409
    assert response.get_json()["error"]["code"] == "prices_changed"
    assert _stock(Product, shelf["mug"].id) == 10
    again = checkout(client, auth, expected_items_total="18.00", payment_method="card", payment_token="tok_visa")
    assert again.status_code == 201
