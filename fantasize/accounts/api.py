"""Accounts JSON endpoints: auth, the caller's own profile and addresses, admin users."""

from __future__ import annotations

from flask import Response, request
from werkzeug.exceptions import BadRequest

from fantasize.accounts import addresses as address_service
from fantasize.accounts import jobs, services, tokens
from fantasize.accounts import users as users_service
from fantasize.accounts.oauth import facebook_identity, verify_google_id_token
from fantasize.accounts.permissions import login_required, permission_required
from fantasize.accounts.ratelimits import auth_rate_limited, by_caller, by_token
from fantasize.accounts.schemas import (
    AddressSchema,
    ForgotPasswordSchema,
    LoginSchema,
    MessageSchema,
    MfaDisableSchema,
    MfaSetupSchema,
    OAuthExchangeSchema,
    OtpSchema,
    ProfileUpdateSchema,
    ReauthenticateSchema,
    RecoveryCodesSchema,
    RefreshSchema,
    RegisteredSchema,
    RegisterSchema,
    ResetPasswordSchema,
    RoleChangeSchema,
    TokenPairSchema,
    UserListQuerySchema,
    UserSchema,
)
from fantasize.api.auth import require_api_user, require_interactive_user
from fantasize.api.envelope import ApiBlueprint
from fantasize.api.fields import partial_schema
from fantasize.api.pagination import decode_cursor, encode_cursor, set_pagination

auth_bp = ApiBlueprint("auth", __name__, description="Sign-up, sign-in, tokens, MFA and password reset")
me_bp = ApiBlueprint("me", __name__, description="The signed-in user's profile and addresses", signed_in=True)
admin_users_bp = ApiBlueprint("admin_users", __name__, description="Users and roles (admin)")


def _ip() -> str | None:
    return request.remote_addr


@auth_bp.post("/register")
@auth_rate_limited(count_only_failures=False)
@auth_bp.arguments(RegisterSchema)
@auth_bp.response(201, RegisteredSchema)
def register(body: dict):
    """Create a customer account."""
    user = services.register_user(body["email"], body["password"], body.get("username"), ip=_ip())
    return {"user": user}


@auth_bp.post("/login")
@auth_rate_limited()
@auth_bp.arguments(LoginSchema)
@auth_bp.response(200, TokenPairSchema)
def login(body: dict):
    """Exchange credentials (and the MFA code when enabled) for an access and a refresh token."""
    user = services.sign_in(body["email"], body["password"], body.get("otp"), ip=_ip())
    return tokens.issue_token_pair(user)


@auth_bp.post("/refresh")
@auth_bp.arguments(RefreshSchema)
@auth_bp.response(200, TokenPairSchema)
def refresh(body: dict):
    """Rotate a refresh token. A token can be used once; reusing one revokes its whole family."""
    return tokens.rotate_refresh_token(body["refresh_token"])


@auth_bp.post("/logout")
@auth_bp.arguments(RefreshSchema)
@auth_bp.response(200, MessageSchema)
def logout(body: dict):
    """End the sign-in of this refresh token: it, its successors and its access tokens stop working."""
    tokens.revoke_refresh_token(body["refresh_token"])
    return {"message": "Signed out."}


@auth_bp.post("/mfa/setup")
@login_required
@auth_rate_limited(account_key=by_caller, count_only_failures=False)
@auth_bp.response(200, MfaSetupSchema)
def mfa_setup():
    """Start TOTP enrolment: returns the secret and an otpauth:// URI for a QR code."""
    user = require_interactive_user()
    return services.begin_mfa_setup(user, user.current_sign_in)


@auth_bp.post("/mfa/verify")
@login_required
@auth_rate_limited(account_key=by_caller)
@auth_bp.arguments(OtpSchema)
@auth_bp.response(200, RecoveryCodesSchema)
def mfa_verify(body: dict):
    """Confirm enrolment with a code; returns one-time recovery codes (shown once)."""
    user = require_interactive_user()
    codes = services.confirm_mfa_setup(user, body["otp"], user.current_sign_in, ip=_ip())
    return {"recovery_codes": codes}


@auth_bp.post("/mfa/disable")
@login_required
@auth_rate_limited(account_key=by_caller)
@auth_bp.arguments(MfaDisableSchema)
@auth_bp.response(200, MessageSchema)
def mfa_disable(body: dict):
    user = require_interactive_user()
    services.disable_mfa(user, body.get("password", ""), body["otp"], user.current_sign_in, ip=_ip())
    return {"message": "Two-factor authentication is off."}


@auth_bp.post("/password/forgot")
@auth_rate_limited(count_only_failures=False)
@auth_bp.arguments(ForgotPasswordSchema)
@auth_bp.response(202, MessageSchema)
def password_forgot(body: dict):
    """E-mail a reset link if the account exists; the answer is the same either way."""
    jobs.queue_password_reset(body["email"])
    return {"message": "If an account uses that address, a reset link is on its way."}


@auth_bp.post("/password/reset")
@auth_rate_limited(account_key=by_token)
@auth_bp.arguments(ResetPasswordSchema)
@auth_bp.response(200, MessageSchema)
def password_reset(body: dict):
    services.reset_password(body["token"], body["password"], ip=_ip())
    return {"message": "Password changed; sign in with the new one."}


@auth_bp.post("/reauthenticate")
@login_required
@auth_rate_limited(account_key=by_caller)
@auth_bp.arguments(ReauthenticateSchema)
@auth_bp.response(200, MessageSchema)
def reauthenticate(body: dict):
    """Confirm your identity again (password, or a TOTP code when MFA is on) before sensitive changes.

    MFA set-up and disabling answer 403 `reauthentication_required` when the sign-in's last proof
    of identity is older than a few minutes.
    """
    user = require_interactive_user()
    services.reauthenticate(user, user.current_sign_in, body.get("password"), body.get("otp"), ip=_ip())
    return {"message": "Confirmed; sensitive changes are open for a few minutes."}


@auth_bp.post("/oauth/<provider>")
@auth_rate_limited()
@auth_bp.arguments(OAuthExchangeSchema)
@auth_bp.response(200, TokenPairSchema)
def oauth_exchange(body: dict, provider: str):
    """Mobile sign-in with a provider token (Google ID token, Facebook access token), verified with the provider."""
    if provider == "google" and body.get("id_token"):
        identity = verify_google_id_token(body["id_token"])
    elif provider == "facebook" and body.get("access_token"):
        identity = facebook_identity(body["access_token"])
    elif provider in ("google", "facebook"):
        field = "id_token" if provider == "google" else "access_token"
        error = BadRequest(f"Send the provider's {field}.")
        error.data = {"messages": {"json": {field: ["Missing data for required field."]}}}
        raise error
    else:
        raise BadRequest("Unknown provider; use google or facebook.")
    user = services.sign_in_with_identity(identity, ip=_ip())
    services.finish_sign_in(user, provider, body.get("otp"), ip=_ip())
    return tokens.issue_token_pair(user)


# --- users/me --------------------------------------------------------------------------


@me_bp.get("")
@me_bp.response(200, UserSchema)
def get_me():
    return require_api_user()


@me_bp.patch("")
@me_bp.arguments(ProfileUpdateSchema)
@me_bp.response(200, UserSchema)
def patch_me(body: dict):
    return services.update_profile(require_interactive_user(), body)


@me_bp.get("/addresses")
@me_bp.response(200, AddressSchema(many=True))
def list_addresses():
    return address_service.list_addresses(require_api_user())


@me_bp.post("/addresses")
@me_bp.arguments(AddressSchema)
@me_bp.response(201, AddressSchema)
def create_address(body: dict):
    return address_service.create_address(require_api_user(), body)


@me_bp.get("/addresses/<int:address_id>")
@me_bp.response(200, AddressSchema)
def get_address(address_id: int):
    return address_service.get_address(require_api_user(), address_id)


@me_bp.patch("/addresses/<int:address_id>")
@me_bp.arguments(partial_schema(AddressSchema))
@me_bp.response(200, AddressSchema)
def update_address(body: dict, address_id: int):
    return address_service.update_address(require_api_user(), address_id, body)


@me_bp.delete("/addresses/<int:address_id>")
@me_bp.response(204)
def delete_address(address_id: int):
    address_service.delete_address(require_api_user(), address_id)
    return Response(status=204)


# --- admin users -----------------------------------------------------------------------


@admin_users_bp.get("")
@permission_required("users.manage")
@admin_users_bp.arguments(UserListQuerySchema, location="query")
@admin_users_bp.response(200, UserSchema(many=True))
def list_users(query: dict):
    after = decode_cursor(query["cursor"])
    rows, next_after = users_service.search_users(
        query["q"], query["role"], after[0] if after else None, query["limit"]
    )
    set_pagination(query["limit"], encode_cursor([next_after]) if next_after else None)
    return rows


@admin_users_bp.patch("/<user_id>/role")
@permission_required("users.manage")
@admin_users_bp.arguments(RoleChangeSchema)
@admin_users_bp.response(200, UserSchema)
def change_role(body: dict, user_id: str):
    target = services.get_user(user_id)
    services.change_role(require_api_user(), target, body["role"], ip=_ip())
    return target
