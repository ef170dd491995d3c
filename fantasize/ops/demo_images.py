"""Product-style pictures for the demo catalogue, drawn locally with Pillow (no network, no assets).

Each picture is a soft gradient in a colour derived from the item's name, a simple stylised
shape hinting at what the item is (mug, frame, bracelet, candle…) and the name in large type.
They are stored through ``media_service.add_media`` like any upload.
"""

from __future__ import annotations

import colorsys
import hashlib
import io
import textwrap
from collections.abc import Callable
from functools import cache

from PIL import Image, ImageDraw, ImageFilter, ImageFont

WIDTH, HEIGHT = 1200, 900
SHAPES = ("mug", "board", "candle", "bracelet", "necklace", "frame", "puzzle", "toy", "box", "gift")

RGB = tuple[int, int, int]
FontType = ImageFont.FreeTypeFont | ImageFont.ImageFont


@cache
def _font(size: int) -> FontType:
    try:
        return ImageFont.truetype("DejaVuSans-Bold.ttf", size)
    except OSError:
        try:
            return ImageFont.truetype("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf", size)
        except OSError:
            return ImageFont.load_default(size=size)


def _hue(name: str) -> float:
    return int(hashlib.sha256(name.encode()).hexdigest()[:8], 16) / 0xFFFFFFFF


def _colour(hue: float, lightness: float, saturation: float) -> RGB:
    red, green, blue = colorsys.hls_to_rgb(hue % 1.0, lightness, saturation)
    return round(red * 255), round(green * 255), round(blue * 255)


SMALL = 8  # the background is painted at 1/8 size and scaled up: it is smooth, and this keeps it cheap


@cache
def _masks() -> tuple[Image.Image, Image.Image]:
    """A diagonal and a radial 8-bit mask at the small size (made once, reused for every picture)."""
    size = (WIDTH // SMALL, HEIGHT // SMALL)
    corners = Image.new("L", (2, 2))
    corners.putdata([0, 110, 150, 255])
    diagonal = corners.resize(size, Image.Resampling.BILINEAR)
    radial = Image.radial_gradient("L").resize(size, Image.Resampling.BILINEAR)
    return diagonal, radial


def _background(hue: float, variant: int, shadow: tuple[int, int, int, int]) -> Image.Image:
    """Soft two-colour gradient with a light glow in the middle and a blurred floor shadow under the shape."""
    diagonal, radial = _masks()
    size = diagonal.size
    light = Image.new("RGB", size, _colour(hue, 0.93, 0.55))
    mid = Image.new("RGB", size, _colour(hue + (0.04 if variant else -0.03), 0.78, 0.45))
    glow = Image.new("RGB", size, _colour(hue, 0.97, 0.35))
    image = Image.composite(Image.composite(mid, light, diagonal), glow, radial)
    mask = Image.new("L", size, 0)
    ImageDraw.Draw(mask).ellipse(tuple(v // SMALL for v in shadow), fill=90)
    image.paste((40, 40, 50), (0, 0), mask.filter(ImageFilter.GaussianBlur(3)))
    return image.resize((WIDTH, HEIGHT), Image.Resampling.BILINEAR)


# --- shapes: each draws around (cx, cy) with a size unit u ---------------------------------


def _mug(d: ImageDraw.ImageDraw, cx: int, cy: int, u: int, main: RGB, dark: RGB, accent: RGB) -> None:
    d.ellipse(
        (cx + int(0.55 * u), cy - int(0.55 * u), cx + int(1.35 * u), cy + int(0.45 * u)), outline=dark, width=u // 6
    )
    d.rounded_rectangle((cx - u, cy - u, cx + int(0.8 * u), cy + u), radius=u // 5, fill=main, outline=dark, width=6)
    d.ellipse((cx - u, cy - u - u // 7, cx + int(0.8 * u), cy - u + u // 7), fill=dark)
    d.rounded_rectangle((cx - int(0.6 * u), cy - u // 4, cx + int(0.4 * u), cy + u // 4), radius=u // 8, fill=accent)


def _board(d: ImageDraw.ImageDraw, cx: int, cy: int, u: int, main: RGB, dark: RGB, accent: RGB) -> None:
    d.rounded_rectangle(
        (cx - int(1.4 * u), cy - int(0.8 * u), cx + int(1.1 * u), cy + int(0.8 * u)),
        radius=u // 3,
        fill=main,
        outline=dark,
        width=6,
    )
    d.rounded_rectangle(
        (cx + int(1.0 * u), cy - u // 4, cx + int(1.7 * u), cy + u // 4),
        radius=u // 4,
        fill=main,
        outline=dark,
        width=6,
    )
    d.ellipse((cx + int(1.35 * u), cy - u // 10, cx + int(1.55 * u), cy + u // 10), fill=dark)
    for offset in (-0.45, 0.0, 0.45):
        y = cy + int(offset * u)
        d.line((cx - int(1.1 * u), y, cx + int(0.8 * u), y + u // 12), fill=accent, width=5)


def _candle(d: ImageDraw.ImageDraw, cx: int, cy: int, u: int, main: RGB, dark: RGB, accent: RGB) -> None:
    d.rounded_rectangle(
        (cx - int(0.8 * u), cy - int(0.7 * u), cx + int(0.8 * u), cy + int(1.1 * u)),
        radius=u // 6,
        fill=main,
        outline=dark,
        width=6,
    )
    d.ellipse(
        (cx - int(0.8 * u), cy - int(0.85 * u), cx + int(0.8 * u), cy - int(0.55 * u)),
        fill=accent,
        outline=dark,
        width=4,
    )
    d.line((cx, cy - int(0.75 * u), cx, cy - int(1.0 * u)), fill=dark, width=6)
    d.ellipse((cx - u // 6, cy - int(1.45 * u), cx + u // 6, cy - int(0.98 * u)), fill=(255, 190, 60))
    d.ellipse((cx - u // 14, cy - int(1.25 * u), cx + u // 14, cy - int(1.03 * u)), fill=(255, 240, 170))
    d.rounded_rectangle(
        (cx - int(0.55 * u), cy + u // 5, cx + int(0.55 * u), cy + int(0.65 * u)), radius=u // 10, fill=(250, 248, 240)
    )


def _bracelet(d: ImageDraw.ImageDraw, cx: int, cy: int, u: int, main: RGB, dark: RGB, accent: RGB) -> None:
    d.ellipse(
        (cx - int(1.3 * u), cy - int(0.8 * u), cx + int(1.3 * u), cy + int(0.8 * u)), outline=dark, width=u // 5 + 6
    )
    d.ellipse(
        (cx - int(1.3 * u) + 3, cy - int(0.8 * u) + 3, cx + int(1.3 * u) - 3, cy + int(0.8 * u) - 3),
        outline=main,
        width=u // 5,
    )
    d.rounded_rectangle(
        (cx - int(0.55 * u), cy + int(0.6 * u), cx + int(0.55 * u), cy + int(0.98 * u)),
        radius=u // 8,
        fill=accent,
        outline=dark,
        width=4,
    )


def _necklace(d: ImageDraw.ImageDraw, cx: int, cy: int, u: int, main: RGB, dark: RGB, accent: RGB) -> None:
    box = (cx - int(1.2 * u), cy - int(1.4 * u), cx + int(1.2 * u), cy + int(0.6 * u))
    d.arc(box, start=10, end=170, fill=dark, width=10)
    d.arc(box, start=10, end=170, fill=main, width=5)
    d.line((cx, cy + int(0.6 * u), cx, cy + int(0.78 * u)), fill=dark, width=5)
    d.ellipse(
        (cx - int(0.35 * u), cy + int(0.75 * u), cx + int(0.35 * u), cy + int(1.45 * u)),
        fill=accent,
        outline=dark,
        width=6,
    )


def _frame(d: ImageDraw.ImageDraw, cx: int, cy: int, u: int, main: RGB, dark: RGB, accent: RGB) -> None:
    d.rectangle(
        (cx - int(1.4 * u), cy - int(1.05 * u), cx + int(1.4 * u), cy + int(1.05 * u)), fill=main, outline=dark, width=6
    )
    inner = (cx - int(1.1 * u), cy - int(0.75 * u), cx + int(1.1 * u), cy + int(0.75 * u))
    d.rectangle(inner, fill=(250, 250, 246), outline=dark, width=3)
    d.polygon(
        [
            (inner[0] + 6, inner[3] - 4),
            (cx - int(0.35 * u), cy - int(0.2 * u)),
            (cx + int(0.15 * u), cy + int(0.35 * u)),
            (cx + int(0.5 * u), cy),
            (inner[2] - 6, inner[3] - 4),
        ],
        fill=accent,
    )
    d.ellipse((cx + int(0.45 * u), cy - int(0.6 * u), cx + int(0.8 * u), cy - int(0.25 * u)), fill=(255, 200, 90))


def _puzzle(d: ImageDraw.ImageDraw, cx: int, cy: int, u: int, main: RGB, dark: RGB, accent: RGB) -> None:
    half, knob = int(0.95 * u), u // 3
    top_knob = (cx - knob, cy - half - knob - knob // 2, cx + knob, cy - half + knob // 2)
    right_knob = (cx + half - knob // 2, cy - knob, cx + half + knob + knob // 2, cy + knob)
    for knob_box in (top_knob, right_knob):
        d.ellipse(knob_box, fill=main, outline=dark, width=6)
    d.rectangle((cx - half, cy - half, cx + half, cy + half), fill=main, outline=dark, width=6)
    for knob_box in (top_knob, right_knob):  # cover the outline where each knob joins the piece
        d.ellipse(tuple(v + (4 if i < 2 else -4) for i, v in enumerate(knob_box)), fill=main)
    d.rectangle((cx - half + 6, cy - half + 6, cx + half - 6, cy + half - 6), fill=main)
    d.ellipse((cx - half // 2, cy - half // 2, cx + half // 2, cy + half // 2), fill=accent, outline=dark, width=4)


def _toy(d: ImageDraw.ImageDraw, cx: int, cy: int, u: int, main: RGB, dark: RGB, accent: RGB) -> None:
    side = int(0.8 * u)
    for index, (dx, dy) in enumerate(((-0.85, 0.4), (0.05, 0.4), (-0.4, -0.45))):
        left, top = cx + int(dx * u) - side // 2 + side // 2, cy + int(dy * u) - side // 2
        fill = (main, accent, (255, 214, 102))[index]
        d.rounded_rectangle(
            (left - side // 2, top, left + side // 2, top + side), radius=side // 8, fill=fill, outline=dark, width=6
        )
        d.ellipse(
            (left - side // 5, top + side // 3, left + side // 5, top + side // 3 + 2 * side // 5),
            outline=dark,
            width=6,
        )


def _box(d: ImageDraw.ImageDraw, cx: int, cy: int, u: int, main: RGB, dark: RGB, accent: RGB) -> None:
    d.rounded_rectangle(
        (cx - int(1.3 * u), cy - int(0.4 * u), cx + int(1.3 * u), cy + int(1.0 * u)),
        radius=u // 10,
        fill=main,
        outline=dark,
        width=6,
    )
    d.rounded_rectangle(
        (cx - int(1.4 * u), cy - int(0.8 * u), cx + int(1.4 * u), cy - int(0.35 * u)),
        radius=u // 10,
        fill=accent,
        outline=dark,
        width=6,
    )
    d.rounded_rectangle(
        (cx - int(0.45 * u), cy + int(0.1 * u), cx + int(0.45 * u), cy + int(0.55 * u)),
        radius=u // 12,
        outline=dark,
        width=4,
    )


def _gift(d: ImageDraw.ImageDraw, cx: int, cy: int, u: int, main: RGB, dark: RGB, accent: RGB) -> None:
    body = (cx - int(1.2 * u), cy - int(0.35 * u), cx + int(1.2 * u), cy + int(1.05 * u))
    lid = (cx - int(1.35 * u), cy - int(0.75 * u), cx + int(1.35 * u), cy - int(0.3 * u))
    d.rectangle(body, fill=main, outline=dark, width=6)
    d.rectangle(lid, fill=main, outline=dark, width=6)
    d.rectangle((cx - u // 6, lid[1], cx + u // 6, body[3]), fill=accent, outline=dark, width=4)
    d.ellipse((cx - int(0.85 * u), cy - int(1.25 * u), cx - u // 12, cy - int(0.72 * u)), outline=accent, width=u // 7)
    d.ellipse((cx + u // 12, cy - int(1.25 * u), cx + int(0.85 * u), cy - int(0.72 * u)), outline=accent, width=u // 7)


_DRAW: dict[str, Callable[..., None]] = {
    "mug": _mug,
    "board": _board,
    "candle": _candle,
    "bracelet": _bracelet,
    "necklace": _necklace,
    "frame": _frame,
    "puzzle": _puzzle,
    "toy": _toy,
    "box": _box,
    "gift": _gift,
}


def _text_block(draw: ImageDraw.ImageDraw, text: str, top: int, colour: RGB) -> None:
    size = 64 if len(text) <= 26 else 54
    font = _font(size)
    lines = textwrap.wrap(text, width=26 if size == 64 else 32)[:2]
    y = top
    for line in lines:
        width = draw.textlength(line, font=font)
        draw.text(((WIDTH - width) / 2, y), line, font=font, fill=colour)
        y += int(size * 1.2)


def render_picture(name: str, shape: str, *, variant: int = 0, caption: str = "Personalised for you") -> bytes:
    """A 1200x900 JPEG of ``shape`` on a gradient derived from ``name``; ``variant`` 1 is a close-up."""
    if shape not in _DRAW:
        raise ValueError(f"Unknown shape {shape!r}; use one of {', '.join(SHAPES)}.")
    hue = _hue(name)
    main = _colour(hue + 0.5 if variant else hue, 0.62, 0.55)
    dark = _colour(hue, 0.25, 0.35)
    accent = _colour(hue + 0.12, 0.72, 0.7)
    unit = 190 if variant else 140
    cx, cy = WIDTH // 2 + (60 if variant else 0), (430 if variant else 340)
    shadow = (cx - int(1.6 * unit), cy + int(0.9 * unit), cx + int(1.6 * unit), cy + int(1.35 * unit))
    image = _background(hue, variant, shadow)
    draw = ImageDraw.Draw(image)
    _DRAW[shape](draw, cx, cy, unit, main, dark, accent)
    draw.text((48, 40), "Fantasize", font=_font(34), fill=dark)
    if variant:
        draw.text((48, HEIGHT - 84), caption, font=_font(36), fill=dark)
    else:
        _text_block(draw, name, 640, dark)
        draw.text((WIDTH // 2, 820), caption, font=_font(30), fill=_colour(hue, 0.4, 0.3), anchor="mm")
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=88)
    return out.getvalue()
