"""Offers (staff)."""

from __future__ import annotations

from fantasize.accounts.permissions import permission_required
from fantasize.api.envelope import ApiBlueprint
from fantasize.catalog.offers import save_offer
from fantasize.catalog.schemas import (
    OfferInputSchema,
    OfferSchema,
)

offers_bp = ApiBlueprint("offers", __name__, description="Offers (staff)")


@offers_bp.post("")
@permission_required("catalog.write")
@offers_bp.arguments(OfferInputSchema)
@offers_bp.response(201, OfferSchema)
def create_offer(body: dict):
    return save_offer(None, body)
