"""Reads behind the staff's catalogue pages: lists, counts and what the edit forms show.

One query per page, soft-deleted rows left out, subcategory and brand joined in.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import aliased, joinedload

from fantasize.catalog.models import (
    Brand,
    Category,
    Material,
    Media,
    Offer,
    Package,
    PackageItem,
    PackageMaterial,
    Product,
    ProductMaterial,
    offer_packages,
    offer_products,
)
from fantasize.db import contains_pattern
from fantasize.extensions import db
from fantasize.ids import parse_id

PAGE_SIZE = 50


@dataclass(frozen=True)
class Page:
    rows: list[Any]
    number: int
    has_next: bool


def list_sellables(model: type[Product] | type[Package], args: dict[str, str], page: int) -> Page:
    """Products or packages for the staff list: search by name, filter by status and subcategory."""
    query = select(model).where(model.deleted_at.is_(None)).options(joinedload(model.subcategory))
    if model is Product:
        query = query.options(joinedload(Product.brand))
    if args.get("q", "").strip():
        query = query.where(model.name.ilike(contains_pattern(args["q"].strip()), escape="\\"))
    if args.get("status") in ("active", "inactive"):
        query = query.where(model.active.is_(args["status"] == "active"))
    subcategory_id = parse_id(args.get("subcategory", ""))
    if subcategory_id is not None:
        query = query.where(model.subcategory_id == subcategory_id)
    query = query.order_by(func.lower(model.name), model.id).offset((page - 1) * PAGE_SIZE).limit(PAGE_SIZE + 1)
    rows = list(db.session.scalars(query))
    return Page(rows[:PAGE_SIZE], page, len(rows) > PAGE_SIZE)


def item_counts(package_ids: list[int]) -> dict[int, int]:
    if not package_ids:
        return {}
    query = (
        select(PackageItem.package_id, func.sum(PackageItem.quantity))
        .where(PackageItem.package_id.in_(package_ids))
        .group_by(PackageItem.package_id)
    )
    return {package_id: int(total) for package_id, total in db.session.execute(query)}


def material_ids_of(item: Product | Package) -> list[int]:
    link, owner = (ProductMaterial, "product_id") if isinstance(item, Product) else (PackageMaterial, "package_id")
    return list(db.session.scalars(select(link.material_id).where(getattr(link, owner) == item.id)))


def media_of(item: Product | Package) -> list[Media]:
    owner = Media.product_id if isinstance(item, Product) else Media.package_id
    return list(db.session.scalars(select(Media).where(owner == item.id).order_by(Media.position, Media.id)))


def package_item_rows(package: Package) -> list[dict[str, int]]:
    """The package's contents as the form's item rows."""
    rows = db.session.scalars(select(PackageItem).where(PackageItem.package_id == package.id))
    return [{"product_id": row.product_id, "quantity": row.quantity} for row in rows]


def staff_category_tree() -> list[tuple[Category, list[Category]]]:
    """Every category, inactive ones too, with its subcategories, in shop order (one query)."""
    rows = list(db.session.scalars(select(Category).order_by(Category.position, func.lower(Category.name))))
    children: dict[int, list[Category]] = {}
    for row in rows:
        if row.parent_id is not None:
            children.setdefault(row.parent_id, []).append(row)
    return [(row, children.get(row.id, [])) for row in rows if row.parent_id is None]


def items_per_category() -> dict[int, int]:
    counts: dict[int, int] = {}
    for model in (Product, Package):
        query = (
            select(model.subcategory_id, func.count()).where(model.deleted_at.is_(None)).group_by(model.subcategory_id)
        )
        for category_id, count in db.session.execute(query):
            counts[category_id] = counts.get(category_id, 0) + count
    return counts


def named_lists(models: dict[str, type[Brand] | type[Material]]) -> dict[str, list[Any]]:
    """Every brand and material, by name, keyed like ``models``."""
    return {
        kinds: list(db.session.scalars(select(model).order_by(func.lower(model.name))))
        for kinds, model in models.items()
    }


def usage_counts() -> dict[str, dict[int, int]]:
    """How many products use each brand, and products plus packages each material."""
    brands = select(Product.brand_id, func.count()).where(Product.deleted_at.is_(None)).group_by(Product.brand_id)
    materials: dict[int, int] = {}
    for link in (ProductMaterial, PackageMaterial):
        for material_id, count in db.session.execute(select(link.material_id, func.count()).group_by(link.material_id)):
            materials[material_id] = materials.get(material_id, 0) + count
    return {"brands": dict(db.session.execute(brands).all()), "materials": materials}


def list_offers() -> list[tuple[Offer, int, int]]:
    products = select(func.count()).where(offer_products.c.offer_id == Offer.id).scalar_subquery()
    packages = select(func.count()).where(offer_packages.c.offer_id == Offer.id).scalar_subquery()
    query = select(Offer, products, packages).order_by(Offer.starts_at.desc(), Offer.id.desc())
    return [(offer, n_products, n_packages) for offer, n_products, n_packages in db.session.execute(query)]


def offer_status(offer: Offer, now: datetime) -> str:
    if now < offer.starts_at:
        return "upcoming"
    return "current" if now < offer.ends_at else "expired"


def subcategories_under_parents() -> list[tuple[int, str, bool, str]]:
    """Every subcategory as ``(id, name, active, parent name)``, in shop order."""
    parent = aliased(Category)
    rows = db.session.execute(
        select(Category.id, Category.name, Category.active, parent.name)
        .join(parent, Category.parent_id == parent.id)
        .order_by(parent.position, func.lower(parent.name), parent.id, Category.position, func.lower(Category.name))
    )
    return [tuple(row) for row in rows]


def names_of(model: type[Brand] | type[Material]) -> list[tuple[int, str]]:
    return [tuple(row) for row in db.session.execute(select(model.id, model.name).order_by(model.name))]


def sellable_names(model: type[Product] | type[Package], keep: set[int] | None = None) -> list[tuple[int, str, bool]]:
    """Items not deleted as ``(id, name, active)``, by name; only active ones unless ``keep`` (then those too)."""
    query = select(model.id, model.name, model.active).where(model.deleted_at.is_(None))
    if keep is not None:
        query = query.where(model.active.is_(True) | model.id.in_(keep))
    return [tuple(row) for row in db.session.execute(query.order_by(func.lower(model.name), model.id))]


def possible_parents(category: Category | None) -> list[tuple[int, str]]:
    """Top-level categories ``category`` can be put under (not itself)."""
    top_level = select(Category.id, Category.name).where(Category.parent_id.is_(None))
    if category is not None:
        top_level = top_level.where(Category.id != category.id)
    return [tuple(row) for row in db.session.execute(top_level.order_by(Category.position, func.lower(Category.name)))]
