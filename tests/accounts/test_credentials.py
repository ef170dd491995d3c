"""Signing out, changing a password and turning MFA on really end the credentials they should.

Each sign-in (a browser session or an API token family) is a server-side record: cookies
and access tokens work only while it stands.
"""

import logging
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections import Counter
from datetime import timedelta
from pathlib import Path

import pyotp
import pytest
from sqlalchemy import select, update

from fantasize.accounts import mfa
from fantasize.accounts.models import ApiKey, AuthSession
from fantasize.db import utcnow
from fantasize.extensions import db
from tests.accounts.helpers import api_login, bearer, browser_login, issue_api_key, totp_now
from tests.factories import DEFAULT_PASSWORD, UserFactory
from tests.ops.test_procfile import ROOT, _free_port, _procfile_command
from tests.support.parallel import run_in_parallel
from tests.support.smtp_sink import text_of

NEW_PASSWORD = "copper-harbour-violin-52"


def _mfa_user(**kwargs):
    user = UserFactory(**kwargs)
    secret = pyotp.random_base32()
    user.mfa_secret_encrypted = mfa.encrypt_secret(secret)
    user.mfa_enabled = True
    db.session.commit()
    return user, secret


def _age_sign_ins(user, minutes: int = 30) -> None:
    """Pretend the user's sign-ins were proved a while ago."""
    db.session.execute(
        update(AuthSession)
        .where(AuthSession.user_id == user.id)
        .values(authenticated_at=utcnow() - timedelta(minutes=minutes))
    )
    db.session.commit()


# --- 1. sign out -----------------------------------------------------------------------


def test_sign_out_with_keep_me_signed_in_ends_the_sign_in_for_good(app, client):
    user = UserFactory()
    signed_in = browser_login(client, user.email, remember="y")
    assert signed_in.status_code == 303
    remember = client.get_cookie("remember_token").value
    session_cookie = client.get_cookie("session").value

    signed_out = client.post("/logout")
    assert signed_out.status_code == 303
    assert any(h.startswith("remember_token=;") for h in signed_out.headers.getlist("Set-Cookie"))
    assert client.get("/account").status_code == 302  # the next request is not signed back in

    for name, value in (("remember_token", remember), ("session", session_cookie)):
        copied = app.test_client()
        copied.set_cookie(name, value)
        assert copied.get("/account").status_code == 302, f"the old {name} cookie still signs in"
    assert db.session.scalar(select(AuthSession.revoked_at).where(AuthSession.user_id == user.id)) is not None


def test_api_sign_out_stops_the_access_token_at_once(client):
    user = UserFactory()
    tokens = api_login(client, user.email)
    assert client.get("/api/v2/users/me", headers=bearer(tokens["access_token"])).status_code == 200
    assert client.post("/api/v2/auth/logout", json={"refresh_token": tokens["refresh_token"]}).status_code == 200
    revoked = client.get("/api/v2/users/me", headers=bearer(tokens["access_token"]))
    assert revoked.status_code == 401
    assert revoked.get_json()["error"]["code"] == "invalid_token"


def test_a_reused_refresh_token_also_stops_the_access_tokens_of_its_sign_in(client):
    user = UserFactory()
    first = api_login(client, user.email)
    second = client.post("/api/v2/auth/refresh", json={"refresh_token": first["refresh_token"]}).get_json()["data"]
    replay = client.post("/api/v2/auth/refresh", json={"refresh_token": first["refresh_token"]})
    assert replay.status_code == 401
    assert client.get("/api/v2/users/me", headers=bearer(second["access_token"])).status_code == 401
    other = api_login(client, user.email)  # another sign-in of the same user is not touched
    assert client.get("/api/v2/users/me", headers=bearer(other["access_token"])).status_code == 200


# --- 3. password change and recent re-authentication -------------------------------------


def test_a_password_change_revokes_api_keys_refresh_tokens_and_other_sessions(client, login):
    user = UserFactory()
    _, key = issue_api_key(user, "Warehouse sync")
    db.session.commit()
    tokens = api_login(client, user.email)
    login(user)
    changed = client.post(
        "/account/password", data={"current_password": DEFAULT_PASSWORD, "new_password": NEW_PASSWORD}
    )
    assert changed.status_code == 303
    assert client.get("/api/v2/users/me", headers={"X-API-Key": key}).status_code == 401
    assert client.get("/api/v2/users/me", headers=bearer(tokens["access_token"])).status_code == 401
    assert client.post("/api/v2/auth/refresh", json={"refresh_token": tokens["refresh_token"]}).status_code == 401
    assert client.get("/account").status_code == 200  # the browser that changed it stays signed in
    assert all(k.revoked_at for k in db.session.scalars(select(ApiKey).where(ApiKey.user_id == user.id)))


def test_security_settings_ask_to_confirm_identity_after_a_few_minutes(client, login):
    user = UserFactory()
    login(user)
    assert client.get("/account/security").status_code == 200
    _age_sign_ins(user)

    for url, data in (
        ("/account/security", None),
        ("/account/api-keys", {"name": "Late key"}),
        ("/account/mfa/start", {}),
    ):
        response = client.get(url) if data is None else client.post(url, data=data)
        assert response.status_code == 303, url
        assert response.headers["Location"].startswith("/account/confirm")
    assert db.session.scalar(select(ApiKey.id)) is None

    wrong = client.post("/account/confirm", data={"password": "not-my-password"})
    assert wrong.status_code == 422
    confirmed = client.post("/account/confirm", data={"password": DEFAULT_PASSWORD, "next": "/account/security"})
    assert confirmed.headers["Location"] == "/account/security"
    assert client.post("/account/api-keys", data={"name": "Fresh key"}).status_code == 200
    assert db.session.scalar(select(ApiKey.name)) == "Fresh key"


def test_api_mfa_setup_needs_a_recent_proof_of_identity(client):
    user = UserFactory()
    auth = bearer(api_login(client, user.email)["access_token"])
    _age_sign_ins(user)
    stale = client.post("/api/v2/auth/mfa/setup", headers=auth)
    assert stale.status_code == 403
    assert stale.get_json()["error"]["code"] == "reauthentication_required"

    wrong = client.post("/api/v2/auth/reauthenticate", json={"password": "wrong-password-here"}, headers=auth)
    assert wrong.status_code == 401
    assert (
        client.post("/api/v2/auth/reauthenticate", json={"password": DEFAULT_PASSWORD}, headers=auth).status_code == 200
    )
    assert client.post("/api/v2/auth/mfa/setup", headers=auth).status_code == 200


def test_mfa_users_confirm_with_a_code(client):
    user, secret = _mfa_user()
    auth = bearer(api_login(client, user.email, otp=totp_now(secret))["access_token"])
    _age_sign_ins(user)
    code = totp_now(secret, steps_ahead=1)  # the sign-in used this step's code
    confirmed = client.post("/api/v2/auth/reauthenticate", json={"otp": code}, headers=auth)
    assert confirmed.status_code == 200
    replayed = client.post("/api/v2/auth/reauthenticate", json={"otp": code}, headers=auth)
    assert replayed.status_code == 401


# --- 5. turning MFA on ends the sign-ins made without it -----------------------------------


def test_turning_mfa_on_ends_every_other_sign_in(client):
    user = UserFactory()
    elsewhere = api_login(client, user.email)
    here = bearer(api_login(client, user.email)["access_token"])
    secret = client.post("/api/v2/auth/mfa/setup", headers=here).get_json()["data"]["secret"]
    assert client.post("/api/v2/auth/mfa/verify", json={"otp": totp_now(secret)}, headers=here).status_code == 200
    assert client.get("/api/v2/users/me", headers=bearer(elsewhere["access_token"])).status_code == 401
    assert client.post("/api/v2/auth/refresh", json={"refresh_token": elsewhere["refresh_token"]}).status_code == 401
    assert client.get("/api/v2/users/me", headers=here).status_code == 200


# --- 4. one TOTP code, one sign-in -------------------------------------------------------


@pytest.mark.postgres
def test_one_totp_code_signs_in_once_even_when_sent_in_parallel(app):
    user, secret = _mfa_user()
    email, code = user.email, totp_now(secret)

    def sign_in(client):
        body = {"email": email, "password": DEFAULT_PASSWORD, "otp": code}
        return client.post("/api/v2/auth/login", json=body).status_code

    statuses = run_in_parallel(app, [sign_in] * 8)
    assert Counter(statuses) == {200: 1, 401: 7}


# --- 2 and 6. password reset: no secret in logs, same work for every address --------------


def test_continuing_from_a_reset_link_swaps_its_token_and_keeps_it_out_of_the_log(client, mailbox, run_jobs, caplog):
    UserFactory(email="reset-me@example.com")
    client.post("/password/forgot", data={"email": "reset-me@example.com"})
    run_jobs()
    token = text_of(mailbox[0]).split("/password/reset/")[1].split()[0]

    scanner = client.application.test_client()  # a mail scanner fetching every link first
    assert scanner.get(f"/password/reset/{token}").status_code == 200
    with caplog.at_level(logging.INFO, logger="fantasize"):
        opened = client.post(f"/password/reset/{token}")
    assert opened.status_code == 303
    assert opened.headers["Location"] == "/password/reset"
    logged = [str(record.__dict__) for record in caplog.records]
    assert not any(token in line for line in logged)
    assert any("/password/reset/[redacted]" in line for line in logged)
    assert client.get(f"/password/reset/{token}").headers["Location"] == "/password/reset"  # same browser again

    other_browser = client.application.test_client()
    assert other_browser.get(f"/password/reset/{token}").status_code == 400  # the link is dead once used
    assert other_browser.post(f"/password/reset/{token}").status_code == 400
    assert other_browser.get("/password/reset").status_code == 303  # and its session holds no token
    done = client.post("/password/reset", data={"password": NEW_PASSWORD})
    assert done.status_code == 303
    assert browser_login(client, "reset-me@example.com", NEW_PASSWORD).status_code == 303


@pytest.mark.redis
def test_a_reset_request_does_the_same_work_for_known_and_unknown_addresses(app, client):
    from tests.support.queries import counted_statements

    UserFactory(email="known@example.com")
    work = {}
    for email in ("known@example.com", "nobody@example.com"):
        with counted_statements() as statements:
            response = client.post("/api/v2/auth/password/forgot", json={"email": email})
        assert response.status_code == 202
        work[email] = statements
    assert work["known@example.com"] == work["nobody@example.com"]
    assert not any("users" in statement for statement in work["known@example.com"])


@pytest.mark.slow
def test_gunicorn_access_log_redacts_reset_tokens(tmp_path):
    port = _free_port()
    command = _procfile_command("web").replace("0.0.0.0", "127.0.0.1")  # noqa: S104 - only loopback here
    env = {
        **os.environ,
        "PORT": str(port),
        "WEB_CONCURRENCY": "1",
        "GUNICORN_THREADS": "2",
        "FANTASIZE_ENV": "development",
        "DATABASE_URL": os.environ.get("DATABASE_URL") or f"sqlite:///{tmp_path / 'gunicorn.db'}",
        "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}",
    }
    log_file = tmp_path / "access.log"
    with log_file.open("wb") as sink:
        process = subprocess.Popen(["bash", "-c", f"exec {command}"], cwd=ROOT, env=env, stdout=sink, stderr=sink)
        try:
            deadline = time.monotonic() + 30
            while True:
                try:
                    urllib.request.urlopen(f"http://127.0.0.1:{port}/password/reset/SeCrEtToKeN123456", timeout=5)
                    break
                except urllib.error.HTTPError:
                    break  # answered (400: unknown link)
                except OSError:
                    if time.monotonic() > deadline:
                        raise
                    time.sleep(0.2)
        finally:
            process.terminate()
            process.wait(timeout=20)
    logged = log_file.read_text()
    assert "GET /password/reset/[redacted]" in logged
    assert "SeCrEtToKeN123456" not in logged
