"""API schemas for the catalog (they validate requests and document the API)."""

from __future__ import annotations

from dataclasses import fields

import marshmallow as ma
from flask import url_for

from fantasize.api.fields import DecimalString, Id, Int, Money, QueryId, QueryInt, RequiredText, Text
from fantasize.api.pagination import DEFAULT_LIMIT, MAX_LIMIT
from fantasize.catalog.cards import Detail
from fantasize.catalog.listing import SORTS

MAX_PRICE = 100000
MAX_POSITION = 1_000_000


def media_url(key: str | None) -> str | None:
    if not key:
        return None
    folder, name = key.split("/", 1)
    return url_for("catalog.media", folder=folder, name=name, _external=True)


class ListQuerySchema(ma.Schema):
    limit = QueryInt(load_default=DEFAULT_LIMIT, minimum=1, maximum=MAX_LIMIT)
    cursor = ma.fields.String(load_default=None)


class CatalogQuerySchema(ListQuerySchema):
    q = ma.fields.String(load_default=None, validate=ma.validate.Length(max=100))
    category = ma.fields.String(load_default=None, metadata={"description": "Category id or slug"})
    subcategory = ma.fields.String(load_default=None, metadata={"description": "Subcategory id or slug"})
    brand = ma.fields.String(load_default=None, metadata={"description": "Brand id or slug (products)"})
    material = ma.fields.String(load_default=None, metadata={"description": "Material id or slug"})
    min_price = DecimalString(load_default=None, validate=ma.validate.Range(min=0, max=MAX_PRICE))
    max_price = DecimalString(load_default=None, validate=ma.validate.Range(min=0, max=MAX_PRICE))
    in_stock = ma.fields.Boolean(load_default=False)
    on_offer = ma.fields.Boolean(load_default=False)
    sort = ma.fields.String(load_default="newest", validate=ma.validate.OneOf(SORTS))

    @ma.validates_schema
    def check_price_range(self, data: dict, **kwargs: object) -> None:
        low, high = data.get("min_price"), data.get("max_price")
        if low is not None and high is not None and low > high:
            raise ma.ValidationError("max_price must not be below min_price.", "max_price")


class RefSchema(ma.Schema):
    id = ma.fields.Integer()
    name = ma.fields.String()
    slug = ma.fields.String()


class ItemLineSchema(ma.Schema):
    product_id = ma.fields.Integer()
    quantity = ma.fields.Integer()
    name = ma.fields.String()
    slug = ma.fields.String()


class CardSchema(ma.Schema):
    """A product or package in a list (a ``Card``)."""

    id = ma.fields.Integer()
    kind = ma.fields.String(metadata={"enum": ["product", "package"]})
    name = ma.fields.String()
    slug = ma.fields.String()
    price = Money()
    final_price = Money(metadata={"description": "Price after the best current offer"})
    discount_percent = DecimalString(allow_none=True)
    in_stock = ma.fields.Boolean()
    stock = ma.fields.Integer()
    available = ma.fields.Integer(metadata={"description": "How many can be ordered now"})
    category = ma.fields.Nested(RefSchema, allow_none=True)
    subcategory = ma.fields.Nested(RefSchema)
    brand = ma.fields.Nested(RefSchema, allow_none=True)
    image_url = ma.fields.Function(lambda card: media_url(card.image_path))
    rating = DecimalString(places=2, metadata={"pattern": r"^[0-5]\.[0-9]{2}$", "example": "4.50"})
    review_count = ma.fields.Integer()
    created_at = ma.fields.DateTime()


class PackageCardSchema(CardSchema):
    items = ma.fields.List(ma.fields.Nested(ItemLineSchema))


class MediaSchema(ma.Schema):
    id = ma.fields.Integer()
    url = ma.fields.Function(lambda m: media_url(m.path))
    thumbnail_url = ma.fields.Function(lambda m: media_url(m.thumb_path))
    alt_text = ma.fields.String()
    width = ma.fields.Integer()
    height = ma.fields.Integer()
    is_primary = ma.fields.Boolean()


class MaterialShareSchema(ma.Schema):
    id = ma.fields.Integer()
    name = ma.fields.String()
    slug = ma.fields.String()
    percentage = DecimalString()


class DetailSchema(PackageCardSchema):
    """A product or package with its description, pictures and materials (a ``Detail``)."""

    description = ma.fields.String(metadata={"description": "Sanitized HTML"})
    media = ma.fields.List(ma.fields.Nested(MediaSchema))
    materials = ma.fields.List(ma.fields.Nested(MaterialShareSchema))

    image_url = ma.fields.Function(lambda data: media_url(data["image_path"]))

    @ma.pre_dump
    def flatten(self, detail: Detail, **kwargs: object) -> dict:
        card = detail.card
        return {
            **{f.name: getattr(card, f.name) for f in fields(card)},
            "in_stock": card.in_stock,
            "description": detail.description,
            "media": detail.media,
            "materials": detail.materials,
        }


class MaterialInputSchema(ma.Schema):
    material_id = Id(required=True)
    percentage = DecimalString(load_default=100, validate=ma.validate.Range(min=0, min_inclusive=False, max=100))


class ProductInputSchema(ma.Schema):
    name = RequiredText(max_length=200)
    description = Text(load_default="", validate=ma.validate.Length(max=20000))
    price = Money(required=True, validate=ma.validate.Range(min=0, max=MAX_PRICE))
    stock = Int(load_default=0)
    subcategory_id = Id(required=True)
    brand_id = Id(allow_none=True)
    material_ids = ma.fields.List(Id())
    materials = ma.fields.List(ma.fields.Nested(MaterialInputSchema))
    active = ma.fields.Boolean(load_default=True)


class PackageItemInputSchema(ma.Schema):
    product_id = Id(required=True)
    quantity = Int(load_default=1, minimum=1, maximum=100)


class PackageInputSchema(ProductInputSchema):
    items = ma.fields.List(ma.fields.Nested(PackageItemInputSchema), required=True, validate=ma.validate.Length(min=1))

    class Meta:
        exclude = ("brand_id",)


class CategoryNodeSchema(ma.Schema):
    id = ma.fields.Integer()
    name = ma.fields.String()
    slug = ma.fields.String()
    image_url = ma.fields.Function(lambda node: media_url(node.image_path))
    children = ma.fields.List(ma.fields.Nested(lambda: CategoryNodeSchema()))


class CategoryInputSchema(ma.Schema):
    name = RequiredText(max_length=120)
    parent_id = Id(allow_none=True, load_default=None)
    description = Text(load_default="", validate=ma.validate.Length(max=20000))
    active = ma.fields.Boolean(load_default=True)
    position = Int(load_default=0, minimum=-MAX_POSITION, maximum=MAX_POSITION)


class NamedInputSchema(ma.Schema):
    name = RequiredText(max_length=120)


class ReviewSchema(ma.Schema):
    id = ma.fields.Integer(dump_only=True)
    rating = Int(required=True, minimum=1, maximum=5)
    comment = Text(load_default="", validate=ma.validate.Length(max=2000))
    author = ma.fields.Function(lambda review: review.author.public_name, dump_only=True)
    verified_purchase = ma.fields.Boolean(dump_only=True)
    created_at = ma.fields.DateTime(dump_only=True)


class OfferInputSchema(ma.Schema):
    name = RequiredText(max_length=120)
    percent = DecimalString(
        required=True, validate=ma.validate.Range(min=0, max=100, min_inclusive=False, max_inclusive=False)
    )
    starts_at = ma.fields.AwareDateTime(required=True, default_timezone=None)
    ends_at = ma.fields.AwareDateTime(required=True)
    product_ids = ma.fields.List(Id(), load_default=list)
    package_ids = ma.fields.List(Id(), load_default=list)
    active = ma.fields.Boolean(load_default=True)


class OfferSchema(ma.Schema):
    id = ma.fields.Integer()
    name = ma.fields.String()
    percent = DecimalString()
    starts_at = ma.fields.DateTime()
    ends_at = ma.fields.DateTime()
    active = ma.fields.Boolean()


class FavoriteInputSchema(ma.Schema):
    product_id = Id()
    package_id = Id()

    @ma.validates_schema
    def exactly_one(self, data: dict, **kwargs: object) -> None:
        if bool(data.get("product_id")) == bool(data.get("package_id")):
            raise ma.ValidationError("Send either product_id or package_id.", "product_id")


class FavoriteQuerySchema(FavoriteInputSchema):
    product_id = QueryId()
    package_id = QueryId()


class SearchResultSchema(ma.Schema):
    products = ma.fields.List(ma.fields.Nested(CardSchema))
    packages = ma.fields.List(ma.fields.Nested(PackageCardSchema))
