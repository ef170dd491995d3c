"""API schemas for customization options, presets, previews and uploads."""

from __future__ import annotations

from types import SimpleNamespace

import marshmallow as ma

from fantasize.api.fields import Id, Int, Money, RequiredText, Text
from fantasize.customization.types import MAX_PRICE_DELTA, OPTION_TYPES


def _price_delta() -> Money:
    return Money(load_default=0, validate=ma.validate.Range(min=-MAX_PRICE_DELTA, max=MAX_PRICE_DELTA))


# What the option types build their settings' fields from.
FIELD_KIT = SimpleNamespace(Int=Int, Text=Text, RequiredText=RequiredText, Money=Money, price_delta=_price_delta)


class _OptionFields(ma.Schema):
    id = ma.fields.Integer(dump_only=True)
    name = RequiredText(max_length=80)
    type = ma.fields.String(required=True, validate=ma.validate.OneOf(list(OPTION_TYPES)))
    required = ma.fields.Boolean(load_default=False)
    special = ma.fields.Boolean(load_default=False, metadata={"description": "Orders with it wait for staff review"})
    price_delta = _price_delta()

    @ma.pre_dump
    def flatten_config(self, option: object, **kwargs: object) -> dict:
        data = {
            key: getattr(option, key)
            for key in ("id", "name", "type", "required", "special", "price_delta", "preset_id")
        }
        data.update(option.config or {})
        return data


# An option as clients see it (and, without ``id``, as staff create it): the common fields, then
# every type's settings (flat), then the preset it comes from.
OptionSchema = type(
    "OptionSchema",
    (_OptionFields,),
    {
        **{key: field for t in OPTION_TYPES.values() for key, field in t.schema_fields(FIELD_KIT).items()},
        "preset_id": ma.fields.Integer(dump_only=True, allow_none=True),
    },
)


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
