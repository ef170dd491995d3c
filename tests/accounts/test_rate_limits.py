"""Rate limits on sign-in: 5 failed attempts per 15 minutes, per client and per account."""

from tests.factories import DEFAULT_PASSWORD, UserFactory


def test_the_sixth_failed_api_login_is_a_429_with_retry_after(client):
    user = UserFactory()
    statuses = [
        client.post("/api/v2/auth/login", json={"email": user.email, "password": "wrong guess!"}).status_code
        for _ in range(6)
    ]
    assert statuses == [401] * 5 + [429]
    blocked = client.post("/api/v2/auth/login", json={"email": user.email, "password": DEFAULT_PASSWORD})
    assert blocked.status_code == 429
    assert blocked.get_json()["error"]["code"] == "rate_limited"
    assert int(blocked.headers["Retry-After"]) > 0


def test_the_sixth_failed_browser_login_is_a_429(client):
    user = UserFactory()
    for _ in range(5):
        assert client.post("/login", data={"email": user.email, "password": "wrong guess!"}).status_code == 200
    blocked = client.post("/login", data={"email": user.email, "password": "wrong guess!"})
    assert blocked.status_code == 429
    assert "Retry-After" in blocked.headers
    assert "Slow down a little" in blocked.get_data(as_text=True)


def test_successful_logins_do_not_use_up_the_allowance(client):
    user = UserFactory()
    for _ in range(7):
        assert (
            client.post("/api/v2/auth/login", json={"email": user.email, "password": DEFAULT_PASSWORD}).status_code
            == 200
        )


def test_an_account_is_protected_across_client_addresses(app):
    user = UserFactory()
    for number in range(5):
        other = app.test_client()
        other.environ_base["REMOTE_ADDR"] = f"10.0.0.{number + 1}"
        other.post("/api/v2/auth/login", json={"email": user.email, "password": "wrong guess!"})
    fresh = app.test_client()
    fresh.environ_base["REMOTE_ADDR"] = "10.0.0.99"
    response = fresh.post("/api/v2/auth/login", json={"email": user.email, "password": DEFAULT_PASSWORD})
    assert response.status_code == 429


def test_a_client_is_limited_across_accounts(client):
    for number in range(5):
        client.post("/api/v2/auth/login", json={"email": f"guess{number}@example.com", "password": "wrong guess!"})
    user = UserFactory()
    response = client.post("/api/v2/auth/login", json={"email": user.email, "password": DEFAULT_PASSWORD})
    assert response.status_code == 429


def test_the_second_factor_step_cannot_dodge_its_limit_with_extra_fields(app):
    from tests.accounts.test_mfa import enrol_over_api

    user = UserFactory()
    enrol_over_api(app.test_client(), user)
    browser = app.test_client()
    assert browser.post("/login", data={"email": user.email, "password": DEFAULT_PASSWORD}).status_code == 303
    statuses = []
    for number in range(7):
        # A fresh address and a made-up e-mail field per guess must not reset the per-account count.
        browser.environ_base["REMOTE_ADDR"] = f"10.1.0.{number + 1}"
        statuses.append(
            browser.post("/login/mfa", data={"otp": "000000", "email": f"x{number}@example.com"}).status_code
        )
    assert statuses.count(200) <= 5  # the account's allowance (its MFA set-up used one)
    assert statuses[-2:] == [429, 429]


def test_a_pending_second_factor_expires(app, monkeypatch):
    import time

    from tests.accounts.test_mfa import enrol_over_api

    user = UserFactory()
    enrol_over_api(app.test_client(), user)
    browser = app.test_client()
    browser.post("/login", data={"email": user.email, "password": DEFAULT_PASSWORD})
    later = time.time() + 301
    monkeypatch.setattr(time, "time", lambda: later)
    response = browser.get("/login/mfa")
    assert response.status_code == 302
    assert response.headers["Location"] == "/login"
