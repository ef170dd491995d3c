"""API credentials: ``Authorization: Bearer <access JWT>`` or ``X-API-Key``.

The API never reads the browser session cookie, so it needs no CSRF token; a request
without a credential is anonymous, one with a bad credential is refused outright.
"""

from __future__ import annotations

from flask import Flask, g, request
from werkzeug.exceptions import Forbidden, Unauthorized

from fantasize.accounts.api_keys import authenticate_api_key
from fantasize.accounts.models import User
from fantasize.accounts.permissions import Principal
from fantasize.accounts.tokens import InvalidToken, user_from_access_token


def authenticate_api_request() -> None:
    if not request.path.startswith("/api/"):
        return
    g.principal = None
    authorization = request.headers.get("Authorization", "")
    api_key = request.headers.get("X-API-Key")
    if authorization:
        scheme, _, token = authorization.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise InvalidToken("Use 'Authorization: Bearer <access token>'.")
        g.principal = Principal(user_from_access_token(token.strip()), via="token")
    elif api_key:
        key = authenticate_api_key(api_key.strip())
        if key is None:
            raise InvalidToken("The API key is invalid or revoked.")
        g.principal = Principal(key.user, scopes=frozenset(key.scopes), via="api_key")


def current_api_user() -> User | None:
    principal = g.get("principal")
    return principal.user if principal else None


def init_api_auth(app: Flask) -> None:
    app.before_request(authenticate_api_request)


def require_api_user() -> User:
    """The calling user, or a 401 for anonymous API calls."""
    user = current_api_user()
    if user is None:
        raise Unauthorized("Sign in first: send an access token (Authorization: Bearer) or an API key.")
    return user


def require_interactive_user() -> User:
    """The calling user, signed in with a token (not an integration's API key): for MFA and profile changes."""
    user = require_api_user()
    if g.principal.via == "api_key":
        raise Forbidden("API keys cannot change the account itself; sign in to do this.")
    return user
