"""Staff order forms: the order list's filters, a status change, a customization review."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import DateField, HiddenField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import Length, Optional

from fantasize.accounts.forms import choices
from fantasize.orders.models import OrderStatus
from fantasize.orders.state import LABELS

STATUS_FILTER = [SelectChoice("", "Any status")] + [SelectChoice(s.value, LABELS[s]) for s in OrderStatus]
CUSTOMIZATION_FILTER = choices(("", "Any"), ("yes", "Personalised"), ("no", "Not personalised"))


class OrderFilterForm(FlaskForm):
    """The staff order list's GET filters (no CSRF: it changes nothing)."""

    class Meta:
        csrf = False

    status = SelectField("Status", choices=STATUS_FILTER, validators=[Optional()])
    customer = StringField("Customer e-mail", validators=[Optional(), Length(max=254)])
    date_from = DateField("Placed from", validators=[Optional()])
    date_to = DateField("Placed until", validators=[Optional()])
    customized = SelectField("Personalisation", choices=CUSTOMIZATION_FILTER, validators=[Optional()])


class StatusForm(FlaskForm):
    status = HiddenField()
    note = TextAreaField(
        "Note (optional)",
        validators=[Optional(), Length(max=500)],
        render_kw={"rows": 2, "maxlength": 500},
        description="Shown to the shopper in the order's history.",
    )


class ReviewForm(FlaskForm):
    decision = HiddenField()
    reason = TextAreaField(
        "Reason (required to reject)",
        validators=[Optional(), Length(max=500)],
        render_kw={"rows": 2, "maxlength": 500},
        description="The shopper sees it in the order's history.",
    )
