"""Staff pages for packages: the list, and creating and editing one with its contents.

Pictures, inline edits and deletion of packages are shared with products (``product_views``).
"""

from __future__ import annotations

from typing import Any

from flask import render_template, request

from fantasize.admin.forms.catalog import PackageForm
from fantasize.admin.forms.choices import page_number, subcategory_choices
from fantasize.admin.views.catalog.blueprint import bp, done, staff_only
from fantasize.admin.views.catalog.sellables import edit_page, package_form, sellable_values
from fantasize.catalog import services as catalog
from fantasize.catalog.models import Package
from fantasize.catalog.staff_reads import item_counts, list_sellables, material_ids_of
from fantasize.web.transactions import run_form


@bp.get("/packages")
@staff_only
def packages() -> str:
    page = list_sellables(Package, request.args, page_number())
    return render_template(
        "admin/catalog/packages.html",
        page=page,
        counts=item_counts([p.id for p in page.rows]),
        subcategories=subcategory_choices("Any subcategory"),
    )


def _package_values(form: PackageForm, current_materials: list[int] | None = None) -> dict[str, Any]:
    items = [
        {"product_id": row.product_id.data, "quantity": 1 if row.quantity.data is None else row.quantity.data}
        for row in form.items
        if row.product_id.data is not None
    ]
    return {**sellable_values(form, current_materials), "items": items}


@bp.route("/packages/new", methods=["GET", "POST"])
@staff_only
def package_new() -> Any:
    form = package_form()
    ok, package = run_form(form, lambda: catalog.create_package(_package_values(form)))
    if ok:
        return done(f"“{package.name}” is created. You can add pictures now.", ".package_edit", item_id=package.id)
    status = 422 if form.is_submitted() else 200
    return render_template("admin/catalog/package_form.html", form=form, item=None), status


@bp.route("/packages/<int:item_id>/edit", methods=["GET", "POST"])
@staff_only
def package_edit(item_id: int) -> Any:
    package = catalog.get_package_for_staff(item_id)
    current_materials = material_ids_of(package)
    form = package_form(package, submitted=request.method == "POST")
    ok, _ = run_form(form, lambda: catalog.update_package(package, _package_values(form, current_materials)))
    if ok:
        return done(f"“{package.name}” is saved.", ".package_edit", item_id=package.id)
    return edit_page(package, form, status=422 if form.is_submitted() else 200)
