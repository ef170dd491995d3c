"""API schemas for the catalog (they validate requests and document the API)."""

from __future__ import annotations

import marshmallow as ma

from fantasize.api.pagination import DEFAULT_LIMIT, MAX_LIMIT


class ListQuerySchema(ma.Schema):
    limit = ma.fields.Integer(load_default=DEFAULT_LIMIT, validate=ma.validate.Range(min=1, max=MAX_LIMIT))
    cursor = ma.fields.String(load_default=None)


class CategoryRefSchema(ma.Schema):
    id = ma.fields.Integer()
    name = ma.fields.String()
    slug = ma.fields.String()


class ProductSchema(ma.Schema):
    id = ma.fields.Integer()
    name = ma.fields.String()
    slug = ma.fields.String()
    description = ma.fields.String()
    price = ma.fields.Decimal(as_string=True, places=2)
    final_price = ma.fields.Method("get_final_price", metadata={"type": "string", "example": "19.90"})
    in_stock = ma.fields.Boolean()
    stock = ma.fields.Integer()
    category = ma.fields.Nested(CategoryRefSchema, attribute="subcategory.parent", allow_none=True)
    subcategory = ma.fields.Nested(CategoryRefSchema)
    brand = ma.fields.Nested(CategoryRefSchema, allow_none=True)
    image_url = ma.fields.Method("get_image_url")
    rating = ma.fields.Decimal(as_string=True, places=2)
    review_count = ma.fields.Integer()
    created_at = ma.fields.DateTime()

    def get_final_price(self, product) -> str:
        return f"{product.price:.2f}"

    def get_image_url(self, product) -> str | None:
        from flask import url_for

        if not product.image_path:
            return None
        return url_for("static", filename=product.image_path, _external=False)
