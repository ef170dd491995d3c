"""Roles, named permissions, and the one check used by pages and API alike."""

from __future__ import annotations

from collections.abc import Callable
from copy import deepcopy
from functools import wraps
from typing import Any

from flask import current_app, g, redirect, request, url_for
from flask_login import current_user
from werkzeug.exceptions import Forbidden, Unauthorized

from fantasize.accounts.models import Role, User
from fantasize.extensions import admin_api_limit

PERMISSIONS: dict[str, str] = {
    "catalog.write": "Create and edit products, packages, categories and offers",
    "orders.manage": "Move orders through their lifecycle and review customizations",
    "users.manage": "Manage user accounts and roles",
    "reports.view": "See reports, exports and the audit log",
    "notifications.send": "Send notifications to users and roles",
    "realtime.admin": "Use the realtime admin tools",
    "jobs.manage": "See background jobs that failed and retry them",
}

ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    Role.CUSTOMER: frozenset(),
    Role.MANAGER: frozenset({"catalog.write", "orders.manage", "reports.view"}),
    Role.ADMIN: frozenset(PERMISSIONS),
}

ROLE_RANK = {Role.CUSTOMER: 0, Role.MANAGER: 1, Role.ADMIN: 2}


def mfa_required_for(user: User) -> bool:
    return user.role in current_app.config.get("MFA_REQUIRED_ROLES", ())


def role_permissions(user: User) -> frozenset[str]:
    """What the user's role allows; staff who must use MFA get nothing until they enrol."""
    if mfa_required_for(user) and not user.mfa_enabled:
        return frozenset()
    return ROLE_PERMISSIONS.get(user.role, frozenset())


class Principal:
    """Who is calling: a user, and the permissions this credential carries."""

    def __init__(self, user: User, scopes: frozenset[str] | None = None, via: str = "session") -> None:
        self.user = user
        self.via = via
        granted = role_permissions(user)
        self.permissions = granted if scopes is None else granted & scopes

    def can(self, permission: str) -> bool:
        return permission in self.permissions


def current_principal() -> Principal | None:
    """The API credential's principal, or the signed-in browser user's."""
    if request.path.startswith("/api/"):
        return g.get("principal")
    if current_user.is_authenticated:
        return Principal(current_user._get_current_object())
    return None


def _refuse_anonymous() -> Any:
    if request.path.startswith("/api/"):
        raise Unauthorized("Sign in first: send an access token (Authorization: Bearer) or an API key.")
    return redirect(url_for("accounts.login", next=request.full_path.rstrip("?")))


def _document_security(wrapper: Callable, note: str) -> Callable:
    """Tell the OpenAPI document (flask-smorest reads ``_apidoc``) that a credential is needed."""
    doc = deepcopy(getattr(wrapper, "_apidoc", {}))
    manual = doc.setdefault("manual_doc", {})
    manual["security"] = [{"bearerAuth": []}, {"apiKey": []}]
    manual["description"] = f"{manual.get('description', '')}\n\n{note}".strip()
    wrapper._apidoc = doc
    return wrapper


def login_required(view: Callable) -> Callable:
    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if current_principal() is None:
            return _refuse_anonymous()
        return view(*args, **kwargs)

    return _document_security(wrapper, "Requires a signed-in user.")


def permission_required(permission: str) -> Callable[[Callable], Callable]:
    """Let through callers whose credential carries ``permission``; 401/redirect or 403 otherwise.

    API calls through it also count against ``RATE_LIMIT_ADMIN`` for the calling user.
    """
    if permission not in PERMISSIONS:
        raise ValueError(f"unknown permission {permission!r}")

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            principal = current_principal()
            if principal is None:
                return _refuse_anonymous()
            if not principal.can(permission):
                if mfa_required_for(principal.user) and not principal.user.mfa_enabled:
                    raise Forbidden("Staff accounts must turn on two-factor authentication first.")
                raise Forbidden(f"You need the {permission!r} permission for this.")
            return view(*args, **kwargs)

        return _document_security(admin_api_limit(wrapper), f"Requires the `{permission}` permission.")

    return decorator
