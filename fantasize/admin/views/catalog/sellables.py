"""What the product and package pages share: lookup, form building and the edit page.

Products and packages are both "sellables": same core fields, materials, pictures and edit
page layout. The product and package views (and the picture/inline views that serve both)
build on these helpers.
"""

from __future__ import annotations

from typing import Any

from flask import render_template, url_for
from wtforms import SelectChoice

from fantasize.admin.forms.catalog import ITEM_ROWS, MediaForm, PackageForm, ProductForm
from fantasize.admin.forms.choices import named_choices, sellable_choices, subcategory_choices
from fantasize.catalog import services as catalog
from fantasize.catalog.models import Brand, Material, Package, Product
from fantasize.catalog.staff_reads import material_ids_of, media_of, package_item_rows


def get_sellable(kinds: str, item_id: int) -> Product | Package:
    if kinds == "products":
        return catalog.get_product_for_staff(item_id)
    return catalog.get_package_for_staff(item_id)


def edit_url(item: Product | Package, anchor: str = "") -> str:
    endpoint = ".product_edit" if isinstance(item, Product) else ".package_edit"
    return url_for(endpoint, item_id=item.id) + anchor


def sellable_values(form: ProductForm | PackageForm, current_materials: list[int] | None = None) -> dict[str, Any]:
    values: dict[str, Any] = {
        "name": form.name.data or "",
        "description": form.description.data or "",
        "price": form.price.data,
        "subcategory_id": form.subcategory_id.data,
        "active": form.active.data,
    }
    if form.stock.data is not None:
        values["stock"] = form.stock.data
    chosen = list(form.material_ids.data or [])
    # Equal shares are only given when the choice changes, so shares set elsewhere (the API) survive a save.
    if set(chosen) != set(current_materials or []):
        values["material_ids"] = chosen
    return values


def _set_sellable_choices(form: ProductForm | PackageForm) -> None:
    form.subcategory_id.choices = subcategory_choices("Choose a subcategory")
    form.material_ids.choices = named_choices(Material)


def _initial(item: Product | Package) -> dict[str, Any]:
    return {
        "name": item.name,
        "description": item.description,
        "price": item.price,
        "stock": item.stock,
        "subcategory_id": item.subcategory_id,
        "active": item.active,
        "material_ids": material_ids_of(item),
    }


def product_form(product: Product | None = None, submitted: bool = True) -> ProductForm:
    """The form as posted (``submitted``), or filled from ``product`` (also when another form was posted)."""
    if product is None or submitted:
        form = ProductForm()
    else:
        form = ProductForm(formdata=None, data={**_initial(product), "brand_id": product.brand_id})
    _set_sellable_choices(form)
    form.brand_id.choices = [SelectChoice("", "No brand"), *named_choices(Brand)]
    return form


def package_form(package: Package | None = None, submitted: bool = True) -> PackageForm:
    """The form as posted (``submitted``), or filled from ``package`` (also when another form was posted)."""
    if package is None or submitted:
        form = PackageForm()
    else:
        items = package_item_rows(package)
        form = PackageForm(formdata=None, data={**_initial(package), "items": items})
        while len(form.items) < max(ITEM_ROWS, len(items) + 2):
            form.items.append_entry()
    _set_sellable_choices(form)
    products = [SelectChoice("", "—"), *sellable_choices(Product)]
    for row in form.items:
        row.product_id.choices = products
    return form


def edit_page(item: Product | Package, form: Any = None, media_form: MediaForm | None = None, status: int = 200):
    """The product or package edit page (its form, pictures and picture upload form)."""
    if isinstance(item, Product):
        template, form = "admin/catalog/product_form.html", form or product_form(item, submitted=False)
    else:
        template, form = "admin/catalog/package_form.html", form or package_form(item, submitted=False)
    media_form = media_form or MediaForm(formdata=None)
    return render_template(template, form=form, item=item, media=media_of(item), media_form=media_form), status
