"""Products and packages: lists with filters, detail, staff writes, pictures and reviews."""

from __future__ import annotations

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


# --- products ----------------------------------------------------------------------------


@products_bp.get("")
@products_bp.arguments(CatalogQuerySchema, location="query")
@products_bp.response(200, CardSchema(many=True))
def list_products(query: dict):
    """List active products with filters, sorts and cursor pagination."""
    return items_page("product", query)


@products_bp.get("/<product_id>")
@products_bp.doc(parameters=[id_or_slug_parameter("product_id", "product")])
@products_bp.response(200, DetailSchema)
def get_product(product_id: str):
    """A product by id or slug."""
    return reading.get_detail("product", product_id)


@products_bp.post("")
@permission_required("catalog.write")
@products_bp.arguments(ProductInputSchema)
@products_bp.response(201, DetailSchema)
def create_product(body: dict):
    product = services.create_product(body)
    return reading.get_staff_detail("product", product.id)


@products_bp.patch("/<int:product_id>")
@permission_required("catalog.write")
@products_bp.arguments(partial_schema(ProductInputSchema))
@products_bp.response(200, DetailSchema)
def update_product(body: dict, product_id: int):
    services.update_product(services.get_product_for_staff(product_id), body)
    return reading.get_staff_detail("product", product_id)


@products_bp.delete("/<int:product_id>")
@permission_required("catalog.write")
@products_bp.response(204)
def delete_product(product_id: int):
    services.delete_product(services.get_product_for_staff(product_id))
    return Response(status=204)


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


@products_bp.get("/<int:product_id>/reviews")
@products_bp.arguments(ListQuerySchema, location="query")
@products_bp.response(200, ReviewSchema(many=True))
def list_product_reviews(query: dict, product_id: int):
    rows, next_key = reviews.list_reviews("product", product_id, query["limit"], decode_cursor(query["cursor"]))
    set_pagination(query["limit"], encode_cursor(next_key) if next_key else None)
    return rows


@products_bp.post("/<int:product_id>/reviews")
@login_required
@products_bp.arguments(ReviewSchema)
@products_bp.response(201, ReviewSchema)
def review_product(body: dict, product_id: int):
    return reviews.add_review(require_api_user().id, "product", product_id, body["rating"], body["comment"])


# --- packages ----------------------------------------------------------------------------


@packages_bp.get("")
@packages_bp.arguments(CatalogQuerySchema, location="query")
@packages_bp.response(200, PackageCardSchema(many=True))
def list_packages(query: dict):
    """List gift packages; ``available`` is capped by the stock of the products inside."""
    return items_page("package", query)


@packages_bp.get("/<package_id>")
@packages_bp.doc(parameters=[id_or_slug_parameter("package_id", "package")])
@packages_bp.response(200, DetailSchema)
def get_package(package_id: str):
    """A package by id or slug."""
    return reading.get_detail("package", package_id)


@packages_bp.post("")
@permission_required("catalog.write")
@packages_bp.arguments(PackageInputSchema)
@packages_bp.response(201, DetailSchema)
def create_package(body: dict):
    package = services.create_package(body)
    return reading.get_staff_detail("package", package.id)


@packages_bp.patch("/<int:package_id>")
@permission_required("catalog.write")
@packages_bp.arguments(partial_schema(PackageInputSchema))
@packages_bp.response(200, DetailSchema)
def update_package(body: dict, package_id: int):
    services.update_package(services.get_package_for_staff(package_id), body)
    return reading.get_staff_detail("package", package_id)


@packages_bp.delete("/<int:package_id>")
@permission_required("catalog.write")
@packages_bp.response(204)
def delete_package(package_id: int):
    services.delete_package(services.get_package_for_staff(package_id))
    return Response(status=204)


@packages_bp.post("/<int:package_id>/reviews")
@login_required
@packages_bp.arguments(ReviewSchema)
@packages_bp.response(201, ReviewSchema)
def review_package(body: dict, package_id: int):
    return reviews.add_review(require_api_user().id, "package", package_id, body["rating"], body["comment"])
