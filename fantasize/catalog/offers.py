"""Offers: percentage discounts on products and packages between two dates (staff writes)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from fantasize.catalog.cache import invalidate_catalog
from fantasize.catalog.models import Offer, Package, Product
from fantasize.errors import NotFound, ValidationFailed
from fantasize.extensions import db


def save_offer(offer: Offer | None, values: dict[str, Any]) -> Offer:
    offer = offer or Offer()
    errors: dict[str, list[str]] = {}
    name = (values.get("name", offer.name) or "").strip()
    if not name:
        errors["name"] = ["Give the offer a name."]
    percent = values.get("percent", offer.percent)
    if percent is None or not (Decimal(0) < Decimal(percent) < Decimal(100)):
        errors["percent"] = ["Use a discount above 0 and below 100%."]
    starts_at, ends_at = values.get("starts_at", offer.starts_at), values.get("ends_at", offer.ends_at)
    if starts_at is None:
        errors["starts_at"] = ["Required."]
    if ends_at is None:
        errors["ends_at"] = ["Required."]
    if starts_at and ends_at and ends_at <= starts_at:
        errors["ends_at"] = ["The offer must end after it starts."]
    if errors:
        raise ValidationFailed("The offer is not valid.", errors)
    offer.name, offer.percent, offer.starts_at, offer.ends_at = name, Decimal(percent), starts_at, ends_at
    if values.get("active") is not None:
        offer.active = bool(values["active"])
    db.session.add(offer)
    if values.get("product_ids") is not None:
        offer.products = list(db.session.scalars(select(Product).where(Product.id.in_(values["product_ids"]))))
    if values.get("package_ids") is not None:
        offer.packages = list(db.session.scalars(select(Package).where(Package.id.in_(values["package_ids"]))))
    db.session.flush()
    invalidate_catalog()
    return offer


def get_offer_for_staff(offer_id: int) -> Offer:
    offer = db.session.scalar(
        select(Offer).where(Offer.id == offer_id).options(selectinload(Offer.products), selectinload(Offer.packages))
    )
    if offer is None:
        raise NotFound("No such offer.")
    return offer
