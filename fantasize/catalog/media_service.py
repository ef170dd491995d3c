"""Pictures of products and packages: validated, re-encoded, thumbnailed, stored under random names."""

from __future__ import annotations

import io

from PIL import Image
from sqlalchemy import func, select

from fantasize.catalog import sellables
from fantasize.catalog.cache import invalidate_catalog
from fantasize.catalog.models import Media, Package, Product
from fantasize.errors import NotFound
from fantasize.extensions import db
from fantasize.media.images import PRODUCT_MEDIA, CleanImage, clean_image, max_upload_bytes
from fantasize.media.storage import delete_after_commit, save_for_transaction

THUMB_SIDE = 480


def _thumbnail(image: CleanImage) -> bytes:
    with Image.open(io.BytesIO(image.data)) as source:
        source.thumbnail((THUMB_SIDE, THUMB_SIDE))
        out = io.BytesIO()
        source.save(out, format=image.format, **({"quality": 82} if image.format != "PNG" else {}))
        return out.getvalue()


def add_media(item: Product | Package, raw: bytes, alt_text: str = "") -> Media:
    image = clean_image(raw, max_bytes=max_upload_bytes(), field="file", purpose=PRODUCT_MEDIA)
    folder = f"{item.kind}s"
    path = save_for_transaction(folder, image.data, image.extension)
    thumb_path = save_for_transaction(folder, _thumbnail(image), image.extension)
    owner_column = sellables.owner(Media, item.kind)
    position = db.session.scalar(select(func.count(Media.id)).where(owner_column == item.id)) or 0
    media = Media(
        **sellables.owner_values(item.kind, item.id),
        path=path,
        thumb_path=thumb_path,
        alt_text=(alt_text or item.name)[:200],
        width=image.width,
        height=image.height,
        position=position,
        is_primary=position == 0,
    )
    db.session.add(media)
    if position == 0:
        item.image_path = thumb_path
    db.session.flush()
    invalidate_catalog()
    return media


def delete_media(item: Product | Package, media_id: int) -> None:
    owner_column = sellables.owner(Media, item.kind)
    media = db.session.scalar(select(Media).where(Media.id == media_id, owner_column == item.id))
    if media is None:
        raise NotFound("No such picture.")
    db.session.delete(media)
    db.session.flush()
    delete_after_commit(media.path)
    delete_after_commit(media.thumb_path)
    rest = list(db.session.scalars(select(Media).where(owner_column == item.id).order_by(Media.position)))
    for position, row in enumerate(rest):
        row.position, row.is_primary = position, position == 0
    item.image_path = rest[0].thumb_path if rest else None
    db.session.flush()
    invalidate_catalog()
