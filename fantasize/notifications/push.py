"""Push messages to mobile apps through Firebase Cloud Messaging (HTTP v1).

:class:`FcmProvider` authenticates as a Google service account: it signs a JWT with the
account's private key and trades it at the account's ``token_uri`` for an OAuth 2.0 access
token (RFC 7523 JWT bearer grant, via Authlib's ``AssertionSession``), kept until shortly
before it expires. Each send is one ``POST /v1/projects/<project>/messages:send``.

A send answers :attr:`PushOutcome.SENT`, or :attr:`PushOutcome.UNREGISTERED` when FCM says
the token will never work again (the caller prunes it), or raises
:class:`TransientPushError` (retry later) or :class:`PermanentPushError` (retrying the same
message cannot help). Push is off unless ``FCM_PROJECT_ID`` and ``FCM_CREDENTIALS_FILE`` are
set: :func:`push_provider` then answers ``None``.
"""

from __future__ import annotations

import enum
import json
import logging
import threading
from dataclasses import dataclass, field
from typing import Any, Protocol

import requests
from authlib.integrations.requests_client import AssertionSession
from authlib.oauth2.base import OAuth2Error
from flask import current_app
from joserfc.jwk import RSAKey

log = logging.getLogger("fantasize.notifications.push")

DEFAULT_ENDPOINT = "https://fcm.googleapis.com"
DEFAULT_TOKEN_URI = "https://oauth2.googleapis.com/token"  # noqa: S105 (a URL, not a secret)
SCOPE = "https://www.googleapis.com/auth/firebase.messaging"
TIMEOUT = 10.0
# An access token is renewed this long before it expires (Google's last an hour).
REFRESH_MARGIN = 240

FCM_ERROR_TYPE = "type.googleapis.com/google.firebase.fcm.v1.FcmError"
BAD_REQUEST_TYPE = "type.googleapis.com/google.rpc.BadRequest"
TRANSIENT_CODES = {"UNAVAILABLE", "INTERNAL", "QUOTA_EXCEEDED"}
# The token belongs to another Firebase project's sender: it can never work with ours.
DEAD_TOKEN_CODES = {"UNREGISTERED", "SENDER_ID_MISMATCH"}
INVALID_TOKEN_MESSAGE = "registration token is not a valid fcm registration token"  # noqa: S105


@dataclass(frozen=True)
class PushMessage:
    """What a push says. FCM data values must be strings; ``link`` is a path on this site."""

    title: str
    body: str
    data: dict[str, str] = field(default_factory=dict)
    link: str | None = None


class PushOutcome(enum.Enum):
    SENT = "sent"
    UNREGISTERED = "unregistered"  # the token is dead: prune it


class PushError(Exception):
    """A send that failed; ``status`` is the HTTP status (``None`` without an answer), ``code`` FCM's error code."""

    def __init__(self, message: str, *, status: int | None = None, code: str | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.code = code


class TransientPushError(PushError):
    """Worth retrying with backoff: network trouble, 429, 5xx. ``retry_after`` is FCM's hint in seconds, if any."""

    def __init__(self, message: str, *, retry_after: int | None = None, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.retry_after = retry_after


class PermanentPushError(PushError):
    """Retrying the same message will not help: a bad payload, rejected credentials, a forbidden project."""


class PushProvider(Protocol):
    def send(self, token: str, message: PushMessage) -> PushOutcome: ...


class _AccessTokens:
    """OAuth 2.0 access tokens of a service account, fetched once and shared by threads until they expire."""

    def __init__(self, credentials: dict[str, Any], timeout: float) -> None:
        token_uri = credentials.get("token_uri") or DEFAULT_TOKEN_URI
        header = {"alg": "RS256", "typ": "JWT"}
        if credentials.get("private_key_id"):
            header["kid"] = credentials["private_key_id"]
        # Google wants the scope as a claim of the assertion (not a form field), no subject.
        self._session = AssertionSession(
            token_endpoint=token_uri,
            issuer=credentials["client_email"],
            subject=None,
            audience=token_uri,
            key=RSAKey.import_key(credentials["private_key"]),
            header=header,
            default_timeout=timeout,
        )
        self._lock = threading.Lock()

    def get(self) -> str:
        with self._lock:
            token = self._session.token
            if not token or token.is_expired(leeway=REFRESH_MARGIN) is not False:
                token = self._fetch()
            return token["access_token"]

    def forget(self, access_token: str) -> None:
        """Drop ``access_token`` if it is still the cached one (FCM refused it)."""
        with self._lock:
            token = self._session.token
            if token and token.get("access_token") == access_token:
                self._session.token = None

    def _fetch(self) -> dict[str, Any]:
        # A fresh claims dict each time: Authlib stores the jti it adds in the dict it is given.
        self._session.claims = {"scope": SCOPE}
        try:
            token = self._session.refresh_token()
        except requests.HTTPError as error:
            status = error.response.status_code if error.response is not None else None
            kind = TransientPushError if status is None or status >= 500 or status == 429 else PermanentPushError
            raise kind(f"Google's token endpoint answered {status}", status=status) from error
        except requests.RequestException as error:
            raise TransientPushError(f"Google's token endpoint is unreachable: {error}") from error
        except OAuth2Error as error:
            raise PermanentPushError(
                f"Google refused the service account: {error.error} {error.description or ''}".strip(), code=error.error
            ) from error
        except ValueError as error:  # not a JSON object: a proxy's error page
            raise TransientPushError(f"Google's token endpoint answered oddly: {error}") from error
        if not token.get("access_token"):
            raise PermanentPushError("Google's token endpoint answered without an access token")
        return token


class FcmProvider:
    """Sends to one registration token at a time through FCM's HTTP v1 API."""

    def __init__(
        self, project_id: str, credentials: dict[str, Any], *, endpoint: str | None = None, timeout: float = TIMEOUT
    ) -> None:
        self.project_id = project_id
        self.url = f"{(endpoint or DEFAULT_ENDPOINT).rstrip('/')}/v1/projects/{project_id}/messages:send"
        self.timeout = timeout
        self._tokens = _AccessTokens(credentials, timeout)
        self._http = requests.Session()

    @classmethod
    def from_service_account_file(cls, project_id: str, path: str, **kwargs: Any) -> FcmProvider:
        """A provider with the service account of a Google JSON key file; an unusable file is a permanent error."""
        try:
            with open(path, encoding="utf-8") as file:
                return cls(project_id, json.load(file), **kwargs)
        except (OSError, ValueError, KeyError, TypeError) as error:
            raise PermanentPushError(
                f"FCM_CREDENTIALS_FILE {path} is not a usable service-account key: {error!r}"
            ) from error

    def send(self, token: str, message: PushMessage) -> PushOutcome:
        body = {"message": self.payload(token, message)}
        for attempt in (1, 2):
            access_token = self._tokens.get()
            try:
                response = self._http.post(
                    self.url, json=body, headers={"Authorization": f"Bearer {access_token}"}, timeout=self.timeout
                )
            except requests.RequestException as error:
                raise TransientPushError(f"FCM is unreachable: {error}") from error
            if response.status_code == 401 and attempt == 1 and _error_code(response) != "THIRD_PARTY_AUTH_ERROR":
                self._tokens.forget(access_token)  # revoked or expired early: fetch a new one, once
                continue
            return _outcome(response)
        raise AssertionError("unreachable")

    @staticmethod
    def payload(token: str, message: PushMessage) -> dict[str, Any]:
        """The v1 ``Message`` for one token: a notification, string data, and per-platform delivery options."""
        data = {str(key): str(value) for key, value in message.data.items()}
        if message.link:
            data.setdefault("link", message.link)
        payload: dict[str, Any] = {
            "token": token,
            "notification": {"title": message.title, "body": message.body},
            "android": {"priority": "HIGH"},
            "apns": {"headers": {"apns-priority": "10"}},
        }
        if data:
            payload["data"] = data
        if message.link and message.link.startswith("https://"):
            payload["webpush"] = {"fcmOptions": {"link": message.link}}
        return payload


def _error_of(response: requests.Response) -> dict[str, Any]:
    """The ``error`` object of a ``google.rpc.Status`` body (empty when the body is something else)."""
    try:
        body = response.json()
    except ValueError:
        return {}
    error = body.get("error") if isinstance(body, dict) else None
    return error if isinstance(error, dict) else {}


def _details(error: dict[str, Any], type_name: str) -> list[dict[str, Any]]:
    details = error.get("details")
    if not isinstance(details, list):
        return []
    return [item for item in details if isinstance(item, dict) and item.get("@type") == type_name]


def _error_code(response: requests.Response) -> str | None:
    """FCM's own error code (``details[].errorCode``), else the canonical ``status``."""
    error = _error_of(response)
    for detail in _details(error, FCM_ERROR_TYPE):
        if isinstance(detail.get("errorCode"), str):
            return detail["errorCode"]
    status = error.get("status")
    return status if isinstance(status, str) else None


def _names_the_token(response: requests.Response) -> bool:
    """Whether an INVALID_ARGUMENT is about the token itself, not the payload."""
    error = _error_of(response)
    for detail in _details(error, BAD_REQUEST_TYPE):
        violations = detail.get("fieldViolations") or []
        if any(isinstance(v, dict) and v.get("field") == "message.token" for v in violations):
            return True
    return INVALID_TOKEN_MESSAGE in str(error.get("message", "")).lower()


def _retry_after(response: requests.Response) -> int | None:
    value = response.headers.get("Retry-After", "")
    return int(value) if value.isdigit() else None


def _outcome(response: requests.Response) -> PushOutcome:
    status = response.status_code
    if 200 <= status < 300:
        return PushOutcome.SENT
    code = _error_code(response)
    message = _error_of(response).get("message") or response.reason
    # A bare 404 (a wrong FCM_ENDPOINT, a proxy's page) says nothing about the token.
    if code in DEAD_TOKEN_CODES or (status == 404 and _error_of(response).get("status") == "NOT_FOUND"):
        return PushOutcome.UNREGISTERED
    if status == 400 and code == "INVALID_ARGUMENT" and _names_the_token(response):
        return PushOutcome.UNREGISTERED
    if status == 429 or status >= 500 or code in TRANSIENT_CODES:
        raise TransientPushError(
            f"FCM answered {status} {code}: {message}", status=status, code=code, retry_after=_retry_after(response)
        )
    raise PermanentPushError(f"FCM answered {status} {code}: {message}", status=status, code=code)


def push_provider() -> PushProvider | None:
    """The app's push provider, or ``None`` when push is not configured (the caller logs and skips).

    Raises :class:`PermanentPushError` when the credentials file cannot be read or used.
    """
    config = current_app.config
    project_id, credentials_file = config.get("FCM_PROJECT_ID"), config.get("FCM_CREDENTIALS_FILE")
    if not project_id or not credentials_file:
        return None
    endpoint = config.get("FCM_ENDPOINT") or None
    providers: dict[tuple, FcmProvider] = current_app.extensions.setdefault("push_providers", {})
    key = (project_id, credentials_file, endpoint)
    provider = providers.get(key)
    if provider is None:
        provider = providers.setdefault(
            key, FcmProvider.from_service_account_file(project_id, credentials_file, endpoint=endpoint)
        )
    return provider
