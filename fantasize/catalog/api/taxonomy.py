"""The category tree and its products; brands and materials."""

from __future__ import annotations

from flask import Response

from fantasize.accounts.permissions import permission_required
from fantasize.api.envelope import ApiBlueprint, id_or_slug_parameter
from fantasize.api.fields import partial_schema
from fantasize.catalog import listing, reading, taxonomy
from fantasize.catalog.api.items import filters_from, items_page
from fantasize.catalog.models import Brand, Category, Material
from fantasize.catalog.schemas import (
    CardSchema,
    CatalogQuerySchema,
    CategoryInputSchema,
    CategoryNodeSchema,
    NamedInputSchema,
    RefSchema,
)
from fantasize.ids import id_or_slug

categories_bp = ApiBlueprint("categories", __name__, description="The category tree")
brands_bp = ApiBlueprint("brands", __name__, description="Brands")
materials_bp = ApiBlueprint("materials", __name__, description="Materials")


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
    return items_page("product", query, listing.Filters(**{**base.__dict__, **chosen}))


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
