"""How many of each item can be sold now; a package: its own stock, capped by what its products allow.

Cached cards show stock; ``catalog.cache.cached_cards`` recomputes them once an order moved
the stock of one of :func:`stock_items`.
"""

from __future__ import annotations

from sqlalchemy import func, select

from fantasize.catalog.cards import Card
from fantasize.catalog.models import Package, PackageItem, Product
from fantasize.extensions import db


def component_limits(package_ids: list[int]) -> dict[int, int]:
    """``{package id: how many packages the component products' stock allows}`` in one query."""
    if not package_ids:
        return {}
    rows = db.session.execute(
        select(PackageItem.package_id, func.min(Product.stock // PackageItem.quantity))
        .join(Product, Product.id == PackageItem.product_id)
        .where(PackageItem.package_id.in_(package_ids))
        .group_by(PackageItem.package_id)
    )
    return {package_id: int(limit) for package_id, limit in rows}


def available_quantity(package: Package, limits: dict[int, int]) -> int:
    limit = limits.get(package.id)
    return package.stock if limit is None else max(0, min(package.stock, limit))


def stock_items(cards: list[Card]) -> list[tuple[str, int]]:
    """The items whose stock ``cards`` show: each card, and for a package its products too."""
    items: list[tuple[str, int]] = []
    for card in cards:
        items.append((card.kind, card.id))
        items.extend(("product", line.product_id) for line in card.items)
    return items
