"""Domain errors raised by services and turned into responses in one place.

Services raise these; ``fantasize.web.errors`` renders them as an HTML page, an htmx
fragment or the JSON error envelope, with the status each one carries.
"""

from __future__ import annotations

from typing import Any


class AppError(Exception):
    status = 400
    code = "bad_request"
    # Most errors undo the request's changes; security records (a failed sign-in, a revoked
    # token family) set this so that what the service wrote is committed all the same.
    keep_changes = False

    def __init__(
        self, message: str, details: dict[str, Any] | None = None, headers: dict[str, str] | None = None
    ) -> None:
        super().__init__(message)
        self.message = message
        self.details = details or {}
        self.headers = headers or {}


class ValidationFailed(AppError):
    """Input that has the right shape but breaks a rule; ``details`` maps field → messages."""

    status = 422
    code = "validation_error"


class NotFound(AppError):
    status = 404
    code = "not_found"


class PermissionDenied(AppError):
    status = 403
    code = "forbidden"


class Conflict(AppError):
    status = 409
    code = "conflict"
