"""Shopper pages after the cart: checkout, "my orders", an order with its tracking, canceling.

Blueprint ``order_pages`` (the cart is ``orders``, in ``cart_views``).

- ``GET/POST /checkout``: the cart summary, where to ship, gift options, payment; a one-time
  ``checkout_token`` is the idempotency key, so a double-click places one order.
- ``GET /orders``: the shopper's orders, newest first, with a cursor "next page" link.
- ``GET /orders/<id>``: one order (someone else's is "not found"), its history, "Cancel order".
- ``GET /orders/<id>/status``: its tracking alone, which the page fetches again when the order changes.
- ``POST /orders/<id>/cancel``: cancel while it is under review, placed or being made.
"""

from __future__ import annotations

import secrets
import time
from dataclasses import asdict
from decimal import Decimal
from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask.wrappers import Response
from flask_login import current_user

from fantasize.accounts import addresses as address_service
from fantasize.accounts.models import User
from fantasize.accounts.permissions import login_required
from fantasize.api.pagination import decode_cursor, encode_cursor
from fantasize.errors import AppError, NotFound
from fantasize.ids import parse_id
from fantasize.orders import cart, idempotency, services, state
from fantasize.orders.checkout import GIFT_WRAP_FEE, CheckoutRequest, Gift, OutOfStock, PricesChanged
from fantasize.orders.forms import NEW_ADDRESS, CheckoutForm, address_choices, attach_checkout_errors
from fantasize.orders.models import Order, OrderStatus
from fantasize.orders.payments import PaymentDeclined
from fantasize.orders.placing import place_order
from fantasize.web.htmx import partial_or_redirect
from fantasize.web.transactions import settle_failure

bp = Blueprint("order_pages", __name__)

PAGE_SIZE = 20
WAIT_FOR_FIRST_CLICK = 5.0  # seconds a second click waits for the first one's order


@bp.context_processor
def _helpers() -> dict[str, Any]:
    return {
        "status_label": state.status_label,
        "payment_label": state.payment_label,
        "shopper_cancelable": state.shopper_cancelable,
    }


def _me() -> User:
    return current_user._get_current_object()


# --- checkout ---------------------------------------------------------------------------------


def _checkout_request(form: CheckoutForm) -> CheckoutRequest:
    choice = form.address_choice.data or ""
    address_id = parse_id(choice)
    gift = None
    if form.gift.is_gift.data:
        fields = form.gift.form
        gift = Gift(
            message=(fields.message.data or "").strip() or None,
            recipient_name=(fields.recipient_name.data or "").strip() or None,
            recipient_email=(fields.recipient_email.data or "").strip() or None,
            recipient_address=fields.recipient_address.form.values() if fields.ship_to_recipient.data else None,
            hide_prices=bool(fields.hide_prices.data),
            wrap=bool(fields.wrap.data),
        )
    card = form.payment_method.data == "card"
    return CheckoutRequest(
        payment_method=form.payment_method.data or "",
        address_id=address_id,
        address=form.address.form.values() if address_id is None else None,
        payment_token=(form.payment_token.data or None) if card else None,
        gift=gift,
        anonymous=bool(form.anonymous.data),
        expected_items_total=_decimal_or_none(form.items_total.data),
    )


def _decimal_or_none(raw: str | None) -> Decimal | None:
    """The total the page showed, if it is a plain number (a tampered "sNaN" would break the comparison)."""
    try:
        value = Decimal(raw) if raw else None
    except ArithmeticError:
        return None
    return value if value is not None and value.is_finite() else None


def _place(user: User, checkout: CheckoutRequest, key: str | None) -> tuple[Order, bool]:
    """``placing.place_order``; a second click that arrives while the first is still running waits for its order."""
    body_hash = idempotency.fingerprint(asdict(checkout))
    deadline = time.monotonic() + WAIT_FOR_FIRST_CLICK
    while True:
        try:
            return place_order(user, checkout, key, body_hash)
        except idempotency.StillRunning:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def _out_of_stock_lines(error: AppError) -> list[dict[str, Any]]:
    lines = (error.details or {}).get("lines") or []
    return [line for line in lines if isinstance(line, dict)]


def _render_checkout(
    form: CheckoutForm,
    saved: list,
    status: int = 200,
    *,
    line_errors: dict[str, list[str]] | None = None,
    shortages: list[dict[str, Any]] | None = None,
) -> tuple[str, int]:
    view = cart.view_cart(cart.CartOwner(user_id=current_user.id))
    return render_template(
        "orders/checkout.html",
        form=form,
        cart=view,
        addresses={str(a.id): a for a in saved},
        line_errors=line_errors or {},
        shortages=shortages or [],
        wrap_fee=GIFT_WRAP_FEE,
    ), status


def _checkout_failed(form: CheckoutForm, saved: list, error: AppError) -> tuple[str, int]:
    if isinstance(error, idempotency.KeyReused):
        # The form was sent once already (an order exists), then changed: start a fresh checkout.
        form.checkout_token.data = secrets.token_urlsafe(24)
        form.form_errors.append(
            "This checkout form was already used to place an order. Check “My orders” before placing another; "
            "sending the form again now places a new order."
        )
        return _render_checkout(form, saved, 422)
    if isinstance(error, OutOfStock):
        return _render_checkout(form, saved, 409, shortages=_out_of_stock_lines(error))
    if isinstance(error, PricesChanged):
        form.items_total.data = f"{cart.view_cart(cart.CartOwner(user_id=current_user.id)).total:.2f}"
        form.form_errors.append(error.message)
        return _render_checkout(form, saved, 409)
    if isinstance(error, NotFound):  # a saved address that is not (or no longer) the shopper's
        form.address_choice.errors = [*list(form.address_choice.errors or []), error.message]
        return _render_checkout(form, saved, 422)
    line_errors = attach_checkout_errors(form, error)
    status = error.status if error.status in (PaymentDeclined.status, 409, 422) else 422
    return _render_checkout(form, saved, status, line_errors=line_errors)


@bp.route("/checkout", methods=["GET", "POST"])
@login_required
def checkout() -> Response | tuple[str, int]:
    user = _me()
    saved = address_service.list_addresses(user)
    form = CheckoutForm()
    form.address_choice.choices = address_choices(saved)

    if request.method == "GET":
        if not cart.view_cart(cart.CartOwner(user_id=user.id)).lines:
            flash("Your cart is empty: add a gift first.", "info")
            return redirect(url_for("orders.view_cart"), code=303)
        form.checkout_token.data = secrets.token_urlsafe(24)
        form.items_total.data = f"{cart.view_cart(cart.CartOwner(user_id=user.id)).total:.2f}"
        form.address_choice.data = str(saved[0].id) if saved else NEW_ADDRESS
        return _render_checkout(form, saved)

    if not form.validate_on_submit():
        form.form_errors.append("Please check the highlighted fields.")
        return _render_checkout(form, saved, 422)
    key = (form.checkout_token.data or "").strip()[:120] or None
    try:
        order, created = _place(user, _checkout_request(form), key)
    except AppError as error:
        settle_failure(error)  # undo the attempt before the page shows the cart again
        return _checkout_failed(form, saved, error)
    if created and order.status == OrderStatus.UNDER_REVIEW:
        flash(
            f"Thank you! Your order {order.number} is placed; our team checks its personalisation before making it.",
            "success",
        )
    elif created:
        flash(f"Thank you! Your order {order.number} is placed.", "success")
    else:
        flash(f"Your order {order.number} was already placed; here it is.", "info")
    return redirect(url_for("order_pages.order_detail", order_id=order.id), code=303)


# --- orders -----------------------------------------------------------------------------------


@bp.get("/orders")
@login_required
def my_orders() -> str:
    cursor = request.args.get("cursor") or None
    rows, next_key = services.list_orders_of(_me(), PAGE_SIZE, decode_cursor(cursor))
    return render_template(
        "orders/orders.html",
        orders=rows,
        next_cursor=encode_cursor(next_key) if next_key else None,
        paged=cursor is not None,
    )


def _own_order(order_id: str) -> Order:
    """The signed-in shopper's own order; anyone else's (staff included, who have their pages) is "not found"."""
    user = _me()
    order = services.get_order_for(user, order_id)
    if order.user_id != user.id:
        raise NotFound("No such order.")
    return order


@bp.get("/orders/<order_id>")
@login_required
def order_detail(order_id: str) -> str:
    return render_template("orders/order.html", order=_own_order(order_id), staff_view=False)


@bp.get("/orders/<order_id>/status")
@login_required
def order_status(order_id: str) -> Response:
    """The order's tracking, for the order page's live refresh; without htmx, the order page."""
    order = _own_order(order_id)
    return partial_or_redirect(
        "orders/_order_status.html", url_for("order_pages.order_detail", order_id=order.id), order=order
    )


@bp.post("/orders/<order_id>/cancel")
@login_required
def cancel_order(order_id: str) -> Response:
    order = _own_order(order_id)
    note = (request.form.get("note") or "").strip()[:500] or None
    try:
        services.cancel_by_shopper(_me(), order.id, note)
    except AppError as error:
        if isinstance(error, NotFound):
            raise
        settle_failure(error)
        flash(error.message, "error")
    else:
        flash(f"Order {order.number} is canceled.", "success")
    return redirect(url_for("order_pages.order_detail", order_id=order_id), code=303)
