"""Cart JSON endpoints (signed-in users; guests use the browser cart)."""

from __future__ import annotations

from fantasize.api.auth import require_api_user
from fantasize.api.envelope import ApiBlueprint
from fantasize.extensions import db
from fantasize.orders import cart
from fantasize.orders.schemas import AddToCartSchema, CartSchema, QuantitySchema

bp = ApiBlueprint("cart", __name__, description="The signed-in user's cart")


def _owner() -> cart.CartOwner:
    return cart.CartOwner(user_id=require_api_user().id)


@bp.before_request
def _signed_in_only() -> None:
    require_api_user()


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
    kind = "product" if body.get("product_id") else "package"
    cart.add_item(_owner(), kind, body[f"{kind}_id"], body["quantity"], body["customization"])
    db.session.commit()
    return cart.view_cart(_owner())


@bp.patch("/items/<int:line_id>")
@bp.arguments(QuantitySchema)
@bp.response(200, CartSchema)
def update_item(body: dict, line_id: int):
    """Change a line's quantity (0 removes it)."""
    cart.update_quantity(_owner(), line_id, body["quantity"])
    db.session.commit()
    return cart.view_cart(_owner())


@bp.delete("/items/<int:line_id>")
@bp.response(200, CartSchema)
def remove_item(line_id: int):
    cart.remove_item(_owner(), line_id)
    db.session.commit()
    return cart.view_cart(_owner())
