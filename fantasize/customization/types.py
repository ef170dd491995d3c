"""The option types, in one registry: ``OPTION_TYPES`` (name → type) is what every other place iterates.

A registry in the style of CTFd's pluggable challenge types. Each type owns

- its settings: ``config_keys`` and ``clean_config`` (the staff definition, checked on every write);
- the shopper's value: ``choose`` (validated and priced);
- the API fields of its settings: ``schema_fields(kit)`` (marshmallow; the kit holds the API's field classes);
- its section of the staff option form: ``form_fields(kit)``, ``form_data``, ``form_values``, laid out by
  ``form_rows`` and ``section_help`` (or by a template of its own, ``admin_template``), and its ``summary``
  in the staff options table;
- the shopper's input: ``templates/customization/options/_<name>.html``;
- its step of the preview: ``draw`` (``preview_layer`` orders the steps).

Adding a type is one class here and one shopper template (plus its tests): the API schema, the
staff form and its stylesheet, the preview order and the write-time check all read this registry.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, ClassVar

import marshmallow as ma
from PIL import Image
from wtforms import BooleanField, FieldList, Form, FormField, IntegerField, SelectChoice, SelectField, StringField
from wtforms.validators import Length, Optional
from wtforms.widgets import ColorInput, NumberInput

from fantasize.customization import drawing

MAX_PRICE_DELTA = 1000  # an option or a choice changes the price by at most this much, up or down
PRICE_DELTA_MESSAGE = f"Keep price changes between -{MAX_PRICE_DELTA} and {MAX_PRICE_DELTA}."
HEX_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
# Punctuation allowed in engraved text besides letters, digits and spaces.
BASIC_PUNCTUATION = set(".,!?'&-:;()+/@#\"’")
CHARSETS = {
    "letters": "letters and spaces",
    "letters_digits": "letters, digits and spaces",
    "basic": "letters, digits, spaces and . , ! ? ' & - : ; ( ) + / @ #",
}


class ConfigError(ValueError):
    """An option definition that does not make sense (shown to staff field by field)."""

    def __init__(self, errors: dict[str, list[str]]) -> None:
        super().__init__("; ".join(f"{k}: {' '.join(v)}" for k, v in errors.items()))
        self.errors = errors


@dataclass(frozen=True)
class Choice:
    value: str
    label: str
    price_delta: Decimal
    swatch: str | None = None


@dataclass(frozen=True)
class Chosen:
    """A valid value for one option, priced and labelled as it was chosen."""

    value: str
    display: str
    price_delta: Decimal
    swatch: str | None = None


@dataclass(frozen=True)
class PreviewContext:
    """What a preview step may look up: the stored file of a shopper's upload token (``None`` if unknown)."""

    upload_path: Callable[[str], str | None]


def price_delta(value: Any, field: str, errors: dict[str, list[str]]) -> Decimal:
    """A price change in cents, within ±``MAX_PRICE_DELTA``; problems are added to ``errors[field]``."""
    try:
        amount = Decimal(str(value if value is not None else 0)).quantize(Decimal("0.01"))
    except ArithmeticError:
        errors.setdefault(field, []).append("Not a number.")
        return Decimal(0)
    if not -MAX_PRICE_DELTA <= amount <= MAX_PRICE_DELTA:
        errors.setdefault(field, []).append(PRICE_DELTA_MESSAGE)
    return amount


class OptionType:
    name: ClassVar[str]
    label: ClassVar[str]  # short, in the staff options table
    description: ClassVar[str]  # in the staff form's type menu
    section_title: ClassVar[str]  # the legend of its section of the staff form
    section_help: ClassVar[str] = ""  # a note below that section
    config_keys: ClassVar[tuple[str, ...]] = ()
    form_rows: ClassVar[tuple[tuple[str, ...], ...]] = ()  # its form fields, side by side within a row
    admin_template: ClassVar[str] = "admin/customization/types/_generic.html"
    own_price: ClassVar[bool] = True  # False: the price changes per choice, not per option
    preview_layer: ClassVar[int] = 50  # lower layers are drawn first

    @property
    def shopper_template(self) -> str:
        return f"customization/options/_{self.name}.html"

    # --- the staff definition -----------------------------------------------------------------

    def clean_config(self, config: dict[str, Any]) -> dict[str, Any]:
        return {}

    def summary(self, config: dict[str, Any]) -> str:
        return ""

    def schema_fields(self, kit: Any) -> dict[str, ma.fields.Field]:
        """The API fields of the settings (flat on the option); ``kit`` has the API's field classes."""
        return {}

    def form_fields(self, kit: Any) -> dict[str, Any]:
        """Unbound WTForms fields of its form section; ``kit`` has the staff forms' helpers."""
        return {}

    def form_data(self, config: dict[str, Any]) -> dict[str, Any]:
        """The form section filled from a saved option (settings left out show the fields' defaults)."""
        return {key: config[key] for key in self.config_keys if key in config}

    def fill_form(self, form: Any, config: dict[str, Any]) -> None:
        """Adjust the form once filled from a saved option (e.g. add spare rows)."""

    def form_values(self, form: Any) -> dict[str, Any]:
        """What the section sends to the service."""
        return {key: form[key].data for key in self.config_keys}

    def place_error(self, form: Any, key: str, messages: list[str]) -> bool:
        """Put a service error about a nested setting on its form field; False if not one of its own."""
        return False

    # --- the shopper's choice -----------------------------------------------------------------

    def choose(self, option: Any, raw: Any, context: dict[str, Any]) -> Chosen:
        raise NotImplementedError

    def draw(self, canvas: Image.Image, chosen: list[Any], context: PreviewContext) -> Image.Image:
        """Apply this type's chosen values (all of them, in order) to the preview."""
        return canvas


class ButtonType(OptionType):
    """Pick one of predefined values (a colour, a size), each with an optional price change and swatch."""

    name = "button"
    label = "Buttons"
    description = "Buttons (pick one: a colour, a size…)"
    section_title = "Button choices"
    config_keys = ("choices",)
    admin_template = "admin/customization/types/_button.html"
    own_price = False
    preview_layer = 10
    CHOICE_ROWS = 8  # choices offered on the form (an option with more gets two spare rows)
    DEFAULT_SWATCH = "#b3245c"  # what an empty colour picker shows; only saved when "No swatch" is unticked

    def clean_config(self, config: dict[str, Any]) -> dict[str, Any]:
        errors: dict[str, list[str]] = {}
        raw_choices = config.get("choices") or []
        if not isinstance(raw_choices, list) or not raw_choices:
            raise ConfigError({"choices": ["Add at least one choice."]})
        choices, seen = [], set()
        for index, raw in enumerate(raw_choices):
            raw = raw if isinstance(raw, dict) else {"value": raw}
            value = str(raw.get("value") or "").strip()[:60]
            if not value:
                errors.setdefault(f"choices.{index}.value", []).append("Give each choice a value.")
                continue
            if value in seen:
                errors.setdefault(f"choices.{index}.value", []).append(f"“{value}” appears twice.")
            seen.add(value)
            swatch = raw.get("swatch") or None
            if swatch is not None and not HEX_COLOUR.match(str(swatch)):
                errors.setdefault(f"choices.{index}.swatch", []).append("Use a colour like #b3245c.")
            choices.append(
                {
                    "value": value,
                    "label": str(raw.get("label") or value).strip()[:80],
                    "price_delta": str(price_delta(raw.get("price_delta"), f"choices.{index}.price_delta", errors)),
                    "swatch": swatch,
                }
            )
        if errors:
            raise ConfigError(errors)
        return {"choices": choices}

    @staticmethod
    def choices(option: Any) -> list[Choice]:
        return [
            Choice(c["value"], c["label"], Decimal(c.get("price_delta") or 0), c.get("swatch"))
            for c in option.config.get("choices", [])
        ]

    def choose(self, option: Any, raw: Any, context: dict[str, Any]) -> Chosen:
        for choice in self.choices(option):
            if str(raw) == choice.value:
                return Chosen(choice.value, choice.label, choice.price_delta, choice.swatch)
        allowed = ", ".join(c.value for c in self.choices(option))
        raise ValueError(f"Choose one of: {allowed}.")

    def draw(self, canvas: Image.Image, chosen: list[Any], context: PreviewContext) -> Image.Image:
        for one in chosen:
            if one.swatch:
                canvas = drawing.tint(canvas, one.swatch)
        return canvas

    def schema_fields(self, kit: Any) -> dict[str, ma.fields.Field]:
        choice = ma.Schema.from_dict(
            {
                "value": kit.RequiredText(max_length=60),
                "label": kit.Text(load_default=None, allow_none=True, validate=ma.validate.Length(max=80)),
                "price_delta": kit.price_delta(),
                "swatch": kit.Text(load_default=None, allow_none=True, metadata={"example": "#b3245c"}),
            },
            name="ChoiceSchema",
        )
        return {"choices": ma.fields.List(ma.fields.Nested(choice), metadata={"description": "button options"})}

    def form_fields(self, kit: Any) -> dict[str, Any]:
        default_swatch = self.DEFAULT_SWATCH

        class ChoiceForm(Form):
            """One button choice; a row without a value is skipped."""

            value = StringField("Value", validators=[Optional(), Length(max=60)])
            label = StringField("Label", validators=[Optional(), Length(max=80)])
            price_delta = kit.price("Price change (€)")
            swatch = StringField("Swatch colour", default=default_swatch, widget=ColorInput())
            no_swatch = BooleanField("No swatch", default=True)

            def is_empty(self) -> bool:
                return not (self.value.data or "").strip() and not (self.label.data or "").strip()

        return {"choices": FieldList(FormField(ChoiceForm), min_entries=self.CHOICE_ROWS)}

    def form_data(self, config: dict[str, Any]) -> dict[str, Any]:
        choices = [
            {
                "value": choice.get("value", ""),
                "label": choice.get("label", ""),
                "price_delta": Decimal(str(choice.get("price_delta") or 0)),
                "swatch": choice.get("swatch") or self.DEFAULT_SWATCH,
                "no_swatch": not choice.get("swatch"),
            }
            for choice in config.get("choices", [])
        ]
        return {"choices": choices}

    def fill_form(self, form: Any, config: dict[str, Any]) -> None:
        while len(form.choices) < max(self.CHOICE_ROWS, len(config.get("choices", [])) + 2):
            form.choices.append_entry()

    def form_values(self, form: Any) -> dict[str, Any]:
        form.sent_rows = []  # the form row of each choice sent to the service, in order
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
        return {"choices": choices}

    def place_error(self, form: Any, key: str, messages: list[str]) -> bool:
        """``choices`` goes above the rows, ``choices.N.x`` to the row that was sent N-th."""
        parts = key.split(".")
        if key == "choices":
            form.choices_errors.extend(messages)
            return True
        if parts[0] == "choices" and len(parts) == 3 and parts[1].isdigit():
            sent = int(parts[1])
            if sent < len(form.sent_rows):
                row = form.choices[form.sent_rows[sent]]
                field = getattr(row.form, parts[2], None) or row.value
                field.errors = [*list(field.errors or []), *messages]
                return True
        return False


class TextType(OptionType):
    """A free message (an engraving), with a length limit and a set of allowed characters."""

    name = "text"
    label = "Text"
    description = "Text (a message to engrave)"
    section_title = "Text settings"
    config_keys = ("max_length", "charset", "placeholder")
    form_rows = (("max_length", "charset"), ("placeholder",))
    preview_layer = 30

    def clean_config(self, config: dict[str, Any]) -> dict[str, Any]:
        errors: dict[str, list[str]] = {}
        try:
            max_length = int(config.get("max_length") or 20)
        except (TypeError, ValueError):
            max_length = 0
        if not 1 <= max_length <= 500:
            errors["max_length"] = ["Use a maximum length between 1 and 500."]
        charset = config.get("charset") or "basic"
        if charset not in CHARSETS:
            errors["charset"] = [f"Choose one of: {', '.join(CHARSETS)}."]
        if errors:
            raise ConfigError(errors)
        return {"max_length": max_length, "charset": charset, "placeholder": str(config.get("placeholder") or "")[:80]}

    def summary(self, config: dict[str, Any]) -> str:
        text = f"Up to {config.get('max_length', 20)} characters: {CHARSETS.get(config.get('charset', 'basic'), '')}"
        if config.get("placeholder"):
            text += f"; placeholder “{config['placeholder']}”"
        return text

    @staticmethod
    def _allowed(char: str, charset: str) -> bool:
        if char == " " or char.isalpha():
            return True
        if char.isdigit():
            return charset != "letters"
        return charset == "basic" and char in BASIC_PUNCTUATION

    def choose(self, option: Any, raw: Any, context: dict[str, Any]) -> Chosen:
        if not isinstance(raw, str):
            raise ValueError("Send text.")
        text = " ".join(raw.split())  # no line breaks or runs of spaces on an engraving
        max_length = option.config.get("max_length", 20)
        if len(text) > max_length:
            raise ValueError(f"Too long: at most {max_length} characters ({len(text)} given).")
        charset = option.config.get("charset", "basic")
        bad = sorted({c for c in text if not self._allowed(c, charset)})
        if bad:
            raise ValueError(f"These characters can't be used: {' '.join(bad)} (allowed: {CHARSETS[charset]}).")
        if not text:
            raise ValueError("Write something, or leave the option out.")
        return Chosen(text, text, Decimal(option.price_delta))

    def draw(self, canvas: Image.Image, chosen: list[Any], context: PreviewContext) -> Image.Image:
        drawing.engrave(canvas, " · ".join(one.value for one in chosen))  # one engraving for every text
        return canvas

    def schema_fields(self, kit: Any) -> dict[str, ma.fields.Field]:
        return {
            "max_length": kit.Int(minimum=1, maximum=500, metadata={"description": "text options"}),
            "charset": ma.fields.String(metadata={"description": "text options: letters, letters_digits or basic"}),
            "placeholder": kit.Text(validate=ma.validate.Length(max=120)),
        }

    def form_fields(self, kit: Any) -> dict[str, Any]:
        return {
            "max_length": IntegerField(
                "Maximum length (characters)",
                default=20,
                validators=[Optional(), kit.small_int],
                widget=NumberInput(min="1"),
            ),
            "charset": SelectField(
                "Allowed characters",
                default="basic",
                choices=[SelectChoice(key, label.capitalize()) for key, label in CHARSETS.items()],
            ),
            "placeholder": StringField(
                "Placeholder",
                validators=[Optional(), Length(max=80)],
                description="An example shown in the empty box.",
            ),
        }


class ImageType(OptionType):
    """A picture the shopper uploaded first (``POST /uploads``); the selection holds its token."""

    name = "image"
    label = "Picture"
    description = "Picture (the shopper uploads one)"
    section_title = "Picture settings"
    section_help = "When none is ticked, all three are accepted."
    config_keys = ("min_width", "min_height", "max_mb", "formats")
    form_rows = (("min_width", "min_height", "max_mb"), ("formats",))
    preview_layer = 20
    FORMATS = ("image/jpeg", "image/png", "image/webp")
    FORMAT_NAMES = {"image/jpeg": "JPEG", "image/png": "PNG", "image/webp": "WebP"}

    def clean_config(self, config: dict[str, Any]) -> dict[str, Any]:
        errors: dict[str, list[str]] = {}
        try:
            min_width, min_height = int(config.get("min_width") or 0), int(config.get("min_height") or 0)
            max_mb = int(config.get("max_mb") or 5)
        except (TypeError, ValueError):
            raise ConfigError({"min_width": ["Use whole numbers."]}) from None
        if min_width < 0 or min_height < 0 or min_width > 10000 or min_height > 10000:
            errors["min_width"] = ["Use a minimum size between 0 and 10000 pixels."]
        if not 1 <= max_mb <= 20:
            errors["max_mb"] = ["Use a size limit between 1 and 20 MB."]
        formats = [f for f in (config.get("formats") or self.FORMATS) if f in self.FORMATS]
        if not formats:
            errors["formats"] = ["Allow at least one of JPEG, PNG, WebP."]
        if errors:
            raise ConfigError(errors)
        return {"min_width": min_width, "min_height": min_height, "max_mb": max_mb, "formats": formats}

    def summary(self, config: dict[str, Any]) -> str:
        if config.get("min_width") or config.get("min_height"):
            size = f"At least {config.get('min_width', 0)}×{config.get('min_height', 0)} px"
        else:
            size = "Any size"
        formats = ", ".join(f.replace("image/", "").upper() for f in config.get("formats", []))
        return f"{size}, up to {config.get('max_mb', 5)} MB; {formats.replace('WEBP', 'WebP')}"

    def choose(self, option: Any, raw: Any, context: dict[str, Any]) -> Chosen:
        upload = context["find_upload"](raw)
        if upload is None:
            raise ValueError("Upload the picture first and send its token.")
        config = option.config
        if upload.content_type not in config.get("formats", self.FORMATS):
            raise ValueError("This kind of picture is not accepted here.")
        if upload.size_bytes > config.get("max_mb", 5) * 1024 * 1024:
            raise ValueError(f"The picture is larger than {config.get('max_mb', 5)} MB.")
        if upload.width < config.get("min_width", 0) or upload.height < config.get("min_height", 0):
            raise ValueError(
                f"The picture is too small: at least {config['min_width']}×{config['min_height']} pixels, "
                f"got {upload.width}×{upload.height}."
            )
        return Chosen(upload.token, "Your picture", Decimal(option.price_delta))

    def draw(self, canvas: Image.Image, chosen: list[Any], context: PreviewContext) -> Image.Image:
        for one in chosen:
            path = context.upload_path(one.value)
            if path is not None:
                drawing.paste_photo(canvas, path)
        return canvas

    def schema_fields(self, kit: Any) -> dict[str, ma.fields.Field]:
        return {
            "min_width": kit.Int(maximum=20000, metadata={"description": "image options"}),
            "min_height": kit.Int(maximum=20000),
            "max_mb": kit.Int(minimum=1, maximum=100),
            "formats": ma.fields.List(ma.fields.String()),
        }

    def form_fields(self, kit: Any) -> dict[str, Any]:
        return {
            "min_width": IntegerField("Minimum width (px)", default=0, validators=[Optional(), kit.small_int]),
            "min_height": IntegerField("Minimum height (px)", default=0, validators=[Optional(), kit.small_int]),
            "max_mb": IntegerField("Largest file (MB)", default=5, validators=[Optional(), kit.small_int]),
            "formats": kit.MultiCheckboxField(
                "Accepted formats",
                choices=[SelectChoice(value, label) for value, label in self.FORMAT_NAMES.items()],
                default=list(self.FORMATS),
                validate_choice=True,
            ),
        }

    def form_values(self, form: Any) -> dict[str, Any]:
        return {**super().form_values(form), "formats": list(form.formats.data or [])}


OPTION_TYPES: dict[str, OptionType] = {t.name: t for t in (ButtonType(), TextType(), ImageType())}
