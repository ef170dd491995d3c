"""The checkout form (shape only; the rules live in ``checkout``).

Field names follow the services' error keys: ``address.city`` is ``form.address.city`` and
``gift.recipient_address.city`` is ``form.gift.recipient_address.city`` (nested ``FormField``s), so
a service error lands next to the field it names (see :func:`attach_checkout_errors`).
"""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    Form,
    FormField,
    HiddenField,
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import Email, Length, Optional

from fantasize.accounts.forms import COUNTRIES, choices
from fantasize.errors import AppError
from fantasize.orders.checkout import GIFT_WRAP_FEE

NEW_ADDRESS = "new"
PAYMENT_METHODS = choices(("cod", "Cash on delivery"), ("card", "Card (test mode)"))
TEST_CARDS = choices(
    ("tok_visa", "Visa ending 4242"),
    ("tok_mastercard", "Mastercard ending 4444"),
    ("tok_declined", "Declined card (test)"),
)


class AddressFields(Form):
    """A typed address; which fields are required is the checkout service's rule."""

    full_name = StringField("Full name", validators=[Optional(), Length(max=120)])
    line1 = StringField("Address line 1", validators=[Optional(), Length(max=200)])
    line2 = StringField("Address line 2 (optional)", validators=[Optional(), Length(max=200)])
    city = StringField("City", validators=[Optional(), Length(max=100)])
    state = StringField("State or region (optional)", validators=[Optional(), Length(max=100)])
    postal_code = StringField("Postal code", validators=[Optional(), Length(max=20)])
    country = SelectField("Country", choices=COUNTRIES, validators=[Optional()])

    def values(self) -> dict[str, Any]:
        return {name: (self[name].data or "").strip() for name in self._fields}


class GiftFields(Form):
    is_gift = BooleanField("This is a gift")
    message = TextAreaField(
        "Gift message (optional)",
        validators=[Optional(), Length(max=500)],
        description="Printed on the packing slip; up to 500 characters.",
        render_kw={"rows": 3, "maxlength": 500},
    )
    recipient_name = StringField("Recipient's name", validators=[Optional(), Length(max=120)])
    recipient_email = EmailField(
        "Recipient's e-mail (optional)", validators=[Optional(), Email(check_deliverability=False), Length(max=254)]
    )
    ship_to_recipient = BooleanField("Send it to a different address (the recipient's)")
    recipient_address = FormField(AddressFields, label="Recipient's address")
    hide_prices = BooleanField("Hide prices on the packing slip")
    wrap = BooleanField(f"Gift wrap (+€{GIFT_WRAP_FEE})")


class CheckoutForm(FlaskForm):
    checkout_token = HiddenField()
    items_total = HiddenField()  # what the page showed; checked again when placing the order
    address_choice = RadioField("Ship to", choices=[], validate_choice=False)
    address = FormField(AddressFields, label="A new address")
    gift = FormField(GiftFields, label="Gift")
    anonymous = BooleanField("Buy anonymously (the recipient won't see who sent it)")
    payment_method = RadioField("Payment", choices=PAYMENT_METHODS, default="cod")
    payment_token = SelectField("Test card", choices=TEST_CARDS, validators=[Optional()])


def address_choices(addresses: list) -> list[SelectChoice]:
    """A radio per saved address (labelled in the template), then "a new address"."""
    return [SelectChoice(str(a.id), a.full_name or "Saved address") for a in addresses] + [
        SelectChoice(NEW_ADDRESS, "A new address")
    ]


def _field_at(form: FlaskForm, path: str) -> Any:
    """``address.city`` → ``form.address.city`` (through nested form fields); ``None`` if there is none."""
    target: Any = form
    for part in path.split("."):
        try:
            target = target[part] if isinstance(target, (Form, FormField)) else None
        except KeyError:
            return None
        if target is None:
            return None
    return target


def attach_checkout_errors(form: CheckoutForm, error: AppError) -> dict[str, list[str]]:
    """Put the service's field errors next to their fields; return the per-cart-line ones (``items.<id>``)."""
    line_errors: dict[str, list[str]] = {}
    for key, messages in (error.details or {}).items():
        messages = messages if isinstance(messages, list) else [messages]
        if key.startswith("items."):
            line_errors[key.removeprefix("items.")] = [str(m) for m in messages]
            continue
        if key == "address":
            key = "address_choice"
        field = _field_at(form, key)
        if field is None or isinstance(field, FormField) or not all(isinstance(m, str) for m in messages):
            continue
        field.errors = [*list(field.errors or []), *messages]
    form.form_errors.append(error.message)  # the summary at the top; the details sit next to their fields
    return line_errors


# --- staff ----------------------------------------------------------------------------------
