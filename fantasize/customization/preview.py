"""Server-rendered previews: the item's picture with the chosen colour, engraving and photo applied."""

from __future__ import annotations

import io
from functools import lru_cache
from typing import TYPE_CHECKING

from PIL import Image, ImageDraw, ImageOps

from fantasize.customization.drawing import HEIGHT, WIDTH
from fantasize.customization.services import Selection
from fantasize.customization.types import OPTION_TYPES, PreviewContext
from fantasize.media.storage import storage

if TYPE_CHECKING:
    from fantasize.catalog.models import Package, Product

FORMATS = {"png": ("PNG", "image/png"), "webp": ("WEBP", "image/webp")}


@lru_cache(maxsize=64)
def _base_picture(path: str | None, mtime: float) -> Image.Image:
    """The item's picture fitted to the canvas (decoded once per file version)."""
    if path:
        with Image.open(path) as source:
            return ImageOps.fit(source.convert("RGB"), (WIDTH, HEIGHT))
    canvas = Image.new("RGB", (WIDTH, HEIGHT), (246, 232, 238))
    ImageDraw.Draw(canvas).rounded_rectangle((250, 150, 550, 450), radius=40, fill=(233, 200, 214))
    return canvas


def _base(image_key: str | None) -> Image.Image:
    if not image_key:
        return _base_picture(None, 0).copy()
    path = storage().path(image_key)
    if not path.is_file():
        return _base_picture(None, 0).copy()
    return _base_picture(str(path), path.stat().st_mtime).copy()


def render_preview(image_key: str | None, selection: Selection, context: PreviewContext, fmt: str = "png") -> bytes:
    """The item's picture with each option type's step applied, in the types' layer order."""
    canvas = _base(image_key)
    for option_type in sorted(OPTION_TYPES.values(), key=lambda t: t.preview_layer):
        chosen = [one for one in selection.chosen if one.type == option_type.name]
        if chosen:
            canvas = option_type.draw(canvas, chosen, context)
    out = io.BytesIO()
    pil_format, _ = FORMATS[fmt]
    # Speed over size: a preview is shown once; fast PNG compression keeps it under ~15 ms.
    canvas.save(
        out, format=pil_format, **({"quality": 80, "method": 0} if pil_format == "WEBP" else {"compress_level": 1})
    )
    return out.getvalue()


def preview_item(kind: str, item_id: int, raw_selection: object, user_id: str | None, fmt: str = "png") -> bytes:
    """A preview of an item with the options chosen so far.

    Validated like the cart (``ValidationFailed`` with ``customization.<option id>`` errors);
    only options not chosen yet are tolerated.
    """
    from fantasize.customization.services import find_upload, get_item, validate_selection

    item = get_item(kind, item_id, for_sale=True)
    selection = validate_selection(kind, item_id, raw_selection, user_id, partial=True)

    def upload_path(token: str) -> str | None:
        upload = find_upload(token, user_id)
        return str(storage().path(upload.path)) if upload is not None else None

    return render_preview(_full_size_key(item) or item.image_path, selection, PreviewContext(upload_path), fmt)


def _full_size_key(item: Product | Package) -> str | None:
    """The primary picture at full size (the card keeps only the thumbnail's key)."""
    from sqlalchemy import select

    from fantasize.catalog import sellables
    from fantasize.catalog.models import Media
    from fantasize.extensions import db

    owner = sellables.owner(Media, item.kind)
    return db.session.scalar(select(Media.path).where(owner == item.id, Media.is_primary.is_(True)))
