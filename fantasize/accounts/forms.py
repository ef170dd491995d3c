"""Account forms (shape only; the rules live in the services)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    HiddenField,
    PasswordField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
)
from wtforms.validators import DataRequired, Email, Length, Optional, Regexp
from wtforms.widgets import CheckboxInput, ListWidget

from fantasize.accounts.passwords import MAX_LENGTH, MIN_LENGTH


def choices(*pairs: tuple[str, str]) -> list[SelectChoice]:
    return [SelectChoice(value, label) for value, label in pairs]


COUNTRIES = choices(
    ("", "Choose a country"),
    ("AT", "Austria"), ("BE", "Belgium"), ("CA", "Canada"), ("CH", "Switzerland"), ("DE", "Germany"),
    ("DK", "Denmark"), ("ES", "Spain"), ("FI", "Finland"), ("FR", "France"), ("GB", "United Kingdom"),
    ("IE", "Ireland"), ("IT", "Italy"), ("JO", "Jordan"), ("NL", "Netherlands"), ("NO", "Norway"),
    ("PL", "Poland"), ("PT", "Portugal"), ("SE", "Sweden"), ("US", "United States"),
)  # fmt: skip


class LoginForm(FlaskForm):
    email = EmailField("E-mail", validators=[DataRequired(), Email(check_deliverability=False), Length(max=254)])
    password = PasswordField("Password", validators=[DataRequired(), Length(max=MAX_LENGTH)])
    remember = BooleanField("Keep me signed in on this device")
    next = HiddenField()


class SecondFactorForm(FlaskForm):
    otp = StringField(
        "Authentication code",
        validators=[DataRequired(), Length(min=6, max=12)],
        render_kw={"autocomplete": "one-time-code", "inputmode": "text"},
    )


class RegisterForm(FlaskForm):
    email = EmailField("E-mail", validators=[DataRequired(), Email(check_deliverability=False), Length(max=254)])
    username = StringField("Name (optional)", validators=[Optional(), Length(max=80)])
    password = PasswordField(
        "Password",
        validators=[DataRequired(), Length(min=MIN_LENGTH, max=MAX_LENGTH)],
        description=f"At least {MIN_LENGTH} characters; avoid common passwords.",
        render_kw={"autocomplete": "new-password"},
    )


class ProfileForm(FlaskForm):
    username = StringField("Name", validators=[Optional(), Length(max=80)])
    phone = StringField(
        "Phone",
        validators=[Optional(), Length(max=32), Regexp(r"^[0-9+()\- .]*$", message="Digits, spaces and + - ( ) only.")],
    )
    gender = SelectField(
        "Gender",
        choices=choices(("", "Prefer not to say"), ("female", "Female"), ("male", "Male"), ("other", "Other")),
        validators=[Optional()],
    )
    date_of_birth = DateField("Date of birth", validators=[Optional()])


class AvatarForm(FlaskForm):
    avatar = FileField(
        "Profile picture",
        validators=[
            FileRequired("Choose a picture."),
            FileAllowed(["jpg", "jpeg", "png", "webp"], "JPEG, PNG or WebP only."),
        ],
    )


class AddressForm(FlaskForm):
    full_name = StringField("Full name", validators=[DataRequired(), Length(max=120)])
    line1 = StringField("Address line 1", validators=[DataRequired(), Length(max=200)])
    line2 = StringField("Address line 2 (optional)", validators=[Optional(), Length(max=200)])
    city = StringField("City", validators=[DataRequired(), Length(max=100)])
    state = StringField("State or region (optional)", validators=[Optional(), Length(max=100)])
    postal_code = StringField("Postal code", validators=[DataRequired(), Length(max=20)])
    country = SelectField("Country", choices=COUNTRIES, validators=[DataRequired(message="Choose a country.")])
    phone = StringField("Phone (optional)", validators=[Optional(), Length(max=32)])


class PasswordChangeForm(FlaskForm):
    current_password = PasswordField("Current password", validators=[DataRequired()])
    new_password = PasswordField(
        "New password",
        validators=[DataRequired(), Length(min=MIN_LENGTH, max=MAX_LENGTH)],
        render_kw={"autocomplete": "new-password"},
    )


class ForgotPasswordForm(FlaskForm):
    email = EmailField("E-mail", validators=[DataRequired(), Email(check_deliverability=False), Length(max=254)])


class ResetPasswordForm(FlaskForm):
    password = PasswordField(
        "New password",
        validators=[DataRequired(), Length(min=MIN_LENGTH, max=MAX_LENGTH)],
        render_kw={"autocomplete": "new-password"},
    )


class MfaConfirmForm(FlaskForm):
    otp = StringField(
        "Code from your app",
        validators=[DataRequired(), Length(min=6, max=6)],
        render_kw={"autocomplete": "one-time-code", "inputmode": "numeric"},
    )


class MfaDisableForm(FlaskForm):
    password = PasswordField("Password", validators=[Optional()])
    otp = StringField("Authentication or recovery code", validators=[DataRequired(), Length(min=6, max=12)])


class ApiKeyForm(FlaskForm):
    name = StringField("Key name", validators=[DataRequired(), Length(max=80)], description="e.g. “Warehouse sync”")


class RoleForm(FlaskForm):
    role = SelectField("Role", choices=choices(("customer", "Customer"), ("manager", "Manager"), ("admin", "Admin")))


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class ApiKeyScopesForm(ApiKeyForm):
    scopes = MultiCheckboxField("Permissions", choices=[], validate_choice=True)


class ConfirmIdentityForm(FlaskForm):
    """Re-authentication before a sensitive change: the password, or a code when MFA is on."""

    password = PasswordField("Password", validators=[Optional(), Length(max=MAX_LENGTH)])
    otp = StringField(
        "Or a code from your authenticator app",
        validators=[Optional(), Length(min=6, max=12)],
        render_kw={"autocomplete": "one-time-code", "inputmode": "numeric"},
    )
    next = HiddenField()


class ContinueForm(FlaskForm):
    """A button and its CSRF token: a step that must be a deliberate POST, not a link being fetched."""
