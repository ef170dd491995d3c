"""``RATE_LIMIT_ADMIN`` (50 per 5 minutes) per user over the staff API, whichever version is called."""

from tests.accounts.helpers import api_login, bearer
from tests.factories import ProductFactory, UserFactory


def test_the_51st_staff_request_gets_429_and_another_admin_is_not_affected(client):
    first = bearer(api_login(client, UserFactory(role="admin").email)["access_token"])
    second = bearer(api_login(client, UserFactory(role="admin").email)["access_token"])
    product = ProductFactory()

    statuses = [client.get("/api/v2/admin/users", headers=first).status_code for _ in range(25)]
    statuses += [client.get("/api/v1/admin/orders", headers=first).status_code for _ in range(24)]
    statuses.append(client.patch(f"/api/v2/products/{product.id}", json={"stock": 3}, headers=first).status_code)
    assert statuses == [200] * 50  # v1 and v2, reads and catalogue writes: one counter

    refused = client.get("/api/v2/admin/users", headers=first)
    assert refused.status_code == 429
    assert refused.get_json()["error"]["code"] == "rate_limited"
    assert 0 < int(refused.headers["Retry-After"]) <= 300
    assert client.get("/api/v2/admin/users", headers=second).status_code == 200


def test_the_staff_limit_does_not_count_public_reads(client):
    staff = bearer(api_login(client, UserFactory(role="manager").email)["access_token"])
    ProductFactory()
    for _ in range(55):
        assert client.get("/api/v2/products", headers=staff).status_code == 200


def test_retry_after_is_only_sent_with_a_refusal(client, app, monkeypatch):
    monkeypatch.setitem(app.config, "RATE_LIMIT_DEFAULT", "2 per minute")
    ProductFactory()
    allowed = [client.get("/api/v2/products") for _ in range(2)]
    assert [response.status_code for response in allowed] == [200, 200]
    assert all("X-RateLimit-Remaining" in response.headers for response in allowed)
    assert not any("Retry-After" in response.headers for response in allowed)
    refused = client.get("/api/v2/products")
    assert refused.status_code == 429
    assert 0 < int(refused.headers["Retry-After"]) <= 60
