"""Catalog business rules: listing and reading products."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import joinedload

from fantasize.catalog.models import Category, Product
from fantasize.extensions import db


@dataclass(frozen=True)
class Page:
    items: list[Product]
    next_key: list | None


def list_products(limit: int, after: list | None = None) -> Page:
    """Active products, newest first, one keyset page (``after`` is the previous page's last key)."""
    query = (
        select(Product)
        .options(joinedload(Product.subcategory).joinedload(Category.parent), joinedload(Product.brand))
        .where(Product.active.is_(True))
        .order_by(Product.created_at.desc(), Product.id.desc())
        .limit(limit + 1)
    )
    if after:
        created_at, product_id = datetime.fromisoformat(after[0]), int(after[1])
        query = query.where(
            or_(
                Product.created_at < created_at,
                and_(Product.created_at == created_at, Product.id < product_id),
            )
        )
    rows = list(db.session.scalars(query))
    has_more = len(rows) > limit
    items = rows[:limit]
    next_key = [items[-1].created_at.isoformat(), items[-1].id] if has_more and items else None
    return Page(items=items, next_key=next_key)
