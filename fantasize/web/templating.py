"""Jinja filters and globals shared by every page."""

from __future__ import annotations

from decimal import Decimal

from flask import Flask, url_for
from werkzeug.routing import BuildError


def money(value: Decimal | float | int | None, currency: str = "€") -> str:
    if value is None:
        return ""
    return f"{currency}{Decimal(value):,.2f}"


def nav_url(endpoint: str, **values: object) -> str | None:
    """The URL of ``endpoint``, or ``None`` while that feature is not installed."""
    try:
        return url_for(endpoint, **values)
    except BuildError:
        return None


def init_templating(app: Flask) -> None:
    app.add_template_filter(money, "money")
    app.add_template_global(nav_url, "nav_url")
