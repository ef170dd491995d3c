"""Shoppers' pictures for ``image`` options: validated by content, re-encoded, stored privately."""

from __future__ import annotations

import secrets
import time

from flask import current_app
from limits import parse
from sqlalchemy import select

from fantasize.accounts.models import User
from fantasize.customization.models import CustomerUpload
from fantasize.errors import AppError, NotFound
from fantasize.extensions import db, limiter
from fantasize.media.images import CUSTOMER_PHOTO, clean_image, max_upload_bytes
from fantasize.media.storage import save_for_transaction


class TooManyUploads(AppError):
    status = 429
    code = "rate_limited"


def _check_quota(user: User) -> None:
    """``RATE_LIMIT_UPLOADS`` per user, whichever page or endpoint the picture comes through."""
    if not current_app.config.get("RATELIMIT_ENABLED", True):
        return
    limit = parse(current_app.config["RATE_LIMIT_UPLOADS"])
    if not limiter.limiter.hit(limit, "customer-uploads", user.id):
        reset_at, _ = limiter.limiter.get_window_stats(limit, "customer-uploads", user.id)
        raise TooManyUploads(
            f"You have uploaded many pictures recently (limit: {limit}); try again later.",
            {"file": ["Upload limit reached."]},
            headers={"Retry-After": str(max(1, int(reset_at - time.time()) + 1))},
        )


def store_upload(user: User, raw: bytes) -> CustomerUpload:
    _check_quota(user)
    image = clean_image(raw, max_bytes=max_upload_bytes(), field="file", purpose=CUSTOMER_PHOTO)
    path = save_for_transaction("customer", image.data, image.extension)  # removed again on rollback
    upload = CustomerUpload(
        token=secrets.token_urlsafe(24),
        user_id=user.id,
        path=path,
        content_type=image.content_type,
        width=image.width,
        height=image.height,
        size_bytes=len(image.data),
    )
    db.session.add(upload)
    db.session.flush()
    return upload


def upload_for_viewer(token: str, viewer: User | None, *, reviewer: bool = False) -> CustomerUpload:
    """The picture, if ``viewer`` owns it or is a ``reviewer`` (holds ``orders.manage``); "not found" otherwise."""
    upload = db.session.scalar(select(CustomerUpload).where(CustomerUpload.token == token))
    if upload is None or viewer is None or not (viewer.id == upload.user_id or reviewer):
        raise NotFound("No such picture.")
    return upload
