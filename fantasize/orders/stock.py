"""Taking and giving back stock, safe under concurrent checkouts.

Demand is summed per product first (two engraved mugs and a box containing a mug all draw
on the mug's stock). Each row is then decremented with a conditional UPDATE
(``stock >= wanted``), products before packages and in id order, so concurrent checkouts
lock rows in the same order (no deadlocks) and one of two buyers racing for the last unit
wins. The CHECK constraint ``stock >= 0`` guards the rest.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from sqlalchemy import select, update

from fantasize.catalog.models import Package, Product
from fantasize.extensions import db


@dataclass(frozen=True)
class Demand:
    products: Counter  # product id → units
    packages: Counter  # package id → units


@dataclass(frozen=True)
class Shortage:
    kind: str
    item_id: int
    name: str
    wanted: int
    available: int


def _take(model: type, item_id: int, wanted: int) -> bool:
    result = db.session.execute(
        update(model).where(model.id == item_id, model.stock >= wanted).values(stock=model.stock - wanted)
    )
    return result.rowcount == 1


def take(demand: Demand) -> list[Shortage]:
    """Decrement every row, or report what is short (the caller then rolls everything back)."""
    short: list[tuple[type, int, int]] = []
    for model, counts in ((Product, demand.products), (Package, demand.packages)):
        for item_id in sorted(counts):
            if not _take(model, item_id, counts[item_id]):
                short.append((model, item_id, counts[item_id]))
    shortages = []
    for model, item_id, wanted in short:
        name, stock = db.session.execute(select(model.name, model.stock).where(model.id == item_id)).one()
        shortages.append(Shortage("product" if model is Product else "package", item_id, name, wanted, stock))
    return shortages


def give_back(demand: Demand) -> None:
    for model, counts in ((Product, demand.products), (Package, demand.packages)):
        for item_id in sorted(counts):
            db.session.execute(update(model).where(model.id == item_id).values(stock=model.stock + counts[item_id]))
