"""The order state machine: the only place that knows which status may follow which,
what each status and payment status is called, and what a shopper may do."""

from __future__ import annotations

import enum
from typing import TYPE_CHECKING

from fantasize.orders.models import OrderStatus as S

if TYPE_CHECKING:
    from fantasize.orders.models import Order


class PaymentStatus(enum.StrEnum):
    PENDING = "pending"  # cash on delivery, not paid yet
    AUTHORIZED = "authorized"  # the card gateway holds the amount
    VOIDED = "voided"  # the authorization was given back (canceled or rejected order)
    PAID = "paid"


PAYMENT_LABELS = {
    PaymentStatus.PENDING: "To be paid on delivery",
    PaymentStatus.AUTHORIZED: "Authorized",
    PaymentStatus.VOIDED: "Voided",
    PaymentStatus.PAID: "Paid",
}

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


def status_label(status: str) -> str:
    """What the shopper and staff read for ``status`` (an unknown value is shown as it is)."""
    try:
        return LABELS[S(status)]
    except ValueError:
        return status


def payment_label(status: str) -> str:
    try:
        return PAYMENT_LABELS[PaymentStatus(status)]
    except ValueError:
        return status.capitalize()


def shopper_cancelable(order: Order) -> bool:
    return S(order.status) in SHOPPER_CANCELABLE
