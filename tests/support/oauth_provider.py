"""A real OAuth 2.0 / OpenID Connect provider on loopback, for end-to-end login tests.

``LocalOAuthProvider`` serves a small Flask app over HTTP on ``127.0.0.1`` in a daemon thread. It speaks the
real protocols, so the application's own OAuth client code runs unmodified against it:

* ``/google`` imitates Google's OpenID Connect provider: discovery document, authorization endpoint
  (auto-approved as :attr:`LocalOAuthProvider.next_user`), token endpoint with ``client_secret_basic`` /
  ``client_secret_post`` client authentication and S256 PKCE, userinfo endpoint and a JWKS with the RS256
  signing key. A standard Authlib client registered with ``server_metadata_url=provider.google_metadata_url``
  works against it.
* ``/facebook`` imitates the Facebook login dialog and the Graph API: ``/dialog/oauth``,
  ``/oauth/access_token``, ``/debug_token`` and ``/me`` (each also under a version prefix such as ``/v19.0``),
  with Graph-style ``OAuthException`` errors.

Tokens can also be minted directly (:meth:`LocalOAuthProvider.make_id_token`,
:meth:`LocalOAuthProvider.make_facebook_token`), including expired, mis-addressed and forged ones.

Example::

    provider = LocalOAuthProvider()
    provider.start()
    try:
        provider.next_user = {"sub": "g-42", "email": "grace@example.com", "email_verified": True, "name": "Grace"}
        ...  # point the app at provider.google_metadata_url / provider.facebook_base and log in
    finally:
        provider.stop()
"""

from __future__ import annotations

import base64
import copy
import hashlib
import hmac
import secrets
import threading
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, unquote, urlencode, urlsplit, urlunsplit

from flask import Flask, Response, jsonify, redirect, request
from joserfc import jwt
from joserfc.jwk import RSAKey
from werkzeug.serving import BaseWSGIServer, make_server

__all__ = ["DEFAULT_CLIENT_ID", "DEFAULT_CLIENT_SECRET", "DEFAULT_USER", "LocalOAuthProvider"]

#: The identity :attr:`LocalOAuthProvider.next_user` starts with.
DEFAULT_USER: dict[str, Any] = {
    "sub": "g-1001",
    "email": "ada@example.com",
    "email_verified": True,
    "name": "Ada Lovelace",
}

DEFAULT_CLIENT_ID = "fantasize-test-client"
DEFAULT_CLIENT_SECRET = "fantasize-test-secret"
CODE_LIFETIME = 60
ACCESS_TOKEN_LIFETIME = 3600
GOOGLE_SCOPES = ["openid", "email", "profile"]
GOOGLE_API_SCOPE = "https://www.googleapis.com/auth/"  # e.g. .../userinfo.email, also accepted
FACEBOOK_SCOPES = ["email", "public_profile"]
FACEBOOK_APP_NAME = "Fantasize (test)"


@dataclass
class _Grant:
    """An authorization code waiting to be exchanged at a token endpoint."""

    provider: str  # "google" or "facebook"
    client_id: str
    redirect_uri: str
    user: dict[str, Any]
    scope: str
    expires_at: float
    nonce: str | None = None
    code_challenge: str | None = None


@dataclass
class _AccessToken:
    """An access token the provider has issued (Google bearer token or Facebook user token)."""

    provider: str
    app_id: str
    user: dict[str, Any]
    expires_at: int
    issued_at: int
    scopes: list[str] = field(default_factory=list)

    @property
    def expired(self) -> bool:
        return self.expires_at <= time.time()


class _ClientAuthError(Exception):
    """Client authentication failed at a token endpoint."""


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _s256(verifier: str) -> str:
    """The PKCE S256 code challenge for ``verifier`` (RFC 7636 section 4.2)."""
    return _b64url(hashlib.sha256(verifier.encode("ascii")).digest())


def _add_query(url: str, params: dict[str, str | None]) -> str:
    """``url`` with ``params`` (``None`` values skipped) appended to its query string."""
    parts = urlsplit(url)
    query = parse_qsl(parts.query, keep_blank_values=True)
    query.extend((key, value) for key, value in params.items() if value is not None)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(query), parts.fragment))


def _valid_redirect_uri(uri: str | None) -> bool:
    """An absolute http(s) URI without a fragment (RFC 6749 section 3.1.2)."""
    if not uri:
        return False
    parts = urlsplit(uri)
    return parts.scheme in ("http", "https") and bool(parts.netloc) and not parts.fragment


def _no_store(response: Response) -> Response:
    response.headers["Cache-Control"] = "no-store"
    response.headers["Pragma"] = "no-cache"
    return response


def _oauth_error(error: str, description: str, status: int = 400) -> Response:
    """An RFC 6749 section 5.2 error response."""
    response = jsonify({"error": error, "error_description": description})
    response.status_code = status
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Basic realm="google"'
    return _no_store(response)


def _graph_error(message: str, code: int, *, subcode: int | None = None, status: int = 400) -> Response:
    """A Graph API ``OAuthException`` error response."""
    error: dict[str, Any] = {"message": message, "type": "OAuthException", "code": code}
    if subcode is not None:
        error["error_subcode"] = subcode
    error["fbtrace_id"] = secrets.token_urlsafe(8)
    response = jsonify({"error": error})
    response.status_code = status
    return response


class LocalOAuthProvider:
    """A Google-style OIDC provider and a Facebook-style Graph API, served over HTTP on loopback.

    The provider knows one client, ``client_id`` / ``client_secret`` (for Facebook these are the app id and app
    secret). Its authorization endpoints approve every valid request at once as :attr:`next_user`; set
    ``next_user`` to ``None`` to simulate a user who declines (``error=access_denied``).

    Attributes for assertions: :attr:`issued_codes` lists every authorization code issued, in order, and
    :attr:`token_requests` one dict per request to a token endpoint (``provider``, ``client_id``, ``auth_method``,
    ``form`` with the submitted parameters, and ``outcome``: ``"ok"`` or the error).
    """

    def __init__(self, client_id: str = DEFAULT_CLIENT_ID, client_secret: str = DEFAULT_CLIENT_SECRET) -> None:
        """Create a stopped provider for the client ``client_id`` / ``client_secret``."""
        self.client_id = client_id
        self.client_secret = client_secret
        self.next_user: dict[str, Any] | None = copy.deepcopy(DEFAULT_USER)
        self.issued_codes: list[str] = []
        self.token_requests: list[dict[str, Any]] = []
        self._kid = f"fantasize-test-{secrets.token_hex(4)}"
        self._key = RSAKey.generate_key(2048, parameters={"kid": self._kid, "use": "sig", "alg": "RS256"}, private=True)
        # Signs forged tokens: same kid as the real key, but its public part is not published in the JWKS.
        self._foreign_key = RSAKey.generate_key(
            2048, parameters={"kid": self._kid, "use": "sig", "alg": "RS256"}, private=True
        )
        self._lock = threading.Lock()
        self._grants: dict[str, _Grant] = {}
        self._tokens: dict[str, _AccessToken] = {}
        self._server: BaseWSGIServer | None = None
        self._thread: threading.Thread | None = None
        self._base_url: str | None = None
        self.app = self._build_app()

    # -- lifecycle -------------------------------------------------------------------------------------------

    def start(self) -> None:
        """Serve the provider on a free port of ``127.0.0.1`` in a daemon thread."""
        if self._server is not None:
            raise RuntimeError("LocalOAuthProvider is already running")
        server = make_server("127.0.0.1", 0, self.app, threaded=True)
        self._server = server
        self._base_url = f"http://127.0.0.1:{server.server_port}"
        self._thread = threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.05}, name="local-oauth-provider", daemon=True
        )
        self._thread.start()

    def stop(self) -> None:
        """Stop serving; a no-op when the provider is not running."""
        if self._server is None:
            return
        self._server.shutdown()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._server = None
        self._thread = None

    def reset(self) -> None:
        """Forget issued codes, tokens and recorded requests, and restore the default :attr:`next_user`."""
        with self._lock:
            self._grants.clear()
            self._tokens.clear()
            self.issued_codes.clear()
            self.token_requests.clear()
            self.next_user = copy.deepcopy(DEFAULT_USER)

    def __enter__(self) -> LocalOAuthProvider:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    # -- URLs ------------------------------------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:<port>``; available once :meth:`start` has been called."""
        if self._base_url is None:
            raise RuntimeError("LocalOAuthProvider has not been started")
        return self._base_url

    @property
    def google_issuer(self) -> str:
        """The issuer of the Google-style provider (``iss`` of its ID tokens)."""
        return f"{self.base_url}/google"

    @property
    def google_metadata_url(self) -> str:
        """The OpenID Connect discovery document URL (Authlib's ``server_metadata_url``)."""
        return f"{self.google_issuer}/.well-known/openid-configuration"

    @property
    def facebook_base(self) -> str:
        """The root of the Facebook-style dialog and Graph API (stands for ``https://graph.facebook.com``)."""
        return f"{self.base_url}/facebook"

    @property
    def jwks(self) -> dict[str, Any]:
        """The published JSON Web Key Set (the public signing key only)."""
        return {"keys": [self._key.as_dict(private=False)]}

    # -- token minting ---------------------------------------------------------------------------------------

    def make_id_token(
        self,
        sub: str,
        email: str,
        *,
        audience: str | None = None,
        expires_in: int = 3600,
        issuer: str | None = None,
        email_verified: bool = True,
        nonce: str | None = None,
        signed_by_foreign_key: bool = False,
        name: str = "Test User",
    ) -> str:
        """An RS256 ID token (with a ``kid`` header) as the Google-style provider would issue it.

        ``audience`` defaults to ``client_id`` and ``issuer`` to :attr:`google_issuer`; a negative
        ``expires_in`` gives an already expired token. With ``signed_by_foreign_key`` the token is signed by
        another RSA key under the same ``kid``, whose public part is not in the JWKS: a forgery.
        """
        return self._id_token(
            {"sub": sub, "email": email, "email_verified": email_verified, "name": name},
            audience=audience or self.client_id,
            issuer=issuer or self.google_issuer,
            expires_in=expires_in,
            nonce=nonce,
            key=self._foreign_key if signed_by_foreign_key else self._key,
        )

    def make_facebook_token(
        self,
        user_id: str,
        email: str,
        *,
        app_id: str | None = None,
        expires_in: int = 3600,
        name: str = "Test User",
    ) -> str:
        """Register and return an opaque Facebook user access token for ``user_id``.

        ``app_id`` defaults to ``client_id``; ``debug_token`` reports a token issued to another app with that
        other ``app_id``. A negative ``expires_in`` gives an expired token (``is_valid`` false).
        """
        user = {"sub": user_id, "email": email, "name": name}
        return self._issue_token("facebook", app_id or self.client_id, user, expires_in, FACEBOOK_SCOPES, "EAA")

    # -- internals -------------------------------------------------------------------------------------------

    def _id_token(
        self,
        user: dict[str, Any],
        *,
        audience: str,
        issuer: str,
        expires_in: int,
        nonce: str | None,
        key: RSAKey,
        access_token: str | None = None,
    ) -> str:
        now = int(time.time())
        claims: dict[str, Any] = {
            "iss": issuer,
            "azp": audience,
            "aud": audience,
            "sub": str(user.get("sub", "")),
            "email": user.get("email"),
            "email_verified": bool(user.get("email_verified", True)),
            "name": user.get("name", "Test User"),
            "iat": now if expires_in > 0 else now + expires_in - 60,
            "exp": now + expires_in,
        }
        if nonce is not None:
            claims["nonce"] = nonce
        if access_token is not None:
            # OIDC Core 3.1.3.6: left-most half of the SHA-256 of the access token.
            claims["at_hash"] = _b64url(hashlib.sha256(access_token.encode("ascii")).digest()[:16])
        return jwt.encode({"alg": "RS256", "kid": self._kid}, claims, key)

    def _issue_token(
        self, provider: str, app_id: str, user: dict[str, Any], expires_in: int, scopes: list[str], prefix: str
    ) -> str:
        token = prefix + secrets.token_urlsafe(32)
        now = int(time.time())
        with self._lock:
            self._tokens[token] = _AccessToken(
                provider=provider,
                app_id=app_id,
                user=copy.deepcopy(user),
                expires_at=now + expires_in,
                issued_at=now if expires_in > 0 else now + expires_in - 60,
                scopes=list(scopes),
            )
        return token

    def _lookup_token(self, token: str | None, provider: str) -> _AccessToken | None:
        if not token:
            return None
        with self._lock:
            record = self._tokens.get(token)
        if record is None or record.provider != provider:
            return None
        return record

    def _issue_code(self, grant: _Grant) -> str:
        code = ("4_" if grant.provider == "google" else "AQ") + secrets.token_urlsafe(24)
        with self._lock:
            self._grants[code] = grant
            self.issued_codes.append(code)
        return code

    def _take_code(self, code: str) -> _Grant | None:
        """Remove and return the grant for ``code`` (codes are single use), or ``None`` if unknown or expired."""
        with self._lock:
            grant = self._grants.pop(code, None)
        if grant is None or grant.expires_at <= time.time():
            return None
        return grant

    def _record(self, provider: str, client_id: str | None, auth_method: str | None, outcome: str) -> None:
        entry = {
            "provider": provider,
            "client_id": client_id,
            "auth_method": auth_method,
            "form": request.values.to_dict(),
            "outcome": outcome,
        }
        with self._lock:
            self.token_requests.append(entry)

    def _authenticate_client(self) -> tuple[str, str]:
        """The client id and auth method of a token request, per RFC 6749 section 2.3.1."""
        form = request.form
        header = request.headers.get("Authorization", "")
        if header.lower().startswith("basic "):
            if "client_secret" in form:
                raise _ClientAuthError("more than one client authentication method used")
            try:
                decoded = base64.b64decode(header[6:].strip(), validate=True).decode("utf-8")
                raw_id, raw_secret = decoded.split(":", 1)
            except ValueError as error:
                raise _ClientAuthError("malformed HTTP Basic credentials") from error
            client_id, secret = unquote(raw_id), unquote(raw_secret)
            if form.get("client_id") not in (None, client_id):
                raise _ClientAuthError("client_id does not match the authenticated client")
            if client_id != self.client_id or not (
                hmac.compare_digest(secret, self.client_secret) or hmac.compare_digest(raw_secret, self.client_secret)
            ):
                raise _ClientAuthError("client authentication failed")
            return client_id, "client_secret_basic"
        client_id = form.get("client_id")
        secret = form.get("client_secret")
        if client_id is None or secret is None:
            raise _ClientAuthError("client authentication missing")
        if client_id != self.client_id or not hmac.compare_digest(secret, self.client_secret):
            raise _ClientAuthError("client authentication failed")
        return client_id, "client_secret_post"

    # -- the HTTP app ----------------------------------------------------------------------------------------

    def _build_app(self) -> Flask:
        app = Flask(__name__)
        app.add_url_rule("/google/.well-known/openid-configuration", view_func=self._google_discovery)
        app.add_url_rule("/google/authorize", view_func=self._google_authorize)
        app.add_url_rule("/google/token", view_func=self._google_token, methods=["POST"])
        app.add_url_rule("/google/userinfo", view_func=self._google_userinfo, methods=["GET", "POST"])
        app.add_url_rule("/google/jwks", view_func=self._google_jwks)
        for prefix in ("/facebook", "/facebook/<version>"):
            app.add_url_rule(f"{prefix}/dialog/oauth", view_func=self._facebook_dialog)
            app.add_url_rule(
                f"{prefix}/oauth/access_token", view_func=self._facebook_access_token, methods=["GET", "POST"]
            )
            app.add_url_rule(f"{prefix}/debug_token", view_func=self._facebook_debug_token)
            app.add_url_rule(f"{prefix}/me", view_func=self._facebook_me, methods=["GET", "POST"])
        return app

    # Google ------------------------------------------------------------------------------------------------

    def _google_discovery(self) -> Response:
        issuer = self.google_issuer
        return jsonify(
            {
                "issuer": issuer,
                "authorization_endpoint": f"{issuer}/authorize",
                "token_endpoint": f"{issuer}/token",
                "userinfo_endpoint": f"{issuer}/userinfo",
                "jwks_uri": f"{issuer}/jwks",
                "response_types_supported": ["code"],
                "subject_types_supported": ["public"],
                "id_token_signing_alg_values_supported": ["RS256"],
                "scopes_supported": GOOGLE_SCOPES,
                "token_endpoint_auth_methods_supported": ["client_secret_post", "client_secret_basic"],
                "claims_supported": ["aud", "email", "email_verified", "exp", "iat", "iss", "name", "sub"],
                "code_challenge_methods_supported": ["S256"],
                "grant_types_supported": ["authorization_code"],
            }
        )

    def _google_jwks(self) -> Response:
        return jsonify(self.jwks)

    def _google_authorize(self) -> Response:
        args = request.args
        client_id = args.get("client_id")
        redirect_uri = args.get("redirect_uri")
        # Errors about the client or the redirect URI must not redirect (RFC 6749 section 4.1.2.1).
        if client_id != self.client_id:
            return _oauth_error("invalid_client", "The OAuth client was not found.", 400)
        if not _valid_redirect_uri(redirect_uri):
            return _oauth_error("invalid_request", "Missing or invalid redirect_uri.", 400)
        assert redirect_uri is not None
        state = args.get("state")

        def fail(error: str, description: str) -> Response:
            params = {"error": error, "error_description": description, "state": state}
            return redirect(_add_query(redirect_uri, params), 302)

        if args.get("response_type") != "code":
            return fail("unsupported_response_type", "Only response_type=code is supported.")
        challenge = args.get("code_challenge")
        method = args.get("code_challenge_method")
        if challenge is not None and method != "S256":
            return fail("invalid_request", "code_challenge_method must be S256.")
        if challenge is None and method is not None:
            return fail("invalid_request", "code_challenge_method given without code_challenge.")
        scope = args.get("scope") or " ".join(GOOGLE_SCOPES)
        unknown = {
            name for name in scope.split() if name not in GOOGLE_SCOPES and not name.startswith(GOOGLE_API_SCOPE)
        }
        if unknown:
            return fail("invalid_scope", f"Unsupported scope: {' '.join(sorted(unknown))}.")
        user = self.next_user
        if user is None:
            return fail("access_denied", "The user denied the request.")
        code = self._issue_code(
            _Grant(
                provider="google",
                client_id=client_id,
                redirect_uri=redirect_uri,
                user=copy.deepcopy(user),
                scope=scope,
                expires_at=time.time() + CODE_LIFETIME,
                nonce=args.get("nonce"),
                code_challenge=challenge,
            )
        )
        return redirect(_add_query(redirect_uri, {"code": code, "scope": scope, "state": state}), 302)

    def _google_token(self) -> Response:
        form = request.form
        try:
            client_id, auth_method = self._authenticate_client()
        except _ClientAuthError as error:
            self._record("google", form.get("client_id"), None, "invalid_client")
            return _oauth_error("invalid_client", str(error), 401)

        def fail(error: str, description: str) -> Response:
            self._record("google", client_id, auth_method, error)
            return _oauth_error(error, description)

        grant_type = form.get("grant_type")
        if grant_type is None:
            return fail("invalid_request", "Missing grant_type.")
        if grant_type != "authorization_code":
            return fail("unsupported_grant_type", f"Unsupported grant_type {grant_type!r}.")
        code = form.get("code")
        if not code:
            return fail("invalid_request", "Missing code.")
        grant = self._take_code(code)
        if grant is None or grant.provider != "google":
            return fail("invalid_grant", "The authorization code is invalid, expired or already used.")
        if grant.client_id != client_id:
            return fail("invalid_grant", "The authorization code was issued to another client.")
        if form.get("redirect_uri") != grant.redirect_uri:
            return fail("invalid_grant", "redirect_uri does not match the authorization request.")
        verifier = form.get("code_verifier")
        if grant.code_challenge is not None:
            if not verifier:
                return fail("invalid_grant", "Missing code_verifier.")
            if not hmac.compare_digest(_s256(verifier), grant.code_challenge):
                return fail("invalid_grant", "code_verifier does not match the code_challenge.")
        elif verifier is not None:
            return fail("invalid_grant", "code_verifier given but no code_challenge was sent.")

        scopes = grant.scope.split()
        access_token = self._issue_token("google", client_id, grant.user, ACCESS_TOKEN_LIFETIME, scopes, "ya29.")
        body: dict[str, Any] = {
            "access_token": access_token,
            "token_type": "Bearer",
            "expires_in": ACCESS_TOKEN_LIFETIME,
            "scope": grant.scope,
        }
        if "openid" in scopes:
            body["id_token"] = self._id_token(
                grant.user,
                audience=client_id,
                issuer=self.google_issuer,
                expires_in=ACCESS_TOKEN_LIFETIME,
                nonce=grant.nonce,
                key=self._key,
                access_token=access_token,
            )
        self._record("google", client_id, auth_method, "ok")
        return _no_store(jsonify(body))

    def _google_userinfo(self) -> Response:
        header = request.headers.get("Authorization", "")
        token = header[7:].strip() if header.lower().startswith("bearer ") else None
        record = self._lookup_token(token, "google")
        if record is None or record.expired:
            response = jsonify({"error": "invalid_token", "error_description": "Invalid or expired access token."})
            response.status_code = 401
            response.headers["WWW-Authenticate"] = 'Bearer error="invalid_token"'
            return response
        user = record.user
        return jsonify(
            {
                "sub": str(user.get("sub", "")),
                "email": user.get("email"),
                "email_verified": bool(user.get("email_verified", True)),
                "name": user.get("name", "Test User"),
            }
        )

    # Facebook ----------------------------------------------------------------------------------------------

    def _facebook_dialog(self, version: str | None = None) -> Response:
        args = request.args
        redirect_uri = args.get("redirect_uri")
        if args.get("client_id") != self.client_id:
            return _graph_error("Invalid App ID: the app id is not valid.", 101)
        if not _valid_redirect_uri(redirect_uri):
            return _graph_error("Invalid redirect_uri: URL is not allowed.", 191)
        assert redirect_uri is not None
        state = args.get("state")
        if args.get("response_type", "code") != "code":
            return _graph_error("Only response_type=code is supported here.", 100)
        user = self.next_user
        if user is None:
            params = {
                "error": "access_denied",
                "error_code": "200",
                "error_description": "Permissions error",
                "error_reason": "user_denied",
                "state": state,
            }
            return redirect(_add_query(redirect_uri, params), 302)
        scope = args.get("scope") or "public_profile"
        code = self._issue_code(
            _Grant(
                provider="facebook",
                client_id=self.client_id,
                redirect_uri=redirect_uri,
                user=copy.deepcopy(user),
                scope=scope,
                expires_at=time.time() + CODE_LIFETIME,
            )
        )
        return redirect(_add_query(redirect_uri, {"code": code, "state": state}), 302)

    def _facebook_access_token(self, version: str | None = None) -> Response:
        values = request.values
        client_id = values.get("client_id")
        secret = values.get("client_secret")

        def fail(outcome: str, message: str, code: int, subcode: int | None = None) -> Response:
            self._record("facebook", client_id, "client_secret_post", outcome)
            return _graph_error(message, code, subcode=subcode)

        if client_id != self.client_id:
            return fail("invalid_client", "Error validating application. Invalid application ID.", 101)
        if secret is None or not hmac.compare_digest(secret, self.client_secret):
            return fail("invalid_client", "Error validating client secret.", 1)
        code = values.get("code")
        if not code:
            return fail("invalid_request", "Missing authorization code.", 100)
        grant = self._take_code(code)
        if grant is None or grant.provider != "facebook" or grant.client_id != client_id:
            return fail("invalid_grant", "Invalid verification code, expired or already used.", 100, 36007)
        if values.get("redirect_uri") != grant.redirect_uri:
            return fail(
                "invalid_grant",
                "Error validating verification code. Please make sure your redirect_uri is identical to the one "
                "you used in the OAuth dialog request",
                100,
            )
        token = self._issue_token("facebook", client_id, grant.user, ACCESS_TOKEN_LIFETIME, FACEBOOK_SCOPES, "EAA")
        self._record("facebook", client_id, "client_secret_post", "ok")
        return _no_store(jsonify({"access_token": token, "token_type": "bearer", "expires_in": ACCESS_TOKEN_LIFETIME}))

    def _facebook_debug_token(self, version: str | None = None) -> Response:
        app_token = request.args.get("access_token", "")
        app_id, _, app_secret = app_token.partition("|")
        if app_id != self.client_id or not app_secret or not hmac.compare_digest(app_secret, self.client_secret):
            return _graph_error("Invalid OAuth access token signature.", 190)
        input_token = request.args.get("input_token")
        if not input_token:
            return _graph_error("(#100) The parameter input_token is required", 100)
        record = self._lookup_token(input_token, "facebook")
        if record is None:
            return jsonify(
                {
                    "data": {
                        "error": {"code": 190, "message": "Invalid OAuth access token."},
                        "is_valid": False,
                        "scopes": [],
                    }
                }
            )
        data: dict[str, Any] = {
            "app_id": record.app_id,
            "type": "USER",
            "application": FACEBOOK_APP_NAME if record.app_id == self.client_id else "Another App",
            "data_access_expires_at": record.expires_at + 90 * 24 * 3600,
            "expires_at": record.expires_at,
            "is_valid": not record.expired,
            "issued_at": record.issued_at,
            "scopes": list(record.scopes),
            "user_id": str(record.user.get("sub", "")),
        }
        if record.expired:
            data["error"] = {
                "code": 190,
                "subcode": 463,
                "message": f"Error validating access token: Session has expired at unix time {record.expires_at}.",
            }
        return jsonify({"data": data})

    def _facebook_me(self, version: str | None = None) -> Response:
        token = request.values.get("access_token")
        header = request.headers.get("Authorization", "")
        if not token and header.lower().startswith(("bearer ", "oauth ")):
            token = header.split(None, 1)[1].strip()
        record = self._lookup_token(token, "facebook")
        if record is None:
            return _graph_error("Invalid OAuth access token data.", 190)
        if record.expired:
            message = f"Error validating access token: Session has expired at unix time {record.expires_at}."
            return _graph_error(message, 190, subcode=463)
        proof = request.values.get("appsecret_proof")
        if proof is not None:
            secret = self.client_secret if record.app_id == self.client_id else secrets.token_hex(16)
            assert token is not None
            expected = hmac.new(secret.encode(), token.encode(), hashlib.sha256).hexdigest()
            if not hmac.compare_digest(proof, expected):
                return _graph_error("Invalid appsecret_proof provided in the API argument", 100)
        user = record.user
        available = {"id": str(user.get("sub", "")), "name": user.get("name", "Test User")}
        if user.get("email") is not None:
            available["email"] = user["email"]
        fields = [name.strip() for name in request.values.get("fields", "id,name").split(",") if name.strip()]
        body = {name: available[name] for name in fields if name in available}
        body.setdefault("id", available["id"])
        return jsonify(body)
