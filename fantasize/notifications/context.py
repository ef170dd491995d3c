"""The plain data e-mail templates see (no ORM objects: a template cannot reach the application).

The shape of each event's variables is documented in docs/notifications.md.
"""

from __future__ import annotations

from typing import Any

from flask import current_app

from fantasize.orders import state
from fantasize.orders.models import Order
from fantasize.web.templating import external_url, money


def site_path(endpoint: str, **values: Any) -> str:
    """The path of a page (``/orders/<id>``), with or without a request (jobs, the CLI)."""
    return current_app.url_map.bind("localhost").build(endpoint, values)


def shop() -> dict[str, str]:
    return {"name": current_app.config.get("APP_NAME", "Fantasize"), "url": external_url("catalog.home")}


def _placed_on(order: Order) -> str:
    return f"{order.created_at.day} {order.created_at:%B %Y}"


def _lines(order: Order, *, prices: bool) -> list[dict[str, Any]]:
    return [
        {
            "name": line.name,
            "quantity": line.quantity,
            "price": money(line.line_total) if prices else None,
            "customization": [f"{choice.get('name')}: {choice.get('display')}" for choice in line.customization or []],
        }
        for line in order.lines
    ]


def order_context(order: Order, *, recipient_name: str, note: str | None = None, staff: bool = False) -> dict:
    """What the buyer (or staff) reads about ``order``."""
    order_data: dict[str, Any] = {
        "number": order.number,
        "status": order.status,
        "status_label": state.status_label(order.status),
        "url": external_url("order_pages.order_detail", order_id=order.id),
        "placed_on": _placed_on(order),
        "total": money(order.total),
        "payment_label": state.payment_label(order.payment_status),
        "lines": _lines(order, prices=True),
        "note": (note or "").strip() or None,
        "needs_review": order.needs_review,
        "is_gift": order.is_gift,
        "gift_recipient_name": order.gift_recipient_name,
    }
    context: dict[str, Any] = {"shop": shop(), "recipient": {"name": recipient_name}, "order": order_data}
    if staff:
        order_data["admin_url"] = external_url("admin_order_pages.detail", order_id=order.id)
    return context


def gift_context(order: Order, *, buyer_name: str) -> dict:
    """What a gift's recipient reads: never the buyer of an anonymous order, never prices when hidden."""
    hide_prices = order.gift_hide_prices
    return {
        "shop": shop(),
        "recipient": {"name": order.gift_recipient_name or ""},
        "gift": {
            "recipient_name": order.gift_recipient_name or "",
            "from_name": None if order.anonymous else (buyer_name or None),
            "message": order.gift_message or None,
            "hide_prices": hide_prices,
            "wrap": order.gift_wrap,
        },
        "order": {
            "number": order.number,
            "status_label": state.status_label(order.status),
            "lines": _lines(order, prices=not hide_prices),
            "total": None if hide_prices else money(order.total),
        },
    }
