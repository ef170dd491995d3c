"""API schemas for the cart."""

from __future__ import annotations

import marshmallow as ma

from fantasize.orders.cart import MAX_QUANTITY


class AddToCartSchema(ma.Schema):
    product_id = ma.fields.Integer()
    package_id = ma.fields.Integer()
    quantity = ma.fields.Integer(load_default=1, validate=ma.validate.Range(min=1, max=MAX_QUANTITY))
    customization = ma.fields.Dict(load_default=dict, metadata={"description": "option id → value"})

    @ma.validates_schema
    def exactly_one(self, data: dict, **kwargs: object) -> None:
        if bool(data.get("product_id")) == bool(data.get("package_id")):
            raise ma.ValidationError("Send either product_id or package_id.", "product_id")


class QuantitySchema(ma.Schema):
    quantity = ma.fields.Integer(required=True, validate=ma.validate.Range(min=0, max=MAX_QUANTITY))


class ChosenSchema(ma.Schema):
    option_id = ma.fields.Integer()
    name = ma.fields.String()
    type = ma.fields.String()
    value = ma.fields.String()
    display = ma.fields.String()
    price_delta = ma.fields.Decimal(as_string=True)
    special = ma.fields.Boolean()


class CartLineSchema(ma.Schema):
    id = ma.fields.Integer()
    product_id = ma.fields.Function(lambda line: line.card.id if line.kind == "product" else None)
    package_id = ma.fields.Function(lambda line: line.card.id if line.kind == "package" else None)
    name = ma.fields.Function(lambda line: line.card.name)
    quantity = ma.fields.Integer()
    customization = ma.fields.Dict(metadata={"description": "option id → value, as stored"})
    options = ma.fields.List(ma.fields.Nested(ChosenSchema), attribute="chosen")
    unit_price = ma.fields.Decimal(as_string=True, places=2)
    line_total = ma.fields.Decimal(as_string=True, places=2)
    available = ma.fields.Function(lambda line: line.card.available)
    warning = ma.fields.String(allow_none=True)
    problem = ma.fields.String(allow_none=True)
    special = ma.fields.Boolean(metadata={"description": "Has an option that staff review before making it"})


class CartSchema(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(CartLineSchema), attribute="lines")
    total = ma.fields.Decimal(as_string=True, places=2)
    count = ma.fields.Integer()
    orderable = ma.fields.Boolean()
