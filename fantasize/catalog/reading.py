"""Reading single items and the category tree (cached, invalidated on every catalog write and stock move)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from fantasize.catalog import sellables
from fantasize.catalog.availability import stock_items
from fantasize.catalog.cache import cached, cached_cards
from fantasize.catalog.cards import Detail, MaterialShare, MediaView, Ref
from fantasize.catalog.listing import build_cards, load_options
from fantasize.catalog.models import Brand, Category, Material, Package, Product
from fantasize.errors import NotFound
from fantasize.extensions import db
from fantasize.ids import id_or_slug


def _load(kind: str, key: str | int, *, include_inactive: bool = False) -> Product | Package | None:
    model = sellables.model_of(kind)
    material_link = sellables.sellable(kind).material_link
    key = id_or_slug(key)
    if key is None:
        return None
    where = model.id == key if isinstance(key, int) else model.slug == key
    visible = model.deleted_at.is_(None) if include_inactive else (model.active.is_(True) & model.deleted_at.is_(None))
    query = (
        select(model)
        .where(where, visible)
        .options(
            *load_options(kind),
            selectinload(model.media),
            selectinload(model.materials).joinedload(material_link.material),
        )
    )
    return db.session.scalars(query).unique().one_or_none()


def _compute_detail(kind: str, key: str | int, include_inactive: bool = False) -> Detail | None:
    row = _load(kind, key, include_inactive=include_inactive)
    if row is None:
        return None
    card = build_cards(kind, [row])[0]
    media = tuple(MediaView(m.id, m.path, m.thumb_path, m.alt_text, m.width, m.height, m.is_primary) for m in row.media)
    materials = tuple(
        MaterialShare(link.material.id, link.material.name, link.material.slug, link.percentage)
        for link in row.materials
    )
    return Detail(card=card, description=row.description, media=media, materials=materials)


def get_detail(kind: str, key: str | int) -> Detail:
    """An active product or package by id or slug; :class:`NotFound` otherwise."""
    detail = cached_cards(
        f"{kind}-detail",
        {"key": str(key)},
        lambda: _compute_detail(kind, key) or False,
        lambda found: stock_items([found.card]) if found else [],
    )
    if not detail:
        raise NotFound(f"No such {kind}.")
    return detail


def get_staff_detail(kind: str, item_id: int) -> Detail:
    """An item as staff see it, inactive ones included (never cached)."""
    detail = _compute_detail(kind, item_id, include_inactive=True)
    if detail is None:
        raise NotFound(f"No such {kind}.")
    return detail


@dataclass(frozen=True)
class CategoryNode:
    id: int
    name: str
    slug: str
    image_path: str | None
    children: tuple[CategoryNode, ...] = ()

    @property
    def ref(self) -> Ref:
        return Ref(self.id, self.name, self.slug)


def _compute_tree() -> list[CategoryNode]:
    rows = list(
        db.session.scalars(select(Category).where(Category.active.is_(True)).order_by(Category.position, Category.name))
    )
    children: dict[int, list[Category]] = {}
    for row in rows:
        if row.parent_id is not None:
            children.setdefault(row.parent_id, []).append(row)
    return [
        CategoryNode(
            row.id,
            row.name,
            row.slug,
            row.image_path,
            tuple(CategoryNode(c.id, c.name, c.slug, c.image_path) for c in children.get(row.id, [])),
        )
        for row in rows
        if row.parent_id is None
    ]


def category_tree() -> list[CategoryNode]:
    return cached("category-tree", {}, "CACHE_TTL_CATEGORIES", _compute_tree)


def find_category(slug: str) -> tuple[CategoryNode, CategoryNode | None]:
    """``(category, subcategory)`` for a category or subcategory slug."""
    for node in category_tree():
        if node.slug == slug:
            return node, None
        for child in node.children:
            if child.slug == slug:
                return node, child
    raise NotFound("No such category.")


def brands() -> list[Ref]:
    def compute() -> list[Ref]:
        return [Ref(b.id, b.name, b.slug) for b in db.session.scalars(select(Brand).order_by(func.lower(Brand.name)))]

    return cached("brands", {}, "CACHE_TTL_CATEGORIES", compute)


def materials() -> list[Ref]:
    def compute() -> list[Ref]:
        return [
            Ref(m.id, m.name, m.slug) for m in db.session.scalars(select(Material).order_by(func.lower(Material.name)))
        ]

    return cached("materials", {}, "CACHE_TTL_CATEGORIES", compute)
