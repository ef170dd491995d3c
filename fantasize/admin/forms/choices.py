"""Choices for the staff's catalogue forms (``<select>`` options), and the list pages' page number."""

from __future__ import annotations

from flask import request
from wtforms import SelectChoice

from fantasize.catalog import staff_reads
from fantasize.catalog.models import Brand, Category, Material, Package, Product


def page_number() -> int:
    return max(1, min(request.args.get("page", 1, type=int) or 1, 100_000))


def subcategory_choices(placeholder: str) -> list[SelectChoice]:
    """Every subcategory, grouped under its parent (``<optgroup>``), after a "none" option."""
    return [SelectChoice("", placeholder)] + [
        SelectChoice(str(cid), name if active else f"{name} (inactive)", optgroup=parent_name)
        for cid, name, active, parent_name in staff_reads.subcategories_under_parents()
    ]


def named_choices(model: type[Brand] | type[Material]) -> list[SelectChoice]:
    return [SelectChoice(str(i), name) for i, name in staff_reads.names_of(model)]


def sellable_choices(model: type[Product] | type[Package], keep: set[int] | None = None) -> list[SelectChoice]:
    """Items not deleted, by name; only active ones unless ``keep`` (then those too, marked inactive)."""
    return [
        SelectChoice(str(i), name if active else f"{name} (inactive)")
        for i, name, active in staff_reads.sellable_names(model, keep)
    ]


def parent_choices(category: Category | None) -> list[SelectChoice]:
    """Top-level categories ``category`` can be put under (not itself), after a "none" option."""
    return [SelectChoice("", "None: a top-level category")] + [
        SelectChoice(str(cid), name) for cid, name in staff_reads.possible_parents(category)
    ]
