"""Catalog JSON endpoints: reads are public, writes need ``catalog.write``."""

from __future__ import annotations

from flask import Response, request
from werkzeug.exceptions import BadRequest

from fantasize.accounts.permissions import login_required, permission_required
from fantasize.api.auth import require_api_user
from fantasize.api.envelope import ApiBlueprint, id_or_slug_parameter, multipart_body
from fantasize.api.fields import partial_schema
from fantasize.api.pagination import decode_cursor, encode_cursor, set_pagination
from fantasize.catalog import favorites, listing, media_service, reading, reviews, services, taxonomy
from fantasize.catalog.models import Brand, Category, Material
from fantasize.catalog.offers import save_offer
from fantasize.catalog.schemas import (
    CardSchema,
    CatalogQuerySchema,
    CategoryInputSchema,
    CategoryNodeSchema,
    DetailSchema,
    FavoriteInputSchema,
    FavoriteQuerySchema,
    ListQuerySchema,
    MediaSchema,
    NamedInputSchema,
    OfferInputSchema,
    OfferSchema,
    PackageCardSchema,
    PackageInputSchema,
    ProductInputSchema,
    RefSchema,
    ReviewSchema,
    SearchResultSchema,
)
from fantasize.ids import id_or_slug

products_bp = ApiBlueprint("products", __name__, description="Products: list, search, read; staff write")
packages_bp = ApiBlueprint("packages", __name__, description="Gift packages")
categories_bp = ApiBlueprint("categories", __name__, description="The category tree")
brands_bp = ApiBlueprint("brands", __name__, description="Brands")
materials_bp = ApiBlueprint("materials", __name__, description="Materials")
search_bp = ApiBlueprint("search", __name__, description="Search products and packages")
offers_bp = ApiBlueprint("offers", __name__, description="Offers (staff)")
favorites_bp = ApiBlueprint("favorites", __name__, description="The signed-in user's favorites", signed_in=True)


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


def _page(kind: str, query: dict, filters: listing.Filters | None = None) -> list:
    page = listing.list_items(kind, filters or filters_from(query), query["limit"], decode_cursor(query["cursor"]))
    set_pagination(query["limit"], encode_cursor(page.next_key) if page.next_key else None)
    return page.items


# --- products ----------------------------------------------------------------------------


@products_bp.get("")
@products_bp.arguments(CatalogQuerySchema, location="query")
@products_bp.response(200, CardSchema(many=True))
def list_products(query: dict):
    """List active products with filters, sorts and cursor pagination."""
    return _page("product", query)


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
    return _page("package", query)


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


# --- categories, brands, materials ---------------------------------------------------------


@categories_bp.get("")
@categories_bp.response(200, CategoryNodeSchema(many=True))
def category_tree():
    """Active categories with their subcategories."""
    return reading.category_tree()


@categories_bp.get("/<key>/products")
@categories_bp.doc(parameters=[id_or_slug_parameter("key", "category or subcategory")])
@categories_bp.arguments(CatalogQuerySchema, location="query")
@categories_bp.response(200, CardSchema(many=True))
def category_products(query: dict, key: str):
    """Products of a category or subcategory (id or slug), with the same filters as /products."""
    parsed = id_or_slug(key)
    category, subcategory = _category_by_id(parsed) if isinstance(parsed, int | None) else reading.find_category(key)
    base = filters_from(query)
    chosen = {"subcategory": str(subcategory.id)} if subcategory else {"category": str(category.id)}
    return _page("product", query, listing.Filters(**{**base.__dict__, **chosen}))


def _category_by_id(category_id: int | None):
    category = taxonomy.get_or_404(Category, category_id or 0)
    return reading.find_category(category.slug)


@categories_bp.post("")
@permission_required("catalog.write")
@categories_bp.arguments(CategoryInputSchema)
@categories_bp.response(201, RefSchema)
def create_category(body: dict):
    return taxonomy.save_category(None, body)


@categories_bp.patch("/<int:category_id>")
@permission_required("catalog.write")
@categories_bp.arguments(partial_schema(CategoryInputSchema))
@categories_bp.response(200, RefSchema)
def update_category(body: dict, category_id: int):
    return taxonomy.save_category(taxonomy.get_or_404(Category, category_id), body)


@categories_bp.delete("/<int:category_id>")
@permission_required("catalog.write")
@categories_bp.response(204)
def delete_category(category_id: int):
    taxonomy.delete_category(taxonomy.get_or_404(Category, category_id))
    return Response(status=204)


def _named_endpoints(blueprint: ApiBlueprint, model: type, reader) -> None:
    kind = model.__name__.lower()

    @blueprint.get("", endpoint=f"list_{kind}s")
    @blueprint.response(200, RefSchema(many=True))
    def list_all():
        return reader()

    @blueprint.post("", endpoint=f"create_{kind}")
    @permission_required("catalog.write")
    @blueprint.arguments(NamedInputSchema)
    @blueprint.response(201, RefSchema)
    def create(body: dict):
        return taxonomy.save_named(model, None, body)

    @blueprint.patch("/<int:item_id>", endpoint=f"update_{kind}")
    @permission_required("catalog.write")
    @blueprint.arguments(NamedInputSchema)
    @blueprint.response(200, RefSchema)
    def update(body: dict, item_id: int):
        return taxonomy.save_named(model, taxonomy.get_or_404(model, item_id), body)

    @blueprint.delete("/<int:item_id>", endpoint=f"delete_{kind}")
    @permission_required("catalog.write")
    @blueprint.response(204)
    def remove(item_id: int):
        taxonomy.delete_named(taxonomy.get_or_404(model, item_id))
        return Response(status=204)


_named_endpoints(brands_bp, Brand, reading.brands)
_named_endpoints(materials_bp, Material, reading.materials)


# --- search, offers, favorites -----------------------------------------------------------------


@search_bp.get("")
@search_bp.arguments(CatalogQuerySchema, location="query")
@search_bp.response(200, SearchResultSchema)
def search(query: dict):
    """Products and packages matching ``q`` (first page of each)."""
    if not (query.get("q") or "").strip():
        error = BadRequest("Say what to look for with ?q=.")
        error.data = {"messages": {"query": {"q": ["Missing search text."]}}}
        raise error
    filters = filters_from(query)
    return {
        "products": listing.list_items("product", filters, query["limit"]).items,
        "packages": listing.list_items("package", filters, query["limit"]).items,
    }


@offers_bp.post("")
@permission_required("catalog.write")
@offers_bp.arguments(OfferInputSchema)
@offers_bp.response(201, OfferSchema)
def create_offer(body: dict):
    return save_offer(None, body)


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
    kind = "product" if body.get("product_id") else "package"
    favorites.add_favorite(require_api_user().id, kind, body[f"{kind}_id"])
    return body


@favorites_bp.delete("")
@favorites_bp.arguments(FavoriteQuerySchema, location="query")
@favorites_bp.response(204)
def remove_favorite(query: dict):
    kind = "product" if query.get("product_id") else "package"
    favorites.remove_favorite(require_api_user().id, kind, query[f"{kind}_id"])
    return Response(status=204)
