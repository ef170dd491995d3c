"""Two-factor authentication: enrolment, sign-in with and without a code, recovery codes."""

from sqlalchemy import select

from fantasize.accounts.models import RecoveryCode, User
from fantasize.audit.models import AuditEvent
from fantasize.extensions import db
from tests.accounts.helpers import api_login, bearer, browser_login, totp_now
from tests.factories import DEFAULT_PASSWORD, UserFactory


def enrol_over_api(client, user) -> tuple[str, list[str], dict]:
    tokens = api_login(client, user.email)
    setup = client.post("/api/v2/auth/mfa/setup", headers=bearer(tokens["access_token"]))
    assert setup.status_code == 200
    secret = setup.get_json()["data"]["secret"]
    assert setup.get_json()["data"]["otpauth_uri"].startswith("otpauth://totp/Fantasize:")
    verify = client.post(
        "/api/v2/auth/mfa/verify", json={"otp": totp_now(secret)}, headers=bearer(tokens["access_token"])
    )
    assert verify.status_code == 200, verify.get_json()
    return secret, verify.get_json()["data"]["recovery_codes"], tokens


def test_enrolment_needs_a_valid_code(client):
    user = UserFactory()
    tokens = api_login(client, user.email)
    client.post("/api/v2/auth/mfa/setup", headers=bearer(tokens["access_token"]))
    wrong = client.post("/api/v2/auth/mfa/verify", json={"otp": "000000"}, headers=bearer(tokens["access_token"]))
    assert wrong.status_code == 422
    assert "otp" in wrong.get_json()["error"]["details"]
    db.session.expire_all()
    assert db.session.get(User, user.id).mfa_enabled is False


def test_api_login_asks_for_the_code_then_accepts_it(client):
    user = UserFactory()
    secret, _, _ = enrol_over_api(client, user)
    without = client.post("/api/v2/auth/login", json={"email": user.email, "password": DEFAULT_PASSWORD})
    assert without.status_code == 401
    assert without.get_json()["error"]["code"] == "mfa_required"
    wrong = client.post("/api/v2/auth/login", json={"email": user.email, "password": DEFAULT_PASSWORD, "otp": "123456"})
    assert wrong.status_code == 401
    assert wrong.get_json()["error"]["code"] == "invalid_credentials"
    # The enrolment used the current step; the next step's code (within the drift window) signs in.
    ok = client.post(
        "/api/v2/auth/login", json={"email": user.email, "password": DEFAULT_PASSWORD, "otp": totp_now(secret, 1)}
    )
    assert ok.status_code == 200


def test_a_totp_code_cannot_be_replayed(client):
    user = UserFactory()
    secret, _, _ = enrol_over_api(client, user)
    code = totp_now(secret, 1)
    body = {"email": user.email, "password": DEFAULT_PASSWORD, "otp": code}
    assert client.post("/api/v2/auth/login", json=body).status_code == 200
    assert client.post("/api/v2/auth/login", json=body).status_code == 401


def test_a_recovery_code_works_exactly_once(client):
    user = UserFactory()
    _, codes, _ = enrol_over_api(client, user)
    assert len(codes) == 10
    body = {"email": user.email, "password": DEFAULT_PASSWORD, "otp": codes[0]}
    assert client.post("/api/v2/auth/login", json=body).status_code == 200
    assert client.post("/api/v2/auth/login", json=body).status_code == 401
    body["otp"] = codes[1].upper().replace("-", " ")  # forgiving about case and separators
    assert client.post("/api/v2/auth/login", json=body).status_code == 200


def test_browser_login_has_a_second_step(client):
    user = UserFactory()
    _, codes, _ = enrol_over_api(client, user)
    first = browser_login(client, user.email)
    assert first.status_code == 303
    assert first.headers["Location"] == "/login/mfa"
    assert client.get("/account").status_code == 302  # not signed in yet
    page = client.get("/login/mfa")
    assert "Authentication code" in page.get_data(as_text=True)
    wrong = client.post("/login/mfa", data={"otp": "999999"})
    assert "That code is not right" in wrong.get_data(as_text=True)
    ok = client.post("/login/mfa", data={"otp": codes[2]})
    assert ok.status_code == 303
    assert client.get("/account").status_code == 200


def test_browser_enrolment_shows_a_qr_code_and_recovery_codes_once(client, login):
    user = UserFactory()
    login(user)
    client.post("/account/mfa/start")
    page = client.get("/account/security").get_data(as_text=True)
    assert "<svg" in page
    db.session.expire_all()
    from fantasize.accounts.mfa import decrypt_secret

    secret = decrypt_secret(db.session.get(User, user.id).mfa_secret_encrypted)
    confirmed = client.post("/account/mfa/confirm", data={"otp": totp_now(secret)})
    assert confirmed.status_code == 200
    assert "Your recovery codes" in confirmed.get_data(as_text=True)
    assert "Your recovery codes" not in client.get("/account/security").get_data(as_text=True)


def test_disable_needs_a_code_and_removes_recovery_codes(client):
    user = UserFactory()
    secret, _, tokens = enrol_over_api(client, user)
    refused = client.post(
        "/api/v2/auth/mfa/disable",
        json={"password": DEFAULT_PASSWORD, "otp": "000000"},
        headers=bearer(tokens["access_token"]),
    )
    assert refused.status_code == 422
    ok = client.post(
        "/api/v2/auth/mfa/disable",
        json={"password": DEFAULT_PASSWORD, "otp": totp_now(secret, 1)},
        headers=bearer(tokens["access_token"]),
    )
    assert ok.status_code == 200
    assert db.session.scalars(select(RecoveryCode).where(RecoveryCode.user_id == user.id)).all() == []


def test_mfa_changes_are_audited(client):
    user = UserFactory()
    enrol_over_api(client, user)
    actions = db.session.scalars(select(AuditEvent.action).where(AuditEvent.actor_id == user.id)).all()
    assert "auth.mfa_enabled" in actions


def test_staff_required_to_use_mfa_get_no_staff_rights_until_enrolled(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "MFA_REQUIRED_ROLES", ("admin", "manager"))
    admin = UserFactory(role="admin")
    tokens = api_login(client, admin.email)
    refused = client.get("/api/v2/admin/users", headers=bearer(tokens["access_token"]))
    assert refused.status_code == 403
    assert "two-factor" in refused.get_json()["error"]["message"]
    secret, _, _ = enrol_over_api(client, admin)
    tokens = api_login(client, admin.email, otp=totp_now(secret, 1))
    assert client.get("/api/v2/admin/users", headers=bearer(tokens["access_token"])).status_code == 200
