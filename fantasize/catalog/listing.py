"""Listing and searching products and packages: filters, sorts and keyset pagination.

A page costs a fixed number of queries whatever its size: the items (with category and
brand joined), their best current offers, and for packages their contents and component
stock. Results are cached under the catalog version (see ``catalog.cache``) and recomputed
when an order moves the stock of an item they show.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import and_, cast, exists, false, func, literal_column, or_, select, union_all
from sqlalchemy.orm import aliased, joinedload, selectinload

from fantasize.catalog import availability, pricing, sellables
from fantasize.catalog.cache import cached_cards, in_stock_version
from fantasize.catalog.cards import Card, CardPage, ItemLine, Ref
from fantasize.catalog.models import (
    Brand,
    Category,
    Material,
    Offer,
    Package,
    PackageItem,
    Product,
)
from fantasize.db import contains_pattern
from fantasize.errors import ValidationFailed
from fantasize.extensions import db
from fantasize.ids import id_or_slug

SORTS = ("newest", "price", "-price", "rating", "name")


@dataclass(frozen=True)
class Filters:
    q: str | None = None
    category: str | None = None
    subcategory: str | None = None
    brand: str | None = None
    material: str | None = None
    min_price: Decimal | None = None
    max_price: Decimal | None = None
    in_stock: bool = False
    on_offer: bool = False
    sort: str = "newest"

    def as_params(self) -> dict[str, Any]:
        return {key: value for key, value in asdict(self).items() if value not in (None, False, "")}


def _by_id_or_slug(model: type, value: str):
    key = id_or_slug(value)
    if key is None:
        return false()
    return model.id == key if isinstance(key, int) else model.slug == key


def text_match(model: type, q: str):
    """Full-text search plus trigram similarity on PostgreSQL; a portable LIKE elsewhere."""
    pattern = contains_pattern(q.strip())
    if db.engine.dialect.name == "postgresql":
        table = model.__tablename__
        # Written exactly like the GIN index expression in the migration, so the index is used.
        document = literal_column(f"to_tsvector('simple', {table}.name || ' ' || {table}.description)")
        return or_(
            document.op("@@")(func.websearch_to_tsquery(literal_column("'simple'"), q)),
            model.name.ilike(pattern, escape="\\"),
            model.name.op("%")(q),
        )
    return or_(model.name.ilike(pattern, escape="\\"), model.description.ilike(pattern, escape="\\"))


def _on_offer(kind: str):
    link = sellables.sellable(kind).offer_link
    model = sellables.model_of(kind)
    return exists().where(
        sellables.owner(link, kind) == model.id, Offer.id == link.c.offer_id, *pricing.active_offer_clause()
    )


def _filtered(kind: str, filters: Filters, *, prices: bool = True):
    """Active items matching ``filters``; ``prices=False`` leaves the price range to the caller."""
    model = sellables.model_of(kind)
    query = select(model).where(model.active.is_(True), model.deleted_at.is_(None))
    if filters.q and filters.q.strip():
        query = query.where(text_match(model, filters.q))
    if filters.subcategory:
        query = query.where(
            model.subcategory_id.in_(select(Category.id).where(_by_id_or_slug(Category, filters.subcategory)))
        )
    if filters.category:
        parent_ids = select(Category.id).where(_by_id_or_slug(Category, filters.category))
        query = query.where(model.subcategory_id.in_(select(Category.id).where(Category.parent_id.in_(parent_ids))))
    if filters.brand and kind == "product":
        query = query.where(Product.brand_id.in_(select(Brand.id).where(_by_id_or_slug(Brand, filters.brand))))
    if filters.material:
        material_ids = select(Material.id).where(_by_id_or_slug(Material, filters.material))
        link = sellables.sellable(kind).material_link
        query = query.where(exists().where(sellables.owner(link, kind) == model.id, link.material_id.in_(material_ids)))
    if prices:
        # Per candidate row (an index probe on the offer links): other sorts walk their own index.
        query = _price_range(
            query, pricing.final_price_sql(model.price, pricing.best_percent_sql(kind, model)), filters
        )
    if filters.in_stock:
        query = query.where(availability.in_stock_sql(kind))
    if filters.on_offer:
        query = query.where(_on_offer(kind))
    return query


def _price_range(query, price, filters: Filters):
    if filters.min_price is not None:
        query = query.where(price >= filters.min_price)
    if filters.max_price is not None:
        query = query.where(price <= filters.max_price)
    return query


def _sort_column(model: type, sort: str):
    return {"newest": model.created_at, "rating": model.rating, "name": model.name}[sort]


def _descending(sort: str) -> bool:
    return sort in ("newest", "-price", "rating")


def _sort_value(card: Card, sort: str) -> Any:
    """The last card's sort value for the cursor (prices: the final price, as sorted on)."""
    value = getattr(
        card,
        {"newest": "created_at", "price": "final_price", "-price": "final_price", "rating": "rating", "name": "name"}[
            sort
        ],
    )
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _parse_sort_value(sort: str, raw: Any) -> Any:
    if sort == "newest":
        return datetime.fromisoformat(raw)
    if sort in ("price", "-price", "rating"):
        return Decimal(raw)
    return str(raw)


def _cursor(sort: str, after: list | None) -> tuple[Any, int] | None:
    if not after:
        return None
    if len(after) != 3 or after[0] != sort:
        raise ValidationFailed(
            "The cursor belongs to another sort order.", {"cursor": ["Start again from the first page."]}
        )
    return _parse_sort_value(sort, after[1]), int(after[2])


def _keyset(query, column, id_column, descending: bool, position: tuple[Any, int] | None):
    """Rows after ``position`` (the last row's sort value and id) in ``(column, id)`` order."""
    if position is not None:
        value, last_id = position
        if descending:
            query = query.where(or_(column < value, and_(column == value, id_column < last_id)))
        else:
            query = query.where(or_(column > value, and_(column == value, id_column > last_id)))
    order = (column.desc(), id_column.desc()) if descending else (column.asc(), id_column.asc())
    return query.order_by(*order)


def _apply_keyset(query, model: type, sort: str, after: list | None):
    return _keyset(query, _sort_column(model, sort), model.id, _descending(sort), _cursor(sort, after))


def _by_final_price(kind: str, filters: Filters, limit: int, after: list | None):
    """The page in final-price order, as one statement: ``(query, entity)``.

    Items not on offer sell at their list price, so that half walks the ``(active, price, id)``
    index and stops after a page; items on offer (few) are priced and sorted. Each half is
    cut to one page before the two are merged.
    """
    model = sellables.model_of(kind)
    descending = _descending(filters.sort)
    position = _cursor(filters.sort, after)
    discounts = pricing.current_discounts(kind)
    halves = []
    for on_offer in (False, True):
        query = _filtered(kind, filters, prices=False)
        if on_offer:
            query = query.join(discounts, discounts.c.item_id == model.id)
            price = pricing.final_price_sql(model.price, discounts.c.percent)
        else:
            # NOT EXISTS probes the offer links by item id while the price index is walked.
            query = query.where(~_on_offer(kind))
            price = model.price
        query = _keyset(_price_range(query, price, filters), price, model.id, descending, position)
        # A cast, not the bare column: the merged rows' ``price`` must stay the list price.
        sort_price = price if on_offer else cast(price, model.price.type)
        halves.append(select(query.add_columns(sort_price.label("sort_price")).limit(limit + 1).subquery()))
    merged = union_all(*halves).subquery("by_final_price")
    entity = aliased(model, merged)
    order = (merged.c.sort_price, merged.c.id)
    return select(entity).order_by(*((c.desc() if descending else c.asc()) for c in order)), entity


def _ref(category: Category | None) -> Ref | None:
    return Ref(category.id, category.name, category.slug) if category is not None else None


def build_cards(kind: str, rows: list[Product] | list[Package]) -> list[Card]:
    """Cards for loaded rows, with discounts (and package availability) fetched in bulk."""
    ids = [row.id for row in rows]
    discounts = pricing.best_discounts(kind, ids)
    available = availability.available_quantities(kind, rows)
    cards = []
    for row in rows:
        percent = discounts.get(row.id)
        items = (
            tuple(ItemLine(i.product_id, i.quantity, i.product.name, i.product.slug) for i in row.items)
            if kind == "package"
            else ()
        )
        brand = row.brand if kind == "product" else None
        cards.append(
            Card(
                kind=kind,
                id=row.id,
                name=row.name,
                slug=row.slug,
                price=row.price,
                final_price=pricing.discounted(row.price, percent),
                discount_percent=percent,
                stock=row.stock,
                available=available[row.id],
                category=_ref(row.subcategory.parent),
                subcategory=_ref(row.subcategory),
                brand=Ref(brand.id, brand.name, brand.slug) if brand is not None else None,
                image_path=row.image_path,
                rating=row.rating,
                review_count=row.review_count,
                created_at=row.created_at,
                items=items,
            )
        )
    return cards


def load_options(kind: str, entity: Any = None) -> list:
    model = entity if entity is not None else sellables.model_of(kind)
    options = [joinedload(model.subcategory).joinedload(Category.parent)]
    if kind == "product":
        options.append(joinedload(model.brand))
    else:
        options.append(selectinload(model.items).joinedload(PackageItem.product))
    return options


def _compute_page(kind: str, filters: Filters, limit: int, after: list | None) -> CardPage:
    model = sellables.model_of(kind)
    if filters.sort in ("price", "-price"):
        query, entity = _by_final_price(kind, filters, limit, after)
    else:
        query, entity = _apply_keyset(_filtered(kind, filters), model, filters.sort, after), model
    rows = list(db.session.scalars(query.options(*load_options(kind, entity)).limit(limit + 1)).unique())
    has_more = len(rows) > limit
    cards = build_cards(kind, rows[:limit])
    next_key = [filters.sort, _sort_value(cards[-1], filters.sort), cards[-1].id] if has_more and cards else None
    return CardPage(items=cards, next_key=next_key)


def list_items(
    kind: str, filters: Filters, limit: int, after: list | None = None, *, use_cache: bool = True
) -> CardPage:
    """One page of active products or packages matching ``filters``, in ``filters.sort`` order."""
    if filters.sort not in SORTS:
        raise ValidationFailed("Unknown sort order.", {"sort": [f"Use one of: {', '.join(SORTS)}."]})
    if not use_cache:
        return _compute_page(kind, filters, limit, after)
    params = {"kind": kind, **filters.as_params(), "limit": limit, "after": after}
    if filters.in_stock:
        params["in_stock_version"] = in_stock_version()
    return cached_cards(
        f"{kind}s",
        params,
        lambda: _compute_page(kind, filters, limit, after),
        lambda page: availability.stock_items(page.items),
    )
