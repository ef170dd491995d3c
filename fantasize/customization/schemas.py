"""API schemas for customization options, presets, previews and uploads."""

from __future__ import annotations

import marshmallow as ma

from fantasize.api.fields import Id, Int, Money, RequiredText, Text

OPTION_TYPES = ("button", "text", "image")
MAX_DELTA = 1000  # as the customization service allows


class ChoiceSchema(ma.Schema):
    value = RequiredText(max_length=60)
    label = Text(load_default=None, allow_none=True, validate=ma.validate.Length(max=80))
    price_delta = Money(load_default=0, validate=ma.validate.Range(min=-MAX_DELTA, max=MAX_DELTA))
    swatch = Text(load_default=None, allow_none=True, metadata={"example": "#b3245c"})


class OptionSchema(ma.Schema):
    """An option as clients see it (and, without ``id``, as staff create it)."""

    id = ma.fields.Integer(dump_only=True)
    name = RequiredText(max_length=80)
    type = ma.fields.String(required=True, validate=ma.validate.OneOf(OPTION_TYPES))
    required = ma.fields.Boolean(load_default=False)
    special = ma.fields.Boolean(load_default=False, metadata={"description": "Orders with it wait for staff review"})
    price_delta = Money(load_default=0, validate=ma.validate.Range(min=-MAX_DELTA, max=MAX_DELTA))
    max_length = Int(minimum=1, maximum=500, metadata={"description": "text options"})
    charset = ma.fields.String(metadata={"description": "text options: letters, letters_digits or basic"})
    placeholder = Text(validate=ma.validate.Length(max=120))
    choices = ma.fields.List(ma.fields.Nested(ChoiceSchema), metadata={"description": "button options"})
    min_width = Int(maximum=20000, metadata={"description": "image options"})
    min_height = Int(maximum=20000)
    max_mb = Int(minimum=1, maximum=100)
    formats = ma.fields.List(ma.fields.String())
    preset_id = ma.fields.Integer(dump_only=True, allow_none=True)

    @ma.pre_dump
    def flatten_config(self, option: object, **kwargs: object) -> dict:
        data = {
            key: getattr(option, key)
            for key in ("id", "name", "type", "required", "special", "price_delta", "preset_id")
        }
        data.update(option.config or {})
        return data


class PresetSchema(ma.Schema):
    id = ma.fields.Integer(dump_only=True)
    name = RequiredText(max_length=80)
    description = Text(load_default="", validate=ma.validate.Length(max=300))
    options = ma.fields.List(ma.fields.Nested(OptionSchema), dump_only=True)


class AttachSchema(ma.Schema):
    preset_id = Id(required=True)


class PreviewSchema(ma.Schema):
    product_id = Id()
    package_id = Id()
    customization = ma.fields.Dict(load_default=dict)
    format = ma.fields.String(load_default="png", validate=ma.validate.OneOf(["png", "webp"]))

    @ma.validates_schema
    def exactly_one(self, data: dict, **kwargs: object) -> None:
        if bool(data.get("product_id")) == bool(data.get("package_id")):
            raise ma.ValidationError("Send either product_id or package_id.", "product_id")


class UploadSchema(ma.Schema):
    token = ma.fields.String()
    content_type = ma.fields.String()
    width = ma.fields.Integer()
    height = ma.fields.Integer()
