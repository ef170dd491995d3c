"""Domain events: features announce what happened; others subscribe (realtime, notifications).

Events are delivered only after the transaction that caused them commits, so a subscriber
never hears of an order that was rolled back.
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


def subscribe(name: str, handler: Handler) -> None:
    if handler not in _subscribers[name]:
        _subscribers[name].append(handler)


def unsubscribe(name: str, handler: Handler) -> None:
    if handler in _subscribers[name]:
        _subscribers[name].remove(handler)


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
    """Announce ``name`` once the current transaction commits (dropped if it rolls back)."""
    app = current_app._get_current_object()
    after_commit(db.session(), lambda: _deliver(app, name, payload))
