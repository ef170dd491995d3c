"""Forms of the staff customization pages (shape only: the rules live in ``customization.services``).

One option form serves every type of ``OPTION_TYPES``: common fields, then a section per type,
whose fields the type declares (``form_fields``). Only the selected type's section is sent to the
service (see ``option_values``); the type puts its nested errors back where they came from
(button choices: on the row, ``attach_option_errors``).
"""

from __future__ import annotations

from decimal import Decimal
from types import SimpleNamespace
from typing import Any

from flask_wtf import FlaskForm
from wtforms import BooleanField, DecimalField, IntegerField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange, Optional
from wtforms.widgets import NumberInput

from fantasize.accounts.forms import MultiCheckboxField
from fantasize.admin.forms.catalog import MAX_INT, finite
from fantasize.customization.models import CustomizationOption
from fantasize.customization.types import MAX_PRICE_DELTA, OPTION_TYPES, PRICE_DELTA_MESSAGE, ButtonType
from fantasize.errors import AppError

CHOICE_ROWS = ButtonType.CHOICE_ROWS
SMALL_INT = NumberRange(min=-100_000, max=100_000, message="That number is out of range.")
PRICE_RANGE = NumberRange(min=-MAX_PRICE_DELTA, max=MAX_PRICE_DELTA, message=PRICE_DELTA_MESSAGE)
TYPE_CHOICES = [SelectChoice(t.name, t.description) for t in OPTION_TYPES.values()]


def _price(label: str, description: str = "") -> DecimalField:
    return DecimalField(
        label,
        places=2,
        default=Decimal("0.00"),
        validators=[Optional(), finite, PRICE_RANGE],
        widget=NumberInput(step="0.01", min=str(-MAX_PRICE_DELTA), max=str(MAX_PRICE_DELTA)),
        description=description,
    )


# What the option types build their form sections from.
FORM_KIT = SimpleNamespace(price=_price, small_int=SMALL_INT, MultiCheckboxField=MultiCheckboxField)


class OptionForm(FlaskForm):
    name = StringField("Name", validators=[InputRequired("Give the option a name."), Length(max=80)])
    type = SelectField("Type", choices=TYPE_CHOICES, default="button")
    required = BooleanField("Required: the shopper must choose or fill it in")
    special = BooleanField("Special: orders with it wait for staff review")
    price_delta = _price("Price change (€)", "Added to the price when the shopper fills in this option.")
    position = IntegerField(
        "Position",
        validators=[Optional(), NumberRange(min=-MAX_INT, max=MAX_INT)],
        widget=NumberInput(step="1"),
        description="Lower numbers come first.",
    )
    # then the section of each type (added below)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.choices_errors: list[str] = []
        self.sent_rows: list[int] = []  # form row of each choice sent to the service, in order

    def validate(self, extra_validators: Any = None) -> bool:
        """Like WTForms, but the sections of the types not chosen are ignored (they are hidden and not sent)."""
        super().validate(extra_validators)
        for option_type in OPTION_TYPES.values():
            if option_type.name == self.type.data:
                continue
            for name in option_type.config_keys:
                field = self[name]
                field.errors = []
                for entry in getattr(field, "entries", []):
                    for subfield in entry.form:
                        subfield.errors = []
        return not self.errors


for _type in OPTION_TYPES.values():
    for _name, _field in _type.form_fields(FORM_KIT).items():
        setattr(OptionForm, _name, _field)


def option_form(option: CustomizationOption | None = None, submitted: bool = True) -> OptionForm:
    """The form as posted (``submitted``), or filled from ``option`` (a blank one for a new option)."""
    if submitted:
        return OptionForm()
    if option is None:
        return OptionForm(formdata=None)
    config = option.config or {}
    option_type = OPTION_TYPES[option.type]
    data = {
        "name": option.name,
        "type": option.type,
        "required": option.required,
        "special": option.special,
        "price_delta": option.price_delta,
        "position": option.position,
        **option_type.form_data(config),
    }
    form = OptionForm(formdata=None, data=data)
    option_type.fill_form(form, config)
    return form


def option_values(form: OptionForm, editing: bool) -> dict[str, Any]:
    """What the service gets: common fields plus the selected type's settings."""
    values: dict[str, Any] = {
        "name": form.name.data or "",
        "type": form.type.data,
        "required": form.required.data,
        "special": form.special.data,
        "price_delta": form.price_delta.data if form.price_delta.data is not None else Decimal("0"),
    }
    if editing and form.position.data is not None:
        values["position"] = form.position.data  # a new option goes last (the service sets it)
    values.update(OPTION_TYPES[form.type.data].form_values(form))
    return values


def attach_option_errors(form: OptionForm, error: AppError) -> None:
    """Show the service's errors next to their fields; ``choices.N.x`` goes to the row it came from."""
    form.form_errors.append(f"{error.message} See the messages below." if error.details else error.message)
    option_type = OPTION_TYPES.get(form.type.data)
    for key, messages in (error.details or {}).items():
        messages = list(messages) if isinstance(messages, list) else [str(messages)]
        if option_type is not None and option_type.place_error(form, key, messages):
            continue
        field = getattr(form, key, None)
        if field is not None and hasattr(field, "errors"):
            field.errors = [*list(field.errors or []), *messages]
        else:
            form.form_errors.extend(messages)


class PresetForm(FlaskForm):
    """Name and description of a preset (prefixed: the preset page also holds an option form)."""

    name = StringField("Name", validators=[InputRequired("Give the preset a name."), Length(max=80)])
    description = TextAreaField(
        "Description",
        validators=[Optional(), Length(max=300)],
        render_kw={"rows": 3},
        description="For staff only: what the preset is for.",
    )


def preset_form(preset: Any = None, submitted: bool = True) -> PresetForm:
    if submitted:
        return PresetForm(prefix="preset")
    data = {"name": preset.name, "description": preset.description} if preset is not None else {}
    return PresetForm(formdata=None, data=data, prefix="preset")


class AttachForm(FlaskForm):
    preset_id = SelectField("Preset to attach", coerce=int, validate_choice=True)
