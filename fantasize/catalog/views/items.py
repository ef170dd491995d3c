"""Product and package pages, reviews and favorites (storefront)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.wrappers import Response
from flask_login import current_user

from fantasize.accounts.permissions import login_required
from fantasize.api.pagination import decode_cursor, encode_cursor
from fantasize.catalog import favorites, reading, reviews
from fantasize.catalog.forms import ReviewForm
from fantasize.catalog.item_page import chosen_values, preview_context, render_item_page
from fantasize.customization.preview import preview_item
from fantasize.extensions import limiter
from fantasize.web.htmx import partial_or_redirect
from fantasize.web.transactions import run_form

bp = Blueprint("catalog_items", __name__)
KINDS = ("product", "package")


def _item_page(kind: str, slug: str, form: ReviewForm | None = None, status: int = 200) -> tuple[str, int]:
    return render_item_page(kind, slug, form=form), status


@bp.get("/products/<slug>")
def product(slug: str) -> tuple[str, int]:
    return _item_page("product", slug)


@bp.get("/packages/<slug>")
def package(slug: str) -> tuple[str, int]:
    return _item_page("package", slug)


@bp.get("/<any(products, packages):kinds>/<slug>/preview")
def preview_fragment(kinds: str, slug: str) -> tuple[str, int]:
    """htmx: the preview figure for the options chosen so far (the image itself loads from ``preview_image``)."""
    kind = kinds[:-1]
    detail = reading.get_detail(kind, slug)
    context = preview_context(kind, detail.card.id, chosen_values())
    html = render_template("catalog/_preview.html", card=detail.card, **context)
    return html, 422 if context["preview_problems"] else 200


@bp.get("/preview/<any(product, package):kind>/<int:item_id>.png")
@limiter.limit("120 per minute")
def preview_image(kind: str, item_id: int) -> Response:
    user_id = current_user.id if current_user.is_authenticated else None
    image = preview_item(kind, item_id, chosen_values(), user_id, "png")
    return Response(image, mimetype="image/png", headers={"Cache-Control": "private, max-age=300"})


@bp.post("/<any(products, packages):kinds>/<slug>/reviews")
@login_required
def add_review(kinds: str, slug: str) -> Response | tuple[str, int]:
    kind = kinds[:-1]
    detail = reading.get_detail(kind, slug)
    form = ReviewForm()
    ok, _ = run_form(
        form,
        lambda: reviews.add_review(
            current_user.id, kind, detail.card.id, int(form.rating.data), form.comment.data or ""
        ),
    )
    if ok:
        flash("Thank you for your review!", "success")
        return redirect(url_for(f"catalog_items.{kind}", slug=slug) + "#reviews", code=303)
    return _item_page(kind, slug, form, 422)


@bp.post("/favorites/<kind>/<int:item_id>")
@login_required
def toggle_favorite(kind: str, item_id: int) -> Response | str:
    """Add or remove a favorite; htmx swaps the button, plain forms go back to the page."""
    if kind not in KINDS:
        abort(404)
    now_favorite = favorites.toggle_favorite(current_user.id, kind, item_id)
    return partial_or_redirect(
        "catalog/_favorite_button.html",
        lambda: url_for(f"catalog_items.{kind}", slug=reading.get_detail(kind, item_id).card.slug),
        kind=kind,
        item_id=item_id,
        is_favorite=now_favorite,
    )


@bp.get("/favorites")
@login_required
def favorites_page() -> str:
    cards, next_key = favorites.list_favorites(current_user.id, 24, decode_cursor(request.args.get("cursor")))
    return render_template(
        "catalog/favorites.html", items=cards, next_cursor=encode_cursor(next_key) if next_key else None
    )
