"""Offer pricing: the best current discount for each product or package, fetched in one query."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import Column, Table, func, select
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.selectable import Subquery

from fantasize.catalog import sellables
from fantasize.catalog.models import Offer
from fantasize.db import utcnow
from fantasize.extensions import db

CENT = Decimal("0.01")


def discounted(price: Decimal, percent: Decimal | None) -> Decimal:
    if not percent:
        return price.quantize(CENT)
    return (price * (Decimal(100) - percent) / Decimal(100)).quantize(CENT, rounding=ROUND_HALF_UP)


def active_offer_clause():
    now = utcnow()
    return (Offer.active.is_(True), Offer.starts_at <= now, Offer.ends_at > now)


def _offer_link(kind: str) -> tuple[Table, Column]:
    """The table linking offers to items of ``kind``, and its item column."""
    link = sellables.sellable(kind).offer_link
    return link, sellables.owner(link, kind)


def best_discounts(kind: str, ids: list[int]) -> dict[int, Decimal]:
    """``{item id: best active discount percent}`` for the given products or packages."""
    if not ids:
        return {}
    link, column = _offer_link(kind)
    rows = db.session.execute(
        select(column, func.max(Offer.percent))
        .join(Offer, Offer.id == link.c.offer_id)
        .where(column.in_(ids), *active_offer_clause())
        .group_by(column)
    )
    return {item_id: Decimal(percent) for item_id, percent in rows}


def current_discounts(kind: str) -> Subquery:
    """``(item_id, percent)``: the best active discount of every product or package on offer."""
    link, column = _offer_link(kind)
    return (
        select(column.label("item_id"), func.max(Offer.percent).label("percent"))
        .select_from(link)
        .join(Offer, Offer.id == link.c.offer_id)
        .where(*active_offer_clause())
        .group_by(column)
        .subquery("current_discounts")
    )


def best_percent_sql(kind: str, model: type) -> ColumnElement:
    """A correlated subquery: the best active discount of the row's item (NULL: none)."""
    link, column = _offer_link(kind)
    return (
        select(func.max(Offer.percent))
        .select_from(link)
        .join(Offer, Offer.id == link.c.offer_id)
        .where(column == model.id, *active_offer_clause())
        .correlate(model)
        .scalar_subquery()
    )


def final_price_sql(price: ColumnElement, percent: ColumnElement) -> ColumnElement:
    """SQL for :func:`discounted`: the price after ``percent`` (NULL: none), rounded half up to cents."""
    exact = price * (100 - func.coalesce(percent, 0)) / 100
    if db.engine.dialect.name == "sqlite":
        # SQLite keeps prices as floats (10.01 * 50 / 100 = 5.00499…); nudge exact halves up as
        # ROUND_HALF_UP does. PostgreSQL's numeric round() already rounds halves up.
        exact = exact + 1e-9
    return func.round(exact, 2)


def seconds_until_offer_change() -> int | None:
    """Seconds until an active offer starts or ends next (prices change then without any write)."""
    now = utcnow()
    upcoming, ending = db.session.execute(
        select(
            func.min(Offer.starts_at).filter(Offer.starts_at > now),
            func.min(Offer.ends_at).filter(Offer.ends_at > now),
        ).where(Offer.active.is_(True))
    ).one()
    moments = [moment for moment in (upcoming, ending) if moment is not None]
    if not moments:
        return None
    return max(1, int((min(moments) - now).total_seconds()) + 1)
