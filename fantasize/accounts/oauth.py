"""Sign-in with Google (OpenID Connect) and Facebook, through Authlib.

Browser: the redirect flow, where Authlib checks ``state`` and the ID token's ``nonce``.
Mobile: the app sends the provider's token and we verify it with the provider — a Google
ID token's signature (JWKS), issuer, audience and expiry; a Facebook access token through
the Graph API's ``debug_token`` — and never trust an e-mail address sent by the client.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from typing import Any

import requests
from authlib.integrations.flask_client import OAuth
from flask import Flask, current_app
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet
from joserfc.jwt import JWTClaimsRegistry

from fantasize.errors import AppError
from fantasize.extensions import cache

HTTP_TIMEOUT = 5
PROVIDERS = ("google", "facebook")


class OAuthFailed(AppError):
    status = 401
    code = "oauth_failed"


@dataclass(frozen=True)
class ProviderIdentity:
    provider: str
    subject: str
    email: str | None
    email_verified: bool
    name: str | None


def configured_providers() -> list[str]:
    config = current_app.config
    return [name for name in PROVIDERS if config.get(f"OAUTH_{name.upper()}_CLIENT_ID")]


def init_oauth(app: Flask) -> None:
    """A registry of the configured providers, per app (Authlib caches clients and metadata in it)."""
    oauth = OAuth(app)
    app.extensions["fantasize_oauth"] = oauth
    config = app.config
    if config.get("OAUTH_GOOGLE_CLIENT_ID"):
        oauth.register(
            "google",
            client_id=config["OAUTH_GOOGLE_CLIENT_ID"],
            client_secret=config["OAUTH_GOOGLE_CLIENT_SECRET"],
            server_metadata_url=config["OAUTH_GOOGLE_METADATA_URL"],
            client_kwargs={"scope": "openid email profile", "code_challenge_method": "S256", "timeout": HTTP_TIMEOUT},
        )
    if config.get("OAUTH_FACEBOOK_CLIENT_ID"):
        oauth.register(
            "facebook",
            client_id=config["OAUTH_FACEBOOK_CLIENT_ID"],
            client_secret=config["OAUTH_FACEBOOK_CLIENT_SECRET"],
            authorize_url=config["OAUTH_FACEBOOK_AUTHORIZE_URL"],
            access_token_url=config["OAUTH_FACEBOOK_TOKEN_URL"],
            api_base_url=config["OAUTH_FACEBOOK_API_BASE"],
            # Facebook reads the client credentials from the form, not from HTTP Basic auth.
            client_kwargs={
                "scope": "email public_profile",
                "token_endpoint_auth_method": "client_secret_post",
                "timeout": HTTP_TIMEOUT,
            },
        )


def client(provider: str) -> Any:
    if provider not in configured_providers():
        raise OAuthFailed(f"Sign-in with {provider} is not available.")
    return current_app.extensions["fantasize_oauth"].create_client(provider)


# --- Google --------------------------------------------------------------------------


def _get_json(url: str, **params: Any) -> dict[str, Any]:
    try:
        response = requests.get(url, params=params or None, timeout=HTTP_TIMEOUT)
    except requests.RequestException as exc:
        raise OAuthFailed("The sign-in provider could not be reached; try again.") from exc
    try:
        return response.json()
    except ValueError as exc:
        raise OAuthFailed("The sign-in provider gave an unreadable answer.") from exc


def _google_metadata() -> dict[str, Any]:
    key = "oauth:google:metadata"
    metadata = cache.get(key)
    if metadata is None:
        metadata = _get_json(current_app.config["OAUTH_GOOGLE_METADATA_URL"])
        cache.set(key, metadata, timeout=3600)
    return metadata


def _google_keys(refresh: bool = False) -> KeySet:
    key = "oauth:google:jwks"
    jwks = None if refresh else cache.get(key)
    if jwks is None:
        jwks = _get_json(_google_metadata()["jwks_uri"])
        cache.set(key, jwks, timeout=3600)
    return KeySet.import_key_set(jwks)


def _google_audiences() -> set[str]:
    config = current_app.config
    return {config["OAUTH_GOOGLE_CLIENT_ID"], *config.get("OAUTH_GOOGLE_MOBILE_CLIENT_IDS", ())}


def verify_google_id_token(id_token: str) -> ProviderIdentity:
    """Verify a Google ID token: RS256 signature by a published key, issuer, audience, expiry."""
    client("google")
    metadata = _google_metadata()
    try:
        try:
            decoded = jwt.decode(id_token, _google_keys(), algorithms=["RS256"])
        except JoseError:
            decoded = jwt.decode(id_token, _google_keys(refresh=True), algorithms=["RS256"])  # keys rotate
        JWTClaimsRegistry(
            iss={"essential": True, "value": metadata["issuer"]},
            sub={"essential": True},
            exp={"essential": True},
            aud={"essential": True, "values": sorted(_google_audiences())},
        ).validate(decoded.claims)
    except (JoseError, ValueError) as exc:
        raise OAuthFailed("The Google token is invalid, expired or meant for another app.") from exc
    return identity_from_claims("google", decoded.claims)


def identity_from_claims(provider: str, claims: dict[str, Any]) -> ProviderIdentity:
    return ProviderIdentity(
        provider=provider,
        subject=str(claims["sub"]),
        email=claims.get("email"),
        email_verified=claims.get("email_verified") is True,
        name=claims.get("name"),
    )


# --- Facebook ------------------------------------------------------------------------


def _facebook_api(path: str, **params: Any) -> dict[str, Any]:
    return _get_json(current_app.config["OAUTH_FACEBOOK_API_BASE"].rstrip("/") + "/" + path, **params)


def facebook_identity(access_token: str) -> ProviderIdentity:
    """Check a Facebook user token with ``debug_token`` (valid, issued to our app), then read the profile."""
    client("facebook")
    config = current_app.config
    app_id, app_secret = config["OAUTH_FACEBOOK_CLIENT_ID"], config["OAUTH_FACEBOOK_CLIENT_SECRET"]
    debug = _facebook_api("debug_token", input_token=access_token, access_token=f"{app_id}|{app_secret}").get("data")
    if not debug or not debug.get("is_valid") or str(debug.get("app_id")) != str(app_id):
        raise OAuthFailed("The Facebook token is invalid, expired or meant for another app.")
    proof = hmac.new(app_secret.encode(), access_token.encode(), hashlib.sha256).hexdigest()
    profile = _facebook_api("me", fields="id,name,email", access_token=access_token, appsecret_proof=proof)
    if str(profile.get("id")) != str(debug.get("user_id")):
        raise OAuthFailed("The Facebook profile does not match the token.")
    # Facebook only returns an e-mail address its owner has confirmed.
    return ProviderIdentity(
        "facebook", str(profile["id"]), profile.get("email"), bool(profile.get("email")), profile.get("name")
    )
