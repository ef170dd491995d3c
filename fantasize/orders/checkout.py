"""Checkout: turn the cart into an order in one transaction, in two steps (as Saleor's checkout does).

- :func:`prepare_checkout` checks the cart, gift, address and payment method, takes the stock
  and prices the order; it writes nothing else.
- :func:`create_order` writes the order, its lines and history, empties the cart and
  authorizes a card payment.

:func:`fantasize.orders.placing.place_order` runs both, once per idempotency key.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import delete, select

from fantasize import events
from fantasize.accounts.addresses import ADDRESS_FIELDS, get_address
from fantasize.accounts.models import User
from fantasize.catalog import sellables
from fantasize.db import after_rollback
from fantasize.errors import AppError, ValidationFailed
from fantasize.extensions import db
from fantasize.orders import payments, stock
from fantasize.orders.cart import CartOwner, CartView, view_cart
from fantasize.orders.models import Cart, CartItem, Order, OrderEvent, OrderLine, OrderStatus
from fantasize.orders.state import PaymentStatus

GIFT_WRAP_FEE = Decimal("3.50")
NUMBER_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
REQUIRED_ADDRESS_FIELDS = ("full_name", "line1", "city", "postal_code", "country")


class OutOfStock(AppError):
    status = 409
    code = "out_of_stock"


class PricesChanged(AppError):
    status = 409
    code = "prices_changed"


class EmptyCart(AppError):
    status = 422
    code = "cart_empty"


@dataclass(frozen=True)
class Gift:
    message: str | None = None
    recipient_name: str | None = None
    recipient_email: str | None = None
    recipient_address: dict[str, Any] | None = None
    hide_prices: bool = False
    wrap: bool = False


@dataclass(frozen=True)
class CheckoutRequest:
    payment_method: str
    address_id: int | None = None
    address: dict[str, Any] | None = None
    payment_token: str | None = None
    gift: Gift | None = None
    anonymous: bool = False
    # The items' total the shopper was shown; when it no longer matches, nothing is charged.
    expected_items_total: Decimal | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def new_order_number() -> str:
    return "FZ-" + "".join(secrets.choice(NUMBER_ALPHABET) for _ in range(7))


def _clean_address(values: dict[str, Any] | None, prefix: str) -> dict[str, Any]:
    values = values or {}
    errors = {
        f"{prefix}.{name}": ["Required."] for name in REQUIRED_ADDRESS_FIELDS if not str(values.get(name) or "").strip()
    }
    country = str(values.get("country") or "").strip().upper()
    if country and (len(country) != 2 or not country.isalpha()):
        errors[f"{prefix}.country"] = ["Use a two-letter country code, e.g. GB."]
    if errors:
        raise ValidationFailed("The address is incomplete.", errors)
    cleaned = {name: (str(values.get(name) or "").strip() or None) for name in ADDRESS_FIELDS}
    cleaned["country"] = country
    return cleaned


def shipping_address(user: User, request: CheckoutRequest) -> dict[str, Any]:
    """Where the parcel goes: a gift's recipient, a saved address, or one typed at checkout."""
    if request.gift and request.gift.recipient_address:
        return _clean_address(request.gift.recipient_address, "gift.recipient_address")
    if request.address_id is not None:
        saved = get_address(user, request.address_id)
        return {name: getattr(saved, name) for name in ADDRESS_FIELDS}
    if request.address:
        return _clean_address(request.address, "address")
    raise ValidationFailed("Choose where to send the order.", {"address": ["Choose a saved address or type one."]})


def demand_of(cart: CartView) -> stock.Demand:
    return stock.demand_of(
        stock.Need(line.kind, line.card.id, line.quantity, tuple((i.product_id, i.quantity) for i in line.card.items))
        for line in cart.lines
    )


def _check_cart(cart: CartView) -> None:
    if not cart.lines:
        raise EmptyCart("Your cart is empty.", {"cart": ["Add something first."]})
    problems = {
        f"items.{line.id}": [line.problem] for line in cart.lines if line.problem and line.problem != "Out of stock."
    }
    if problems:
        raise ValidationFailed("Some cart lines need your attention.", problems)


def _check_gift(gift: Gift | None) -> None:
    if gift is None:
        return
    errors = {}
    if gift.message and len(gift.message) > 500:
        errors["gift.message"] = ["Keep the message under 500 characters."]
    if gift.recipient_address and not (gift.recipient_name or "").strip():
        errors["gift.recipient_name"] = ["Say who receives the gift."]
    if errors:
        raise ValidationFailed("The gift details are not complete.", errors)


@dataclass(frozen=True)
class PreparedCheckout:
    """A checked and priced cart, ready to become an order."""

    cart_id: int | None
    cart: CartView
    address: dict[str, Any]
    subtotal: Decimal
    wrap_fee: Decimal
    total: Decimal
    special: bool  # a line's customization needs a look from staff before the order is made


def _check_payment(request: CheckoutRequest) -> None:
    if request.payment_method not in ("cod", "card"):
        raise ValidationFailed("Choose a payment method.", {"payment_method": ["Use cod or card."]})
    if request.payment_method == "card" and not request.payment_token:
        raise ValidationFailed("Pay with the card form first.", {"payment_token": ["Missing payment token."]})


def _take_stock(cart: CartView) -> None:
    """Take the cart's stock, or refuse naming every short line (the check and the taking are one UPDATE per row)."""
    shortages = stock.take(demand_of(cart))
    if shortages:
        raise OutOfStock(
            "Some items are no longer available in the quantity you asked for.",
            {
                "lines": [
                    {
                        "kind": s.kind,
                        **sellables.owner_values(s.kind, s.item_id),
                        "name": s.name,
                        "requested": s.wanted,
                        "available": s.available,
                    }
                    for s in shortages
                ]
            },
        )


def prepare_checkout(user: User, request: CheckoutRequest) -> PreparedCheckout:
    """Check the cart, gift, address and payment method, take the stock, and price the order.

    Refuses with an error (nothing is kept: the caller's transaction rolls back) when anything
    is off, including prices that changed since the shopper looked.
    """
    # One checkout per cart at a time: a second tab (or a retry with a new key) waits here,
    # then finds the cart empty.
    cart_id = db.session.scalar(select(Cart.id).where(Cart.user_id == user.id).with_for_update())
    cart = view_cart(CartOwner(user_id=user.id))
    _check_cart(cart)
    _check_gift(request.gift)
    address = shipping_address(user, request)
    _check_payment(request)
    _take_stock(cart)
    subtotal = sum((line.line_total for line in cart.lines), Decimal("0.00"))
    if request.expected_items_total is not None and request.expected_items_total != subtotal:
        raise PricesChanged(
            f"Prices changed since you looked: the items now cost {subtotal:.2f}. Please check and confirm again.",
            {"expected_items_total": [f"Now {subtotal:.2f}."]},
        )
    wrap_fee = GIFT_WRAP_FEE if request.gift and request.gift.wrap else Decimal("0.00")
    return PreparedCheckout(
        cart_id=cart_id,
        cart=cart,
        address=address,
        subtotal=subtotal,
        wrap_fee=wrap_fee,
        total=subtotal + wrap_fee,
        special=any(line.special for line in cart.lines),
    )


def create_order(user: User, request: CheckoutRequest, prepared: PreparedCheckout) -> Order:
    """Write the order, its lines and first history entry, empty the cart, then authorize a card payment."""
    gift = request.gift
    cart = prepared.cart
    order = Order(
        number=new_order_number(),
        user_id=user.id,
        status=(OrderStatus.UNDER_REVIEW if prepared.special else OrderStatus.PLACED).value,
        subtotal=prepared.subtotal,
        wrap_fee=prepared.wrap_fee,
        total=prepared.total,
        payment_method=request.payment_method,
        payment_status=PaymentStatus.PENDING if request.payment_method == "cod" else PaymentStatus.AUTHORIZED,
        shipping_address=prepared.address,
        is_gift=gift is not None,
        gift_message=(gift.message or None) if gift else None,
        gift_recipient_name=(gift.recipient_name or None) if gift else None,
        gift_recipient_email=(gift.recipient_email or None) if gift else None,
        gift_hide_prices=bool(gift and gift.hide_prices),
        gift_wrap=bool(gift and gift.wrap),
        anonymous=request.anonymous,
        needs_review=prepared.special,
        customized=any(line.chosen for line in cart.lines),
    )
    for line in cart.lines:
        order.lines.append(
            OrderLine(
                **sellables.owner_values(line.kind, line.card.id),
                name=line.card.name,
                quantity=line.quantity,
                unit_price=line.unit_price,
                line_total=line.line_total,
                customization=[choice.snapshot() for choice in line.chosen],
                special=line.special,
                components=[{"product_id": i.product_id, "quantity": i.quantity} for i in line.card.items],
            )
        )
    order.history.append(OrderEvent(actor_id=user.id, from_status=None, to_status=order.status, note="Order placed"))

    db.session.add(order)
    db.session.execute(delete(CartItem).where(CartItem.cart_id == prepared.cart_id))
    db.session.flush()  # constraint failures surface before any card is charged
    if request.payment_method == "card":
        authorization = payments.gateway().authorize(prepared.total, order.currency, request.payment_token)
        # From here on, a rollback of this transaction (for any reason) voids the authorization.
        after_rollback(db.session(), lambda: payments.gateway().void(authorization.reference))
        order.payment_reference = authorization.reference
        order.card_brand = authorization.brand
        order.card_last4 = authorization.last4
        db.session.flush()
    events.publish("order.created", {"order_id": order.id, "user_id": user.id, "status": order.status})
    return order
