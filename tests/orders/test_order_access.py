"""Who may read or act on an order through the API."""

from fantasize.extensions import db
from tests.accounts.helpers import api_login, bearer, issue_api_key
from tests.factories import UserFactory
from tests.orders.conftest import add, checkout


def test_a_manager_key_scoped_to_the_catalogue_cannot_read_other_peoples_orders(client, shopper, shelf):
    _, auth = shopper
    add(client, auth, product=shelf["mug"])
    order_id = checkout(client, auth).get_json()["data"]["id"]
    manager = UserFactory(role="manager")
    _, key = issue_api_key(manager, "Catalogue sync", ["catalog.write"])
    db.session.commit()
    headers = {"X-API-Key": key}
    assert client.get(f"/api/v2/orders/{order_id}", headers=headers).status_code == 404
    assert client.post(f"/api/v2/orders/{order_id}/cancel", json={}, headers=headers).status_code == 404
    staff = bearer(api_login(client, manager.email)["access_token"])
    assert client.get(f"/api/v2/orders/{order_id}", headers=staff).status_code == 200
