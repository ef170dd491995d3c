"""Taking and giving back stock, safe under concurrent checkouts.

Demand is summed per product first (two engraved mugs and a box containing a mug all draw
on the mug's stock). Each row is then decremented with a conditional UPDATE
(``stock >= wanted``), products before packages and in id order, so concurrent checkouts
lock rows in the same order (no deadlocks) and one of two buyers racing for the last unit
wins. The CHECK constraint ``stock >= 0`` guards the rest.

After commit, cached catalog entries showing a moved item are recomputed (not the whole
catalogue), and listings filtered on "in stock" too when an item sells out or comes back.
Every move is announced as the domain event ``stock.changed`` (realtime tells the shop).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select, update

from fantasize import events
from fantasize.catalog.cache import invalidate_in_stock_listings, stock_changed
from fantasize.catalog.models import Package, PackageItem, Product
from fantasize.extensions import db


@dataclass(frozen=True)
class Demand:
    products: Counter  # product id → units
    packages: Counter  # package id → units


@dataclass(frozen=True)
class Need:
    """One line's call on stock: ``quantity`` of an item, and per unit the products a package holds."""

    kind: str
    item_id: int
    quantity: int
    components: tuple[tuple[int, int], ...] = ()  # (product id, units per package)


def demand_of(lines: Iterable[Need]) -> Demand:
    """Sum the lines' demand per product and package (a package also draws on its products' stock)."""
    products: Counter = Counter()
    packages: Counter = Counter()
    for line in lines:
        (products if line.kind == "product" else packages)[line.item_id] += line.quantity
        for product_id, units in line.components:
            products[product_id] += units * line.quantity
    return Demand(products, packages)


@dataclass(frozen=True)
class Shortage:
    kind: str
    item_id: int
    name: str
    wanted: int
    available: int


def _take(model: type, item_id: int, wanted: int) -> int | None:
    """The row's stock after taking ``wanted``, or ``None`` when there is not enough."""
    return db.session.execute(
        update(model)
        .where(model.id == item_id, model.stock >= wanted)
        .values(stock=model.stock - wanted)
        .returning(model.stock)
    ).scalar_one_or_none()


def take(demand: Demand) -> list[Shortage]:
    """Decrement every row, or report what is short (the caller then rolls everything back)."""
    short: list[tuple[type, int, int]] = []
    moves: list[tuple[type, int, int, int]] = []
    for model, counts in ((Product, demand.products), (Package, demand.packages)):
        for item_id in sorted(counts):
            after = _take(model, item_id, counts[item_id])
            if after is None:
                short.append((model, item_id, counts[item_id]))
            else:
                moves.append((model, item_id, after + counts[item_id], after))
    shortages = []
    for model, item_id, wanted in short:
        name, stock = db.session.execute(select(model.name, model.stock).where(model.id == item_id)).one()
        shortages.append(Shortage(model.kind, item_id, name, wanted, stock))
    if not shortages:
        _note_availability_changes(moves)
    return shortages


def give_back(demand: Demand) -> None:
    moves: list[tuple[type, int, int, int]] = []
    for model, counts in ((Product, demand.products), (Package, demand.packages)):
        for item_id in sorted(counts):
            after = db.session.execute(
                update(model)
                .where(model.id == item_id)
                .values(stock=model.stock + counts[item_id])
                .returning(model.stock)
            ).scalar_one_or_none()
            if after is not None:
                moves.append((model, item_id, after - counts[item_id], after))
    _note_availability_changes(moves)


def _note_availability_changes(moves: list[tuple[type, int, int, int]]) -> None:
    """Have the catalogue cache recompute what shows these items, and the "in stock" listings
    when a move sells something out or brings it back.

    ``moves`` are ``(model, id, stock before, stock after)``. An item flips at 0; a package
    also flips when one of its products crosses the quantity the package needs of it.
    """
    stock_changed([(model.kind, item_id) for model, item_id, _, _ in moves])
    if moves:
        events.publish(
            "stock.changed",
            {
                "product_ids": [item_id for model, item_id, _, _ in moves if model is Product],
                "package_ids": [item_id for model, item_id, _, _ in moves if model is Package],
                "decreased_product_ids": [
                    i for model, i, before, after in moves if model is Product and after < before
                ],
            },
        )
    if any(min(before, after) == 0 for _, _, before, after in moves):
        invalidate_in_stock_listings()
        return
    products = {item_id: (before, after) for model, item_id, before, after in moves if model is Product}
    if not products:
        return
    needs = db.session.execute(
        select(PackageItem.product_id, PackageItem.quantity).where(PackageItem.product_id.in_(products))
    )
    for product_id, quantity in needs:
        before, after = products[product_id]
        if min(before, after) < quantity <= max(before, after):
            invalidate_in_stock_listings()
            return
