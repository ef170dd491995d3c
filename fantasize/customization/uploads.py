"""Shoppers' pictures for ``image`` options: validated by content, re-encoded, stored privately."""

from __future__ import annotations

import secrets

from flask import current_app
from sqlalchemy import select

from fantasize.accounts.models import User
from fantasize.customization.models import CustomerUpload
from fantasize.errors import NotFound
from fantasize.extensions import db
from fantasize.media.images import clean_image
from fantasize.media.storage import storage

MAX_SIDE = 3000  # plenty for printing on a mug or a frame


def store_upload(user: User, raw: bytes) -> CustomerUpload:
    max_bytes = current_app.config["MAX_UPLOAD_MB"] * 1024 * 1024
    image = clean_image(raw, max_bytes=max_bytes, field="file", max_side=MAX_SIDE)
    path = storage().save("customer", image.data, image.extension)
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


def upload_for_viewer(token: str, viewer: User | None) -> CustomerUpload:
    """The picture, if ``viewer`` owns it or is staff; "not found" for everyone else."""
    upload = db.session.scalar(select(CustomerUpload).where(CustomerUpload.token == token))
    if upload is None or viewer is None or not (viewer.id == upload.user_id or viewer.is_staff):
        raise NotFound("No such picture.")
    return upload
