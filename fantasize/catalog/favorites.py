"""Favorites: a user's saved products and packages."""

from __future__ import annotations

from sqlalchemy import delete, select

from fantasize.catalog import sellables
from fantasize.catalog.cards import Card
from fantasize.catalog.listing import build_cards, load_options
from fantasize.catalog.models import Favorite
from fantasize.db import utcnow
from fantasize.errors import NotFound
from fantasize.extensions import db
from fantasize.paging import newest_first_page


def add_favorite(user_id: str, kind: str, item_id: int) -> None:
    item = db.session.get(sellables.model_of(kind), item_id)
    if item is None or not item.active or item.deleted_at is not None:
        raise NotFound(f"No such {kind}.")
    exists = db.session.scalar(
        select(Favorite.id).where(Favorite.user_id == user_id, sellables.owner(Favorite, kind) == item_id)
    )
    if exists is None:
        db.session.add(Favorite(user_id=user_id, created_at=utcnow(), **sellables.owner_values(kind, item_id)))
        db.session.flush()


def remove_favorite(user_id: str, kind: str, item_id: int) -> None:
    db.session.execute(delete(Favorite).where(Favorite.user_id == user_id, sellables.owner(Favorite, kind) == item_id))


def toggle_favorite(user_id: str, kind: str, item_id: int) -> bool:
    """Add the item to the user's favorites, or take it out if it was there; whether it is one now."""
    exists = db.session.scalar(
        select(Favorite.id).where(Favorite.user_id == user_id, sellables.owner(Favorite, kind) == item_id)
    )
    if exists is not None:
        remove_favorite(user_id, kind, item_id)
        return False
    add_favorite(user_id, kind, item_id)
    return True


def favorite_ids(user_id: str) -> set[tuple[str, int]]:
    rows = db.session.execute(select(Favorite.product_id, Favorite.package_id).where(Favorite.user_id == user_id))
    return {sellables.item_key(row) for row in rows}


def list_favorites(user_id: str, limit: int, after: list | None = None) -> tuple[list[Card], list | None]:
    """The user's favorites, newest first, as cards (a fixed number of queries per page)."""
    rows, next_key = newest_first_page(select(Favorite).where(Favorite.user_id == user_id), Favorite, limit, after)
    keys = [sellables.item_key(row) for row in rows]
    cards: dict[tuple[str, int], Card] = {}
    for kind in sellables.KINDS:
        model = sellables.model_of(kind)
        ids = [item_id for key_kind, item_id in keys if key_kind == kind]
        found = db.session.scalars(select(model).where(model.id.in_(ids)).options(*load_options(kind))).unique()
        cards |= {(kind, card.id): card for card in build_cards(kind, list(found))}
    ordered = [cards.get(key) for key in keys]
    return [card for card in ordered if card is not None], next_key
