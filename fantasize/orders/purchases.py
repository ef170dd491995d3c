"""Who bought what: the one read other features ask the orders feature (reviews mark verified purchases).

Kept apart from :mod:`fantasize.orders.services` (checkout, stock, the state machine) so the
catalogue can import it without depending on all of that.
"""

from __future__ import annotations

from sqlalchemy import select

from fantasize.catalog import sellables
from fantasize.extensions import db
from fantasize.orders.models import Order, OrderLine, OrderStatus

BOUGHT_STATUSES = (OrderStatus.SHIPPED, OrderStatus.DELIVERED, OrderStatus.COMPLETED)


def has_bought(user_id: str, kind: str, item_id: int) -> bool:
    """Whether the user received the item in an order that was not canceled, rejected or returned."""
    column = sellables.owner(OrderLine, kind)
    query = (
        select(OrderLine.id)
        .join(Order, Order.id == OrderLine.order_id)
        .where(Order.user_id == user_id, Order.status.in_([s.value for s in BOUGHT_STATUSES]), column == item_id)
        .limit(1)
    )
    return db.session.scalar(query) is not None
