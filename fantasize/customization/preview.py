"""Server-rendered previews: the item's picture with the chosen colour, engraving and photo applied."""

from __future__ import annotations

import io
from functools import lru_cache

from PIL import Image, ImageColor, ImageDraw, ImageFont, ImageOps

from fantasize.customization.services import Selection
from fantasize.media.storage import storage

WIDTH, HEIGHT = 800, 600
FORMATS = {"png": ("PNG", "image/png"), "webp": ("WEBP", "image/webp")}


@lru_cache(maxsize=8)
def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    for name in ("DejaVuSerif-Bold.ttf", "DejaVuSans-Bold.ttf"):
        try:
            return ImageFont.truetype(name, size)
        except OSError:
            continue
    return ImageFont.load_default(size=size)


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


def _tint(canvas: Image.Image, colour: str) -> Image.Image:
    overlay = Image.new("RGB", canvas.size, ImageColor.getrgb(colour))
    return Image.blend(canvas, overlay, 0.28)


def _engrave(canvas: Image.Image, text: str) -> None:
    draw = ImageDraw.Draw(canvas, "RGBA")
    size = 56 if len(text) <= 18 else max(24, int(56 * 18 / len(text)))
    font = _font(size)
    box = draw.textbbox((0, 0), text, font=font)
    width, height = box[2] - box[0], box[3] - box[1]
    # Below the centre, where product photos usually show the object rather than a caption.
    x, y = (WIDTH - width) // 2, int(HEIGHT * 0.6) - height // 2
    draw.rounded_rectangle((x - 24, y - 18, x + width + 24, y + height + 26), radius=18, fill=(255, 255, 255, 170))
    draw.text((x + 2, y + 2), text, font=font, fill=(255, 255, 255, 200))  # the engraving's highlight
    draw.text((x, y), text, font=font, fill=(70, 52, 40, 255))


def _paste_photo(canvas: Image.Image, upload_path: str) -> None:
    with Image.open(upload_path) as photo:
        framed = ImageOps.fit(photo.convert("RGB"), (260, 200))
    frame = Image.new("RGB", (280, 220), (255, 255, 255))
    frame.paste(framed, (10, 10))
    canvas.paste(frame, ((WIDTH - 280) // 2, 90))


def render_preview(
    image_key: str | None, selection: Selection, upload_paths: dict[str, str], fmt: str = "png"
) -> bytes:
    canvas = _base(image_key)
    for chosen in selection.chosen:
        if chosen.type == "button" and chosen.swatch:
            canvas = _tint(canvas, chosen.swatch)
    for chosen in selection.chosen:
        if chosen.type == "image" and chosen.value in upload_paths:
            _paste_photo(canvas, upload_paths[chosen.value])
    texts = [c.value for c in selection.chosen if c.type == "text"]
    if texts:
        _engrave(canvas, " · ".join(texts))
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
    uploads = {}
    for chosen in selection.chosen:
        if chosen.type == "image":
            upload = find_upload(chosen.value, user_id)
            if upload is not None:
                uploads[chosen.value] = str(storage().path(upload.path))
    return render_preview(_full_size_key(item) or item.image_path, selection, uploads, fmt)


def _full_size_key(item: object) -> str | None:
    """The primary picture at full size (the card keeps only the thumbnail's key)."""
    from sqlalchemy import select

    from fantasize.catalog.models import Media, Product
    from fantasize.extensions import db

    owner = Media.product_id if isinstance(item, Product) else Media.package_id
    return db.session.scalar(select(Media.path).where(owner == item.id, Media.is_primary.is_(True)))
