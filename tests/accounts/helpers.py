"""Small helpers for account tests."""

from __future__ import annotations

import pyotp
from flask.testing import FlaskClient

from tests.factories import DEFAULT_PASSWORD


def api_login(client: FlaskClient, email: str, password: str = DEFAULT_PASSWORD, **extra: str) -> dict:
    response = client.post("/api/v2/auth/login", json={"email": email, "password": password, **extra})
    assert response.status_code == 200, response.get_json()
    return response.get_json()["data"]


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def browser_login(client: FlaskClient, email: str, password: str = DEFAULT_PASSWORD, **extra: str):
    return client.post("/login", data={"email": email, "password": password, **extra})


def totp_now(secret: str, steps_ahead: int = 0) -> str:
    totp = pyotp.TOTP(secret)
    import time

    return totp.at(time.time() + 30 * steps_ahead)


def issue_api_key(user, name: str, scopes: list[str] | None = None):
    """A key created the way the security page does it: from a fresh sign-in of its owner."""
    from fantasize.accounts.api_keys import create_api_key
    from fantasize.accounts.sign_ins import BROWSER, start_sign_in

    return create_api_key(user, name, scopes or [], sign_in=start_sign_in(user, BROWSER))
