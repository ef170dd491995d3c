"""Who may be in which room.

Assigned by the server on authentication, never joined by request: ``user:<id>``,
``role:<role>`` and ``all``. Joined on request: ``order:<id>`` by the order's owner and by staff
who manage orders; ``inventory:<product id>`` by anyone signed in (hidden products: staff only).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from fantasize.accounts.models import Role, User
from fantasize.accounts.permissions import role_permissions
from fantasize.catalog.models import Product
from fantasize.errors import NotFound
from fantasize.extensions import db
from fantasize.orders.services import get_order_for

MAX_JOINED_ROOMS = 50
_ORDER_ID = re.compile(r"^[0-9A-Za-z-]{1,36}$")


class RoomRefused(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class SocketUser:
    """What a socket keeps of its user (plain values: no database session stays open)."""

    user: User
    id: str
    role: str
    sign_in_id: str
    manages_orders: bool
    sees_hidden_products: bool

    @classmethod
    def of(cls, user: User) -> SocketUser:
        granted = role_permissions(user)
        return cls(
            user=user,
            id=user.id,
            role=user.role,
            sign_in_id=user.current_sign_in.id,
            manages_orders="orders.manage" in granted,
            sees_hidden_products="catalog.write" in granted,
        )


def assigned_rooms(who: SocketUser) -> list[str]:
    """``user:<id>``, ``all``, and ``role:<role>`` (staff who still have to set up MFA get no staff room)."""
    rooms = [f"user:{who.id}", "all"]
    if who.role == Role.CUSTOMER or role_permissions(who.user):
        rooms.insert(1, f"role:{who.role}")
    return rooms


def order_room(who: SocketUser, order_id: Any) -> tuple[str, dict[str, Any]]:
    """The room of an order its owner or staff may follow, with the order's status."""
    if not isinstance(order_id, str) or not _ORDER_ID.match(order_id):
        raise RoomRefused("invalid_request", "order_id must be an order's id.")
    try:
        order = get_order_for(who.user, order_id, manager=who.manages_orders)
    except NotFound:
        raise RoomRefused("forbidden", "You cannot follow this order.") from None
    return f"order:{order.id}", {"order_id": order.id, "status": order.status}


def inventory_room(who: SocketUser, product_id: Any) -> tuple[str, dict[str, Any]]:
    """The room of a product's stock, with its current stock."""
    if isinstance(product_id, str) and product_id.isascii() and product_id.isdigit():
        product_id = int(product_id)
    if isinstance(product_id, bool) or not isinstance(product_id, int) or not 0 < product_id < 2**31:
        raise RoomRefused("invalid_request", "product_id must be a product's id.")
    query = select(Product.id, Product.stock).where(Product.id == product_id, Product.deleted_at.is_(None))
    if not who.sees_hidden_products:
        query = query.where(Product.active.is_(True))
    row = db.session.execute(query).first()
    if row is None:
        raise RoomRefused("forbidden", "No such product.")
    return f"inventory:{row.id}", {"product_id": row.id, "stock": row.stock, "in_stock": row.stock > 0}


def requested_room(who: SocketUser, room: Any) -> tuple[str, dict[str, Any]]:
    """A room named by ``join_room``: only ``order:`` and ``inventory:`` rooms the user may see."""
    if not isinstance(room, str) or len(room) > 64:
        raise RoomRefused("forbidden_room", "You cannot join this room.")
    kind, _, key = room.partition(":")
    try:
        if kind == "order":
            return order_room(who, key)
        if kind == "inventory":
            return inventory_room(who, key)
    except RoomRefused as refused:
        raise RoomRefused("forbidden_room", refused.message) from None
    raise RoomRefused("forbidden_room", "You cannot join this room.")


def leavable(room: Any) -> bool:
    return isinstance(room, str) and room.partition(":")[0] in {"order", "inventory"}
