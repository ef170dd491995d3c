"""Staff pages for products, plus what products and packages share: pictures, inline edits, deletion.

Thin views: a form gives the shape, the catalog services apply the rules, the view shows the
service's errors next to the fields or redirects with 303 (the request commits on the way out).
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask.wrappers import Response

from fantasize.admin.forms.catalog import MAX_INT, MediaForm
from fantasize.admin.forms.choices import page_number, subcategory_choices
from fantasize.admin.views.catalog.blueprint import bp, done, staff_only
from fantasize.admin.views.catalog.sellables import edit_page, edit_url, get_sellable, product_form, sellable_values
from fantasize.catalog import media_service
from fantasize.catalog import services as catalog
from fantasize.catalog.models import Product
from fantasize.catalog.staff_reads import list_sellables, material_ids_of
from fantasize.errors import ValidationFailed
from fantasize.media.images import max_upload_bytes
from fantasize.web.forms import safe_next_url
from fantasize.web.htmx import partial_or_redirect, wants_partial
from fantasize.web.transactions import attempt, run_form

# --- products ----------------------------------------------------------------------------------


@bp.get("/products")
@staff_only
def products() -> str:
    return render_template(
        "admin/catalog/products.html",
        page=list_sellables(Product, request.args, page_number()),
        subcategories=subcategory_choices("Any subcategory"),
    )


@bp.route("/products/new", methods=["GET", "POST"])
@staff_only
def product_new() -> Any:
    form = product_form()
    ok, product = run_form(
        form, lambda: catalog.create_product({**sellable_values(form), "brand_id": form.brand_id.data})
    )
    if ok:
        return done(f"“{product.name}” is created. You can add pictures now.", ".product_edit", item_id=product.id)
    status = 422 if form.is_submitted() else 200
    return render_template("admin/catalog/product_form.html", form=form, item=None), status


@bp.route("/products/<int:item_id>/edit", methods=["GET", "POST"])
@staff_only
def product_edit(item_id: int) -> Any:
    product = catalog.get_product_for_staff(item_id)
    current_materials = material_ids_of(product)
    form = product_form(product, submitted=request.method == "POST")
    ok, _ = run_form(
        form,
        lambda: catalog.update_product(
            product, {**sellable_values(form, current_materials), "brand_id": form.brand_id.data}
        ),
    )
    if ok:
        return done(f"“{product.name}” is saved.", ".product_edit", item_id=product.id)
    return edit_page(product, form, status=422 if form.is_submitted() else 200)


# --- inline edits (htmx components that also work as plain forms) ------------------------------

INLINE_FIELDS = {"price": "Price", "stock": "Stock", "active": "Status"}


def _parse_inline(field: str, raw: str) -> Any:
    raw = raw.strip()
    try:
        if field == "price":
            value = Decimal(raw.replace(",", "."))
            if not value.is_finite():
                raise InvalidOperation
            return value
        if field == "stock":
            value = int(raw)
            if value > MAX_INT:
                raise ValidationFailed("That number is too large.", {field: ["That number is too large."]})
            return value
    except (InvalidOperation, ValueError):
        message = "Enter a price like 19.90." if field == "price" else "Enter a whole number."
        raise ValidationFailed(message, {field: [message]}) from None
    if raw not in ("0", "1"):
        raise ValidationFailed("Choose active or inactive.", {field: ["Choose active or inactive."]})
    return raw == "1"


@bp.post("/<any(products, packages):kinds>/<int:item_id>/inline")
@staff_only
def inline_edit(kinds: str, item_id: int) -> Response:
    """Change one price, stock or status from the list; htmx gets the cell back, a plain form the list."""
    item = get_sellable(kinds, item_id)
    field, raw = request.form.get("field", ""), request.form.get("value", "")
    if field not in INLINE_FIELDS:
        abort(400)

    def save() -> None:
        value = _parse_inline(field, raw)
        if field == "stock" and isinstance(item, Product):
            catalog.set_stock(item, value)
        elif isinstance(item, Product):
            catalog.update_product(item, {field: value})
        else:
            catalog.update_package(item, {field: value})

    failure = attempt(save)
    error = " ".join(failure.details.get(field) or [failure.message]) if failure else None
    if not wants_partial():  # a plain form goes back to the list and says how it went
        if error:
            flash(f"{INLINE_FIELDS[field]} of “{item.name}” not saved: {error}", "error")
        else:
            flash(f"{INLINE_FIELDS[field]} of “{item.name}” saved.", "success")
    return partial_or_redirect(
        "admin/catalog/_inline_cell.html",
        safe_next_url(request.form.get("next"), url_for(f".{kinds}")),
        422 if error else 200,
        item=item,
        kinds=kinds,
        field=field,
        error=error,
        submitted=raw,
    )


# --- pictures and deletion (products and packages) --------------------------------------------


@bp.post("/<any(products, packages):kinds>/<int:item_id>/media")
@staff_only
def upload_media(kinds: str, item_id: int) -> Any:
    item = get_sellable(kinds, item_id)
    media_form = MediaForm()
    max_bytes = max_upload_bytes()
    ok, _ = run_form(
        media_form,
        lambda: media_service.add_media(item, media_form.file.data.read(max_bytes + 1), media_form.alt_text.data or ""),
    )
    if ok:
        flash("Picture added.", "success")
        return redirect(edit_url(item, "#pictures"), code=303)
    return edit_page(item, media_form=media_form, status=422)


@bp.post("/<any(products, packages):kinds>/<int:item_id>/media/<int:media_id>/delete")
@staff_only
def delete_media(kinds: str, item_id: int, media_id: int) -> Response:
    item = get_sellable(kinds, item_id)
    media_service.delete_media(item, media_id)
    flash("Picture removed.", "info")
    return redirect(edit_url(item, "#pictures"), code=303)


@bp.post("/<any(products, packages):kinds>/<int:item_id>/delete")
@staff_only
def delete_item(kinds: str, item_id: int) -> Response:
    item = get_sellable(kinds, item_id)
    error = attempt(lambda: catalog.delete_product(item) if isinstance(item, Product) else catalog.delete_package(item))
    if error:
        flash(error.message, "error")
        return redirect(edit_url(item), code=303)
    flash(f"“{item.name}” is removed from the shop.", "info")
    return redirect(url_for(f".{kinds}"), code=303)
