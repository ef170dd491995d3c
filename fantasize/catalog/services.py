"""Catalog writes: products and packages (staff), with validation and cache invalidation.

A stock edit is announced as the domain event ``stock.changed`` (realtime tells the shop).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from slugify import slugify
from sqlalchemy import select

from fantasize import events
from fantasize.catalog.cache import invalidate_catalog
from fantasize.catalog.models import (
    Brand,
    Category,
    Material,
    Package,
    PackageItem,
    PackageMaterial,
    Product,
    ProductMaterial,
)
from fantasize.catalog.sanitize import clean_rich_text
from fantasize.db import utcnow
from fantasize.errors import Conflict, NotFound, ValidationFailed
from fantasize.extensions import db

MAX_PRICE = Decimal("100000")


def unique_slug(model: type, name: str, current_id: int | None = None) -> str:
    base = slugify(name)[:200] or "item"
    if base.isdigit():  # "1984" would read as an id in /products/<id or slug>
        base = f"{base}-gift"
    candidate, counter = base, 2
    while True:
        existing = db.session.scalar(select(model.id).where(model.slug == candidate))
        if existing is None or existing == current_id:
            return candidate
        candidate = f"{base}-{counter}"
        counter += 1


def _require_subcategory(subcategory_id: int) -> Category:
    category = db.session.get(Category, subcategory_id)
    if category is None or category.parent_id is None:
        raise ValidationFailed("Choose a subcategory.", {"subcategory_id": ["Not a subcategory."]})
    return category


def _check_basics(values: dict[str, Any]) -> None:
    errors: dict[str, list[str]] = {}
    if "name" in values and not (values["name"] or "").strip():
        errors["name"] = ["Give it a name."]
    if "price" in values and (values["price"] is None or not (Decimal(0) <= Decimal(values["price"]) <= MAX_PRICE)):
        errors["price"] = [f"Use a price between 0 and {MAX_PRICE}."]
    if "stock" in values and (values["stock"] is None or int(values["stock"]) < 0):
        errors["stock"] = ["Stock cannot be negative."]
    if errors:
        raise ValidationFailed("Some fields are not valid.", errors)


def _material_shares(values: dict[str, Any]) -> list[tuple[int, Decimal]] | None:
    """``materials: [{material_id, percentage}]`` or ``material_ids`` (equal shares)."""
    if values.get("materials") is not None:
        shares = [(int(m["material_id"]), Decimal(m.get("percentage", 100))) for m in values["materials"]]
    elif values.get("material_ids") is not None:
        ids = list(dict.fromkeys(int(i) for i in values["material_ids"]))
        shares = [(i, (Decimal(100) / len(ids)).quantize(Decimal("0.01"))) for i in ids] if ids else []
    else:
        return None
    known = set(db.session.scalars(select(Material.id).where(Material.id.in_([i for i, _ in shares]))))
    unknown = sorted({i for i, _ in shares} - known)
    if unknown:
        raise ValidationFailed(
            "Unknown materials.", {"material_ids": [f"No material with id {', '.join(map(str, unknown))}."]}
        )
    if any(not (0 < pct <= 100) for _, pct in shares) or sum(pct for _, pct in shares) > 100:
        raise ValidationFailed(
            "Material shares must be between 0 and 100% and add up to at most 100%.", {"materials": ["Invalid shares."]}
        )
    return shares


def _apply_common(item: Product | Package, values: dict[str, Any]) -> None:
    """Set the shared fields; the item joins the session once it is complete (no half-built autoflush)."""
    _check_basics(values)
    if "name" in values:
        item.name = values["name"].strip()
        item.slug = unique_slug(type(item), item.name, item.id)
    if "description" in values:
        item.description = clean_rich_text(values["description"] or "")
    if "price" in values:
        item.price = Decimal(values["price"]).quantize(Decimal("0.01"))
    if "stock" in values:
        item.stock = int(values["stock"])
    if "active" in values and values["active"] is not None:
        item.active = bool(values["active"])
    if "subcategory_id" in values:
        item.subcategory_id = _require_subcategory(values["subcategory_id"]).id
    db.session.add(item)


def create_product(values: dict[str, Any]) -> Product:
    missing = [f for f in ("name", "price", "subcategory_id") if values.get(f) in (None, "")]
    if missing:
        raise ValidationFailed("Some required fields are missing.", {f: ["Required."] for f in missing})
    return update_product(Product(stock=0, description=""), {"stock": 0, **values})


def _announce_stock_edit(item: Product | Package, before: int) -> None:
    if item.stock == before:
        return
    is_product = isinstance(item, Product)
    events.publish(
        "stock.changed",
        {
            "product_ids": [item.id] if is_product else [],
            "package_ids": [] if is_product else [item.id],
            "decreased_product_ids": [item.id] if is_product and item.stock < before else [],
        },
    )


def update_product(product: Product, values: dict[str, Any]) -> Product:
    stock_before = product.stock
    _apply_common(product, values)
    if "brand_id" in values:
        brand_id = values["brand_id"]
        if brand_id is not None and db.session.get(Brand, brand_id) is None:
            raise ValidationFailed("Unknown brand.", {"brand_id": ["No such brand."]})
        product.brand_id = brand_id
    shares = _material_shares(values)
    db.session.flush()
    if shares is not None:
        _replace_materials(ProductMaterial, "product_id", product.id, shares)
    invalidate_catalog()
    _announce_stock_edit(product, stock_before)
    return product


def _replace_materials(link: type, owner_column: str, owner_id: int, shares: list[tuple[int, Decimal]]) -> None:
    for row in db.session.scalars(select(link).where(getattr(link, owner_column) == owner_id)):
        db.session.delete(row)
    db.session.flush()
    for material_id, percentage in shares:
        db.session.add(link(**{owner_column: owner_id}, material_id=material_id, percentage=percentage))
    db.session.flush()


def get_product_for_staff(product_id: int) -> Product:
    product = db.session.get(Product, product_id)
    if product is None or product.deleted_at is not None:
        raise NotFound("No such product.")
    return product


def delete_product(product: Product) -> None:
    """Remove a product from the shop. It is kept (soft-deleted) so past orders still show it;
    a product that is part of a package is refused until the package changes."""
    packages = list(
        db.session.scalars(
            select(Package.name)
            .join(PackageItem, PackageItem.package_id == Package.id)
            .where(PackageItem.product_id == product.id, Package.deleted_at.is_(None))
        )
    )
    if packages:
        raise Conflict(
            f"This product is part of {len(packages)} package(s): {', '.join(packages)}. Remove it from them first.",
            {"packages": packages},
        )
    product.active = False
    product.deleted_at = utcnow()
    db.session.flush()
    invalidate_catalog()


def set_stock(product: Product, stock: int) -> Product:
    return update_product(product, {"stock": stock})


# --- packages --------------------------------------------------------------------------


def _replace_items(package: Package, items: list[dict[str, Any]]) -> None:
    wanted: dict[int, int] = {}
    for item in items:
        wanted[int(item["product_id"])] = wanted.get(int(item["product_id"]), 0) + int(item.get("quantity", 1))
    if not wanted:
        raise ValidationFailed("A package needs at least one product.", {"items": ["Add a product."]})
    if any(quantity < 1 for quantity in wanted.values()):
        raise ValidationFailed("Quantities must be at least 1.", {"items": ["Invalid quantity."]})
    found = set(db.session.scalars(select(Product.id).where(Product.id.in_(wanted), Product.deleted_at.is_(None))))
    missing = sorted(set(wanted) - found)
    if missing:
        raise ValidationFailed("Unknown products.", {"items": [f"No product with id {', '.join(map(str, missing))}."]})
    for row in db.session.scalars(select(PackageItem).where(PackageItem.package_id == package.id)):
        db.session.delete(row)
    db.session.flush()
    for product_id, quantity in wanted.items():
        db.session.add(PackageItem(package_id=package.id, product_id=product_id, quantity=quantity))
    db.session.flush()


def create_package(values: dict[str, Any]) -> Package:
    missing = [f for f in ("name", "price", "subcategory_id", "items") if values.get(f) in (None, "", [])]
    if missing:
        raise ValidationFailed("Some required fields are missing.", {f: ["Required."] for f in missing})
    return update_package(Package(stock=0, description=""), {"stock": 0, **values})


def update_package(package: Package, values: dict[str, Any]) -> Package:
    stock_before = package.stock
    _apply_common(package, values)
    shares = _material_shares(values)
    db.session.flush()
    if values.get("items") is not None:
        _replace_items(package, values["items"])
    if shares is not None:
        _replace_materials(PackageMaterial, "package_id", package.id, shares)
    invalidate_catalog()
    _announce_stock_edit(package, stock_before)
    return package


def get_package_for_staff(package_id: int) -> Package:
    package = db.session.get(Package, package_id)
    if package is None or package.deleted_at is not None:
        raise NotFound("No such package.")
    return package


def delete_package(package: Package) -> None:
    package.active = False
    package.deleted_at = utcnow()
    db.session.flush()
    invalidate_catalog()
