"""Orders after checkout: reading them (owner or staff only), and moving them through their lifecycle."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from fantasize import events
from fantasize.accounts.models import User
from fantasize.db import after_commit
from fantasize.errors import AppError, NotFound, PermissionDenied, ValidationFailed
from fantasize.extensions import db
from fantasize.orders import payments, state, stock
from fantasize.orders.models import Order, OrderEvent, OrderStatus
from fantasize.paging import newest_first_page


class InvalidTransition(AppError):
    status = 409
    code = "invalid_transition"


def get_order_for(user: User, order_id: str, *, lock: bool = False, manager: bool = False) -> Order:
    """The order if ``user`` owns it, or if ``manager`` (the caller holds ``orders.manage``); else "not found".

    ``lock`` takes the row lock and re-reads the row, so a decision (cancel, restock) is made on
    the current status even if this session had loaded the order before.
    """
    query = select(Order).where(Order.id == order_id)
    if not manager:
        query = query.where(Order.user_id == user.id)
    if lock:
        query = query.with_for_update().execution_options(populate_existing=True)
    order = db.session.scalar(query)
    if order is None:
        raise NotFound("No such order.")
    return order


def _demand(order: Order) -> stock.Demand:
    return stock.demand_of(
        stock.Need(
            line.kind,
            line.item_id,
            line.quantity,
            tuple((c["product_id"], c["quantity"]) for c in line.components),
        )
        for line in order.lines
    )


def change_status(order: Order, target: str, actor: User, note: str | None = None, *, as_staff: bool) -> Order:
    """Move ``order`` to ``target`` if the state machine and the actor's role allow it."""
    try:
        target_status = OrderStatus(target)
    except ValueError as exc:
        raise ValidationFailed(
            "Unknown status.", {"status": [f"Use one of: {', '.join(s.value for s in OrderStatus)}."]}
        ) from exc
    current = OrderStatus(order.status)
    if not state.allowed(current, target_status):
        raise InvalidTransition(
            f"An order that is {current.value} cannot become {target_status.value}.",
            {"status": [f"Allowed next: {', '.join(s.value for s in state.next_statuses(current)) or 'none'}."]},
        )
    if not as_staff and not (target_status == OrderStatus.CANCELED and current in state.SHOPPER_CANCELABLE):
        raise PermissionDenied("Only our team can change this order's status.")
    if target_status in state.NEEDS_NOTE and not (note or "").strip():
        raise ValidationFailed("Say why, so the shopper understands.", {"note": ["A reason is required."]})
    if target_status in state.RESTOCKING:
        stock.give_back(_demand(order))
    if target_status in (OrderStatus.CANCELED, OrderStatus.REJECTED) and order.payment_reference:
        order.payment_status = state.PaymentStatus.VOIDED
        reference = order.payment_reference
        after_commit(db.session(), lambda: payments.gateway().void(reference))
    order.status = target_status.value
    order.history.append(
        OrderEvent(
            actor_id=actor.id,
            from_status=current.value,
            to_status=target_status.value,
            note=(note or "").strip() or None,
        )
    )
    db.session.flush()
    events.publish(
        "order.status_changed",
        {
            "order_id": order.id,
            "user_id": order.user_id,
            "from": current.value,
            "to": target_status.value,
            "note": note,
        },
    )
    return order


def cancel_by_shopper(user: User, order_id: str, note: str | None = None) -> Order:
    order = get_order_for(user, order_id, lock=True)
    return change_status(order, OrderStatus.CANCELED, user, note or "Canceled by the shopper", as_staff=False)


def review(order: Order, actor: User, decision: str, reason: str | None) -> Order:
    """Approve (→ placed) or reject (→ rejected, reason required) an order with a special customization."""
    if order.status != OrderStatus.UNDER_REVIEW:
        raise InvalidTransition("Only orders under review can be approved or rejected.")
    target = OrderStatus.PLACED if decision == "approve" else OrderStatus.REJECTED
    return change_status(
        order, target, actor, reason or ("Customization approved" if decision == "approve" else None), as_staff=True
    )


def emails_of(user_ids: set[str]) -> dict[str, str]:
    """Staff read: the e-mail of each user (customers, and staff who moved an order)."""
    if not user_ids:
        return {}
    return dict(db.session.execute(select(User.id, User.email).where(User.id.in_(user_ids))).all())


def customer_of(order: Order) -> User | None:
    return db.session.get(User, order.user_id)


def staff_moves(order: Order) -> list[OrderStatus]:
    """The status buttons staff are offered; approve / reject of an order under review have their own form."""
    current = OrderStatus(order.status)
    moves = state.next_statuses(current)
    if current == OrderStatus.UNDER_REVIEW:
        moves = [s for s in moves if s not in (OrderStatus.PLACED, OrderStatus.REJECTED)]
    return moves


ANONYMOUS_SENDER = "A friend"


def packing_slip_sender(order: Order) -> str:
    """Who the parcel says it is from: "A friend" for an anonymous order, else the buyer's public name
    (never anything taken from the e-mail address)."""
    if order.anonymous:
        return ANONYMOUS_SENDER
    buyer = customer_of(order)
    return buyer.public_name if buyer else ""


@dataclass(frozen=True)
class OrderFilters:
    status: str | None = None
    customer: str | None = None  # e-mail (part of)
    date_from: datetime | None = None
    date_to: datetime | None = None
    has_customization: bool | None = None


def list_orders_of(user: User, limit: int, after: list | None = None) -> tuple[list[Order], list | None]:
    return newest_first_page(select(Order).where(Order.user_id == user.id), Order, limit, after)


def list_orders_for_staff(
    filters: OrderFilters, limit: int, after: list | None = None
) -> tuple[list[Order], list | None]:
    query = select(Order)
    if filters.status:
        query = query.where(Order.status == filters.status)
    if filters.customer:
        pattern = f"%{filters.customer.strip().lower()}%"
        query = query.where(Order.user_id.in_(select(User.id).where(func.lower(User.email).like(pattern))))
    if filters.date_from:
        query = query.where(Order.created_at >= filters.date_from)
    if filters.date_to:
        query = query.where(Order.created_at < filters.date_to)
    if filters.has_customization is not None:
        query = query.where(Order.customized.is_(filters.has_customization))
    return newest_first_page(query, Order, limit, after)
