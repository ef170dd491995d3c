"""Domain events: features announce what happened; others subscribe (realtime, notifications).

Two kinds of subscriber:

- :func:`subscribe` — called after the transaction that caused the event commits, in a fresh
  app context, so it never hears of an order that was rolled back (realtime pushes).
- :func:`subscribe_in_transaction` — called at once, inside the publisher's transaction, for
  work that must commit or roll back together with the event (notifications write their
  deliveries and inbox entries this way). Each runs in a SAVEPOINT: if it fails, its own
  writes are undone and logged, and the publisher's work (an order) goes on.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable
from typing import Any

from flask import Flask, current_app

from fantasize.db import after_commit
from fantasize.extensions import db

log = logging.getLogger("fantasize.events")
Handler = Callable[[str, dict[str, Any]], None]
_subscribers: dict[str, list[Handler]] = defaultdict(list)
_in_transaction: dict[str, list[Handler]] = defaultdict(list)


def subscribe(name: str, handler: Handler) -> None:
    if handler not in _subscribers[name]:
        _subscribers[name].append(handler)


def subscribe_in_transaction(name: str, handler: Handler) -> None:
    if handler not in _in_transaction[name]:
        _in_transaction[name].append(handler)


def unsubscribe(name: str, handler: Handler) -> None:
    for registry in (_subscribers, _in_transaction):
        if handler in registry[name]:
            registry[name].remove(handler)


def _deliver(app: Flask, name: str, payload: dict[str, Any]) -> None:
    # A fresh app context gives subscribers their own database session: the publishing
    # session has just committed and cannot run queries any more.
    with app.app_context():
        for handler in list(_subscribers[name]):
            try:
                handler(name, payload)
            except Exception:  # one broken subscriber must not stop the others
                log.exception("subscriber of %s failed", name)


def publish(name: str, payload: dict[str, Any]) -> None:
    """Announce ``name``: in-transaction subscribers now, the others once the transaction commits."""
    for handler in list(_in_transaction[name]):
        try:
            with db.session.begin_nested():
                handler(name, payload)
        except Exception:  # a message that cannot be written must not cost the shopper their order
            log.exception("in-transaction subscriber of %s failed", name)
    if not _subscribers[name]:
        return
    app = current_app._get_current_object()
    after_commit(db.session(), lambda: _deliver(app, name, payload))
