"""API schemas for accounts (validation and OpenAPI)."""

from __future__ import annotations

import marshmallow as ma

from fantasize.accounts.passwords import MAX_LENGTH
from fantasize.api.fields import QueryInt, RequiredText, Text

COUNTRY_CODE = ma.validate.Regexp(r"^[A-Za-z]{2}$", error="Use a two-letter ISO country code, e.g. GB.")


class UserSchema(ma.Schema):
    id = ma.fields.String(dump_only=True)
    email = ma.fields.Email(dump_only=True)
    username = ma.fields.String(allow_none=True, validate=ma.validate.Length(max=80))
    role = ma.fields.String(dump_only=True)
    mfa_enabled = ma.fields.Boolean(dump_only=True)
    phone = ma.fields.String(allow_none=True, validate=ma.validate.Regexp(r"^[0-9+()\- .]{0,32}$"))
    gender = ma.fields.String(allow_none=True, validate=ma.validate.OneOf(["female", "male", "other"]))
    date_of_birth = ma.fields.Date(allow_none=True)
    avatar_url = ma.fields.Method("get_avatar_url", dump_only=True)
    last_login_at = ma.fields.DateTime(dump_only=True, allow_none=True)
    created_at = ma.fields.DateTime(dump_only=True)

    def get_avatar_url(self, user) -> str | None:
        from flask import url_for

        if not user.avatar_path:
            return None
        return url_for("my_account.avatar", key=user.avatar_path.split("/")[-1], _external=True)


class ProfileUpdateSchema(ma.Schema):
    username = Text(allow_none=True, validate=ma.validate.Length(max=80))
    phone = Text(allow_none=True, validate=ma.validate.Regexp(r"^[0-9+()\- .]{0,32}$"))
    gender = ma.fields.String(allow_none=True, validate=ma.validate.OneOf(["female", "male", "other"]))
    date_of_birth = ma.fields.Date(allow_none=True)


class RegisterSchema(ma.Schema):
    email = ma.fields.Email(required=True, validate=ma.validate.Length(max=254))
    password = ma.fields.String(required=True, load_only=True, validate=ma.validate.Length(max=MAX_LENGTH))
    username = Text(load_default=None, allow_none=True, validate=ma.validate.Length(max=80))


class RegisteredSchema(ma.Schema):
    user = ma.fields.Nested(UserSchema)


class LoginSchema(ma.Schema):
    email = ma.fields.Email(required=True)
    password = ma.fields.String(required=True, load_only=True, validate=ma.validate.Length(max=MAX_LENGTH))
    otp = ma.fields.String(load_default=None, validate=ma.validate.Length(max=12))


class TokenPairSchema(ma.Schema):
    access_token = ma.fields.String()
    refresh_token = ma.fields.String()
    token_type = ma.fields.String(metadata={"example": "Bearer"})
    expires_in = ma.fields.Integer(metadata={"description": "Seconds until the access token expires"})


class RefreshSchema(ma.Schema):
    refresh_token = ma.fields.String(required=True, validate=ma.validate.Length(min=10, max=200))


class OtpSchema(ma.Schema):
    otp = ma.fields.String(required=True, validate=ma.validate.Length(min=6, max=12))


class MfaDisableSchema(OtpSchema):
    password = ma.fields.String(load_default="", load_only=True)


class ReauthenticateSchema(ma.Schema):
    password = ma.fields.String(load_default=None, load_only=True, validate=ma.validate.Length(max=MAX_LENGTH))
    otp = ma.fields.String(load_default=None, validate=ma.validate.Length(min=6, max=12))


class MfaSetupSchema(ma.Schema):
    secret = ma.fields.String()
    otpauth_uri = ma.fields.String(attribute="provisioning_uri")


class RecoveryCodesSchema(ma.Schema):
    recovery_codes = ma.fields.List(ma.fields.String())


class ForgotPasswordSchema(ma.Schema):
    email = ma.fields.Email(required=True)


class ResetPasswordSchema(ma.Schema):
    token = ma.fields.String(required=True, validate=ma.validate.Length(max=200))
    password = ma.fields.String(required=True, load_only=True, validate=ma.validate.Length(max=MAX_LENGTH))


class OAuthExchangeSchema(ma.Schema):
    id_token = ma.fields.String(load_default=None, metadata={"description": "Google: the ID token from the app"})
    access_token = ma.fields.String(load_default=None, metadata={"description": "Facebook: the user access token"})
    otp = ma.fields.String(load_default=None)


class MessageSchema(ma.Schema):
    message = ma.fields.String()


class AddressSchema(ma.Schema):
    id = ma.fields.Integer(dump_only=True)
    full_name = RequiredText(max_length=120)
    line1 = RequiredText(max_length=200)
    line2 = Text(allow_none=True, validate=ma.validate.Length(max=200))
    city = RequiredText(max_length=100)
    state = Text(allow_none=True, validate=ma.validate.Length(max=100))
    postal_code = RequiredText(max_length=20)
    country = Text(required=True, validate=COUNTRY_CODE)
    phone = Text(allow_none=True, validate=ma.validate.Length(max=32))


class RoleChangeSchema(ma.Schema):
    role = ma.fields.String(required=True, validate=ma.validate.OneOf(["customer", "manager", "admin"]))


class UserListQuerySchema(ma.Schema):
    q = ma.fields.String(load_default=None, validate=ma.validate.Length(max=100))
    role = ma.fields.String(load_default=None, validate=ma.validate.OneOf(["customer", "manager", "admin"]))
    limit = QueryInt(load_default=25, minimum=1, maximum=100)
    cursor = ma.fields.String(load_default=None)
