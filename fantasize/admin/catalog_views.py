"""Staff pages for the catalog: products, packages, pictures, categories, brands, materials, offers.

Thin views: a form gives the shape, the catalog services apply the rules, the view commits
(or rolls back and shows the service's errors next to the fields) and redirects with 303.
The read helpers at the top are the lists' queries: one query per page, soft-deleted rows
left out, subcategory and brand joined in.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from flask import Blueprint, abort, current_app, flash, make_response, redirect, render_template, request, url_for
from flask.wrappers import Response
from sqlalchemy import func, select
from sqlalchemy.orm import aliased, joinedload, selectinload
from wtforms import SelectChoice

from fantasize.accounts.permissions import permission_required
from fantasize.admin.catalog_forms import (
    ITEM_ROWS,
    MAX_INT,
    CategoryForm,
    MediaForm,
    NamedForm,
    OfferForm,
    PackageForm,
    ProductForm,
)
from fantasize.catalog import media_service, offers, taxonomy
from fantasize.catalog import services as catalog
from fantasize.catalog.models import (
    Brand,
    Category,
    Material,
    Media,
    Offer,
    Package,
    PackageItem,
    PackageMaterial,
    Product,
    ProductMaterial,
    offer_packages,
    offer_products,
)
from fantasize.errors import AppError, NotFound, ValidationFailed
from fantasize.extensions import db
from fantasize.web.forms import attach_errors, safe_next_url
from fantasize.web.htmx import is_htmx

bp = Blueprint("admin_catalog", __name__, url_prefix="/admin/catalog")
staff_only = permission_required("catalog.write")
PAGE_SIZE = 50
KINDS = {"products": Product, "packages": Package}
NAMED = {"brands": Brand, "materials": Material}

# --- read helpers ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Page:
    rows: list[Any]
    number: int
    has_next: bool


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _page_number() -> int:
    return max(1, min(request.args.get("page", 1, type=int) or 1, 100_000))


def list_sellables(model: type[Product] | type[Package], args: dict[str, str], page: int) -> Page:
    """Products or packages for the staff list: search by name, filter by status and subcategory."""
    query = select(model).where(model.deleted_at.is_(None)).options(joinedload(model.subcategory))
    if model is Product:
        query = query.options(joinedload(Product.brand))
    if args.get("q", "").strip():
        query = query.where(model.name.ilike(f"%{_escape_like(args['q'].strip())}%", escape="\\"))
    if args.get("status") in ("active", "inactive"):
        query = query.where(model.active.is_(args["status"] == "active"))
    if args.get("subcategory", "").isdigit():
        query = query.where(model.subcategory_id == int(args["subcategory"]))
    query = query.order_by(func.lower(model.name), model.id).offset((page - 1) * PAGE_SIZE).limit(PAGE_SIZE + 1)
    rows = list(db.session.scalars(query))
    return Page(rows[:PAGE_SIZE], page, len(rows) > PAGE_SIZE)


def item_counts(package_ids: list[int]) -> dict[int, int]:
    if not package_ids:
        return {}
    query = (
        select(PackageItem.package_id, func.sum(PackageItem.quantity))
        .where(PackageItem.package_id.in_(package_ids))
        .group_by(PackageItem.package_id)
    )
    return {package_id: int(total) for package_id, total in db.session.execute(query)}


def subcategory_choices(placeholder: str) -> list[SelectChoice]:
    """Every subcategory, grouped under its parent (``<optgroup>``), after a "none" option."""
    parent = aliased(Category)
    rows = db.session.execute(
        select(Category.id, Category.name, Category.active, parent.name)
        .join(parent, Category.parent_id == parent.id)
        .order_by(parent.position, func.lower(parent.name), parent.id, Category.position, func.lower(Category.name))
    )
    return [SelectChoice("", placeholder)] + [
        SelectChoice(str(cid), name if active else f"{name} (inactive)", optgroup=parent_name)
        for cid, name, active, parent_name in rows
    ]


def _named_choices(model: type[Brand] | type[Material]) -> list[SelectChoice]:
    return [
        SelectChoice(str(i), name) for i, name in db.session.execute(select(model.id, model.name).order_by(model.name))
    ]


def _sellable_choices(model: type[Product] | type[Package], keep: set[int] | None = None) -> list[SelectChoice]:
    """Items not deleted, by name; only active ones unless ``keep`` (then those too, marked inactive)."""
    query = select(model.id, model.name, model.active).where(model.deleted_at.is_(None))
    if keep is not None:
        query = query.where(model.active.is_(True) | model.id.in_(keep))
    rows = db.session.execute(query.order_by(func.lower(model.name), model.id))
    return [SelectChoice(str(i), name if active else f"{name} (inactive)") for i, name, active in rows]


def material_ids_of(item: Product | Package) -> list[int]:
    link, owner = (ProductMaterial, "product_id") if isinstance(item, Product) else (PackageMaterial, "package_id")
    return list(db.session.scalars(select(link.material_id).where(getattr(link, owner) == item.id)))


def media_of(item: Product | Package) -> list[Media]:
    owner = Media.product_id if isinstance(item, Product) else Media.package_id
    return list(db.session.scalars(select(Media).where(owner == item.id).order_by(Media.position, Media.id)))


def category_tree() -> list[tuple[Category, list[Category]]]:
    """Top-level categories with their subcategories, in shop order (one query)."""
    rows = list(db.session.scalars(select(Category).order_by(Category.position, func.lower(Category.name))))
    children: dict[int, list[Category]] = {}
    for row in rows:
        if row.parent_id is not None:
            children.setdefault(row.parent_id, []).append(row)
    return [(row, children.get(row.id, [])) for row in rows if row.parent_id is None]


def items_per_category() -> dict[int, int]:
    counts: dict[int, int] = {}
    for model in (Product, Package):
        query = (
            select(model.subcategory_id, func.count()).where(model.deleted_at.is_(None)).group_by(model.subcategory_id)
        )
        for category_id, count in db.session.execute(query):
            counts[category_id] = counts.get(category_id, 0) + count
    return counts


def usage_counts() -> dict[str, dict[int, int]]:
    """How many products use each brand, and products plus packages each material."""
    brands = select(Product.brand_id, func.count()).where(Product.deleted_at.is_(None)).group_by(Product.brand_id)
    materials: dict[int, int] = {}
    for link in (ProductMaterial, PackageMaterial):
        for material_id, count in db.session.execute(select(link.material_id, func.count()).group_by(link.material_id)):
            materials[material_id] = materials.get(material_id, 0) + count
    return {"brands": dict(db.session.execute(brands).all()), "materials": materials}


def get_offer_for_staff(offer_id: int) -> Offer:
    offer = db.session.scalar(
        select(Offer).where(Offer.id == offer_id).options(selectinload(Offer.products), selectinload(Offer.packages))
    )
    if offer is None:
        raise NotFound("No such offer.")
    return offer


def list_offers() -> list[tuple[Offer, int, int]]:
    products = select(func.count()).where(offer_products.c.offer_id == Offer.id).scalar_subquery()
    packages = select(func.count()).where(offer_packages.c.offer_id == Offer.id).scalar_subquery()
    query = select(Offer, products, packages).order_by(Offer.starts_at.desc(), Offer.id.desc())
    return [(offer, n_products, n_packages) for offer, n_products, n_packages in db.session.execute(query)]


def offer_status(offer: Offer, now: datetime) -> str:
    if now < offer.starts_at:
        return "upcoming"
    return "current" if now < offer.ends_at else "expired"


# --- shared view helpers ---------------------------------------------------------------------


def _done(message: str, endpoint: str, **values: Any) -> Response:
    db.session.commit()
    flash(message, "success")
    return redirect(url_for(endpoint, **values), code=303)


def _sellable(kinds: str, item_id: int) -> Product | Package:
    if kinds == "products":
        return catalog.get_product_for_staff(item_id)
    return catalog.get_package_for_staff(item_id)


def _edit_url(item: Product | Package, anchor: str = "") -> str:
    endpoint = ".product_edit" if isinstance(item, Product) else ".package_edit"
    return url_for(endpoint, item_id=item.id) + anchor


def _sellable_values(form: ProductForm | PackageForm, current_materials: list[int] | None = None) -> dict[str, Any]:
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
    form.material_ids.choices = _named_choices(Material)


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


def _edit_page(item: Product | Package, form: Any = None, media_form: MediaForm | None = None, status: int = 200):
    if isinstance(item, Product):
        template, form = "admin/catalog/product_form.html", form or _product_form(item, submitted=False)
    else:
        template, form = "admin/catalog/package_form.html", form or _package_form(item, submitted=False)
    media_form = media_form or MediaForm(formdata=None)
    return render_template(template, form=form, item=item, media=media_of(item), media_form=media_form), status


# --- products ----------------------------------------------------------------------------------


@bp.get("/products")
@staff_only
def products() -> str:
    return render_template(
        "admin/catalog/products.html",
        page=list_sellables(Product, request.args, _page_number()),
        subcategories=subcategory_choices("Any subcategory"),
    )


def _product_form(product: Product | None = None, submitted: bool = True) -> ProductForm:
    """The form as posted (``submitted``), or filled from ``product`` (also when another form was posted)."""
    if product is None or submitted:
        form = ProductForm()
    else:
        form = ProductForm(formdata=None, data={**_initial(product), "brand_id": product.brand_id})
    _set_sellable_choices(form)
    form.brand_id.choices = [SelectChoice("", "No brand"), *_named_choices(Brand)]
    return form


@bp.route("/products/new", methods=["GET", "POST"])
@staff_only
def product_new() -> Any:
    form = _product_form()
    if form.validate_on_submit():
        try:
            product = catalog.create_product({**_sellable_values(form), "brand_id": form.brand_id.data})
        except AppError as error:
            db.session.rollback()
            attach_errors(form, error)
        else:
            return _done(f"“{product.name}” is created. You can add pictures now.", ".product_edit", item_id=product.id)
    status = 422 if form.is_submitted() else 200
    return render_template("admin/catalog/product_form.html", form=form, item=None), status


@bp.route("/products/<int:item_id>/edit", methods=["GET", "POST"])
@staff_only
def product_edit(item_id: int) -> Any:
    product = catalog.get_product_for_staff(item_id)
    current_materials = material_ids_of(product)
    form = _product_form(product, submitted=request.method == "POST")
    if form.validate_on_submit():
        try:
            values = {**_sellable_values(form, current_materials), "brand_id": form.brand_id.data}
            catalog.update_product(product, values)
        except AppError as error:
            db.session.rollback()
            attach_errors(form, error)
        else:
            return _done(f"“{product.name}” is saved.", ".product_edit", item_id=product.id)
    return _edit_page(product, form, status=422 if form.is_submitted() else 200)


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
    item = _sellable(kinds, item_id)
    field, raw = request.form.get("field", ""), request.form.get("value", "")
    if field not in INLINE_FIELDS:
        abort(400)
    error = None
    try:
        value = _parse_inline(field, raw)
        if field == "stock" and isinstance(item, Product):
            catalog.set_stock(item, value)
        elif isinstance(item, Product):
            catalog.update_product(item, {field: value})
        else:
            catalog.update_package(item, {field: value})
    except AppError as exc:
        db.session.rollback()
        error = " ".join(exc.details.get(field) or [exc.message])
    else:
        db.session.commit()
    if is_htmx():
        html = render_template(
            "admin/catalog/_inline_cell.html", item=item, kinds=kinds, field=field, error=error, submitted=raw
        )
        response = make_response(html, 422 if error else 200)
        response.headers.add("Vary", "HX-Request")
        return response
    if error:
        flash(f"{INLINE_FIELDS[field]} of “{item.name}” not saved: {error}", "error")
    else:
        flash(f"{INLINE_FIELDS[field]} of “{item.name}” saved.", "success")
    return redirect(safe_next_url(request.form.get("next"), url_for(f".{kinds}")), code=303)


# --- pictures and deletion (products and packages) --------------------------------------------


@bp.post("/<any(products, packages):kinds>/<int:item_id>/media")
@staff_only
def upload_media(kinds: str, item_id: int) -> Any:
    item = _sellable(kinds, item_id)
    media_form = MediaForm()
    if media_form.validate_on_submit():
        max_bytes = current_app.config["MAX_UPLOAD_MB"] * 1024 * 1024
        try:
            media_service.add_media(item, media_form.file.data.read(max_bytes + 1), media_form.alt_text.data or "")
        except AppError as error:
            db.session.rollback()
            attach_errors(media_form, error)
        else:
            db.session.commit()
            flash("Picture added.", "success")
            return redirect(_edit_url(item, "#pictures"), code=303)
    return _edit_page(item, media_form=media_form, status=422)


@bp.post("/<any(products, packages):kinds>/<int:item_id>/media/<int:media_id>/delete")
@staff_only
def delete_media(kinds: str, item_id: int, media_id: int) -> Response:
    item = _sellable(kinds, item_id)
    media_service.delete_media(item, media_id)
    db.session.commit()
    flash("Picture removed.", "info")
    return redirect(_edit_url(item, "#pictures"), code=303)


@bp.post("/<any(products, packages):kinds>/<int:item_id>/delete")
@staff_only
def delete_item(kinds: str, item_id: int) -> Response:
    item = _sellable(kinds, item_id)
    try:
        if isinstance(item, Product):
            catalog.delete_product(item)
        else:
            catalog.delete_package(item)
    except AppError as error:
        db.session.rollback()
        flash(error.message, "error")
        return redirect(_edit_url(item), code=303)
    db.session.commit()
    flash(f"“{item.name}” is removed from the shop.", "info")
    return redirect(url_for(f".{kinds}"), code=303)


# --- packages ----------------------------------------------------------------------------------


@bp.get("/packages")
@staff_only
def packages() -> str:
    page = list_sellables(Package, request.args, _page_number())
    return render_template(
        "admin/catalog/packages.html",
        page=page,
        counts=item_counts([p.id for p in page.rows]),
        subcategories=subcategory_choices("Any subcategory"),
    )


def _package_form(package: Package | None = None, submitted: bool = True) -> PackageForm:
    """The form as posted (``submitted``), or filled from ``package`` (also when another form was posted)."""
    if package is None or submitted:
        form = PackageForm()
    else:
        rows = db.session.scalars(select(PackageItem).where(PackageItem.package_id == package.id))
        items = [{"product_id": row.product_id, "quantity": row.quantity} for row in rows]
        form = PackageForm(formdata=None, data={**_initial(package), "items": items})
        while len(form.items) < max(ITEM_ROWS, len(items) + 2):
            form.items.append_entry()
    _set_sellable_choices(form)
    products = [SelectChoice("", "—"), *_sellable_choices(Product)]
    for row in form.items:
        row.product_id.choices = products
    return form


def _package_values(form: PackageForm, current_materials: list[int] | None = None) -> dict[str, Any]:
    items = [
        {"product_id": row.product_id.data, "quantity": 1 if row.quantity.data is None else row.quantity.data}
        for row in form.items
        if row.product_id.data is not None
    ]
    return {**_sellable_values(form, current_materials), "items": items}


@bp.route("/packages/new", methods=["GET", "POST"])
@staff_only
def package_new() -> Any:
    form = _package_form()
    if form.validate_on_submit():
        try:
            package = catalog.create_package(_package_values(form))
        except AppError as error:
            db.session.rollback()
            attach_errors(form, error)
        else:
            return _done(f"“{package.name}” is created. You can add pictures now.", ".package_edit", item_id=package.id)
    status = 422 if form.is_submitted() else 200
    return render_template("admin/catalog/package_form.html", form=form, item=None), status


@bp.route("/packages/<int:item_id>/edit", methods=["GET", "POST"])
@staff_only
def package_edit(item_id: int) -> Any:
    package = catalog.get_package_for_staff(item_id)
    current_materials = material_ids_of(package)
    form = _package_form(package, submitted=request.method == "POST")
    if form.validate_on_submit():
        try:
            catalog.update_package(package, _package_values(form, current_materials))
        except AppError as error:
            db.session.rollback()
            attach_errors(form, error)
        else:
            return _done(f"“{package.name}” is saved.", ".package_edit", item_id=package.id)
    return _edit_page(package, form, status=422 if form.is_submitted() else 200)


# --- categories --------------------------------------------------------------------------------


@bp.get("/categories")
@staff_only
def categories() -> str:
    return render_template("admin/catalog/categories.html", tree=category_tree(), counts=items_per_category())


def _category_form(category: Category | None = None) -> CategoryForm:
    if category is None or request.method == "POST":
        form = CategoryForm()
    else:
        fields = ("name", "parent_id", "description", "position", "active")
        form = CategoryForm(data={name: getattr(category, name) for name in fields})
    top_level = select(Category.id, Category.name).where(Category.parent_id.is_(None))
    if category is not None:
        top_level = top_level.where(Category.id != category.id)
    rows = db.session.execute(top_level.order_by(Category.position, func.lower(Category.name)))
    form.parent_id.choices = [SelectChoice("", "None: a top-level category")] + [
        SelectChoice(str(cid), name) for cid, name in rows
    ]
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
    if form.validate_on_submit():
        try:
            saved = taxonomy.save_category(category, _category_values(form))
        except AppError as error:
            db.session.rollback()
            attach_errors(form, error)
        else:
            return _done(f"Category “{saved.name}” is saved.", ".categories")
    status = 422 if form.is_submitted() else 200
    return render_template("admin/catalog/category_form.html", form=form, category=category), status


@bp.post("/categories/<int:category_id>/delete")
@staff_only
def category_delete(category_id: int) -> Response:
    category = taxonomy.get_or_404(Category, category_id)
    name = category.name
    try:
        taxonomy.delete_category(category)
    except AppError as error:
        db.session.rollback()
        flash(f"“{name}” was not deleted: {error.message}", "error")
        return redirect(url_for(".category_form", category_id=category_id), code=303)
    return _done(f"Category “{name}” is deleted.", ".categories")


# --- brands and materials ----------------------------------------------------------------------


def _named_page(errors: dict[tuple[str, str], list[str]] | None = None, submitted: str = "", status: int = 200):
    lists = {
        kinds: list(db.session.scalars(select(model).order_by(func.lower(model.name))))
        for kinds, model in NAMED.items()
    }
    page = render_template(
        "admin/catalog/brands_materials.html",
        lists=lists,
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
    if not form.validate_on_submit():
        return _named_page({key: form.name.errors}, form.name.data or "", 422)
    try:
        saved = taxonomy.save_named(model, item, {"name": form.name.data})
    except AppError as error:
        db.session.rollback()
        return _named_page({key: error.details.get("name") or [error.message]}, form.name.data or "", 422)
    kind = "Brand" if model is Brand else "Material"
    return _done(f"{kind} “{saved.name}” is saved.", ".named", _anchor=kinds)


@bp.post("/brands-and-materials/<any(brands, materials):kinds>/<int:item_id>/delete")
@staff_only
def named_delete(kinds: str, item_id: int) -> Response:
    item = taxonomy.get_or_404(NAMED[kinds], item_id)
    name = item.name
    try:
        taxonomy.delete_named(item)
    except AppError as error:
        db.session.rollback()
        flash(f"“{name}” was not deleted: {error.message}", "error")
        return redirect(url_for(".named", _anchor=kinds), code=303)
    db.session.commit()
    flash(f"“{name}” is deleted.", "info")
    return redirect(url_for(".named", _anchor=kinds), code=303)


# --- offers ------------------------------------------------------------------------------------


@bp.get("/offers")
@staff_only
def offers_list() -> str:
    now = datetime.now(UTC)
    rows = [
        (offer, offer_status(offer, now), n_products, n_packages) for offer, n_products, n_packages in list_offers()
    ]
    return render_template("admin/catalog/offers.html", rows=rows)


def _naive_utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC).replace(tzinfo=None)


def _offer_form(offer: Offer | None = None) -> OfferForm:
    if offer is None or request.method == "POST":
        form = OfferForm()
    else:
        form = OfferForm(
            data={
                "name": offer.name,
                "percent": offer.percent,
                "starts_at": _naive_utc(offer.starts_at),
                "ends_at": _naive_utc(offer.ends_at),
                "product_ids": [p.id for p in offer.products],
                "package_ids": [p.id for p in offer.packages],
                "active": offer.active,
            }
        )
    chosen_products = {p.id for p in offer.products} if offer else set()
    chosen_packages = {p.id for p in offer.packages} if offer else set()
    form.product_ids.choices = _sellable_choices(Product, keep=chosen_products)
    form.package_ids.choices = _sellable_choices(Package, keep=chosen_packages)
    return form


def _offer_values(form: OfferForm) -> dict[str, Any]:
    def aware(moment: datetime | None) -> datetime | None:
        return moment.replace(tzinfo=UTC) if moment is not None else None  # the inputs are in UTC

    return {
        "name": form.name.data or "",
        "percent": form.percent.data,
        "starts_at": aware(form.starts_at.data),
        "ends_at": aware(form.ends_at.data),
        "product_ids": list(form.product_ids.data or []),
        "package_ids": list(form.package_ids.data or []),
        "active": form.active.data,
    }


@bp.route("/offers/new", methods=["GET", "POST"])
@bp.route("/offers/<int:offer_id>/edit", methods=["GET", "POST"])
@staff_only
def offer_form(offer_id: int | None = None) -> Any:
    offer = get_offer_for_staff(offer_id) if offer_id is not None else None
    form = _offer_form(offer)
    if form.validate_on_submit():
        try:
            saved = offers.save_offer(offer, _offer_values(form))
        except AppError as error:
            db.session.rollback()
            attach_errors(form, error)
        else:
            return _done(f"Offer “{saved.name}” is saved.", ".offers_list")
    status = 422 if form.is_submitted() else 200
    return render_template("admin/catalog/offer_form.html", form=form, offer=offer), status
