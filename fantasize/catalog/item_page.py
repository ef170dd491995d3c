"""The product or package page, rendered for whoever needs it: the item's own route, and the cart
form when adding to the cart failed (the page again, with the errors next to the options).

A page helper shared by features, not a view: it registers no route.
"""

from __future__ import annotations

from urllib.parse import urlencode

from flask import render_template, request, url_for
from flask_login import current_user

from fantasize.catalog import favorites, reading, reviews
from fantasize.catalog.forms import ReviewForm
from fantasize.customization.services import options_for, validate_selection
from fantasize.errors import ValidationFailed


def _is_favorite(kind: str, item_id: int) -> bool:
    return current_user.is_authenticated and (kind, item_id) in favorites.favorite_ids(current_user.id)


def chosen_values() -> dict[str, str]:
    """The customization fields (``c.<option id>``) sent with this request, for previews and re-shown forms."""
    return {key[2:]: value for key, value in request.values.items() if key.startswith("c.") and value}


def preview_query(values: dict[str, str]) -> str:
    return urlencode({f"c.{key}": value for key, value in sorted(values.items())})


def preview_context(kind: str, item_id: int, values: dict[str, str]) -> dict:
    """The preview box: its picture's address, or what is wrong with the choices (as in the cart)."""
    user_id = current_user.id if current_user.is_authenticated else None
    try:
        validate_selection(kind, item_id, values, user_id, partial=True)
    except ValidationFailed as error:
        names = {str(option.id): option.name for option in options_for(kind, item_id)}
        problems = [
            f"{names.get(key.removeprefix('customization.'), 'Option')}: {' '.join(messages)}"
            for key, messages in (error.details or {}).items()
        ]
        return {"preview_src": None, "preview_problems": problems}
    src = url_for("catalog_items.preview_image", kind=kind, item_id=item_id) + "?" + preview_query(values)
    return {"preview_src": src, "preview_problems": []}


def render_item_page(
    kind: str,
    slug: str,
    *,
    form: ReviewForm | None = None,
    customization_errors: dict[str, list[str]] | None = None,
    error_message: str | None = None,
) -> str:
    detail = reading.get_detail(kind, slug)
    rows, _ = reviews.list_reviews(kind, detail.card.id, limit=20)
    already_reviewed = current_user.is_authenticated and any(r.user_id == current_user.id for r in rows)
    values = chosen_values()
    return render_template(
        f"catalog/{kind}.html",
        detail=detail,
        card=detail.card,
        reviews=rows,
        review_form=form or ReviewForm(),
        already_reviewed=already_reviewed,
        is_favorite=_is_favorite(kind, detail.card.id),
        options=options_for(kind, detail.card.id),
        values=values,
        **preview_context(kind, detail.card.id, values),
        customization_errors=customization_errors or {},
        error_message=error_message,
        quantity=request.values.get("quantity", "1"),
    )
