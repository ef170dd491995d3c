"""The permission matrix: anonymous, customer, manager and admin on every protected endpoint."""

import pytest

from fantasize.accounts.models import Address
from fantasize.extensions import db
from tests.accounts.helpers import api_login, bearer
from tests.factories import UserFactory

SIGNED_IN_API = [
    ("GET", "/api/v2/users/me"),
    ("PATCH", "/api/v2/users/me"),
    ("GET", "/api/v2/users/me/addresses"),
    ("POST", "/api/v2/users/me/addresses"),
    ("GET", "/api/v2/users/me/addresses/1"),
    ("PATCH", "/api/v2/users/me/addresses/1"),
    ("DELETE", "/api/v2/users/me/addresses/1"),
    ("POST", "/api/v2/auth/mfa/setup"),
    ("POST", "/api/v2/auth/mfa/verify"),
    ("POST", "/api/v2/auth/mfa/disable"),
]
ADMIN_API = [("GET", "/api/v2/admin/users"), ("PATCH", "/api/v2/admin/users/some-id/role")]
SIGNED_IN_PAGES = ["/account", "/account/security", "/account/addresses/new", "/account/addresses/1/edit", "/admin"]
ADMIN_PAGES = ["/admin/users"]


@pytest.mark.parametrize(("method", "path"), SIGNED_IN_API + ADMIN_API)
def test_anonymous_api_calls_are_401(client, method, path):
    response = client.open(path, method=method, json={})
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "unauthorized"


@pytest.mark.parametrize("path", SIGNED_IN_PAGES + ADMIN_PAGES)
def test_anonymous_pages_redirect_to_sign_in(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")


@pytest.mark.parametrize(("method", "path"), ADMIN_API)
@pytest.mark.parametrize("role", ["customer", "manager"])
def test_non_admins_get_403_on_user_management(client, method, path, role):
    user = UserFactory(role=role)
    token = api_login(client, user.email)["access_token"]
    response = client.open(path, method=method, json={"role": "admin"}, headers=bearer(token))
    assert response.status_code == 403
    assert response.get_json()["error"]["code"] == "forbidden"


@pytest.mark.parametrize("role", ["customer", "manager"])
def test_non_admins_get_403_on_user_management_pages(client, login, role):
    login(UserFactory(role=role))
    assert client.get("/admin/users").status_code == 403


def test_customers_get_403_on_the_dashboard(client, login):
    login(UserFactory())
    assert client.get("/admin").status_code == 403


def test_admin_can_list_users(client):
    admin = UserFactory(role="admin")
    token = api_login(client, admin.email)["access_token"]
    response = client.get("/api/v2/admin/users", headers=bearer(token))
    assert response.status_code == 200
    assert [u["email"] for u in response.get_json()["data"]] == [admin.email]


def _address_of(user) -> Address:
    address = Address(user_id=user.id, full_name="Owner", line1="1 Lane", city="Town", postal_code="1", country="GB")
    db.session.add(address)
    db.session.commit()
    return address


@pytest.mark.parametrize("method", ["GET", "PATCH", "DELETE"])
def test_a_customer_cannot_touch_another_customers_address_over_the_api(client, method):
    owner, intruder = UserFactory(), UserFactory()
    address = _address_of(owner)
    token = api_login(client, intruder.email)["access_token"]
    response = client.open(
        f"/api/v2/users/me/addresses/{address.id}", method=method, json={"city": "X"}, headers=bearer(token)
    )
    assert response.status_code == 404
    db.session.expire_all()
    assert db.session.get(Address, address.id).city == "Town"


def test_a_customer_cannot_open_or_delete_another_customers_address_page(client, login):
    owner, intruder = UserFactory(), UserFactory()
    address = _address_of(owner)
    login(intruder)
    assert client.get(f"/account/addresses/{address.id}/edit").status_code == 404
    assert client.post(f"/account/addresses/{address.id}/delete").status_code == 404
    assert db.session.get(Address, address.id) is not None


def test_the_profile_endpoint_only_ever_shows_the_caller(client):
    first, second = UserFactory(), UserFactory()
    token = api_login(client, second.email)["access_token"]
    me = client.get("/api/v2/users/me", headers=bearer(token)).get_json()["data"]
    assert me["id"] == second.id != first.id


def test_nobody_raises_their_own_role(client):
    manager = UserFactory(role="manager")
    admin = UserFactory(role="admin")
    token = api_login(client, admin.email)["access_token"]
    own = client.patch(f"/api/v2/admin/users/{admin.id}/role", json={"role": "customer"}, headers=bearer(token))
    assert own.status_code == 403
    other = client.patch(f"/api/v2/admin/users/{manager.id}/role", json={"role": "admin"}, headers=bearer(token))
    assert other.status_code == 200
    assert other.get_json()["data"]["role"] == "admin"


def test_profile_fields_a_user_may_not_set_are_refused(client):
    user = UserFactory()
    token = api_login(client, user.email)["access_token"]
    response = client.patch("/api/v2/users/me", json={"role": "admin"}, headers=bearer(token))
    assert response.status_code == 422
    db.session.expire_all()
    assert db.session.get(type(user), user.id).role == "customer"
