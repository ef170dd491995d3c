"""Categories (two levels), brands and materials (staff writes)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import exists, func, select

from fantasize.catalog.cache import invalidate_catalog
from fantasize.catalog.models import Brand, Category, Material, Package, PackageMaterial, Product, ProductMaterial
from fantasize.catalog.services import unique_slug
from fantasize.errors import Conflict, NotFound, ValidationFailed
from fantasize.extensions import db


def _name(values: dict[str, Any]) -> str:
    name = (values.get("name") or "").strip()
    if not name:
        raise ValidationFailed("Give it a name.", {"name": ["Required."]})
    return name


def save_category(category: Category | None, values: dict[str, Any]) -> Category:
    category = category or Category()
    if "name" in values or category.id is None:
        category.name = _name(values)
        category.slug = unique_slug(Category, category.name, category.id)
    if "parent_id" in values:
        parent_id = values["parent_id"]
        if parent_id is not None:
            parent = db.session.get(Category, parent_id)
            if parent is None or parent.parent_id is not None or parent_id == category.id:
                raise ValidationFailed(
                    "Choose a top-level category as parent.", {"parent_id": ["Not a top-level category."]}
                )
            has_children = category.id is not None and db.session.scalar(
                select(exists().where(Category.parent_id == category.id))
            )
            if has_children:
                raise ValidationFailed(
                    "A category with subcategories cannot become one.", {"parent_id": ["Has subcategories."]}
                )
        category.parent_id = parent_id
    for field in ("description", "image_path"):
        if field in values:
            setattr(category, field, values[field] or ("" if field == "description" else None))
    if values.get("active") is not None:
        category.active = bool(values["active"])
    if values.get("position") is not None:
        category.position = int(values["position"])
    db.session.add(category)
    db.session.flush()
    invalidate_catalog()
    return category


def delete_category(category: Category) -> None:
    in_use = db.session.scalar(
        select(
            exists().where(Category.parent_id == category.id)
            # Deleted products and packages stay (orders refer to them), and so must their category.
            | exists().where(Product.subcategory_id == category.id)
            | exists().where(Package.subcategory_id == category.id)
        )
    )
    if in_use:
        raise Conflict(
            "This category still has subcategories, products or packages (deleted ones included); "
            "move them first or hide the category instead."
        )
    db.session.delete(category)
    db.session.flush()
    invalidate_catalog()


def save_named(model: type[Brand] | type[Material], item: Any, values: dict[str, Any]) -> Any:
    item = item or model()
    name = _name(values)
    clash = db.session.scalar(select(model.id).where(func.lower(model.name) == name.lower()))
    if clash is not None and clash != item.id:
        raise Conflict("That name is already used.", {"name": ["Already exists."]})
    item.name = name
    item.slug = unique_slug(model, name, item.id)
    db.session.add(item)
    db.session.flush()
    invalidate_catalog()
    return item


def delete_named(item: Brand | Material) -> None:
    if isinstance(item, Material):
        used = db.session.scalar(
            select(
                exists().where(ProductMaterial.material_id == item.id)
                | exists().where(PackageMaterial.material_id == item.id)
            )
        )
        if used:
            raise Conflict("This material is used by products or packages.")
    db.session.delete(item)
    db.session.flush()
    invalidate_catalog()


def get_or_404(model: type, item_id: int) -> Any:
    item = db.session.get(model, item_id)
    if item is None:
        raise NotFound(f"No such {model.__name__.lower()}.")
    return item
