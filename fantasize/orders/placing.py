"""A checkout inside the request's transaction, shared by the API and the checkout page.

1. claim the idempotency key (in a short transaction of its own, so concurrent retries see it);
2. place the order (stock, prices, payment) and mark the claim done, in the request's transaction;
3. if that transaction rolls back, release the claim (and void a card authorization once one
   is made): both hang off the rollback, registered when the claim and the authorization happen.
"""

from __future__ import annotations

from fantasize.accounts.models import User
from fantasize.db import after_rollback
from fantasize.extensions import db
from fantasize.orders import idempotency
from fantasize.orders.checkout import CheckoutRequest, create_order, prepare_checkout
from fantasize.orders.models import Order


def place_order(user: User, request: CheckoutRequest, key: str | None, body_hash: str) -> tuple[Order, bool]:
    """Place the user's cart as an order, at most once per idempotency key.

    Returns the order, and whether it was created now (``False`` for a replayed key).
    """
    if key:
        claim = idempotency.claim(user.id, key, body_hash)
        if isinstance(claim, Order):
            return claim, False
        after_rollback(db.session(), lambda: idempotency.release(user.id, key))
    order = create_order(user, request, prepare_checkout(user, request))
    if key:
        idempotency.complete(user.id, key, order)
    return order, True
