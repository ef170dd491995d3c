"""Drawing steps of a preview (Pillow only): the canvas and what the option types put on it."""

from __future__ import annotations

from functools import lru_cache

from PIL import Image, ImageColor, ImageDraw, ImageFont, ImageOps

WIDTH, HEIGHT = 800, 600


@lru_cache(maxsize=8)
def font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    for name in ("DejaVuSerif-Bold.ttf", "DejaVuSans-Bold.ttf"):
        try:
            return ImageFont.truetype(name, size)
        except OSError:
            continue
    return ImageFont.load_default(size=size)


def tint(canvas: Image.Image, colour: str) -> Image.Image:
    overlay = Image.new("RGB", canvas.size, ImageColor.getrgb(colour))
    return Image.blend(canvas, overlay, 0.28)


def engrave(canvas: Image.Image, text: str) -> None:
    draw = ImageDraw.Draw(canvas, "RGBA")
    size = 56 if len(text) <= 18 else max(24, int(56 * 18 / len(text)))
    chosen_font = font(size)
    box = draw.textbbox((0, 0), text, font=chosen_font)
    width, height = box[2] - box[0], box[3] - box[1]
    # Below the centre, where product photos usually show the object rather than a caption.
    x, y = (WIDTH - width) // 2, int(HEIGHT * 0.6) - height // 2
    draw.rounded_rectangle((x - 24, y - 18, x + width + 24, y + height + 26), radius=18, fill=(255, 255, 255, 170))
    draw.text((x + 2, y + 2), text, font=chosen_font, fill=(255, 255, 255, 200))  # the engraving's highlight
    draw.text((x, y), text, font=chosen_font, fill=(70, 52, 40, 255))


def paste_photo(canvas: Image.Image, upload_path: str) -> None:
    with Image.open(upload_path) as photo:
        framed = ImageOps.fit(photo.convert("RGB"), (260, 200))
    frame = Image.new("RGB", (280, 220), (255, 255, 255))
    frame.paste(framed, (10, 10))
    canvas.paste(frame, ((WIDTH - 280) // 2, 90))
