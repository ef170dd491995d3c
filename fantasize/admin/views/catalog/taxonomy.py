"""Staff pages for the taxonomy: categories (two levels), brands and materials."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask.wrappers import Response

from fantasize.admin.forms.catalog import CategoryForm, NamedForm
from fantasize.admin.forms.choices import parent_choices
from fantasize.admin.views.catalog.blueprint import bp, done, staff_only
from fantasize.catalog import taxonomy
from fantasize.catalog.models import Brand, Category, Material
from fantasize.catalog.staff_reads import items_per_category, named_lists, staff_category_tree, usage_counts
from fantasize.web.transactions import attempt, run_form

NAMED = {"brands": Brand, "materials": Material}

# --- categories --------------------------------------------------------------------------------


@bp.get("/categories")
@staff_only
def categories() -> str:
    return render_template("admin/catalog/categories.html", tree=staff_category_tree(), counts=items_per_category())


def _category_form(category: Category | None = None) -> CategoryForm:
    if category is None or request.method == "POST":
        form = CategoryForm()
    else:
        fields = ("name", "parent_id", "description", "position", "active")
        form = CategoryForm(data={name: getattr(category, name) for name in fields})
    form.parent_id.choices = parent_choices(category)
    return form


def _category_values(form: CategoryForm) -> dict[str, Any]:
    return {
        "name": form.name.data or "",
        "parent_id": form.parent_id.data,
        "description": form.description.data or "",
        "active": form.active.data,
        "position": form.position.data or 0,
    }


@bp.route("/categories/new", methods=["GET", "POST"])
@bp.route("/categories/<int:category_id>/edit", methods=["GET", "POST"])
@staff_only
def category_form(category_id: int | None = None) -> Any:
    category = taxonomy.get_or_404(Category, category_id) if category_id is not None else None
    form = _category_form(category)
    ok, saved = run_form(form, lambda: taxonomy.save_category(category, _category_values(form)))
    if ok:
        return done(f"Category “{saved.name}” is saved.", ".categories")
    status = 422 if form.is_submitted() else 200
    return render_template("admin/catalog/category_form.html", form=form, category=category), status


@bp.post("/categories/<int:category_id>/delete")
@staff_only
def category_delete(category_id: int) -> Response:
    category = taxonomy.get_or_404(Category, category_id)
    name = category.name
    error = attempt(lambda: taxonomy.delete_category(category))
    if error:
        flash(f"“{name}” was not deleted: {error.message}", "error")
        return redirect(url_for(".category_form", category_id=category_id), code=303)
    return done(f"Category “{name}” is deleted.", ".categories")


# --- brands and materials ----------------------------------------------------------------------


def _named_page(errors: dict[tuple[str, str], list[str]] | None = None, submitted: str = "", status: int = 200):
    page = render_template(
        "admin/catalog/brands_materials.html",
        lists=named_lists(NAMED),
        usage=usage_counts(),
        errors=errors or {},
        submitted=submitted,
    )
    return page, status


@bp.get("/brands-and-materials")
@staff_only
def named() -> Any:
    return _named_page()


@bp.post("/brands-and-materials/<any(brands, materials):kinds>/new")
@bp.post("/brands-and-materials/<any(brands, materials):kinds>/<int:item_id>/rename")
@staff_only
def named_save(kinds: str, item_id: int | None = None) -> Any:
    model = NAMED[kinds]
    item = taxonomy.get_or_404(model, item_id) if item_id is not None else None
    form = NamedForm()
    key = (kinds, str(item_id or "new"))
    ok, saved = run_form(form, lambda: taxonomy.save_named(model, item, {"name": form.name.data}))
    if not ok:
        return _named_page({key: form.name.errors or form.form_errors}, form.name.data or "", 422)
    kind = "Brand" if model is Brand else "Material"
    return done(f"{kind} “{saved.name}” is saved.", ".named", _anchor=kinds)


@bp.post("/brands-and-materials/<any(brands, materials):kinds>/<int:item_id>/delete")
@staff_only
def named_delete(kinds: str, item_id: int) -> Response:
    item = taxonomy.get_or_404(NAMED[kinds], item_id)
    name = item.name
    error = attempt(lambda: taxonomy.delete_named(item))
    if error:
        flash(f"“{name}” was not deleted: {error.message}", "error")
        return redirect(url_for(".named", _anchor=kinds), code=303)
    flash(f"“{name}” is deleted.", "info")
    return redirect(url_for(".named", _anchor=kinds), code=303)
