"""What the shop tells whom when something happens: domain events become notifications.

The rules run inside the transaction of the event (see :func:`fantasize.events.subscribe_in_transaction`):
an order that rolls back sends nothing, and the messages of one that commits are queued with it.
"""

from __future__ import annotations

from typing import Any

from flask import Flask

from fantasize import events
from fantasize.accounts.models import User
from fantasize.extensions import db
from fantasize.notifications import context, services
from fantasize.orders.models import Order, OrderStatus
from fantasize.web.templating import external_url

# The message the buyer gets when their order moves into a status (other moves are silent).
STATUS_MESSAGES = {
    OrderStatus.REJECTED: "customization_rejected",
    OrderStatus.SHIPPED: "order_shipped",
    OrderStatus.DELIVERED: "order_delivered",
    OrderStatus.CANCELED: "order_canceled",
}


def _order_link(order: Order) -> str:
    return context.site_path("order_pages.order_detail", order_id=order.id)


def _tell_buyer(event: str, order: Order, buyer: User, note: str | None = None) -> None:
    services.notify(
        event,
        f"order:{order.id}",
        context.order_context(order, recipient_name=buyer.display_name, note=note),
        user=buyer,
        link=_order_link(order),
        data={"order_id": order.id, "status": order.status},
    )


def _tell_recipient(order: Order, buyer: User) -> None:
    """A gift's recipient hears it is coming once the order is confirmed (placed, or approved after review)."""
    if not (order.is_gift and order.gift_recipient_email):
        return
    services.notify(
        "gift_notice",
        f"order:{order.id}",
        context.gift_context(order, buyer_name=buyer.display_name),
        email=order.gift_recipient_email,
    )


def _tell_staff(event: str, order: Order, buyer: User) -> None:
    link = context.site_path("admin_order_pages.detail", order_id=order.id)

    def staff_context(staff: User) -> dict[str, Any]:
        staff_view = context.order_context(order, recipient_name=staff.display_name, staff=True)
        return {**staff_view, "customer": {"email": buyer.email}}

    services.notify_staff(event, f"order:{order.id}", staff_context, link=link, data={"order_id": order.id})


def _order_and_buyer(payload: dict[str, Any]) -> tuple[Order, User]:
    order = db.session.get(Order, payload["order_id"])
    return order, db.session.get(User, order.user_id)


def on_order_created(_name: str, payload: dict[str, Any]) -> None:
    order, buyer = _order_and_buyer(payload)
    _tell_buyer("order_placed", order, buyer)
    _tell_staff("staff_new_order", order, buyer)
    if order.status == OrderStatus.UNDER_REVIEW:
        _tell_staff("staff_review_needed", order, buyer)
    else:
        _tell_recipient(order, buyer)


def on_order_status_changed(_name: str, payload: dict[str, Any]) -> None:
    order, buyer = _order_and_buyer(payload)
    target, previous = payload["to"], payload["from"]
    if target == OrderStatus.PLACED and previous == OrderStatus.UNDER_REVIEW:
        _tell_buyer("customization_approved", order, buyer)
        _tell_recipient(order, buyer)
    elif target in STATUS_MESSAGES:
        _tell_buyer(STATUS_MESSAGES[OrderStatus(target)], order, buyer, note=payload.get("note"))


def on_user_registered(_name: str, payload: dict[str, Any]) -> None:
    user = db.session.get(User, payload["user_id"])
    links = {"account_url": external_url("my_account.account"), "shop_url": external_url("catalog.home")}
    services.notify(
        "welcome",
        f"user:{user.id}",
        {"shop": context.shop(), "recipient": {"name": user.display_name}, "links": links},
        user=user,
    )


def init_notifications(app: Flask) -> None:
    """Subscribe the notification rules to the domain events."""
    events.subscribe_in_transaction("order.created", on_order_created)
    events.subscribe_in_transaction("order.status_changed", on_order_status_changed)
    events.subscribe_in_transaction("user.registered", on_user_registered)
