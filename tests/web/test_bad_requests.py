"""Requests that are simply wrong get a clear 400, never a 500."""

import pytest
from sqlalchemy import func, select

from fantasize.extensions import db
from fantasize.orders.models import CartItem
from tests.factories import ProductFactory


@pytest.mark.parametrize("path", ["/", "/products/anything", "/no-such-page", "/api/v2/products", "/health/live"])
def test_an_untrusted_host_header_is_a_bad_request(app, client, monkeypatch, path):
    monkeypatch.setitem(app.config, "TRUSTED_HOSTS", ["shop.example.com"])
    response = client.get(path, headers={"Host": "evil.example"})
    assert response.status_code == 400
    assert "not trusted" in response.get_data(as_text=True)
    assert client.get(path, headers={"Host": "shop.example.com"}).status_code in (200, 404)


def test_adding_an_unknown_kind_of_item_to_the_cart_is_a_bad_request(client):
    product = ProductFactory()
    response = client.post("/cart/add", data={"kind": "foo", "item_id": str(product.id), "quantity": "1"})
    assert response.status_code == 400
    assert "product or a gift box" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(CartItem.id))) == 0
