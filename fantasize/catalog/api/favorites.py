"""The signed-in user's favorites."""

from __future__ import annotations

from flask import Response

from fantasize.api.auth import require_api_user
from fantasize.api.envelope import ApiBlueprint
from fantasize.api.pagination import decode_cursor, encode_cursor, set_pagination
from fantasize.catalog import favorites, sellables
from fantasize.catalog.schemas import (
    FavoriteInputSchema,
    FavoriteQuerySchema,
    ListQuerySchema,
    PackageCardSchema,
)

favorites_bp = ApiBlueprint("favorites", __name__, description="The signed-in user's favorites", signed_in=True)


@favorites_bp.get("")
@favorites_bp.arguments(ListQuerySchema, location="query")
@favorites_bp.response(200, PackageCardSchema(many=True))
def list_favorites(query: dict):
    cards, next_key = favorites.list_favorites(require_api_user().id, query["limit"], decode_cursor(query["cursor"]))
    set_pagination(query["limit"], encode_cursor(next_key) if next_key else None)
    return cards


@favorites_bp.post("")
@favorites_bp.arguments(FavoriteInputSchema)
@favorites_bp.response(201, FavoriteInputSchema)
def add_favorite(body: dict):
    favorites.add_favorite(require_api_user().id, *sellables.item_named_in(body))
    return body


@favorites_bp.delete("")
@favorites_bp.arguments(FavoriteQuerySchema, location="query")
@favorites_bp.response(204)
def remove_favorite(query: dict):
    favorites.remove_favorite(require_api_user().id, *sellables.item_named_in(query))
    return Response(status=204)
