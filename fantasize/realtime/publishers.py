"""What the shop tells connected sockets: domain events become realtime events.

Each handler is subscribed with :func:`fantasize.events.subscribe`, so it runs once the
transaction that caused the event has committed, in a fresh app context, and reads what it
needs from the database then (a shopper never hears of an order that was rolled back).

- ``order.created`` → ``admin_order_update`` (staff)
- ``order.status_changed`` → ``order_status_update`` (the owner and the order's room) and
  ``admin_order_update`` (staff)
- ``stock.changed`` → ``inventory_update`` per product (its room), and ``low_stock_alert``
  (staff) when a decrease left a product at or below ``LOW_STOCK_THRESHOLD``
- ``notification.created`` → ``real_time_notification`` (the user)
- ``notification.broadcast`` → ``real_time_notification`` (the rooms of the roles addressed)

A broker that cannot publish (Redis down) is logged; the request that caused the event has
committed already and is never failed by it.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from flask import Flask, current_app
from sqlalchemy import select

from fantasize import events
from fantasize.catalog.models import Product
from fantasize.extensions import db
from fantasize.notifications.models import Notification
from fantasize.orders.models import Order
from fantasize.orders.state import status_label
from fantasize.realtime import broker

log = logging.getLogger("fantasize.realtime")

STAFF_ROOMS = ("role:admin", "role:manager")
DEFAULT_LOW_STOCK_THRESHOLD = 5


def _publish(event: str, data: dict[str, Any], rooms: Iterable[str]) -> int | None:
    """Publish through the broker; a failure is logged and swallowed (the cause has committed)."""
    try:
        return broker.publish(event, data, list(rooms))
    except Exception:
        log.exception("realtime: could not publish %s", event)
        return None


def _admin_order_data(order: Order, status: str, action: str) -> dict[str, Any]:
    return {
        "order_id": order.id,
        "number": order.number,
        "status": status,
        "status_label": status_label(status),
        "total": f"{order.total:.2f}",
        "created_at": order.created_at.isoformat(),
        "action": action,
    }


def on_order_created(_name: str, payload: dict[str, Any]) -> None:
    order = db.session.get(Order, payload["order_id"])
    if order is None:
        return
    status = payload.get("status") or order.status
    _publish("admin_order_update", _admin_order_data(order, status, "created"), STAFF_ROOMS)


def on_order_status_changed(_name: str, payload: dict[str, Any]) -> None:
    order = db.session.get(Order, payload["order_id"])
    if order is None:
        return
    status = payload["to"]  # the status this event is about, even if the order has moved on since
    note = (payload.get("note") or "").strip() or None
    _publish(
        "order_status_update",
        {
            "order_id": order.id,
            "number": order.number,
            "status": status,
            "status_label": status_label(status),
            "previous_status": payload.get("from"),
            "note": note,
        },
        (f"user:{order.user_id}", f"order:{order.id}"),
    )
    _publish("admin_order_update", _admin_order_data(order, status, "status_changed"), STAFF_ROOMS)


def low_stock_threshold() -> int:
    return int(current_app.config.get("LOW_STOCK_THRESHOLD", DEFAULT_LOW_STOCK_THRESHOLD))


def on_stock_changed(_name: str, payload: dict[str, Any]) -> None:
    product_ids = sorted(set(payload.get("product_ids") or ()))
    if not product_ids:
        return
    decreased = set(payload.get("decreased_product_ids") or ())
    threshold = low_stock_threshold()
    rows = db.session.execute(select(Product.id, Product.name, Product.stock).where(Product.id.in_(product_ids)))
    for product_id, name, stock in rows:
        _publish(
            "inventory_update",
            {"product_id": product_id, "stock": stock, "in_stock": stock > 0},
            (f"inventory:{product_id}",),
        )
        if product_id in decreased and stock <= threshold:
            _publish(
                "low_stock_alert",
                {"product_id": product_id, "name": name, "stock": stock, "threshold": threshold},
                STAFF_ROOMS,
            )


def on_notification_created(_name: str, payload: dict[str, Any]) -> None:
    notification = db.session.get(Notification, payload["notification_id"])
    if notification is None:
        return
    data: dict[str, Any] = {
        "id": notification.id,
        "title": notification.title,
        "message": notification.body,
        "kind": notification.event,
    }
    if notification.link:
        data["link"] = notification.link
    _publish("real_time_notification", data, (f"user:{notification.user_id}",))


def on_notification_broadcast(_name: str, payload: dict[str, Any]) -> None:
    roles = payload.get("roles") or ()
    if not roles:
        return
    message, link = payload.get("message") or "", payload.get("link")
    data: dict[str, Any] = {"title": payload.get("title") or "", "message": message, "kind": payload.get("event")}
    if link:
        data["link"] = link
    _publish("real_time_notification", data, [f"role:{role}" for role in roles])


HANDLERS = {
    "order.created": on_order_created,
    "order.status_changed": on_order_status_changed,
    "stock.changed": on_stock_changed,
    "notification.created": on_notification_created,
    "notification.broadcast": on_notification_broadcast,
}


def init_publishers(app: Flask) -> None:
    """Subscribe the realtime publishers to the shop's domain events (after commit)."""
    app.config.setdefault("LOW_STOCK_THRESHOLD", DEFAULT_LOW_STOCK_THRESHOLD)
    for name, handler in HANDLERS.items():
        events.subscribe(name, handler)
