"""Fixtures for orders: a shopper with an API token, a stocked shelf and a helper to fill the cart."""

import pytest

from tests.accounts.helpers import api_login, bearer
from tests.factories import PackageFactory, ProductFactory, UserFactory

ADDRESS = {
    "full_name": "Ada Lovelace",
    "line1": "12 St James's Square",
    "city": "London",
    "postal_code": "SW1Y 4JH",
    "country": "GB",
}


@pytest.fixture
def shopper(client):
    user = UserFactory()
    return user, bearer(api_login(client, user.email)["access_token"])


@pytest.fixture
def staff(client):
    user = UserFactory(role="manager")
    return user, bearer(api_login(client, user.email)["access_token"])


@pytest.fixture
def shelf():
    mug = ProductFactory(name="Mug", price="10.00", stock=10)
    candle = ProductFactory(name="Candle", price="8.00", stock=10)
    box = PackageFactory(name="Cosy Box", price="25.00", stock=10, items=[(mug, 1), (candle, 2)])
    return {"mug": mug, "candle": candle, "box": box}


def add(client, auth, *, product=None, package=None, quantity=1, customization=None):
    body = {"quantity": quantity, "customization": customization or {}}
    body["product_id" if product else "package_id"] = (product or package).id
    response = client.post("/api/v2/cart/items", json=body, headers=auth)
    assert response.status_code == 201, response.get_json()
    return response.get_json()["data"]


def checkout(client, auth, key=None, **overrides):
    body = {"address": ADDRESS, "payment_method": "cod", **overrides}
    headers = dict(auth)
    if key:
        headers["Idempotency-Key"] = key
    return client.post("/api/v2/checkout", json=body, headers=headers)
