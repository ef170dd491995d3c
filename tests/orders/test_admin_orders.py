"""Staff order lists: ``GET /api/v2/admin/orders`` and ``/admin/orders`` with their filters, and the packing slip's sender."""

from datetime import UTC, datetime

import pytest

from fantasize.extensions import db
from fantasize.orders.models import Order
from tests.accounts.helpers import api_login, bearer
from tests.factories import UserFactory
from tests.orders.conftest import add, checkout


def _buy(client, user, product, *, placed: datetime, customized: bool = False, status: str | None = None) -> Order:
    auth = bearer(api_login(client, user.email)["access_token"])
    add(client, auth, product=product)
    response = checkout(client, auth)
    assert response.status_code == 201, response.get_json()
    order = db.session.get(Order, response.get_json()["data"]["id"])
    order.created_at = placed
    order.customized = customized
    if status:
        order.status = status
    db.session.commit()
    return order


@pytest.fixture
def orders(client, shelf):
    """Three orders by two customers on three days; one personalised, one shipped."""
    ada = UserFactory(email="ada.lovelace@example.com")
    bob = UserFactory(email="bob@example.org")
    return {
        "old": _buy(client, ada, shelf["mug"], placed=datetime(2024, 3, 1, 9, tzinfo=UTC)),
        "mid": _buy(client, bob, shelf["candle"], placed=datetime(2024, 3, 5, 23, tzinfo=UTC), customized=True),
        "new": _buy(client, ada, shelf["mug"], placed=datetime(2024, 3, 9, 12, tzinfo=UTC), status="shipped"),
    }


def _numbers(client, auth, query: str = "") -> list[str]:
    response = client.get(f"/api/v2/admin/orders{query}", headers=auth)
    assert response.status_code == 200, response.get_json()
    return [order["number"] for order in response.get_json()["data"]]


def test_staff_list_every_order_newest_first_a_page_at_a_time(client, staff, orders):
    _, auth = staff
    assert _numbers(client, auth) == [orders[name].number for name in ("new", "mid", "old")]
    first = client.get("/api/v2/admin/orders?limit=2", headers=auth).get_json()
    assert [o["number"] for o in first["data"]] == [orders["new"].number, orders["mid"].number]
    cursor = first["meta"]["pagination"]["next_cursor"]
    assert _numbers(client, auth, f"?limit=2&cursor={cursor}") == [orders["old"].number]


def test_the_staff_api_filters_by_status_customer_dates_and_personalisation(client, staff, orders):
    _, auth = staff
    assert _numbers(client, auth, "?status=shipped") == [orders["new"].number]
    assert _numbers(client, auth, "?customer=ADA.LOVE") == [orders["new"].number, orders["old"].number]
    assert _numbers(client, auth, "?date_from=2024-03-02T00:00:00Z&date_to=2024-03-09T00:00:00Z") == [
        orders["mid"].number
    ]
    assert _numbers(client, auth, "?has_customization=true") == [orders["mid"].number]
    assert _numbers(client, auth, "?has_customization=false") == [orders["new"].number, orders["old"].number]
    assert _numbers(client, auth, "?customer=ada&status=placed") == [orders["old"].number]


def test_shoppers_cannot_list_everyones_orders(client, shopper, orders):
    _, auth = shopper
    assert client.get("/api/v2/admin/orders", headers=auth).status_code == 403


def test_the_staff_page_filters_too_and_the_until_date_includes_that_day(client, login, orders):
    login(UserFactory(role="manager"))

    def shown(query: str) -> set[str]:
        page = client.get(f"/admin/orders?{query}").get_data(as_text=True)
        return {name for name, order in orders.items() if order.number in page}

    assert shown("") == {"old", "mid", "new"}
    assert shown("status=shipped") == {"new"}
    assert shown("customer=bob@") == {"mid"}
    assert shown("date_from=2024-03-05&date_to=2024-03-05") == {"mid"}
    assert shown("customized=yes") == {"mid"}
    assert shown("customized=no") == {"old", "new"}


def test_the_packing_slip_never_shows_the_buyers_e_mail_as_the_sender(client, login, shelf):
    buyer = UserFactory(email="secret.handle@example.com", username=None)
    order = _buy(client, buyer, shelf["mug"], placed=datetime(2024, 3, 1, tzinfo=UTC))
    login(UserFactory(role="manager"))
    slip = client.get(f"/admin/orders/{order.id}/packing-slip").get_data(as_text=True)
    assert "secret.handle" not in slip
    assert buyer.public_name in slip
