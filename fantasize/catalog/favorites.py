"""Favorites: a user's saved products and packages."""

from __future__ import annotations

from sqlalchemy import delete, select

from fantasize.catalog.cards import Card
from fantasize.catalog.listing import build_cards, load_options
from fantasize.catalog.models import Favorite, Package, Product
from fantasize.db import utcnow
from fantasize.errors import NotFound
from fantasize.extensions import db
from fantasize.paging import newest_first_page


def _column(kind: str):
    return Favorite.product_id if kind == "product" else Favorite.package_id


def add_favorite(user_id: str, kind: str, item_id: int) -> None:
    model = Product if kind == "product" else Package
    item = db.session.get(model, item_id)
    if item is None or not item.active or item.deleted_at is not None:
        raise NotFound(f"No such {kind}.")
    exists = db.session.scalar(select(Favorite.id).where(Favorite.user_id == user_id, _column(kind) == item_id))
    if exists is None:
        db.session.add(Favorite(user_id=user_id, created_at=utcnow(), **{f"{kind}_id": item_id}))
        db.session.flush()


def remove_favorite(user_id: str, kind: str, item_id: int) -> None:
    db.session.execute(delete(Favorite).where(Favorite.user_id == user_id, _column(kind) == item_id))


def toggle_favorite(user_id: str, kind: str, item_id: int) -> bool:
    """Add the item to the user's favorites, or take it out if it was there; whether it is one now."""
    exists = db.session.scalar(select(Favorite.id).where(Favorite.user_id == user_id, _column(kind) == item_id))
    if exists is not None:
        remove_favorite(user_id, kind, item_id)
        return False
    add_favorite(user_id, kind, item_id)
    return True


def favorite_ids(user_id: str) -> set[tuple[str, int]]:
    rows = db.session.execute(select(Favorite.product_id, Favorite.package_id).where(Favorite.user_id == user_id))
    return {("product", p) if p is not None else ("package", k) for p, k in rows}


def list_favorites(user_id: str, limit: int, after: list | None = None) -> tuple[list[Card], list | None]:
    """The user's favorites, newest first, as cards (a fixed number of queries per page)."""
    rows, next_key = newest_first_page(select(Favorite).where(Favorite.user_id == user_id), Favorite, limit, after)
    product_ids = [r.product_id for r in rows if r.product_id]
    package_ids = [r.package_id for r in rows if r.package_id]
    products = db.session.scalars(
        select(Product).where(Product.id.in_(product_ids)).options(*load_options("product"))
    ).unique()
    packages = db.session.scalars(
        select(Package).where(Package.id.in_(package_ids)).options(*load_options("package"))
    ).unique()
    cards = {("product", c.id): c for c in build_cards("product", list(products))}
    cards |= {("package", c.id): c for c in build_cards("package", list(packages))}
    ordered = [cards.get(("product", r.product_id) if r.product_id else ("package", r.package_id)) for r in rows]
    return [card for card in ordered if card is not None], next_key
