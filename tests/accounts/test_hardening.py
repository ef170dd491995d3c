"""Fixes from the security review: API keys vs the account itself, recovery, concurrency-safe reviews."""

from decimal import Decimal

from sqlalchemy import select

from fantasize.accounts.models import ApiKey
from fantasize.extensions import db
from tests.accounts.helpers import api_login, bearer, issue_api_key
from tests.factories import ProductFactory, SubcategoryFactory, UserFactory
from tests.support.smtp_sink import text_of


def test_an_api_key_cannot_turn_on_mfa_or_edit_the_profile(client):
    user = UserFactory()
    _, key = issue_api_key(user, "Integration", [])
    db.session.commit()
    headers = {"X-API-Key": key}
    assert client.get("/api/v2/users/me", headers=headers).status_code == 200
    assert client.post("/api/v2/auth/mfa/setup", headers=headers).status_code == 403
    assert client.patch("/api/v2/users/me", json={"username": "x"}, headers=headers).status_code == 403


def test_a_password_reset_revokes_api_keys_and_other_reset_links(client, mailbox, run_jobs):
    user = UserFactory(email="recover@example.com")
    issue_api_key(user, "Maybe the hijacker's", [])
    db.session.commit()
    for _ in range(2):
        client.post("/api/v2/auth/password/forgot", json={"email": "recover@example.com"})
    run_jobs()
    first, second = (text_of(m).split("/password/reset/")[1].split()[0] for m in mailbox)
    assert (
        client.post(
            "/api/v2/auth/password/reset", json={"token": first, "password": "tidy-garden-falcon-73"}
        ).status_code
        == 200
    )
    assert (
        client.post(
            "/api/v2/auth/password/reset", json={"token": second, "password": "other-garden-falcon-74"}
        ).status_code
        == 422
    )
    keys = db.session.scalars(select(ApiKey).where(ApiKey.user_id == user.id)).all()
    assert all(key.revoked_at is not None for key in keys)


def test_deactivating_a_product_answers_with_the_product(client):
    product = ProductFactory()
    staff = bearer(api_login(client, UserFactory(role="manager").email)["access_token"])
    response = client.patch(f"/api/v2/products/{product.id}", json={"active": False}, headers=staff)
    assert response.status_code == 200
    assert response.get_json()["data"]["id"] == product.id
    assert client.get(f"/api/v2/products/{product.id}").status_code == 404  # hidden from shoppers


def test_an_all_digit_name_gets_a_slug_that_is_not_an_id(client):
    staff = bearer(api_login(client, UserFactory(role="manager").email)["access_token"])
    body = {"name": "1984", "price": "12.00", "subcategory_id": SubcategoryFactory().id}
    created = client.post("/api/v2/products", json=body, headers=staff).get_json()["data"]
    assert created["slug"] == "1984-gift"
    assert client.get("/products/1984-gift").status_code == 200


def test_nonsense_price_filters_are_ignored_not_a_crash(client):
    ProductFactory(name="Mug", price=Decimal("10"))
    for value in ("sNaN", "NaN", "Infinity", "-5", "abc"):
        response = client.get(f"/search?q=mug&min_price={value}")
        assert response.status_code == 200, value
        assert "Mug" in response.get_data(as_text=True)
