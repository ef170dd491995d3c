"""A stand-in for Firebase Cloud Messaging (HTTP v1) and Google's OAuth token endpoint, on loopback.

``FakeFcm`` serves a small Flask app over HTTP on ``127.0.0.1`` in a daemon thread and speaks the real
protocols, so the application's FCM provider runs unmodified against it:

* ``POST /token`` is a service-account token endpoint (RFC 7523 JWT bearer grant, as Google's
  ``https://oauth2.googleapis.com/token``): it checks the assertion's RS256 signature with the public key of
  the service account written by :meth:`FakeFcm.write_service_account`, its ``iss``, ``aud``, ``scope``,
  ``iat`` and ``exp``, and answers ``{"access_token", "expires_in", "token_type"}``.
* ``POST /v1/projects/<project>/messages:send`` checks the bearer token and the project, records the request
  (:attr:`FakeFcm.sends`) and answers ``{"name": ...}``, or an error in FCM's ``google.rpc.Status`` shape:
  404 ``UNREGISTERED`` for tokens in :attr:`FakeFcm.unregistered`, 503 ``UNAVAILABLE`` for the next sends
  set with :meth:`FakeFcm.fail_next`.

Example::

    fcm = FakeFcm(project_id="fantasize-test")
    fcm.start()
    fcm.write_service_account(tmp_path / "sa.json")
    ...  # FCM_PROJECT_ID=fcm.project_id, FCM_CREDENTIALS_FILE=tmp_path / "sa.json", FCM_ENDPOINT=fcm.base_url
    fcm.stop()
"""

from __future__ import annotations

import base64
import json
import secrets
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from flask import Flask, jsonify, request
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import RSAKey
from werkzeug.serving import BaseWSGIServer, make_server

JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer"
FCM_SCOPE = "https://www.googleapis.com/auth/firebase.messaging"
FCM_ERROR_TYPE = "type.googleapis.com/google.firebase.fcm.v1.FcmError"
CANONICAL = {400: "INVALID_ARGUMENT", 401: "UNAUTHENTICATED", 403: "PERMISSION_DENIED", 404: "NOT_FOUND",
             429: "RESOURCE_EXHAUSTED", 500: "INTERNAL", 503: "UNAVAILABLE"}  # fmt: skip


def fcm_error(status: int, message: str, error_code: str | None = None):
    """An error answer shaped as FCM sends them: a ``google.rpc.Status`` with an ``FcmError`` detail."""
    error: dict[str, Any] = {"code": status, "message": message, "status": CANONICAL.get(status, "UNKNOWN")}
    if error_code:
        error["details"] = [{"@type": FCM_ERROR_TYPE, "errorCode": error_code}]
    response = jsonify({"error": error})
    response.status_code = status
    return response


@dataclass
class ServiceAccount:
    client_email: str
    private_key_id: str
    public_key: RSAKey


@dataclass
class Failure:
    status: int
    error_code: str | None
    message: str
    times: int
    token: str | None = None  # only sends to this token, or any


@dataclass
class FakeFcm:
    """The stand-in; ``token_lifetime`` is the ``expires_in`` of the access tokens it issues."""

    project_id: str = "fantasize-test"
    token_lifetime: int = 3600
    token_requests: list[dict[str, Any]] = field(default_factory=list)
    sends: list[dict[str, Any]] = field(default_factory=list)
    unregistered: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        self._accounts: dict[str, ServiceAccount] = {}
        self._access_tokens: dict[str, float] = {}  # token -> expiry (epoch seconds)
        self._failures: list[Failure] = []
        self._lock = threading.Lock()
        self._server: BaseWSGIServer | None = None
        self._thread: threading.Thread | None = None
        self.app = self._build_app()

    # -- lifecycle -------------------------------------------------------------------------------------------

    def start(self) -> None:
        self._server = make_server("127.0.0.1", 0, self.app, threaded=True)
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, name="fake-fcm", daemon=True
        )
        self._thread.start()

    def stop(self) -> None:
        if self._server is None:
            return
        self._server.shutdown()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._server = None

    @property
    def base_url(self) -> str:
        assert self._server is not None, "start() the stand-in first"
        return f"http://127.0.0.1:{self._server.server_port}"

    @property
    def token_uri(self) -> str:
        return f"{self.base_url}/token"

    # -- set-up ----------------------------------------------------------------------------------------------

    def write_service_account(self, path: Path, *, token_uri: str | None = None) -> dict[str, Any]:
        """Write a service-account JSON key file with a fresh RSA key this stand-in trusts; returns its content."""
        private_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        pem = private_key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        ).decode("ascii")
        public_pem = private_key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
        email = f"push-{secrets.token_hex(3)}@{self.project_id}.iam.gserviceaccount.com"
        key_id = secrets.token_hex(20)
        self._accounts[email] = ServiceAccount(email, key_id, RSAKey.import_key(public_pem))
        content = {
            "type": "service_account",
            "project_id": self.project_id,
            "private_key_id": key_id,
            "private_key": pem,
            "client_email": email,
            "client_id": str(secrets.randbelow(10**20)),
            "auth_uri": "https://accounts.google.com/o/oauth2/auth",
            "token_uri": token_uri or self.token_uri,
        }
        Path(path).write_text(json.dumps(content), encoding="utf-8")
        return content

    def fail_next(self, times: int, status: int = 503, error_code: str | None = "UNAVAILABLE", *, token=None) -> None:
        """Answer the next ``times`` sends (to ``token``, or any) with ``status`` and FCM's ``error_code``."""
        message = "The service is currently unavailable." if status == 503 else "Request failed."
        with self._lock:
            self._failures.append(Failure(status, error_code, message, times, token))

    def revoke_access_tokens(self) -> None:
        """Make every access token issued so far invalid (as if Google revoked them)."""
        with self._lock:
            self._access_tokens.clear()

    @property
    def issued_tokens(self) -> list[str]:
        return [entry["access_token"] for entry in self.token_requests if entry.get("access_token")]

    # -- the HTTP side ---------------------------------------------------------------------------------------

    def _build_app(self) -> Flask:
        app = Flask("fake_fcm")
        app.add_url_rule("/token", "token", self._token, methods=["POST"])
        app.add_url_rule("/v1/projects/<project>/messages:send", "send", self._send, methods=["POST"])
        return app

    def _token(self):
        form = request.form.to_dict()
        entry: dict[str, Any] = {"form": form}
        self.token_requests.append(entry)
        problem = self._check_assertion(form)
        if problem:
            entry["outcome"] = problem
            response = jsonify({"error": "invalid_grant", "error_description": problem})
            response.status_code = 400
            return response
        access_token = f"ya29.{secrets.token_urlsafe(24)}"
        with self._lock:
            self._access_tokens[access_token] = time.time() + self.token_lifetime
        entry.update(outcome="ok", access_token=access_token)
        return jsonify({"access_token": access_token, "expires_in": self.token_lifetime, "token_type": "Bearer"})

    def _check_assertion(self, form: dict[str, str]) -> str | None:
        """Why the JWT bearer grant is refused, or ``None``."""
        if form.get("grant_type") != JWT_BEARER:
            return "Invalid grant_type."
        assertion = form.get("assertion", "")
        try:  # the issuer names the key to check the signature with
            unverified_claims = json.loads(_b64decode(assertion.split(".")[1]))
            account = self._accounts.get(unverified_claims.get("iss"))
        except (ValueError, IndexError, AttributeError):
            return "Malformed assertion."
        if account is None:
            return "Invalid issuer: unknown service account."
        try:
            token = jwt.decode(assertion, account.public_key, algorithms=["RS256"])
        except JoseError:
            return "Invalid JWT Signature."
        if token.header.get("kid") not in (None, account.private_key_id):
            return "Invalid key id."
        claims = token.claims
        now = time.time()
        if claims.get("aud") != self.token_uri:
            return "Invalid JWT audience."
        if FCM_SCOPE not in str(claims.get("scope", "")).split():
            return "Missing scope https://www.googleapis.com/auth/firebase.messaging."
        iat, exp = claims.get("iat"), claims.get("exp")
        if not isinstance(iat, int) or not isinstance(exp, int):
            return "Missing iat or exp."
        if iat > now + 60 or exp < now - 60 or exp - iat > 3600:
            return "Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe."
        return None

    def _send(self, project: str):
        authorization = request.headers.get("Authorization", "")
        body = request.get_json(silent=True)
        record = {"path": request.path, "headers": dict(request.headers), "json": body}
        self.sends.append(record)
        access_token = authorization.removeprefix("Bearer ") if authorization.startswith("Bearer ") else None
        with self._lock:
            expiry = self._access_tokens.get(access_token or "")
        if expiry is None or expiry < time.time():
            record["outcome"] = 401
            return fcm_error(401, "Request had invalid authentication credentials.")
        if project != self.project_id:
            record["outcome"] = 403
            return fcm_error(403, f"Permission 'cloudmessaging.messages.create' denied on resource '{project}'.")
        message = (body or {}).get("message") if isinstance(body, dict) else None
        if not isinstance(message, dict) or not isinstance(message.get("token"), str):
            record["outcome"] = 400
            return fcm_error(400, "Invalid value at 'message'.", "INVALID_ARGUMENT")
        data = message.get("data") or {}
        if not all(isinstance(value, str) for value in data.values()):
            record["outcome"] = 400
            return fcm_error(400, "Invalid value at 'message.data' (TYPE_STRING).", "INVALID_ARGUMENT")
        token = message["token"]
        failure = self._take_failure(token)
        if failure is not None:
            record["outcome"] = failure.status
            return fcm_error(failure.status, failure.message, failure.error_code)
        if token in self.unregistered:
            record["outcome"] = 404
            return fcm_error(404, "Requested entity was not found.", "UNREGISTERED")
        record["outcome"] = 200
        return jsonify({"name": f"projects/{project}/messages/0:{secrets.randbelow(10**16)}"})

    def _take_failure(self, token: str) -> Failure | None:
        with self._lock:
            for failure in self._failures:
                if failure.times > 0 and failure.token in (None, token):
                    failure.times -= 1
                    return failure
        return None


def _b64decode(segment: str) -> bytes:
    return base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))
