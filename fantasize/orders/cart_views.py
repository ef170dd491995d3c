"""Cart pages (blueprint ``orders``): add to cart (with customization and uploads), the cart with htmx updates."""

from __future__ import annotations

import secrets

from flask import Blueprint, Flask, flash, redirect, request, session, url_for
from flask.wrappers import Response
from flask_login import current_user, user_logged_in
from werkzeug.exceptions import BadRequest

from fantasize.catalog import reading
from fantasize.catalog.item_page import render_item_page
from fantasize.customization import uploads
from fantasize.errors import AppError, ValidationFailed
from fantasize.ids import parse_id
from fantasize.orders import cart
from fantasize.web.htmx import partial_or_redirect, render_page_or_partial
from fantasize.web.transactions import keep_changes, settle_failure

bp = Blueprint("orders", __name__)
GUEST_CART_KEY = "cart_key"
FIELD_PREFIX = "c."


def current_owner(create: bool = False) -> cart.CartOwner:
    if current_user.is_authenticated:
        return cart.CartOwner(user_id=current_user.id)
    if create and GUEST_CART_KEY not in session:
        session[GUEST_CART_KEY] = secrets.token_urlsafe(24)
    return cart.CartOwner(guest_key=session.get(GUEST_CART_KEY))


def selection_from_form(kind: str, item_id: int) -> dict[str, str]:
    """Read ``c.<option id>`` fields; an uploaded file for an image option is stored first and replaced by its token."""
    selection = {
        key[len(FIELD_PREFIX) :]: value for key, value in request.values.items() if key.startswith(FIELD_PREFIX)
    }
    for key, file in request.files.items():
        if not key.startswith(FIELD_PREFIX) or not file or not file.filename:
            continue
        option_id = key[len(FIELD_PREFIX) :]
        if not current_user.is_authenticated:
            raise ValidationFailed(
                "Sign in to upload a picture.", {f"customization.{option_id}": ["Sign in to upload a picture."]}
            )
        try:
            stored = uploads.store_upload(current_user._get_current_object(), file.read())
        except AppError as error:
            raise ValidationFailed(error.message, {f"customization.{option_id}": [error.message]}) from error
        selection[option_id] = stored.token
    return {key: value for key, value in selection.items() if value != ""}


@bp.post("/cart/add")
def add_to_cart() -> Response | tuple[str, int]:
    kind = request.form.get("kind", "product")
    if kind not in cart.SELLABLE_KINDS:
        raise BadRequest("Choose a product or a gift box to add.")
    try:
        item_id = parse_id(request.form.get("item_id", ""))
        quantity = int(request.form.get("quantity", "1") or 1)
        if item_id is None:
            raise ValueError("not an id")
    except ValueError:
        flash("Choose a quantity.", "error")
        return redirect(request.referrer or url_for("catalog.home"), code=303)
    detail = reading.get_detail(kind, item_id)
    try:
        selection = selection_from_form(kind, item_id)
        cart.add_item(current_owner(create=True), kind, item_id, quantity, selection)
    except AppError as error:
        keep_changes()  # keep an uploaded picture so the shopper need not upload it again
        return _item_page_with_errors(kind, detail, error), 422
    flash(f"{detail.card.name} is in your cart.", "success")
    return redirect(url_for("orders.view_cart"), code=303)


def _item_page_with_errors(kind: str, detail, error: AppError) -> str:
    field_errors = {key.removeprefix("customization."): messages for key, messages in (error.details or {}).items()}
    return render_item_page(kind, detail.card.slug, customization_errors=field_errors, error_message=error.message)


@bp.get("/cart")
def view_cart() -> Response:
    return render_page_or_partial("orders/cart.html", "orders/_cart.html", cart=cart.view_cart(current_owner()))


@bp.post("/cart/lines/<int:line_id>")
def update_line(line_id: int) -> Response:
    """Change a quantity (0 or "Remove" deletes the line); htmx gets the cart fragment, forms a redirect."""
    try:
        quantity = 0 if request.form.get("remove") else int(request.form.get("quantity", ""))
        cart.update_quantity(current_owner(), line_id, quantity)
    except ValueError:
        flash("Choose a quantity from 0 to 99.", "error")
    except AppError as error:
        settle_failure(error)
        flash(error.message, "error")
    return partial_or_redirect(
        "orders/_cart.html", url_for("orders.view_cart"), context_of=lambda: {"cart": cart.view_cart(current_owner())}
    )


def merge_on_sign_in(app: Flask, user: object) -> None:
    guest_key = session.pop(GUEST_CART_KEY, None)
    cart.merge_guest_cart(guest_key, user.id)


def init_cart(app: Flask) -> None:
    user_logged_in.connect(merge_on_sign_in, app)
