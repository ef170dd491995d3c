"""The transaction boundary of a checkout, shared by the API and the checkout page.

1. claim the idempotency key (committed at once, so concurrent retries see it);
2. place the order (stock, prices, payment) and mark the claim done, in one transaction;
3. on any failure roll back, void a card authorization if one was made, release the claim.
"""

from __future__ import annotations

from fantasize.accounts.models import User
from fantasize.extensions import db
from fantasize.orders import idempotency, payments
from fantasize.orders.checkout import CheckoutRequest, place_order
from fantasize.orders.models import Order


def checkout_once(user: User, request: CheckoutRequest, key: str | None, body_hash: str) -> tuple[Order, bool]:
    """The order, and whether it was created now (``False`` for a replayed key)."""
    claim = idempotency.claim(user.id, key, body_hash) if key else None
    if isinstance(claim, Order):
        return claim, False
    order = None
    try:
        order = place_order(user, request)
        if claim is not None:
            idempotency.complete(claim, order)
        db.session.commit()
    except Exception as error:
        db.session.rollback()
        if order is not None and order.payment_reference:
            payments.gateway().void(order.payment_reference)
        if key:
            idempotency.release(user.id, key)
        raise error
    return order, True
