"""Forms of the staff customization pages (shape only: the rules live in ``customization.services``).

One option form serves the three types: common fields, then a section per type. Only the
selected type's section is sent to the service (see ``option_values``). Button choices are a
fixed number of rows; empty rows are skipped, and the service's ``choices.N.field`` errors are
put back on the row they came from (``attach_option_errors``).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DecimalField,
    FieldList,
    Form,
    FormField,
    IntegerField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional
from wtforms.widgets import ColorInput, NumberInput

from fantasize.accounts.forms import MultiCheckboxField
from fantasize.admin.catalog_forms import MAX_INT, finite
from fantasize.customization.models import CustomizationOption
from fantasize.customization.types import CHARSETS
from fantasize.errors import AppError

CHOICE_ROWS = 8  # button choices offered on the form (an option with more gets two spare rows)
DEFAULT_SWATCH = "#b3245c"  # what an empty colour picker shows; only saved when "No swatch" is unticked
SMALL_INT = NumberRange(min=-100_000, max=100_000, message="That number is out of range.")
PRICE_RANGE = NumberRange(min=-1000, max=1000, message="Keep price changes between -1000 and 1000.")

SECTIONS = {
    "text": ("max_length", "charset", "placeholder"),
    "image": ("min_width", "min_height", "max_mb", "formats"),
    "button": ("choices",),
}
TYPE_LABELS = {"button": "Buttons", "text": "Text", "image": "Picture"}
TYPE_CHOICES = [
    SelectChoice("button", "Buttons (pick one: a colour, a size…)"),
    SelectChoice("text", "Text (a message to engrave)"),
    SelectChoice("image", "Picture (the shopper uploads one)"),
]
FORMAT_CHOICES = [
    SelectChoice("image/jpeg", "JPEG"),
    SelectChoice("image/png", "PNG"),
    SelectChoice("image/webp", "WebP"),
]


def _price(label: str, description: str = "") -> DecimalField:
    return DecimalField(
        label,
        places=2,
        default=Decimal("0.00"),
        validators=[Optional(), finite, PRICE_RANGE],
        widget=NumberInput(step="0.01", min="-1000", max="1000"),
        description=description,
    )


class ChoiceForm(Form):
    """One button choice; a row without a value is skipped."""

    value = StringField("Value", validators=[Optional(), Length(max=60)])
    label = StringField("Label", validators=[Optional(), Length(max=80)])
    price_delta = _price("Price change (€)")
    swatch = StringField("Swatch colour", default=DEFAULT_SWATCH, widget=ColorInput())
    no_swatch = BooleanField("No swatch", default=True)

    def is_empty(self) -> bool:
        return not (self.value.data or "").strip() and not (self.label.data or "").strip()


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
    # text
    max_length = IntegerField(
        "Maximum length (characters)", default=20, validators=[Optional(), SMALL_INT], widget=NumberInput(min="1")
    )
    charset = SelectField(
        "Allowed characters",
        default="basic",
        choices=[SelectChoice(key, label.capitalize()) for key, label in CHARSETS.items()],
    )
    placeholder = StringField(
        "Placeholder", validators=[Optional(), Length(max=80)], description="An example shown in the empty box."
    )
    # image
    min_width = IntegerField("Minimum width (px)", default=0, validators=[Optional(), SMALL_INT])
    min_height = IntegerField("Minimum height (px)", default=0, validators=[Optional(), SMALL_INT])
    max_mb = IntegerField("Largest file (MB)", default=5, validators=[Optional(), SMALL_INT])
    formats = MultiCheckboxField(
        "Accepted formats",
        choices=FORMAT_CHOICES,
        default=[choice.value for choice in FORMAT_CHOICES],
        validate_choice=True,
    )
    # button
    choices = FieldList(FormField(ChoiceForm), min_entries=CHOICE_ROWS)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.choices_errors: list[str] = []
        self.sent_rows: list[int] = []  # form row of each choice sent to the service, in order

    def validate(self, extra_validators: Any = None) -> bool:
        """Like WTForms, but the sections of the types not chosen are ignored (they are hidden and not sent)."""
        super().validate(extra_validators)
        for option_type, names in SECTIONS.items():
            if option_type == self.type.data:
                continue
            for name in names:
                field = self[name]
                field.errors = []
                for entry in getattr(field, "entries", []):
                    for subfield in entry.form:
                        subfield.errors = []
        return not self.errors


def option_form(option: CustomizationOption | None = None, submitted: bool = True) -> OptionForm:
    """The form as posted (``submitted``), or filled from ``option`` (a blank one for a new option)."""
    if submitted:
        return OptionForm()
    if option is None:
        return OptionForm(formdata=None)
    config = option.config or {}
    choices = [
        {
            "value": choice.get("value", ""),
            "label": choice.get("label", ""),
            "price_delta": Decimal(str(choice.get("price_delta") or 0)),
            "swatch": choice.get("swatch") or DEFAULT_SWATCH,
            "no_swatch": not choice.get("swatch"),
        }
        for choice in config.get("choices", [])
    ]
    data = {
        "name": option.name,
        "type": option.type,
        "required": option.required,
        "special": option.special,
        "price_delta": option.price_delta,
        "position": option.position,
        "max_length": config.get("max_length", 20),
        "charset": config.get("charset", "basic"),
        "placeholder": config.get("placeholder", ""),
        "min_width": config.get("min_width", 0),
        "min_height": config.get("min_height", 0),
        "max_mb": config.get("max_mb", 5),
        "formats": config.get("formats") or [choice.value for choice in FORMAT_CHOICES],
        "choices": choices,
    }
    form = OptionForm(formdata=None, data=data)
    while len(form.choices) < max(CHOICE_ROWS, len(choices) + 2):
        form.choices.append_entry()
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
    if form.type.data == "text":
        values.update(max_length=form.max_length.data, charset=form.charset.data, placeholder=form.placeholder.data)
    elif form.type.data == "image":
        values.update(
            min_width=form.min_width.data,
            min_height=form.min_height.data,
            max_mb=form.max_mb.data,
            formats=list(form.formats.data or []),
        )
    elif form.type.data == "button":
        form.sent_rows = []
        choices = []
        for index, entry in enumerate(form.choices):
            row = entry.form  # not ``entry.label``: a FormField has a label of its own
            if row.is_empty():
                continue
            form.sent_rows.append(index)
            choices.append(
                {
                    "value": row.value.data or "",
                    "label": row.label.data or "",
                    "price_delta": row.price_delta.data if row.price_delta.data is not None else Decimal("0"),
                    "swatch": None if row.no_swatch.data else (row.swatch.data or "").strip() or None,
                }
            )
        values["choices"] = choices
    return values


def attach_option_errors(form: OptionForm, error: AppError) -> None:
    """Show the service's errors next to their fields; ``choices.N.x`` goes to the row it came from."""
    form.form_errors.append(f"{error.message} See the messages below." if error.details else error.message)
    for key, messages in (error.details or {}).items():
        messages = list(messages) if isinstance(messages, list) else [str(messages)]
        parts = key.split(".")
        if parts[0] == "choices" and len(parts) == 3 and parts[1].isdigit():
            sent = int(parts[1])
            if sent < len(form.sent_rows):
                row = form.choices[form.sent_rows[sent]]
                field = getattr(row.form, parts[2], None) or row.value
                field.errors = [*list(field.errors or []), *messages]
                continue
        if key == "choices":
            form.choices_errors.extend(messages)
            continue
        field = getattr(form, key, None)
        if field is not None and hasattr(field, "errors") and key != "choices":
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
