"""How many of each item can be sold now; a package: its own stock, capped by what its products allow.

The rule lives here in both forms: :func:`available_quantity` for loaded rows and
:func:`in_stock_sql` for the "in stock" listing filter (tests check the two agree).

Cached cards show stock; ``catalog.cache.cached_cards`` recomputes them once an order moved
the stock of one of :func:`stock_items`.
"""

from __future__ import annotations

from sqlalchemy import and_, func, select
from sqlalchemy.sql.elements import ColumnElement

from fantasize.catalog import sellables
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
    """The rule: a package's own stock, capped by what its products allow (:func:`component_limits`)."""
    limit = limits.get(package.id)
    return package.stock if limit is None else max(0, min(package.stock, limit))


def available_quantities(kind: str, rows: list[Product] | list[Package]) -> dict[int, int]:
    """``{item id: how many can be sold now}`` for loaded rows (one query for packages, none for products)."""
    if kind != "package":
        return {row.id: row.stock for row in rows}
    limits = component_limits([row.id for row in rows])
    return {row.id: available_quantity(row, limits) for row in rows}


def in_stock_sql(kind: str) -> ColumnElement[bool]:
    """SQL for "at least one can be sold now": :func:`available_quantity` > 0, as a WHERE clause on the item.

    A package qualifies when it has stock itself and none of its products has fewer units than
    one package takes.
    """
    model = sellables.model_of(kind)
    clause = model.stock > 0
    if kind == "package":
        short = (
            select(PackageItem.package_id)
            .join(Product, Product.id == PackageItem.product_id)
            .where(Product.stock < PackageItem.quantity)
        )
        clause = and_(clause, model.id.not_in(short))
    return clause


def stock_items(cards: list[Card]) -> list[tuple[str, int]]:
    """The items whose stock ``cards`` show: each card, and for a package its products too."""
    items: list[tuple[str, int]] = []
    for card in cards:
        items.append((card.kind, card.id))
        items.extend(("product", line.product_id) for line in card.items)
    return items
