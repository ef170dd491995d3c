"""Registration, sign-in (browser and API), token rotation, reuse detection and sign-out."""

from sqlalchemy import select

from fantasize.accounts.models import RefreshToken, User
from fantasize.accounts.sign_ins import BROWSER, start_sign_in
from fantasize.audit.models import AuditEvent
from fantasize.extensions import db
from tests.accounts.helpers import api_login, bearer, browser_login
from tests.factories import DEFAULT_PASSWORD, UserFactory

STRONG = "plum-kettle-orbit-57"


def test_api_register_then_login_then_read_me(client):
    response = client.post("/api/v2/auth/register", json={"email": "Ada@Example.com", "password": STRONG})
    assert response.status_code == 201
    user = response.get_json()["data"]["user"]
    assert user["email"] == "ada@example.com"
    assert user["role"] == "customer"

    tokens = api_login(client, "ADA@example.com", STRONG)
    assert tokens["token_type"] == "Bearer"
    assert tokens["expires_in"] == 900
    me = client.get("/api/v2/users/me", headers=bearer(tokens["access_token"])).get_json()["data"]
    assert me["id"] == user["id"]
    assert me["mfa_enabled"] is False


def test_email_is_unique_whatever_its_case(client):
    UserFactory(email="ada@example.com")
    response = client.post("/api/v2/auth/register", json={"email": "ADA@example.COM", "password": STRONG})
    assert response.status_code == 409
    assert "email" in response.get_json()["error"]["details"]


def test_register_refuses_short_and_common_passwords_field_by_field(client):
    short = client.post("/api/v2/auth/register", json={"email": "a@example.com", "password": "abc"})
    assert short.status_code == 422
    assert "password" in short.get_json()["error"]["details"]
    common = client.post("/api/v2/auth/register", json={"email": "b@example.com", "password": "password123"})
    assert common.status_code == 422
    assert "common" in " ".join(common.get_json()["error"]["details"]["password"]).lower()


def test_register_validates_email_shape(client):
    response = client.post("/api/v2/auth/register", json={"email": "not-an-email", "password": STRONG})
    assert response.status_code == 422
    assert "email" in response.get_json()["error"]["details"]


def test_wrong_password_is_invalid_credentials_and_audited(client):
    user = UserFactory()
    response = client.post("/api/v2/auth/login", json={"email": user.email, "password": "wrong password!"})
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "invalid_credentials"
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    events = db.session.scalars(select(AuditEvent.action).where(AuditEvent.actor_id == user.id)).all()
    assert "auth.login_failed" in events


def test_unknown_email_gets_the_same_answer_as_a_wrong_password(client):
    unknown = client.post("/api/v2/auth/login", json={"email": "nobody@example.com", "password": "whatever-it-is"})
    UserFactory(email="someone@example.com")
    wrong = client.post("/api/v2/auth/login", json={"email": "someone@example.com", "password": "whatever-it-is"})
    assert unknown.status_code == wrong.status_code == 401
    assert unknown.get_json()["error"]["message"] == wrong.get_json()["error"]["message"]


def test_refresh_rotates_and_reuse_revokes_the_family(client):
    user = UserFactory()
    first = api_login(client, user.email)
    second = client.post("/api/v2/auth/refresh", json={"refresh_token": first["refresh_token"]}).get_json()["data"]
    assert second["refresh_token"] != first["refresh_token"]
    assert client.get("/api/v2/users/me", headers=bearer(second["access_token"])).status_code == 200

    replay = client.post("/api/v2/auth/refresh", json={"refresh_token": first["refresh_token"]})
    assert replay.status_code == 401
    # The thief's replay revoked the family: the legitimate newer token is dead too.
    after = client.post("/api/v2/auth/refresh", json={"refresh_token": second["refresh_token"]})
    assert after.status_code == 401
    rows = db.session.scalars(select(RefreshToken).where(RefreshToken.user_id == user.id)).all()
    assert len(rows) == 2
    assert all(row.revoked_at is not None for row in rows)


def test_a_second_sign_in_is_a_separate_family(client):
    user = UserFactory()
    phone = api_login(client, user.email)
    tablet = api_login(client, user.email)
    client.post("/api/v2/auth/refresh", json={"refresh_token": phone["refresh_token"]})
    client.post("/api/v2/auth/refresh", json={"refresh_token": phone["refresh_token"]})  # reuse on the phone
    assert client.post("/api/v2/auth/refresh", json={"refresh_token": tablet["refresh_token"]}).status_code == 200


def test_logout_revokes_the_refresh_token(client):
    user = UserFactory()
    tokens = api_login(client, user.email)
    assert client.post("/api/v2/auth/logout", json={"refresh_token": tokens["refresh_token"]}).status_code == 200
    assert client.post("/api/v2/auth/refresh", json={"refresh_token": tokens["refresh_token"]}).status_code == 401


def test_a_garbage_or_tampered_access_token_is_refused(client):
    user = UserFactory()
    token = api_login(client, user.email)["access_token"]
    tampered = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    for value in ("garbage", tampered):
        response = client.get("/api/v2/users/me", headers=bearer(value))
        assert response.status_code == 401
        assert response.get_json()["error"]["code"] == "invalid_token"
    assert client.get("/api/v2/users/me", headers={"Authorization": "Basic abc"}).status_code == 401


def test_password_change_ends_other_sessions_and_tokens(client, login):
    user = UserFactory()
    tokens = api_login(client, user.email)
    login(user)
    other_browser = client.application.test_client()
    with other_browser.session_transaction() as session:
        session["_user_id"] = start_sign_in(user, BROWSER).id
    db.session.commit()
    response = client.post(
        "/account/password", data={"current_password": DEFAULT_PASSWORD, "new_password": "new-orchid-lantern-88"}
    )
    assert response.status_code == 303
    assert client.get("/api/v2/users/me", headers=bearer(tokens["access_token"])).status_code == 401
    assert client.post("/api/v2/auth/refresh", json={"refresh_token": tokens["refresh_token"]}).status_code == 401
    assert other_browser.get("/account").status_code == 302  # signed out
    assert client.get("/account").status_code == 200  # this browser stays in


def test_browser_register_signs_in_and_shows_the_account(client):
    response = client.post("/register", data={"email": "grace@example.com", "password": STRONG, "username": "Grace"})
    assert response.status_code == 303
    page = client.get("/account")
    assert page.status_code == 200
    assert "grace@example.com" in page.get_data(as_text=True)


def test_browser_register_shows_errors_next_to_fields(client):
    response = client.post("/register", data={"email": "nope", "password": "short"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'id="email-help" class="field-error"' in html
    assert 'id="password-help" class="field-error"' in html


def test_browser_login_and_logout(client):
    user = UserFactory()
    response = browser_login(client, user.email)
    assert response.status_code == 303
    assert client.get("/account").status_code == 200
    assert client.post("/logout").status_code == 303
    assert client.get("/account").status_code == 302


def test_browser_login_failure_is_shown_on_the_form(client):
    user = UserFactory()
    html = browser_login(client, user.email, "not the password").get_data(as_text=True)
    assert "The e-mail address or password is not right." in html
    assert client.get("/account").status_code == 302


def test_login_only_follows_same_site_next_urls(client):
    user = UserFactory()
    evil = browser_login(client, user.email, next="https://evil.example/steal")
    assert evil.headers["Location"] == "/"
    client.post("/logout")
    good = browser_login(client, user.email, next="/account")
    assert good.headers["Location"] == "/account"


def test_disabled_accounts_cannot_sign_in(client):
    user = UserFactory(is_active_account=False)
    response = client.post("/api/v2/auth/login", json={"email": user.email, "password": DEFAULT_PASSWORD})
    assert response.status_code == 401


def test_the_session_cookie_is_http_only_and_lax(client):
    user = UserFactory()
    response = browser_login(client, user.email)
    cookie = response.headers.get("Set-Cookie", "")
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


def test_last_login_is_recorded(client):
    user = UserFactory()
    api_login(client, user.email)
    db.session.expire_all()
    assert db.session.get(User, user.id).last_login_at is not None
