"""Offer pricing: the best current discount for each product or package, fetched in one query."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import func, select
from sqlalchemy.sql.elements import ColumnElement

from fantasize.catalog.models import Offer, offer_packages, offer_products
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


def best_discounts(kind: str, ids: list[int]) -> dict[int, Decimal]:
    """``{item id: best active discount percent}`` for the given products or packages."""
    if not ids:
        return {}
    link = offer_products if kind == "product" else offer_packages
    column = link.c.product_id if kind == "product" else link.c.package_id
    rows = db.session.execute(
        select(column, func.max(Offer.percent))
        .join(Offer, Offer.id == link.c.offer_id)
        .where(column.in_(ids), *active_offer_clause())
        .group_by(column)
    )
    return {item_id: Decimal(percent) for item_id, percent in rows}


def final_price_column(kind: str, model: type) -> ColumnElement:
    """SQL for the price the shopper pays now, equal to :func:`discounted` with the best offer.

    A correlated subquery, so sorting and filtering on it stays one statement for the page.
    """
    link = offer_products if kind == "product" else offer_packages
    column = link.c.product_id if kind == "product" else link.c.package_id
    best = (
        select(func.max(Offer.percent))
        .select_from(link)
        .join(Offer, Offer.id == link.c.offer_id)
        .where(column == model.id, *active_offer_clause())
        .correlate(model)
        .scalar_subquery()
    )
    exact = model.price * (100 - func.coalesce(best, 0)) / 100
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
