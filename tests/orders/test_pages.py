"""Checkout, "my orders" and staff order pages (HTML, no JavaScript needed)."""

import io
import re

import pytest
from PIL import Image
from sqlalchemy import func, select

from fantasize.catalog.models import Product
from fantasize.extensions import db
from fantasize.orders import views as order_views
from fantasize.orders.models import CartItem, Order
from tests.factories import DEFAULT_PASSWORD, ProductFactory, UserFactory
from tests.orders.conftest import ADDRESS

NEW_ADDRESS = {f"address-{name}": value for name, value in ADDRESS.items()}


@pytest.fixture
def buyer():
    return UserFactory(username="Ada Buyer")


@pytest.fixture
def manager():
    return UserFactory(role="manager", username="Sam Staff")


@pytest.fixture
def mug():
    return ProductFactory(name="Mug", price="10.00", stock=10)


def _fill(client, product, quantity=1):
    response = client.post("/cart/add", data={"kind": "product", "item_id": product.id, "quantity": str(quantity)})
    assert response.status_code == 303


def _token(client) -> str:
    response = client.get("/checkout")
    assert response.status_code == 200
    return re.search(r'name="checkout_token" type="hidden" value="([^"]+)"', response.get_data(as_text=True)).group(1)


def _checkout(client, **fields):
    data = {"checkout_token": _token(client), "address_choice": "new", **NEW_ADDRESS, "payment_method": "cod"}
    data.update(fields)
    return client.post("/checkout", data={k: v for k, v in data.items() if v is not None})


def _orders() -> list[Order]:
    db.session.expire_all()
    return list(db.session.scalars(select(Order)))


def _stock(product) -> int:
    db.session.expire_all()
    return db.session.get(Product, product.id).stock


def _place(client, login, user, product, **fields) -> Order:
    login(user)
    _fill(client, product)
    response = _checkout(client, **fields)
    assert response.status_code == 303, response.get_data(as_text=True)
    return _orders()[-1]


# --- checkout ---------------------------------------------------------------------------------


def test_the_checkout_page_places_an_order(client, login, buyer, mug):
    login(buyer)
    _fill(client, mug, quantity=2)
    page = client.get("/checkout").get_data(as_text=True)
    assert "Mug" in page
    assert "€20.00" in page
    assert "Place order" in page
    assert "Visa ending 4242" in page
    assert 'name="card_number"' not in page
    response = _checkout(client)
    assert response.status_code == 303
    [order] = _orders()
    assert response.headers["Location"].endswith(f"/orders/{order.id}")
    assert (order.status, order.total, order.payment_method) == ("placed", 20, "cod")
    assert order.shipping_address["city"] == "London"
    assert _stock(mug) == 8
    assert db.session.scalar(select(func.count(CartItem.id))) == 0
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert f"Your order {order.number} is placed" in html


def test_a_guest_is_sent_to_sign_in_and_finds_the_cart_after(client, mug, buyer):
    _fill(client, mug)
    response = client.get("/checkout")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]
    assert "next=%2Fcheckout" in response.headers["Location"] or "next=/checkout" in response.headers["Location"]
    client.post("/login", data={"email": buyer.email, "password": DEFAULT_PASSWORD, "next": "/checkout"})
    assert "Mug" in client.get("/checkout").get_data(as_text=True)


def test_a_double_post_with_the_same_token_places_one_order(client, login, buyer, mug):
    login(buyer)
    _fill(client, mug)
    data = {"checkout_token": _token(client), "address_choice": "new", **NEW_ADDRESS, "payment_method": "cod"}
    first = client.post("/checkout", data=data)
    second = client.post("/checkout", data=data)
    assert first.status_code == second.status_code == 303
    assert first.headers["Location"] == second.headers["Location"]
    assert len(_orders()) == 1
    assert _stock(mug) == 9
    assert "was already placed" in client.get(second.headers["Location"]).get_data(as_text=True)


def test_missing_address_fields_are_shown_next_to_them(client, login, buyer, mug):
    login(buyer)
    _fill(client, mug)
    response = _checkout(client, **{"address-city": "", "address-postal_code": ""})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'id="address-city-help" class="field-error"' in html
    assert 'id="address-postal_code-help" class="field-error"' in html
    assert 'value="Ada Lovelace"' in html  # what was typed is kept
    assert _orders() == []
    assert _stock(mug) == 10


def test_a_saved_address_can_be_chosen(client, login, buyer, mug):
    from fantasize.accounts.models import Address

    saved = Address(
        user_id=buyer.id, full_name="Ada at home", line1="1 Road", city="Bath", postal_code="BA1", country="GB"
    )
    db.session.add(saved)
    db.session.commit()
    login(buyer)
    _fill(client, mug)
    page = client.get("/checkout").get_data(as_text=True)
    assert "Ada at home" in page
    response = _checkout(client, address_choice=str(saved.id), **{f"address-{k}": "" for k in ADDRESS})
    assert response.status_code == 303
    assert _orders()[0].shipping_address["city"] == "Bath"


def test_out_of_stock_shows_the_lines_and_creates_nothing(client, login, buyer, mug):
    login(buyer)
    _fill(client, mug, quantity=6)
    mug.stock = 3
    db.session.commit()
    response = _checkout(client)
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert "no longer available" in html
    assert "Mug: you asked for 6, only 3 left." in html
    assert _orders() == []
    assert _stock(mug) == 3
    assert db.session.scalar(select(func.count(CartItem.id))) == 1  # the cart is kept to fix


def test_a_gift_by_card_is_shown_on_the_order_page(client, login, buyer, mug):
    login(buyer)
    _fill(client, mug)
    response = _checkout(
        client,
        payment_method="card",
        payment_token="tok_visa",
        anonymous="y",
        **{
            "gift-is_gift": "y",
            "gift-message": "Happy birthday, Grace!",
            "gift-recipient_name": "Grace Hopper",
            "gift-wrap": "y",
        },
    )
    assert response.status_code == 303
    [order] = _orders()
    assert (order.is_gift, order.anonymous, order.gift_wrap, str(order.total)) == (True, True, True, "13.50")
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Visa ending 4242" in html
    assert "Happy birthday, Grace!" in html
    assert "€13.50" in html


def test_a_gift_to_another_address_needs_the_recipients_address(client, login, buyer, mug):
    login(buyer)
    _fill(client, mug)
    response = _checkout(client, **{"gift-is_gift": "y", "gift-recipient_name": "Grace", "gift-ship_to_recipient": "y"})
    assert response.status_code == 422
    assert 'id="gift-recipient_address-city-help" class="field-error"' in response.get_data(as_text=True)
    assert _orders() == []


def test_a_declined_card_is_a_402_with_the_reason(client, login, buyer, mug):
    login(buyer)
    _fill(client, mug)
    response = _checkout(client, payment_method="card", payment_token="tok_declined")
    assert response.status_code == 402
    assert "The card was declined." in response.get_data(as_text=True)
    assert _orders() == []
    assert _stock(mug) == 10


def test_an_empty_cart_goes_back_to_the_cart(client, login, buyer):
    login(buyer)
    response = client.get("/checkout")
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/cart")


# --- the shopper's orders -------------------------------------------------------------------


def test_the_order_page_shows_the_timeline_and_cancel_gives_the_stock_back(client, login, buyer, mug):
    order = _place(client, login, buyer, mug)
    assert _stock(mug) == 9
    html = client.get(f"/orders/{order.id}").get_data(as_text=True)
    assert 'class="timeline"' in html
    assert "Order placed" in html
    assert "Cancel order" in html
    assert f'action="/orders/{order.id}/cancel"' in html
    response = client.post(f"/orders/{order.id}/cancel", data={"note": "Bought it elsewhere"})
    assert response.status_code == 303
    html = client.get(f"/orders/{order.id}").get_data(as_text=True)
    assert "Canceled" in html
    assert "Bought it elsewhere" in html
    assert "Cancel order" not in html
    assert _orders()[0].status == "canceled"
    assert _stock(mug) == 10
    again = client.post(f"/orders/{order.id}/cancel", follow_redirects=True)
    assert "cannot become canceled" in again.get_data(as_text=True)
    assert _stock(mug) == 10


def test_someone_elses_order_is_not_found(client, login, buyer, mug):
    order = _place(client, login, buyer, mug)
    login(UserFactory())
    assert client.get(f"/orders/{order.id}").status_code == 404
    assert client.post(f"/orders/{order.id}/cancel").status_code == 404
    assert _orders()[0].status == "placed"


def test_my_orders_lists_them_with_a_cursor(client, login, buyer, mug, monkeypatch):
    monkeypatch.setattr(order_views, "PAGE_SIZE", 2)
    numbers = [_place(client, login, buyer, mug).number for _ in range(3)]
    first = client.get("/orders").get_data(as_text=True)
    assert "Placed" in first
    assert "€10.00" in first
    cursor = re.search(r'href="/orders\?cursor=([^"]+)"', first).group(1)
    second = client.get(f"/orders?cursor={cursor}").get_data(as_text=True)
    shown = [n for n in numbers if n in first] + [n for n in numbers if n in second]
    assert sorted(shown) == sorted(numbers)
    assert "Older orders" not in second
    assert client.get("/orders?cursor=forged").status_code == 422


# --- staff --------------------------------------------------------------------------------------


def test_customers_cannot_open_the_staff_order_pages(client, login, buyer, mug):
    order = _place(client, login, buyer, mug)
    for url in ("/admin/orders", f"/admin/orders/{order.id}", f"/admin/orders/{order.id}/packing-slip"):
        assert client.get(url).status_code == 403, url
    assert client.post(f"/admin/orders/{order.id}/status", data={"status": "processing"}).status_code == 403
    assert client.post(f"/admin/orders/{order.id}/review", data={"decision": "approve"}).status_code == 403
    assert _orders()[0].status == "placed"


def test_staff_move_an_order_forward_and_see_it_in_the_history(client, login, buyer, manager, mug):
    order = _place(client, login, buyer, mug)
    login(manager)
    listing = client.get("/admin/orders").get_data(as_text=True)
    assert order.number in listing
    assert buyer.email in listing
    assert order.number not in client.get("/admin/orders?status=shipped").get_data(as_text=True)
    assert order.number in client.get(f"/admin/orders?customer={buyer.email[:6]}").get_data(as_text=True)
    page = client.get(f"/admin/orders/{order.id}").get_data(as_text=True)
    assert buyer.email in page
    assert 'value="processing"' in page
    assert 'value="shipped"' not in page  # only the allowed next steps
    response = client.post(f"/admin/orders/{order.id}/status", data={"status": "processing", "note": "Printing now"})
    assert response.status_code == 303
    html = client.get(f"/admin/orders/{order.id}").get_data(as_text=True)
    assert "Being made" in html
    assert "Printing now" in html
    assert f"by {manager.email}" in html
    assert _orders()[0].status == "processing"
    skipped = client.post(f"/admin/orders/{order.id}/status", data={"status": "completed"}, follow_redirects=True)
    assert "cannot become completed" in skipped.get_data(as_text=True)
    assert _orders()[0].status == "processing"


def test_reject_needs_a_reason(client, login, buyer, manager, mug):
    order = _place(client, login, buyer, mug)
    order.status, order.needs_review = "under_review", True
    db.session.commit()
    login(manager)
    assert order.number in client.get("/admin/orders?status=under_review").get_data(as_text=True)
    response = client.post(f"/admin/orders/{order.id}/review", data={"decision": "reject", "reason": "  "})
    assert response.status_code == 422
    assert "A reason is required." in response.get_data(as_text=True)
    assert _orders()[0].status == "under_review"
    assert _stock(mug) == 9
    response = client.post(f"/admin/orders/{order.id}/review", data={"decision": "reject", "reason": "Blurry photo"})
    assert response.status_code == 303
    assert _orders()[0].status == "rejected"
    assert _stock(mug) == 10
    login(buyer)
    assert "Blurry photo" in client.get(f"/orders/{order.id}").get_data(as_text=True)


def test_staff_see_the_uploaded_picture_and_approve(client, login, buyer, manager):
    from fantasize.customization import services

    frame = ProductFactory(name="Frame", price="20.00", stock=5)
    photo = services.create_option(frame, {"name": "Photo", "type": "image", "special": True})
    db.session.commit()
    picture = io.BytesIO()
    Image.new("RGB", (400, 300), (1, 2, 3)).save(picture, format="PNG")
    login(buyer)
    added = client.post(
        "/cart/add",
        data={
            "kind": "product",
            "item_id": frame.id,
            "quantity": "1",
            f"c.{photo.id}": (io.BytesIO(picture.getvalue()), "me.png"),
        },
        content_type="multipart/form-data",
    )
    assert added.status_code == 303
    assert _checkout(client).status_code == 303
    [order] = _orders()
    assert order.status == "under_review"
    token = order.lines[0].customization[0]["value"]
    assert "Being reviewed" in client.get(f"/orders/{order.id}").get_data(as_text=True)
    assert client.get(f"/admin/orders/uploads/{token}").status_code == 403
    login(manager)
    page = client.get(f"/admin/orders/{order.id}").get_data(as_text=True)
    assert f'src="/admin/orders/uploads/{token}"' in page
    assert "Approve" in page
    image = client.get(f"/admin/orders/uploads/{token}")
    assert image.status_code == 200
    assert image.mimetype == "image/png"
    assert client.get("/admin/orders/uploads/not-a-token").status_code == 404
    assert client.post(f"/admin/orders/{order.id}/review", data={"decision": "approve"}).status_code == 303
    assert _orders()[0].status == "placed"


def test_the_packing_slip_hides_prices_and_the_anonymous_buyer(client, login, buyer, manager, mug):
    gift = {"gift-is_gift": "y", "gift-message": "Enjoy!", "gift-hide_prices": "y"}
    hidden = _place(client, login, buyer, mug, anonymous="y", **gift)
    shown = _place(client, login, buyer, mug)
    login(manager)
    slip = client.get(f"/admin/orders/{hidden.id}/packing-slip").get_data(as_text=True)
    assert "Packing slip" in slip
    assert "Ada Lovelace" in slip  # the recipient's address
    assert "Enjoy!" in slip
    assert "€" not in slip
    assert "A friend" in slip
    assert "Ada Buyer" not in slip
    assert buyer.email not in slip
    plain = client.get(f"/admin/orders/{shown.id}/packing-slip").get_data(as_text=True)
    assert "€10.00" in plain
    assert "Ada Buyer" in plain
    assert "A friend" not in plain
