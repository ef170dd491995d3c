"""Cart JSON endpoints (signed-in users; guests use the browser cart)."""

from __future__ import annotations

from flask import request

from fantasize.accounts.permissions import current_principal, login_required, permission_required
from fantasize.api.auth import require_api_user
from fantasize.api.envelope import ApiBlueprint
from fantasize.api.pagination import decode_cursor, encode_cursor, set_pagination
from fantasize.catalog import sellables
from fantasize.orders import cart, idempotency, services
from fantasize.orders.checkout import CheckoutRequest, Gift
from fantasize.orders.placing import place_order
from fantasize.orders.schemas import (
    AddToCartSchema,
    CancelSchema,
    CartSchema,
    CheckoutSchema,
    OrderEventSchema,
    OrderListQuerySchema,
    OrderSchema,
    QuantitySchema,
    ReviewDecisionSchema,
    StaffOrderQuerySchema,
    StatusChangeSchema,
)

bp = ApiBlueprint("cart", __name__, description="The signed-in user's cart", signed_in=True)


def _owner() -> cart.CartOwner:
    return cart.CartOwner(user_id=require_api_user().id)


@bp.get("")
@bp.response(200, CartSchema)
def get_cart():
    """The cart, priced from current prices, offers and option deltas, with stock warnings."""
    return cart.view_cart(_owner())


@bp.post("/items")
@bp.arguments(AddToCartSchema)
@bp.response(201, CartSchema)
def add_item(body: dict):
    """Add a product or package with its customization (validated: each bad choice is a field error)."""
    kind, item_id = sellables.item_named_in(body)
    cart.add_item(_owner(), kind, item_id, body["quantity"], body["customization"])
    return cart.view_cart(_owner())


@bp.patch("/items/<int:line_id>")
@bp.arguments(QuantitySchema)
@bp.response(200, CartSchema)
def update_item(body: dict, line_id: int):
    """Change a line's quantity (0 removes it)."""
    cart.update_quantity(_owner(), line_id, body["quantity"])
    return cart.view_cart(_owner())


@bp.delete("/items/<int:line_id>")
@bp.response(200, CartSchema)
def remove_item(line_id: int):
    cart.remove_item(_owner(), line_id)
    return cart.view_cart(_owner())


# --- checkout and orders -------------------------------------------------------------------

checkout_bp = ApiBlueprint("checkout", __name__, description="Turn the cart into an order")
orders_bp = ApiBlueprint("my_orders", __name__, description="The signed-in user's orders", signed_in=True)
admin_orders_bp = ApiBlueprint("admin_orders", __name__, description="Orders for staff (orders.manage)")


def _checkout_request(body: dict) -> CheckoutRequest:
    gift = body.get("gift")
    return CheckoutRequest(
        payment_method=body["payment_method"],
        address_id=body.get("address_id"),
        address=body.get("address"),
        payment_token=body.get("payment_token"),
        gift=Gift(**gift) if gift else None,
        anonymous=body.get("anonymous", False),
        expected_items_total=body.get("expected_items_total"),
    )


@checkout_bp.post("")
@login_required
@checkout_bp.arguments(CheckoutSchema)
@checkout_bp.response(
    201,
    OrderSchema,
    description="The order; a replay of an earlier request (same Idempotency-Key and body) answers the same",
    headers={
        "Idempotent-Replayed": {
            "description": "`true` when this answer replays an earlier request with the same key",
            "schema": {"type": "string", "enum": ["true"]},
        }
    },
)
@checkout_bp.doc(
    parameters=[
        {
            "in": "header",
            "name": "Idempotency-Key",
            "required": False,
            "description": "Makes retries safe: a repeat with the same key and body returns the same order",
            "schema": {"type": "string", "maxLength": 120},
        }
    ]
)
def checkout(body: dict):
    """Place an order from the cart. Send ``Idempotency-Key``: a retry then returns the same order.

    Stock is taken in the same transaction (409 ``out_of_stock`` names the lines); the total is
    recomputed from current prices; card payments take a gateway token, never card data. A retry
    with the same key and body answers ``201`` with the same order and ``Idempotent-Replayed: true``;
    the same key with another body is ``422 idempotency_key_reused``; a retry while the first
    request runs is ``409``.
    """
    key = (request.headers.get("Idempotency-Key") or "").strip()[:120] or None
    order, created = place_order(require_api_user(), _checkout_request(body), key, idempotency.fingerprint(body))
    # A replay answers exactly like the first request did, and says that it is one.
    return order, 201, ({} if created else {"Idempotent-Replayed": "true"})


def _manages_orders() -> bool:
    principal = current_principal()
    return principal is not None and principal.can("orders.manage")


@orders_bp.get("")
@orders_bp.arguments(OrderListQuerySchema, location="query")
@orders_bp.response(200, OrderSchema(many=True))
def list_orders(query: dict):
    rows, next_key = services.list_orders_of(require_api_user(), query["limit"], decode_cursor(query["cursor"]))
    set_pagination(query["limit"], encode_cursor(next_key) if next_key else None)
    return rows


@orders_bp.get("/<order_id>")
@orders_bp.response(200, OrderSchema)
def get_order(order_id: str):
    return services.get_order_for(require_api_user(), order_id, manager=_manages_orders())


@orders_bp.get("/<order_id>/tracking")
@orders_bp.response(200, OrderEventSchema(many=True))
def tracking(order_id: str):
    """The order's history, oldest first."""
    return services.get_order_for(require_api_user(), order_id, manager=_manages_orders()).history


@orders_bp.post("/<order_id>/cancel")
@orders_bp.arguments(CancelSchema)
@orders_bp.response(200, OrderSchema)
def cancel(body: dict, order_id: str):
    """Cancel your order while it is under review, placed or being made; its stock goes back."""
    order = services.cancel_by_shopper(require_api_user(), order_id, body.get("note"))
    return order


@admin_orders_bp.get("")
@permission_required("orders.manage")
@admin_orders_bp.arguments(StaffOrderQuerySchema, location="query")
@admin_orders_bp.response(200, OrderSchema(many=True))
def staff_list_orders(query: dict):
    filters = services.OrderFilters(
        status=query["status"],
        customer=query["customer"],
        date_from=query["date_from"],
        date_to=query["date_to"],
        has_customization=query["has_customization"],
    )
    rows, next_key = services.list_orders_for_staff(filters, query["limit"], decode_cursor(query["cursor"]))
    set_pagination(query["limit"], encode_cursor(next_key) if next_key else None)
    return rows


@admin_orders_bp.patch("/<order_id>/status")
@permission_required("orders.manage")
@admin_orders_bp.arguments(StatusChangeSchema)
@admin_orders_bp.response(200, OrderSchema)
def staff_change_status(body: dict, order_id: str):
    """Move an order forward (or cancel, reject, return it); the state machine refuses illegal moves with 409."""
    user = require_api_user()
    order = services.get_order_for(user, order_id, lock=True, manager=True)
    services.change_status(order, body["status"], user, body.get("note"), as_staff=True)
    return order


@admin_orders_bp.post("/<order_id>/review")
@permission_required("orders.manage")
@admin_orders_bp.arguments(ReviewDecisionSchema)
@admin_orders_bp.response(200, OrderSchema)
def staff_review(body: dict, order_id: str):
    """Approve or reject (with a reason) an order whose customization needs a look."""
    user = require_api_user()
    order = services.get_order_for(user, order_id, lock=True, manager=True)
    services.review(order, user, body["decision"], body.get("reason"))
    return order
