"""The order state machine: the only place that knows which status may follow which."""

from __future__ import annotations

from fantasize.orders.models import OrderStatus as S

TRANSITIONS: dict[S, frozenset[S]] = {
    S.UNDER_REVIEW: frozenset({S.PLACED, S.REJECTED, S.CANCELED}),
    S.PLACED: frozenset({S.PROCESSING, S.CANCELED}),
    S.PROCESSING: frozenset({S.SHIPPED, S.CANCELED}),
    S.SHIPPED: frozenset({S.DELIVERED}),
    S.DELIVERED: frozenset({S.COMPLETED, S.RETURNED}),
    S.COMPLETED: frozenset(),
    S.CANCELED: frozenset(),
    S.REJECTED: frozenset(),
    S.RETURNED: frozenset(),
}
# What a shopper may do to their own order; everything else is for staff.
SHOPPER_CANCELABLE = frozenset({S.UNDER_REVIEW, S.PLACED, S.PROCESSING})
# Moving into these gives the order's stock back.
RESTOCKING = frozenset({S.CANCELED, S.REJECTED, S.RETURNED})
NEEDS_NOTE = frozenset({S.REJECTED})

LABELS = {
    S.UNDER_REVIEW: "Being reviewed",
    S.PLACED: "Placed",
    S.PROCESSING: "Being made",
    S.SHIPPED: "Shipped",
    S.DELIVERED: "Delivered",
    S.COMPLETED: "Completed",
    S.CANCELED: "Canceled",
    S.REJECTED: "Rejected",
    S.RETURNED: "Returned",
}


def allowed(current: str, target: str) -> bool:
    return S(target) in TRANSITIONS[S(current)]


def next_statuses(current: str) -> list[S]:
    return sorted(TRANSITIONS[S(current)], key=list(S).index)
