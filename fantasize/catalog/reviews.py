"""Reviews (one per user per item) and the ratings they add up to."""

from __future__ import annotations

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from fantasize.catalog import sellables
from fantasize.catalog.cache import invalidate_catalog
from fantasize.catalog.models import Review
from fantasize.catalog.sanitize import plain_text
from fantasize.errors import Conflict, NotFound, ValidationFailed
from fantasize.extensions import db
from fantasize.orders import purchases
from fantasize.paging import newest_first_page

MAX_COMMENT = 2000


def has_purchased(user_id: str, kind: str, item_id: int) -> bool:
    """Whether the user received the item; other reviews are shown as "not a verified purchase"."""
    return purchases.has_bought(user_id, kind, item_id)


def add_review(user_id: str, kind: str, item_id: int, rating: int, comment: str) -> Review:
    model = sellables.model_of(kind)
    # Lock the item: concurrent reviews then recompute its rating one after the other.
    item = db.session.scalar(select(model).where(model.id == item_id).with_for_update())
    if item is None or not item.active or item.deleted_at is not None:
        raise NotFound(f"No such {kind}.")
    errors: dict[str, list[str]] = {}
    if not isinstance(rating, int) or not 1 <= rating <= 5:
        errors["rating"] = ["Choose 1 to 5 stars."]
    text = plain_text(comment)
    if len(text) > MAX_COMMENT:
        errors["comment"] = [f"Keep it under {MAX_COMMENT} characters."]
    if errors:
        raise ValidationFailed("The review is not valid.", errors)
    owner = sellables.owner(Review, kind)
    if db.session.scalar(select(Review.id).where(Review.user_id == user_id, owner == item_id)) is not None:
        raise Conflict("You have already reviewed this.", {"review": ["One review per item."]})
    review = Review(
        user_id=user_id,
        rating=rating,
        comment=text,
        verified_purchase=has_purchased(user_id, kind, item_id),
        **sellables.owner_values(kind, item_id),
    )
    db.session.add(review)
    try:
        with db.session.begin_nested():
            db.session.flush()
    except IntegrityError as error:  # the same user posting twice at once
        raise Conflict("You have already reviewed this.", {"review": ["One review per item."]}) from error
    _refresh_rating(kind, item_id)
    invalidate_catalog()
    return review


def _refresh_rating(kind: str, item_id: int) -> None:
    """Recompute the average and count in one statement, so concurrent reviews stay consistent."""
    model = sellables.model_of(kind)
    owner = sellables.owner(Review, kind)
    average = select(func.coalesce(func.avg(Review.rating), 0)).where(owner == item_id).scalar_subquery()
    count = select(func.count(Review.id)).where(owner == item_id).scalar_subquery()
    db.session.execute(
        update(model).where(model.id == item_id).values(rating=func.round(average, 2), review_count=count)
    )


def list_reviews(kind: str, item_id: int, limit: int, after: list | None = None) -> tuple[list[Review], list | None]:
    owner = sellables.owner(Review, kind)
    query = select(Review).options(joinedload(Review.author)).where(owner == item_id)
    return newest_first_page(query, Review, limit, after)
