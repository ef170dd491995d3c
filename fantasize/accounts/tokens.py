"""Access JWTs and rotating refresh tokens for the mobile API.

Access tokens are short-lived HS256 JWTs (joserfc, from the Authlib authors) naming their
sign-in (``sid``); they stop working the moment that sign-in is revoked. Refresh tokens are
random strings stored as hashes; a sign-in's refresh tokens form one family (its id), each
use replaces the token with a new one of the family, and presenting an already-used token
revokes the sign-in (someone replayed a stolen token).
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import OctKey
from joserfc.jwt import JWTClaimsRegistry
from sqlalchemy import select

from fantasize.accounts import sign_ins
from fantasize.accounts.models import RefreshToken, User
from fantasize.accounts.secrets import new_token, token_hash
from fantasize.db import utcnow
from fantasize.errors import AppError
from fantasize.extensions import db

ISSUER = "fantasize"
ACCESS_TOKEN_TTL = timedelta(minutes=15)
REFRESH_TOKEN_TTL = timedelta(days=30)


class InvalidToken(AppError):
    status = 401
    code = "invalid_token"


class RefreshTokenReused(InvalidToken):
    keep_changes = True  # the family revocation must survive the error response


@dataclass(frozen=True)
class TokenPair:
    access_token: str
    refresh_token: str
    expires_in: int
    token_type: str = "Bearer"  # noqa: S105 - the scheme name, not a secret


def _signing_key() -> OctKey:
    secret = current_app.config.get("JWT_SECRET_KEY") or current_app.config["SECRET_KEY"]
    # A derived key, so the JWT key differs from the session-signing key.
    derived = hashlib.sha256(b"fantasize.jwt:" + secret.encode("utf-8")).digest()
    return OctKey.import_key(derived)


def issue_access_token(user: User) -> str:
    """An access token for ``user``'s current sign-in."""
    now = utcnow()
    claims = {
        "iss": ISSUER,
        "sub": user.id,
        "sid": user.current_sign_in.id,
        "role": user.role,
        "typ": "access",
        "jti": uuid.uuid4().hex,
        "iat": int(now.timestamp()),
        "exp": int((now + ACCESS_TOKEN_TTL).timestamp()),
    }
    return jwt.encode({"alg": "HS256"}, claims, _signing_key())


_CLAIMS = JWTClaimsRegistry(
    iss={"essential": True, "value": ISSUER},
    sub={"essential": True},
    sid={"essential": True},
    exp={"essential": True},
    typ={"essential": True, "value": "access"},
)


def user_from_access_token(token: str) -> User:
    """The active user a valid access token speaks for; :class:`InvalidToken` otherwise."""
    try:
        decoded = jwt.decode(token, _signing_key(), algorithms=["HS256"])
        _CLAIMS.validate(decoded.claims)
    except (JoseError, ValueError) as exc:
        raise InvalidToken("The access token is invalid or expired.") from exc
    user = sign_ins.active_user(str(decoded.claims["sid"]))
    if user is None or user.id != decoded.claims["sub"]:
        raise InvalidToken("The access token has been revoked.")
    return user


def _new_refresh_token(user: User, family_id: str) -> str:
    token = new_token()
    db.session.add(
        RefreshToken(
            user_id=user.id,
            family_id=family_id,
            token_hash=token_hash(token),
            expires_at=utcnow() + REFRESH_TOKEN_TTL,
        )
    )
    return token


def issue_token_pair(user: User) -> TokenPair:
    """A new sign-in, whose id is the family of its refresh tokens."""
    sign_in = sign_ins.start_sign_in(user, sign_ins.TOKEN)
    refresh = _new_refresh_token(user, sign_in.id)
    db.session.flush()
    return TokenPair(issue_access_token(user), refresh, int(ACCESS_TOKEN_TTL.total_seconds()))


def rotate_refresh_token(token: str) -> TokenPair:
    """Trade a refresh token for a new pair; replaying a used token revokes its family.

    The row is locked so that two concurrent uses of one token cannot both succeed.
    """
    row = db.session.scalar(select(RefreshToken).where(RefreshToken.token_hash == token_hash(token)).with_for_update())
    if row is None or row.revoked_at is not None or row.expires_at <= utcnow():
        raise InvalidToken("The refresh token is invalid, expired or revoked.")
    if row.used_at is not None:
        sign_ins.revoke(row.family_id)
        raise RefreshTokenReused("This refresh token was already used; every session of that sign-in is now revoked.")
    user = sign_ins.active_user(row.family_id)
    if user is None:
        raise InvalidToken("The sign-in has ended or the account is not active.")
    row.used_at = utcnow()
    refresh = _new_refresh_token(user, row.family_id)
    db.session.flush()
    return TokenPair(issue_access_token(user), refresh, int(ACCESS_TOKEN_TTL.total_seconds()))


def revoke_refresh_token(token: str) -> None:
    """Sign out: end the sign-in of ``token`` with its access tokens (unknown tokens are ignored)."""
    row = db.session.scalar(select(RefreshToken).where(RefreshToken.token_hash == token_hash(token)))
    if row is not None:
        sign_ins.revoke(row.family_id)
