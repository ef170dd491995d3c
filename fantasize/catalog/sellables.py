"""What the shop sells: products and packages (gift boxes), one entry per kind.

Code that treats both kinds alike asks this registry for the model, the column that points
at the item from another table (order lines, cart lines, reviews, favorites, media…) and the
word shoppers read, instead of switching on ``"product" if … else "package"``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Table

from fantasize.catalog.models import (
    Package,
    PackageMaterial,
    Product,
    ProductMaterial,
    offer_packages,
    offer_products,
)


@dataclass(frozen=True)
class Sellable:
    kind: str
    model: type
    owner_column: str  # the foreign key naming this kind in other tables ("product_id", "package_id")
    label: str
    material_link: type  # the item's share of each material
    offer_link: Table  # the offers the item is on


SELLABLES: dict[str, Sellable] = {
    entry.kind: entry
    for entry in (
        Sellable("product", Product, "product_id", "product", ProductMaterial, offer_products),
        Sellable("package", Package, "package_id", "gift box", PackageMaterial, offer_packages),
    )
}
KINDS = tuple(SELLABLES)


def sellable(kind: str) -> Sellable:
    return SELLABLES[kind]


def model_of(kind: str) -> type:
    return SELLABLES[kind].model


def owner(table: type | Table, kind: str) -> Any:
    """The column of ``table`` (an order line, a review, an offer link…) that points at an item of ``kind``."""
    name = SELLABLES[kind].owner_column
    return table.c[name] if isinstance(table, Table) else getattr(table, name)


def owner_values(kind: str, item_id: int) -> dict[str, int]:
    """Keyword arguments that make a new row (a review, a favorite…) point at the item: ``{"product_id": 3}``."""
    return {SELLABLES[kind].owner_column: item_id}


def owner_id(row: Any, kind: str) -> int | None:
    """The id of the item of ``kind`` that ``row`` (an option, an attachment…) points at."""
    return getattr(row, SELLABLES[kind].owner_column)


def kind_of(row: Any) -> str:
    """The kind of a row that points at one item (``product_id`` or ``package_id`` set), or of an item itself."""
    if isinstance(row, Product | Package):
        return row.kind
    return next(
        (kind for kind, entry in SELLABLES.items() if getattr(row, entry.owner_column, None) is not None), "package"
    )


def item_key(row: Any) -> tuple[str, int]:
    """``(kind, item id)`` of the item a row (a favorite, a review…) points at."""
    kind = kind_of(row)
    return kind, owner_id(row, kind)


def kind_named_in(body: Mapping[str, Any]) -> str:
    """The kind a request body names with ``product_id`` or ``package_id`` (``package`` when not a product)."""
    return next((kind for kind, entry in SELLABLES.items() if body.get(entry.owner_column)), "package")


def item_named_in(body: Mapping[str, Any]) -> tuple[str, int]:
    """``(kind, item id)`` a request body names with ``product_id`` or ``package_id``."""
    kind = kind_named_in(body)
    return kind, body[SELLABLES[kind].owner_column]
