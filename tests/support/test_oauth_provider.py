"""Self-test of the loopback OAuth 2.0 / OpenID Connect provider, over real HTTP."""

from __future__ import annotations

import base64
import hashlib
import secrets
import time
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from flask import Flask, session
from joserfc import jwt
from joserfc.errors import BadSignatureError, ExpiredTokenError
from joserfc.jwk import KeySet
from joserfc.jwt import JWTClaimsRegistry

from tests.support.oauth_provider import LocalOAuthProvider

REDIRECT_URI = "http://localhost/auth/callback"


@pytest.fixture(scope="module")
def provider() -> Iterator[LocalOAuthProvider]:
    oauth_provider = LocalOAuthProvider()
    oauth_provider.start()
    yield oauth_provider
    oauth_provider.stop()


@pytest.fixture(autouse=True)
def _fresh_provider(provider: LocalOAuthProvider) -> None:
    provider.reset()


def _query(response: requests.Response) -> dict[str, str]:
    assert response.status_code == 302, response.text
    return {key: values[0] for key, values in parse_qs(urlsplit(response.headers["Location"]).query).items()}


def _authorize(provider: LocalOAuthProvider, **extra: str) -> dict[str, str]:
    params = {
        "response_type": "code",
        "client_id": provider.client_id,
        "redirect_uri": REDIRECT_URI,
        "scope": "openid email profile",
        "state": "st/ate+1 ==",
        "nonce": "n-0S6",
        **extra,
    }
    return _query(requests.get(f"{provider.google_issuer}/authorize", params=params, allow_redirects=False, timeout=5))


def _exchange(provider: LocalOAuthProvider, code: str, **extra: str) -> requests.Response:
    data = {"grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT_URI, **extra}
    return requests.post(
        f"{provider.google_issuer}/token", data=data, auth=(provider.client_id, provider.client_secret), timeout=5
    )


def _verify(provider: LocalOAuthProvider, id_token: str) -> dict[str, Any]:
    jwks = requests.get(provider.google_metadata_url, timeout=5).json()["jwks_uri"]
    key_set = KeySet.import_key_set(requests.get(jwks, timeout=5).json())
    token = jwt.decode(id_token, key_set, algorithms=["RS256"])
    JWTClaimsRegistry(
        iss={"essential": True, "value": provider.google_issuer},
        aud={"essential": True, "value": provider.client_id},
        exp={"essential": True},
    ).validate(token.claims)
    return token.claims


def test_discovery_document(provider: LocalOAuthProvider) -> None:
    metadata = requests.get(provider.google_metadata_url, timeout=5).json()
    assert metadata["issuer"] == provider.google_issuer
    assert metadata["token_endpoint"] == f"{provider.google_issuer}/token"
    assert metadata["id_token_signing_alg_values_supported"] == ["RS256"]
    assert metadata["code_challenge_methods_supported"] == ["S256"]
    keys = requests.get(metadata["jwks_uri"], timeout=5).json()["keys"]
    assert len(keys) == 1
    assert keys[0]["kty"] == "RSA"
    assert keys[0]["use"] == "sig"
    assert keys[0]["alg"] == "RS256"
    assert keys[0]["kid"]
    assert "d" not in keys[0]


def test_code_flow_with_pkce_issues_a_verifiable_id_token(provider: LocalOAuthProvider) -> None:
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    redirect = _authorize(provider, code_challenge=challenge, code_challenge_method="S256")
    assert redirect["state"] == "st/ate+1 =="
    assert provider.issued_codes == [redirect["code"]]

    assert _exchange(provider, redirect["code"]).json()["error"] == "invalid_grant"  # verifier missing: code burnt
    redirect = _authorize(provider, code_challenge=challenge, code_challenge_method="S256")
    response = _exchange(provider, redirect["code"], code_verifier=verifier)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["token_type"] == "Bearer"
    assert body["expires_in"] == 3600
    claims = _verify(provider, body["id_token"])
    assert claims["sub"] == "g-1001"
    assert claims["email"] == "ada@example.com"
    assert claims["email_verified"] is True
    assert claims["nonce"] == "n-0S6"
    assert claims["azp"] == provider.client_id
    assert provider.token_requests[-1]["auth_method"] == "client_secret_basic"
    assert provider.token_requests[-1]["outcome"] == "ok"

    userinfo = requests.get(
        f"{provider.google_issuer}/userinfo", headers={"Authorization": f"Bearer {body['access_token']}"}, timeout=5
    )
    assert userinfo.json() == {
        "sub": "g-1001",
        "email": "ada@example.com",
        "email_verified": True,
        "name": "Ada Lovelace",
    }
    assert requests.get(f"{provider.google_issuer}/userinfo", timeout=5).status_code == 401


def test_code_is_single_use(provider: LocalOAuthProvider) -> None:
    code = _authorize(provider)["code"]
    assert _exchange(provider, code).status_code == 200
    reused = _exchange(provider, code)
    assert reused.status_code == 400
    assert reused.json()["error"] == "invalid_grant"


def test_wrong_client_secret_is_401(provider: LocalOAuthProvider) -> None:
    code = _authorize(provider)["code"]
    data = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": REDIRECT_URI,
        "client_id": provider.client_id,
        "client_secret": "wrong",
    }
    response = requests.post(f"{provider.google_issuer}/token", data=data, timeout=5)
    assert response.status_code == 401
    assert response.json()["error"] == "invalid_client"
    # client_secret_post with the right secret still works: the code was not consumed by the failed attempt.
    data["client_secret"] = provider.client_secret
    assert requests.post(f"{provider.google_issuer}/token", data=data, timeout=5).status_code == 200
    assert [entry["outcome"] for entry in provider.token_requests] == ["invalid_client", "ok"]


def test_unknown_client_is_rejected_without_redirect(provider: LocalOAuthProvider) -> None:
    params = {"response_type": "code", "client_id": "nope", "redirect_uri": REDIRECT_URI}
    response = requests.get(f"{provider.google_issuer}/authorize", params=params, allow_redirects=False, timeout=5)
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_client"


def test_forged_and_expired_id_tokens(provider: LocalOAuthProvider) -> None:
    genuine = provider.make_id_token("g-7", "eve@example.com")
    assert _verify(provider, genuine)["sub"] == "g-7"
    forged = provider.make_id_token("g-7", "eve@example.com", signed_by_foreign_key=True)
    with pytest.raises(BadSignatureError):
        _verify(provider, forged)
    expired = provider.make_id_token("g-7", "eve@example.com", expires_in=-60)
    assert jwt.decode(expired, KeySet.import_key_set(provider.jwks)).claims["exp"] < time.time()
    with pytest.raises(ExpiredTokenError):
        _verify(provider, expired)


def test_authlib_flask_client_logs_in(provider: LocalOAuthProvider) -> None:
    from authlib.integrations.flask_client import OAuth

    app = Flask("authlib_client")
    app.secret_key = "test"
    oauth = OAuth(app)
    oauth.register(
        "google",
        client_id=provider.client_id,
        client_secret=provider.client_secret,
        server_metadata_url=provider.google_metadata_url,
        client_kwargs={"scope": "openid email profile", "code_challenge_method": "S256"},
    )

    @app.get("/login")
    def login() -> Any:
        return oauth.google.authorize_redirect(REDIRECT_URI)

    @app.get("/auth/callback")
    def callback() -> Any:
        token = oauth.google.authorize_access_token()
        session.clear()
        return dict(token["userinfo"])

    provider.next_user = {"sub": "g-2002", "email": "grace@example.com", "email_verified": True, "name": "Grace"}
    client = app.test_client()
    to_provider = client.get("/login").headers["Location"]
    to_callback = requests.get(to_provider, allow_redirects=False, timeout=5)
    callback_url = urlsplit(to_callback.headers["Location"])
    userinfo = client.get(f"{callback_url.path}?{callback_url.query}").get_json()
    assert userinfo["sub"] == "g-2002"
    assert userinfo["email"] == "grace@example.com"
    assert provider.token_requests[-1]["form"]["code_verifier"]


def _debug(provider: LocalOAuthProvider, token: str, app_token: str | None = None) -> requests.Response:
    app_token = app_token or f"{provider.client_id}|{provider.client_secret}"
    params = {"input_token": token, "access_token": app_token}
    return requests.get(f"{provider.facebook_base}/debug_token", params=params, timeout=5)


def test_facebook_login_and_debug_token(provider: LocalOAuthProvider) -> None:
    dialog = {"client_id": provider.client_id, "redirect_uri": REDIRECT_URI, "state": "xyz", "scope": "email"}
    redirect = _query(
        requests.get(f"{provider.facebook_base}/dialog/oauth", params=dialog, allow_redirects=False, timeout=5)
    )
    assert redirect["state"] == "xyz"
    exchange = {
        "client_id": provider.client_id,
        "client_secret": provider.client_secret,
        "redirect_uri": REDIRECT_URI,
        "code": redirect["code"],
    }
    body = requests.get(f"{provider.facebook_base}/v19.0/oauth/access_token", params=exchange, timeout=5).json()
    assert body["token_type"] == "bearer"
    reused = requests.get(f"{provider.facebook_base}/oauth/access_token", params=exchange, timeout=5)
    assert reused.status_code == 400
    assert reused.json()["error"]["type"] == "OAuthException"

    data = _debug(provider, body["access_token"]).json()["data"]
    assert data["is_valid"] is True
    assert data["app_id"] == provider.client_id
    assert data["user_id"] == "g-1001"
    me = requests.get(
        f"{provider.facebook_base}/me",
        params={"fields": "id,name,email", "access_token": body["access_token"]},
        timeout=5,
    )
    assert me.json() == {"id": "g-1001", "name": "Ada Lovelace", "email": "ada@example.com"}


def test_facebook_debug_token_invalid_expired_and_other_app(provider: LocalOAuthProvider) -> None:
    unknown = _debug(provider, "EAAnot-a-token").json()["data"]
    assert unknown["is_valid"] is False
    assert unknown["error"]["code"] == 190

    expired = provider.make_facebook_token("fb-1", "bob@example.com", expires_in=-10)
    assert _debug(provider, expired).json()["data"]["is_valid"] is False
    me = requests.get(f"{provider.facebook_base}/me", params={"access_token": expired}, timeout=5)
    assert me.status_code == 400
    assert me.json()["error"]["code"] == 190

    foreign = provider.make_facebook_token("fb-1", "bob@example.com", app_id="999")
    data = _debug(provider, foreign).json()["data"]
    assert data["app_id"] == "999"
    assert data["user_id"] == "fb-1"

    bad_app = _debug(provider, foreign, app_token=f"{provider.client_id}|wrong")
    assert bad_app.status_code == 400
    assert bad_app.json()["error"]["type"] == "OAuthException"
    assert bad_app.json()["error"]["code"] == 190
