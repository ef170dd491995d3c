"""API schemas for the cart."""

from __future__ import annotations

import marshmallow as ma

from fantasize.accounts.schemas import COUNTRY_CODE
from fantasize.api.fields import Id, Int, Money, QueryInt, RequiredText, Text
from fantasize.orders.cart import MAX_QUANTITY


class AddToCartSchema(ma.Schema):
    product_id = Id()
    package_id = Id()
    quantity = Int(load_default=1, minimum=1, maximum=MAX_QUANTITY)
    customization = ma.fields.Dict(load_default=dict, metadata={"description": "option id → value"})

    @ma.validates_schema
    def exactly_one(self, data: dict, **kwargs: object) -> None:
        if bool(data.get("product_id")) == bool(data.get("package_id")):
            raise ma.ValidationError("Send either product_id or package_id.", "product_id")


class QuantitySchema(ma.Schema):
    quantity = Int(required=True, minimum=0, maximum=MAX_QUANTITY)


class ChosenSchema(ma.Schema):
    option_id = ma.fields.Integer()
    name = ma.fields.String()
    type = ma.fields.String()
    value = ma.fields.String()
    display = ma.fields.String()
    price_delta = Money()
    special = ma.fields.Boolean()


class CartLineSchema(ma.Schema):
    id = ma.fields.Integer()
    product_id = ma.fields.Function(lambda line: line.card.id if line.kind == "product" else None)
    package_id = ma.fields.Function(lambda line: line.card.id if line.kind == "package" else None)
    name = ma.fields.Function(lambda line: line.card.name)
    quantity = ma.fields.Integer()
    customization = ma.fields.Dict(metadata={"description": "option id → value, as stored"})
    options = ma.fields.List(ma.fields.Nested(ChosenSchema), attribute="chosen")
    unit_price = Money()
    line_total = Money()
    available = ma.fields.Function(lambda line: line.card.available)
    warning = ma.fields.String(allow_none=True)
    problem = ma.fields.String(allow_none=True)
    special = ma.fields.Boolean(metadata={"description": "Has an option that staff review before making it"})


class CartSchema(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(CartLineSchema), attribute="lines")
    total = Money()
    count = ma.fields.Integer()
    orderable = ma.fields.Boolean()


class AddressInputSchema(ma.Schema):
    full_name = RequiredText(max_length=120)
    line1 = RequiredText(max_length=200)
    line2 = Text(load_default=None, allow_none=True, validate=ma.validate.Length(max=200))
    city = RequiredText(max_length=100)
    state = Text(load_default=None, allow_none=True, validate=ma.validate.Length(max=100))
    postal_code = RequiredText(max_length=20)
    country = Text(required=True, validate=COUNTRY_CODE)
    phone = Text(load_default=None, allow_none=True, validate=ma.validate.Length(max=32))


class GiftSchema(ma.Schema):
    message = Text(load_default=None, allow_none=True, validate=ma.validate.Length(max=500))
    recipient_name = Text(load_default=None, allow_none=True, validate=ma.validate.Length(max=120))
    recipient_email = ma.fields.Email(load_default=None)
    recipient_address = ma.fields.Nested(AddressInputSchema, load_default=None)
    hide_prices = ma.fields.Boolean(load_default=False)
    wrap = ma.fields.Boolean(load_default=False)


class CheckoutSchema(ma.Schema):
    address_id = Id(load_default=None)
    address = ma.fields.Nested(AddressInputSchema, load_default=None)
    payment_method = ma.fields.String(required=True, validate=ma.validate.OneOf(["cod", "card"]))
    payment_token = ma.fields.String(
        load_default=None,
        validate=ma.validate.Length(max=120),
        metadata={"description": "The card gateway's token; card numbers are never accepted"},
    )
    gift = ma.fields.Nested(GiftSchema, load_default=None)
    anonymous = ma.fields.Boolean(load_default=False)
    expected_items_total = Money(
        load_default=None,
        allow_none=True,
        metadata={
            "description": "The items' total the shopper saw; a different current total answers 409 prices_changed"
        },
    )


class OrderLineSchema(ma.Schema):
    id = ma.fields.Integer()
    product_id = ma.fields.Integer(allow_none=True)
    package_id = ma.fields.Integer(allow_none=True)
    name = ma.fields.String()
    quantity = ma.fields.Integer()
    unit_price = Money()
    line_total = Money()
    customization = ma.fields.List(
        ma.fields.Dict(), metadata={"description": "Options as chosen (labels and prices then)"}
    )
    special = ma.fields.Boolean()


class OrderEventSchema(ma.Schema):
    from_status = ma.fields.String(allow_none=True, data_key="from")
    to_status = ma.fields.String(data_key="to")
    note = ma.fields.String(allow_none=True)
    at = ma.fields.DateTime()
    by = ma.fields.Function(
        lambda e: "shopper" if e.actor_id == e.order.user_id else ("staff" if e.actor_id else "system")
    )


class GiftOutSchema(ma.Schema):
    message = ma.fields.String(attribute="gift_message", allow_none=True)
    recipient_name = ma.fields.String(attribute="gift_recipient_name", allow_none=True)
    recipient_email = ma.fields.String(attribute="gift_recipient_email", allow_none=True)
    hide_prices = ma.fields.Boolean(attribute="gift_hide_prices")
    wrap = ma.fields.Boolean(attribute="gift_wrap")


class OrderSchema(ma.Schema):
    id = ma.fields.String()
    number = ma.fields.String()
    status = ma.fields.String()
    subtotal = Money()
    wrap_fee = Money()
    total = Money()
    currency = ma.fields.String()
    payment_method = ma.fields.String()
    payment_status = ma.fields.String()
    card_brand = ma.fields.String(allow_none=True)
    card_last4 = ma.fields.String(allow_none=True)
    items = ma.fields.List(ma.fields.Nested(OrderLineSchema), attribute="lines")
    shipping_address = ma.fields.Dict()
    gift = ma.fields.Method("get_gift")
    anonymous = ma.fields.Boolean()
    needs_review = ma.fields.Boolean()
    history = ma.fields.List(ma.fields.Nested(OrderEventSchema))
    created_at = ma.fields.DateTime()

    def get_gift(self, order) -> dict | None:
        return GiftOutSchema().dump(order) if order.is_gift else None


class CancelSchema(ma.Schema):
    note = Text(load_default=None, allow_none=True, validate=ma.validate.Length(max=500))


class StatusChangeSchema(ma.Schema):
    status = RequiredText(max_length=40)
    note = Text(load_default=None, allow_none=True, validate=ma.validate.Length(max=500))


class ReviewDecisionSchema(ma.Schema):
    decision = ma.fields.String(required=True, validate=ma.validate.OneOf(["approve", "reject"]))
    reason = Text(load_default=None, allow_none=True, validate=ma.validate.Length(max=500))


class OrderListQuerySchema(ma.Schema):
    limit = QueryInt(load_default=20, minimum=1, maximum=100)
    cursor = ma.fields.String(load_default=None)


class StaffOrderQuerySchema(OrderListQuerySchema):
    status = ma.fields.String(load_default=None, validate=ma.validate.Length(max=40))
    customer = ma.fields.String(load_default=None, validate=ma.validate.Length(max=254))
    date_from = ma.fields.AwareDateTime(load_default=None)
    date_to = ma.fields.AwareDateTime(load_default=None)
    has_customization = ma.fields.Boolean(load_default=None)
