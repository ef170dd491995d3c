"""``Cache-Control: no-store`` on everything made for one person; public catalogue reads stay cacheable."""

import pytest

from tests.accounts.helpers import api_login, bearer
from tests.factories import DEFAULT_PASSWORD, ProductFactory, UserFactory


def _no_store(response) -> bool:
    return response.cache_control.no_store


@pytest.mark.parametrize("path", ["/login", "/register", "/password/forgot", "/cart"])
def test_sign_in_and_password_pages_are_never_stored(client, path):
    assert _no_store(client.get(path))


def test_account_pages_and_any_page_for_a_signed_in_shopper_are_never_stored(client, login):
    ProductFactory()
    anonymous_home = client.get("/")
    assert anonymous_home.status_code == 200
    assert not _no_store(anonymous_home)

    login(UserFactory())
    assert _no_store(client.get("/account"))
    assert _no_store(client.get("/"))  # the header shows the shopper's name and cart


def test_token_pairs_from_sign_in_and_refresh_are_never_stored(client):
    user = UserFactory()
    login = client.post("/api/v2/auth/login", json={"email": user.email, "password": DEFAULT_PASSWORD})
    assert login.status_code == 200, login.get_json()
    assert _no_store(login)
    refreshed = client.post("/api/v1/auth/refresh", json={"refresh_token": login.get_json()["data"]["refresh_token"]})
    assert refreshed.status_code == 200
    assert _no_store(refreshed)


@pytest.mark.parametrize(
    "path",
    ["/api/v2/users/me", "/api/v2/users/me/addresses", "/api/v2/cart", "/api/v2/orders", "/api/v2/users/me/favorites"],
)
def test_personal_api_reads_are_never_stored(client, path):
    auth = bearer(api_login(client, UserFactory().email)["access_token"])
    response = client.get(path, headers=auth)
    assert response.status_code == 200
    assert _no_store(response)


def test_the_public_catalogue_is_cacheable_for_anonymous_clients_only(client):
    ProductFactory()
    anonymous = client.get("/api/v2/products")
    assert anonymous.status_code == 200
    assert not _no_store(anonymous)
    auth = bearer(api_login(client, UserFactory().email)["access_token"])
    assert _no_store(client.get("/api/v2/products", headers=auth))  # may carry the caller's favourites
