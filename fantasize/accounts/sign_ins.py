"""Sign-ins: one revocable record per browser session or API token family.

A browser session cookie, a remember cookie and an access token each name their sign-in;
they work only while it is not revoked. Signing out revokes one sign-in; a password
change or reset, a role change and turning MFA on revoke the others. Sensitive account
actions also need a recent proof of identity on the sign-in making them.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, update

from fantasize.accounts.models import AuthSession, RefreshToken, User
from fantasize.db import utcnow
from fantasize.errors import AppError
from fantasize.extensions import db

BROWSER = "browser"
TOKEN = "token"  # noqa: S105 - a kind of sign-in, not a secret
RECENT_AUTHENTICATION = timedelta(minutes=10)


class ReauthenticationRequired(AppError):
    status = 403
    code = "reauthentication_required"


def start_sign_in(user: User, kind: str) -> AuthSession:
    """A new sign-in for ``user``, attached to it as its current one."""
    sign_in = AuthSession(user_id=user.id, kind=kind, authenticated_at=utcnow())
    db.session.add(sign_in)
    db.session.flush()
    user.current_sign_in = sign_in
    return sign_in


def active_user(sign_in_id: str) -> User | None:
    """The active user of a sign-in that has not been revoked (one query), or ``None``."""
    row = db.session.execute(
        select(User, AuthSession)
        .join(AuthSession, AuthSession.user_id == User.id)
        .where(AuthSession.id == sign_in_id, AuthSession.revoked_at.is_(None))
    ).first()
    if row is None or not row.User.is_active:
        return None
    user, sign_in = row
    user.current_sign_in = sign_in
    return user


def revoke(sign_in_id: str) -> None:
    """End one sign-in: its session, remember cookie, access and refresh tokens."""
    now = utcnow()
    db.session.execute(
        update(AuthSession).where(AuthSession.id == sign_in_id, AuthSession.revoked_at.is_(None)).values(revoked_at=now)
    )
    db.session.execute(
        update(RefreshToken)
        .where(RefreshToken.family_id == sign_in_id, RefreshToken.revoked_at.is_(None))
        .values(revoked_at=now)
    )


def end_other_sign_ins(user: User, keep: AuthSession | None = None) -> None:
    """Sign ``user`` out everywhere except ``keep`` (everywhere when ``None``)."""
    now = utcnow()
    sessions = update(AuthSession).where(AuthSession.user_id == user.id, AuthSession.revoked_at.is_(None))
    tokens = update(RefreshToken).where(RefreshToken.user_id == user.id, RefreshToken.revoked_at.is_(None))
    if keep is not None:
        sessions = sessions.where(AuthSession.id != keep.id)
        tokens = tokens.where(RefreshToken.family_id != keep.id)
    db.session.execute(sessions.values(revoked_at=now))
    db.session.execute(tokens.values(revoked_at=now))


def is_recent(sign_in: AuthSession | None) -> bool:
    return sign_in is not None and sign_in.authenticated_at > utcnow() - RECENT_AUTHENTICATION


def require_recent_authentication(sign_in: AuthSession | None) -> None:
    """Sensitive account actions need a proof of identity from the last few minutes."""
    if not is_recent(sign_in):
        minutes = int(RECENT_AUTHENTICATION.total_seconds() // 60)
        raise ReauthenticationRequired(
            f"Confirm it's you first: re-enter your password (or a code from your authenticator app) "
            f"— it counts for {minutes} minutes.",
            {"reauthenticate": ["Confirm your identity, then try again."]},
        )


def mark_authenticated(sign_in: AuthSession) -> None:
    sign_in.authenticated_at = utcnow()
    db.session.flush()
