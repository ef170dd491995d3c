"""API keys for integrations: shown once, stored hashed, scoped, revocable."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from fantasize.accounts import sign_ins
from fantasize.accounts.models import ApiKey, AuthSession, User
from fantasize.accounts.permissions import role_permissions
from fantasize.accounts.secrets import new_token, token_hash
from fantasize.audit import services as audit
from fantasize.db import utcnow
from fantasize.errors import NotFound, ValidationFailed
from fantasize.extensions import db

KEY_PREFIX = "fz_"
MAX_KEYS_PER_USER = 10
LAST_USED_PRECISION = timedelta(minutes=1)  # don't write on every request


def create_api_key(
    user: User, name: str, scopes: list[str], *, sign_in: AuthSession | None, ip: str | None = None
) -> tuple[ApiKey, str]:
    """A new key and its plain value (the only time it is ever available); needs a recent sign-in."""
    sign_ins.require_recent_authentication(sign_in)
    name = name.strip()
    if not name:
        raise ValidationFailed("Give the key a name.", {"name": ["Required."]})
    allowed = role_permissions(user)
    refused = sorted(set(scopes) - allowed)
    if refused:
        raise ValidationFailed(
            "A key cannot carry permissions its owner does not have.",
            {"scopes": [f"Not allowed: {', '.join(refused)}"]},
        )
    if len([key for key in list_api_keys(user) if key.active]) >= MAX_KEYS_PER_USER:
        raise ValidationFailed(f"You can have up to {MAX_KEYS_PER_USER} active keys.", {"name": ["Too many keys."]})
    secret = new_token()
    plain = f"{KEY_PREFIX}{secret}"
    key = ApiKey(user_id=user.id, name=name, prefix=plain[:10], key_hash=token_hash(plain), scopes=sorted(set(scopes)))
    db.session.add(key)
    db.session.flush()
    audit.record(
        "api_key.created",
        actor_id=user.id,
        target=f"api_key:{key.id}",
        after={"name": name, "scopes": key.scopes},
        ip=ip,
    )
    return key, plain


def list_api_keys(user: User) -> list[ApiKey]:
    return list(db.session.scalars(select(ApiKey).where(ApiKey.user_id == user.id).order_by(ApiKey.id.desc())))


def revoke_api_key(user: User, key_id: int, *, ip: str | None = None) -> ApiKey:
    key = db.session.scalar(select(ApiKey).where(ApiKey.id == key_id, ApiKey.user_id == user.id))
    if key is None:
        raise NotFound("No such API key.")
    if key.revoked_at is None:
        key.revoked_at = utcnow()
        audit.record("api_key.revoked", actor_id=user.id, target=f"api_key:{key.id}", ip=ip)
    db.session.flush()
    return key


def authenticate_api_key(plain: str) -> ApiKey | None:
    """The active key with this value (and its active owner), or ``None``."""
    if not plain.startswith(KEY_PREFIX):
        return None
    key = db.session.scalar(select(ApiKey).where(ApiKey.key_hash == token_hash(plain)))
    if key is None or key.revoked_at is not None or not key.user.is_active:
        return None
    now = utcnow()
    if key.last_used_at is None or now - key.last_used_at > LAST_USED_PRECISION:
        key.last_used_at = now
        db.session.flush()
    return key
