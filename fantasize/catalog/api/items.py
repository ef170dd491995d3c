"""Products and packages: lists with filters, detail, staff writes, pictures and reviews."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import Response, request
from werkzeug.exceptions import BadRequest

from fantasize.accounts.permissions import login_required, permission_required
from fantasize.api.auth import require_api_user
from fantasize.api.envelope import ApiBlueprint, id_or_slug_parameter, multipart_body
from fantasize.api.fields import partial_schema
from fantasize.api.pagination import decode_cursor, encode_cursor, set_pagination
from fantasize.catalog import listing, media_service, reading, reviews, services
from fantasize.catalog.schemas import (
    CardSchema,
    CatalogQuerySchema,
    DetailSchema,
    ListQuerySchema,
    MediaSchema,
    PackageCardSchema,
    PackageInputSchema,
    ProductInputSchema,
    ReviewSchema,
)

products_bp = ApiBlueprint("products", __name__, description="Products: list, search, read; staff write")
packages_bp = ApiBlueprint("packages", __name__, description="Gift packages")


def filters_from(query: dict) -> listing.Filters:
    names = (
        "q",
        "category",
        "subcategory",
        "brand",
        "material",
        "min_price",
        "max_price",
        "in_stock",
        "on_offer",
        "sort",
    )
    return listing.Filters(**{name: query.get(name) for name in names})


def items_page(kind: str, query: dict, filters: listing.Filters | None = None) -> list:
    page = listing.list_items(kind, filters or filters_from(query), query["limit"], decode_cursor(query["cursor"]))
    set_pagination(query["limit"], encode_cursor(page.next_key) if page.next_key else None)
    return page.items


# --- products and packages ------------------------------------------------------------------


@dataclass(frozen=True)
class SellableEndpoints:
    """What differs between the product and the package endpoints; the routes are the same."""

    blueprint: ApiBlueprint
    kind: str
    card_schema: type
    input_schema: type
    create: Callable[[dict], Any]
    update: Callable[[Any, dict], Any]
    delete: Callable[[Any], None]
    get_for_staff: Callable[[int], Any]
    list_doc: str


def register_sellable_endpoints(spec: SellableEndpoints) -> None:
    bp, kind = spec.blueprint, spec.kind
    id_name = f"{kind}_id"

    @bp.get("", endpoint=f"list_{kind}s")
    @bp.doc(summary=spec.list_doc)
    @bp.arguments(CatalogQuerySchema, location="query")
    @bp.response(200, spec.card_schema(many=True))
    def list_items(query: dict):
        return items_page(kind, query)

    @bp.get(f"/<{id_name}>", endpoint=f"get_{kind}")
    @bp.doc(parameters=[id_or_slug_parameter(id_name, kind)], summary=f"A {kind} by id or slug.")
    @bp.response(200, DetailSchema)
    def get_item(**path: str):
        return reading.get_detail(kind, path[id_name])

    @bp.post("", endpoint=f"create_{kind}")
    @permission_required("catalog.write")
    @bp.arguments(spec.input_schema)
    @bp.response(201, DetailSchema)
    def create_item(body: dict):
        return reading.get_staff_detail(kind, spec.create(body).id)

    @bp.patch(f"/<int:{id_name}>", endpoint=f"update_{kind}")
    @permission_required("catalog.write")
    @bp.arguments(partial_schema(spec.input_schema))
    @bp.response(200, DetailSchema)
    def update_item(body: dict, **path: int):
        spec.update(spec.get_for_staff(path[id_name]), body)
        return reading.get_staff_detail(kind, path[id_name])

    @bp.delete(f"/<int:{id_name}>", endpoint=f"delete_{kind}")
    @permission_required("catalog.write")
    @bp.response(204)
    def delete_item(**path: int):
        spec.delete(spec.get_for_staff(path[id_name]))
        return Response(status=204)

    @bp.post(f"/<int:{id_name}>/reviews", endpoint=f"review_{kind}")
    @login_required
    @bp.arguments(ReviewSchema)
    @bp.response(201, ReviewSchema)
    def review_item(body: dict, **path: int):
        return reviews.add_review(require_api_user().id, kind, path[id_name], body["rating"], body["comment"])


# Before the shared routes, so that GET is tried first on /products/<id>/reviews.
@products_bp.get("/<int:product_id>/reviews")
@products_bp.arguments(ListQuerySchema, location="query")
@products_bp.response(200, ReviewSchema(many=True))
def list_product_reviews(query: dict, product_id: int):
    rows, next_key = reviews.list_reviews("product", product_id, query["limit"], decode_cursor(query["cursor"]))
    set_pagination(query["limit"], encode_cursor(next_key) if next_key else None)
    return rows


register_sellable_endpoints(
    SellableEndpoints(
        products_bp,
        "product",
        CardSchema,
        ProductInputSchema,
        services.create_product,
        services.update_product,
        services.delete_product,
        services.get_product_for_staff,
        "List active products with filters, sorts and cursor pagination.",
    )
)
register_sellable_endpoints(
    SellableEndpoints(
        packages_bp,
        "package",
        PackageCardSchema,
        PackageInputSchema,
        services.create_package,
        services.update_package,
        services.delete_package,
        services.get_package_for_staff,
        "List gift packages; ``available`` is capped by the stock of the products inside.",
    )
)


@products_bp.post("/<int:product_id>/media")
@permission_required("catalog.write")
@products_bp.doc(
    requestBody=multipart_body(
        "The picture (JPEG, PNG or WebP) and its alternative text",
        alt_text={"type": "string", "maxLength": 200},
    )
)
@products_bp.response(201, MediaSchema)
def upload_product_media(product_id: int):
    """Upload a picture (multipart, field ``file``): JPEG, PNG or WebP, checked by content."""
    upload = request.files.get("file")
    if upload is None:
        error = BadRequest("Send the picture as multipart/form-data in the field 'file'.")
        error.data = {"messages": {"files": {"file": ["Missing file."]}}}
        raise error
    product = services.get_product_for_staff(product_id)
    return media_service.add_media(product, upload.read(), request.form.get("alt_text", ""))
