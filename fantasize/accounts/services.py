"""Account rules shared by the pages and the API: sign-up, sign-in, MFA, passwords, roles."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import func, select, update

from fantasize import events
from fantasize.accounts import mfa, sign_ins
from fantasize.accounts.models import ApiKey, AuthSession, OAuthIdentity, PasswordResetToken, Role, User
from fantasize.accounts.oauth import OAuthFailed, ProviderIdentity
from fantasize.accounts.passwords import hash_password, password_problems, verify_password
from fantasize.accounts.permissions import ROLE_RANK
from fantasize.accounts.secrets import new_token, token_hash
from fantasize.audit import services as audit
from fantasize.db import utcnow
from fantasize.errors import AppError, Conflict, NotFound, PermissionDenied, ValidationFailed
from fantasize.extensions import db
from fantasize.media.images import AVATAR, clean_image
from fantasize.media.storage import delete_after_commit, save_for_transaction

RESET_TOKEN_TTL = timedelta(hours=1)


class InvalidCredentials(AppError):
    status = 401
    code = "invalid_credentials"
    keep_changes = True  # the failed attempt stays in the audit log


class MfaRequired(AppError):
    status = 401
    code = "mfa_required"


def normalize_email(email: str) -> str:
    return email.strip().lower()


def find_user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(func.lower(User.email) == normalize_email(email)))


def check_new_password(password: str, *, email: str | None = None, username: str | None = None) -> None:
    problems = password_problems(password, email=email, username=username)
    if problems:
        raise ValidationFailed(problems[0], {"password": problems})


def register_user(
    email: str, password: str | None, username: str | None = None, role: str = Role.CUSTOMER, *, ip: str | None = None
) -> User:
    email = normalize_email(email)
    if find_user_by_email(email) is not None:
        raise Conflict("An account with this e-mail already exists.", {"email": ["Already registered."]})
    if password is not None:
        check_new_password(password, email=email, username=username)
    user = User(
        email=email,
        username=(username or "").strip() or None,
        role=str(role),
        password_hash=hash_password(password) if password is not None else None,
    )
    db.session.add(user)
    db.session.flush()
    audit.record("user.registered", actor_id=user.id, target=f"user:{user.id}", after={"role": user.role}, ip=ip)
    events.publish("user.registered", {"user_id": user.id})
    return user


def authenticate(email: str, password: str, *, ip: str | None = None) -> User:
    """The user with these credentials (the second factor is checked separately)."""
    user = find_user_by_email(email)
    valid = verify_password(password, user.password_hash if user else None)
    if user is None or not valid or not user.is_active:
        audit.record(
            "auth.login_failed",
            actor_id=user.id if user else None,
            target=f"user:{user.id}" if user else None,
            after={"reason": "bad_password" if user else "unknown_email"},
            ip=ip,
        )
        raise InvalidCredentials("The e-mail address or password is not right.")
    return user


def check_second_factor(user: User, code: str | None, *, ip: str | None = None) -> None:
    """Require a TOTP or recovery code when the user has MFA on."""
    if not user.mfa_enabled:
        return
    if not code:
        raise MfaRequired("Enter the 6-digit code from your authenticator app, or a recovery code.")
    if not mfa.check_second_factor(user, code):
        audit.record("auth.mfa_failed", actor_id=user.id, target=f"user:{user.id}", ip=ip)
        message = "That code is not right, or it was already used."
        raise InvalidCredentials(message, {"otp": [message]})


def record_sign_in(user: User, method: str, *, ip: str | None = None) -> None:
    user.last_login_at = utcnow()
    audit.record("auth.login", actor_id=user.id, target=f"user:{user.id}", after={"method": method}, ip=ip)


def finish_sign_in(
    user: User, method: str, otp: str | None, *, ip: str | None = None, code_on_next_page: bool = False
) -> bool:
    """The one sign-in sequence after a first factor (password or provider): second factor, then the record.

    Returns ``False`` when the browser must still ask for the code on a page of its own
    (``code_on_next_page``); the API sends the code with the credentials instead.
    """
    if user.mfa_enabled and not otp and code_on_next_page:
        return False
    check_second_factor(user, otp, ip=ip)
    record_sign_in(user, f"{method}+mfa" if user.mfa_enabled else method, ip=ip)
    return True


def sign_in(email: str, password: str, otp: str | None = None, *, ip: str | None = None) -> User:
    user = authenticate(email, password, ip=ip)
    finish_sign_in(user, "password", otp, ip=ip)
    return user


def reauthenticate(
    user: User,
    sign_in: AuthSession | None,
    password: str | None = None,
    otp: str | None = None,
    *,
    ip: str | None = None,
) -> None:
    """Prove again, on this sign-in, who is at the keyboard: the password, or a code for MFA users."""
    if sign_in is None:
        raise PermissionDenied("Sign in to confirm your identity.")
    if otp and user.mfa_enabled:
        proved = mfa.check_second_factor(user, otp)
    elif password and user.password_hash:
        proved = verify_password(password, user.password_hash)
    else:
        field = "otp" if user.mfa_enabled else "password"
        raise ValidationFailed("Enter your password or a code from your authenticator app.", {field: ["Required."]})
    if not proved:
        audit.record("auth.reauthentication_failed", actor_id=user.id, target=f"user:{user.id}", ip=ip)
        if otp and user.mfa_enabled:
            raise InvalidCredentials("That code is not right.", {"otp": ["Not right, or already used."]})
        raise InvalidCredentials("That password is not right.", {"password": ["That password is not right."]})
    sign_ins.mark_authenticated(sign_in)
    audit.record("auth.reauthenticated", actor_id=user.id, target=f"user:{user.id}", ip=ip)


# --- MFA -----------------------------------------------------------------------------


@dataclass(frozen=True)
class MfaEnrolment:
    secret: str
    provisioning_uri: str
    qr_svg: str


def begin_mfa_setup(user: User, sign_in: AuthSession | None) -> MfaEnrolment:
    """A new, not yet active, TOTP secret (kept encrypted until the user confirms a code)."""
    sign_ins.require_recent_authentication(sign_in)
    if user.mfa_enabled:
        raise Conflict("Two-factor authentication is already on; turn it off first to change it.")
    secret = mfa.new_secret()
    user.mfa_secret_encrypted = mfa.encrypt_secret(secret)
    db.session.flush()
    uri = mfa.provisioning_uri(user, secret)
    return MfaEnrolment(secret=secret, provisioning_uri=uri, qr_svg=mfa.qr_code_svg(uri))


def pending_mfa_enrolment(user: User) -> MfaEnrolment | None:
    secret = mfa.decrypt_secret(user.mfa_secret_encrypted or "")
    if user.mfa_enabled or not secret:
        return None
    uri = mfa.provisioning_uri(user, secret)
    return MfaEnrolment(secret=secret, provisioning_uri=uri, qr_svg=mfa.qr_code_svg(uri))


def confirm_mfa_setup(user: User, code: str, sign_in: AuthSession | None, *, ip: str | None = None) -> list[str]:
    """Turn MFA on once a code from the new secret checks out; returns the recovery codes (shown once).

    Every other sign-in ends: they were made without the second factor.
    """
    sign_ins.require_recent_authentication(sign_in)
    secret = mfa.decrypt_secret(user.mfa_secret_encrypted or "")
    if user.mfa_enabled or not secret:
        raise Conflict("Start the two-factor set-up first.")
    if not mfa.verify_totp(user, secret, code):
        message = "That code is not right; check that your device's clock is set automatically."
        raise ValidationFailed(message, {"otp": [message]})
    user.mfa_enabled = True
    codes = mfa.new_recovery_codes(user)
    sign_ins.end_other_sign_ins(user, keep=sign_in)
    audit.record("auth.mfa_enabled", actor_id=user.id, target=f"user:{user.id}", ip=ip)
    return codes


def disable_mfa(user: User, password: str, code: str, sign_in: AuthSession | None, *, ip: str | None = None) -> None:
    sign_ins.require_recent_authentication(sign_in)
    if not user.mfa_enabled:
        raise Conflict("Two-factor authentication is not on.")
    if user.password_hash and not verify_password(password, user.password_hash):
        raise ValidationFailed("Your password is not right.", {"password": ["Wrong password."]})
    if not mfa.check_second_factor(user, code):
        raise ValidationFailed("That code is not right.", {"otp": ["That code is not right."]})
    user.mfa_enabled = False
    user.mfa_secret_encrypted = None
    user.mfa_last_step = None
    mfa.clear_recovery_codes(user)
    audit.record("auth.mfa_disabled", actor_id=user.id, target=f"user:{user.id}", ip=ip)


# --- passwords -------------------------------------------------------------------------


def revoke_other_credentials(user: User, keep: AuthSession | None = None) -> None:
    """After a password change or reset: every other sign-in, every API key and reset link stops working."""
    now = utcnow()
    sign_ins.end_other_sign_ins(user, keep=keep)
    db.session.execute(
        update(ApiKey).where(ApiKey.user_id == user.id, ApiKey.revoked_at.is_(None)).values(revoked_at=now)
    )
    db.session.execute(
        update(PasswordResetToken)
        .where(PasswordResetToken.user_id == user.id, PasswordResetToken.used_at.is_(None))
        .values(used_at=now)
    )


def change_password(user: User, current: str, new: str, sign_in: AuthSession | None, *, ip: str | None = None) -> None:
    """A new password from a signed-in user; this sign-in stays, every other credential ends."""
    if user.password_hash:
        if not verify_password(current, user.password_hash):
            raise ValidationFailed("Your current password is not right.", {"current_password": ["Wrong password."]})
    else:
        sign_ins.require_recent_authentication(sign_in)  # no password to prove: a recent sign-in must
    check_new_password(new, email=user.email, username=user.username)
    user.password_hash = hash_password(new)
    if sign_in is not None:
        sign_ins.mark_authenticated(sign_in)
    revoke_other_credentials(user, keep=sign_in)
    audit.record("auth.password_changed", actor_id=user.id, target=f"user:{user.id}", ip=ip)


def create_password_reset(email: str) -> tuple[User, str] | None:
    """A single-use reset token for the account, or ``None`` when no such account exists."""
    user = find_user_by_email(email)
    if user is None or not user.is_active:
        return None
    token = new_token()
    db.session.add(
        PasswordResetToken(user_id=user.id, token_hash=token_hash(token), expires_at=utcnow() + RESET_TOKEN_TTL)
    )
    db.session.flush()
    return user, token


def _usable_reset_token(token: str) -> PasswordResetToken:
    row = db.session.scalar(
        select(PasswordResetToken).where(PasswordResetToken.token_hash == token_hash(token)).with_for_update()
    )
    if row is None or row.used_at is not None or row.expires_at <= utcnow():
        raise ValidationFailed(
            "This reset link is invalid, expired or already used; ask for a new one.", {"token": ["Invalid token."]}
        )
    return row


def reset_link_usable(token: str) -> bool:
    """Whether an e-mailed reset link can still be opened (a read: opening happens on a POST)."""
    row = db.session.scalar(select(PasswordResetToken).where(PasswordResetToken.token_hash == token_hash(token)))
    return row is not None and row.used_at is None and row.expires_at > utcnow()


def open_password_reset(token: str) -> str:
    """Trade the token from an e-mailed link for a new one, so the link is dead once opened.

    The link's token has passed through the address bar (and maybe proxies and logs); the new
    one only lives in the opening browser's session, until the same expiry.
    """
    row = _usable_reset_token(token)
    row.used_at = utcnow()
    fresh = new_token()
    db.session.add(PasswordResetToken(user_id=row.user_id, token_hash=token_hash(fresh), expires_at=row.expires_at))
    db.session.flush()
    return fresh


def reset_password(token: str, new_password: str, *, ip: str | None = None) -> User:
    row = _usable_reset_token(token)
    user = db.session.get(User, row.user_id)
    check_new_password(new_password, email=user.email, username=user.username)
    row.used_at = utcnow()
    user.password_hash = hash_password(new_password)
    # Recovering an account also shuts out whatever a hijacker may have set up: sessions, keys, other links.
    revoke_other_credentials(user)
    audit.record("auth.password_reset", actor_id=user.id, target=f"user:{user.id}", ip=ip)
    return user


# --- profile and roles -----------------------------------------------------------------

PROFILE_FIELDS = ("username", "phone", "gender", "date_of_birth")


def update_profile(user: User, changes: dict[str, Any]) -> User:
    for field in PROFILE_FIELDS:
        if field in changes:
            value = changes[field]
            setattr(user, field, value.strip() or None if isinstance(value, str) else value)
    db.session.flush()
    return user


def set_avatar(user: User, upload: bytes, *, max_bytes: int) -> None:
    """Check and re-encode a new profile picture; the old file goes once the change is committed."""
    image = clean_image(upload, max_bytes=max_bytes, field="avatar", purpose=AVATAR)
    old = user.avatar_path
    user.avatar_path = save_for_transaction("avatars", image.data, image.extension)
    delete_after_commit(old)
    db.session.flush()


def change_role(actor: User, target: User, role: str, *, ip: str | None = None) -> User:
    if role not in {r.value for r in Role}:
        raise ValidationFailed("Unknown role.", {"role": ["Choose customer, manager or admin."]})
    if actor.id == target.id:
        raise PermissionDenied("You cannot change your own role.")
    if ROLE_RANK[Role(role)] > ROLE_RANK[Role(actor.role)]:
        raise PermissionDenied("You cannot grant a role above your own.")
    before = target.role
    if before == role:
        return target
    target.role = role
    sign_ins.end_other_sign_ins(target)  # new rights take effect on the next sign-in, old tokens die now
    audit.record(
        "user.role_changed",
        actor_id=actor.id,
        target=f"user:{target.id}",
        before={"role": before},
        after={"role": role},
        ip=ip,
    )
    return target


def get_user(user_id: str) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound("No such user.")
    return user


# --- OAuth -----------------------------------------------------------------------------


def sign_in_with_identity(identity: ProviderIdentity, *, ip: str | None = None) -> User:
    """The user behind a verified provider identity: linked before, linked now by verified e-mail, or new."""
    link = db.session.scalar(
        select(OAuthIdentity).where(
            OAuthIdentity.provider == identity.provider, OAuthIdentity.subject == identity.subject
        )
    )
    if link is not None:
        user = db.session.get(User, link.user_id)
    else:
        if not identity.email or not identity.email_verified:
            raise OAuthFailed(f"Your {identity.provider} account has no verified e-mail address to sign in with.")
        user = find_user_by_email(identity.email)
        if user is not None and user.password_hash:
            # Nobody proved owning that address when the password account was made: linking it
            # automatically would let whoever registered it first share the account.
            raise OAuthFailed(
                f"An account with {identity.email} already exists. Sign in with its password; "
                "you can then keep using it as before.",
                {"email": ["Already registered with a password."]},
            )
        if user is None:
            user = register_user(identity.email, None, identity.name, ip=ip)
        db.session.add(
            OAuthIdentity(user_id=user.id, provider=identity.provider, subject=identity.subject, email=identity.email)
        )
        audit.record(
            "auth.oauth_linked",
            actor_id=user.id,
            target=f"user:{user.id}",
            after={"provider": identity.provider},
            ip=ip,
        )
        db.session.flush()
    if user is None or not user.is_active:
        raise InvalidCredentials("This account is disabled.")
    return user
