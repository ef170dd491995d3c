"""No password, token, recovery code or API key is stored or logged in plain text."""

import logging

from sqlalchemy import text

from fantasize.extensions import db
from tests.accounts.helpers import api_login, bearer, totp_now
from tests.factories import UserFactory
from tests.support.smtp_sink import text_of

PASSWORD = "violet-harbour-compass-64"


def _every_stored_value() -> str:
    """Every column of every row of every table, as one string."""
    chunks = []
    for table in db.metadata.sorted_tables:
        for row in db.session.execute(text(f'SELECT * FROM "{table.name}"')):
            chunks.extend(str(value) for value in row)
    return "\n".join(chunks)


def test_secrets_never_reach_the_database_or_the_logs(client, login, caplog, mailbox, run_jobs):
    caplog.set_level(logging.DEBUG)
    registered = client.post("/api/v2/auth/register", json={"email": "vault@example.com", "password": PASSWORD})
    assert registered.status_code == 201
    tokens = api_login(client, "vault@example.com", PASSWORD)
    auth = bearer(tokens["access_token"])
    rotated = client.post("/api/v2/auth/refresh", json={"refresh_token": tokens["refresh_token"]}).get_json()["data"]
    secret = client.post("/api/v2/auth/mfa/setup", headers=auth).get_json()["data"]["secret"]
    codes = client.post("/api/v2/auth/mfa/verify", json={"otp": totp_now(secret)}, headers=auth).get_json()["data"][
        "recovery_codes"
    ]
    client.post("/api/v2/auth/password/forgot", json={"email": "vault@example.com"})
    run_jobs()
    [reset_mail] = [message for message in mailbox if "password" in message["Subject"].lower()]
    reset_token = text_of(reset_mail).split("/password/reset/")[1].split()[0]

    from fantasize.accounts.models import User

    user = db.session.query(User).filter_by(email="vault@example.com").one()
    login(user)
    page = client.post("/account/api-keys", data={"name": "Warehouse"}).get_data(as_text=True)
    api_key = page.split('<code class="secret">')[1].split("</code>")[0]
    assert client.get("/api/v2/users/me", headers={"X-API-Key": api_key}).status_code == 200

    stored = _every_stored_value()
    # Everything our app, its libraries and the job worker logged (not the test SMTP server's own trace).
    logged = "\n".join(str(record.__dict__) for record in caplog.records if not record.name.startswith("mail.log"))
    secrets = {
        "password": PASSWORD,
        "refresh token": tokens["refresh_token"],
        "rotated refresh token": rotated["refresh_token"],
        "access token": tokens["access_token"],
        "TOTP secret": secret,
        "reset token": reset_token,
        "API key": api_key,
        **{f"recovery code {i}": code.replace("-", "") for i, code in enumerate(codes)},
    }
    for name, value in secrets.items():
        assert value not in stored, f"{name} is stored in plain text"
        assert value not in logged, f"{name} appears in the logs"
    assert "$2b$" in stored  # the password is there, as a bcrypt hash


def test_the_password_hash_uses_the_configured_bcrypt_cost(app):
    user = UserFactory()
    assert user.password_hash.startswith(f"$2b${app.config['BCRYPT_ROUNDS']:02d}$")
