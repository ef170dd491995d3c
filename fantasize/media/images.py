"""Image checks by content (never by name or declared type), re-encoded with Pillow.

Re-encoding drops metadata (EXIF location, camera serials) and anything hidden after
the image data. Everything that bounds the cost of an upload is read from the header,
before a single pixel is decoded (``Image.open`` is lazy): the format, the pixel mode,
the dimensions (capped per purpose) and the memory the decoded bitmap would take
(``DECODE_BUDGET_BYTES``). JPEGs are decoded at a reduced scale (``draft``) when the
stored copy is much smaller, so a large camera photo costs a fraction of its pixels.
"""

from __future__ import annotations

import io
import math
import warnings
from dataclasses import dataclass

from flask import current_app
from PIL import Image, ImageOps, UnidentifiedImageError

from fantasize.errors import AppError, ValidationFailed

ALLOWED_FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}
EXTENSIONS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
MAX_PIXELS = 40_000_000  # Pillow's own bomb guard, for every image the app opens
Image.MAX_IMAGE_PIXELS = MAX_PIXELS

# 8-bit modes we decode; 16-bit colour PNGs are read as 8-bit RGB(A) by Pillow and need nothing more.
# 16-bit or floating-point grey levels ("I;16", "I", "F") would need a lossy rescale: refused.
ACCEPTED_MODES = frozenset({"1", "L", "LA", "P", "PA", "RGB", "RGBA", "CMYK", "YCbCr"})
# Modes that cannot be resized smoothly, converted before the resize (so counted twice in the budget).
_CONVERT_FIRST = {"1": "L", "P": "RGBA", "PA": "RGBA"}
# The decoded bitmap (and its converted copy, and a progressive JPEG's coefficient buffers) of one
# upload may take at most this much memory; the peak of an upload stays a small multiple of it.
DECODE_BUDGET_BYTES = 100 * 1024 * 1024
# Like ``Image.thumbnail``: decode a JPEG no smaller than twice the stored size, then resample.
REDUCING_GAP = 2


@dataclass(frozen=True)
class ImagePurpose:
    """What a picture is for: the largest one accepted, and the size of the stored copy."""

    max_side: int  # neither width nor height may exceed this
    max_megapixels: int
    stored_side: int  # the stored copy fits in a square of this side

    @property
    def max_pixels(self) -> int:
        return self.max_megapixels * 1_000_000


# A profile picture shown at 512 px: a phone photo (4,032 × 3,024) is plenty.
AVATAR = ImagePurpose(max_side=5000, max_megapixels=16, stored_side=512)
# A shopper's photo printed on a mug or a frame: a 24 MP camera photo, far from 40 MP.
CUSTOMER_PHOTO = ImagePurpose(max_side=6000, max_megapixels=24, stored_side=3000)
# Staff product and package pictures, often from a full-frame camera; stored at 1600 px.
PRODUCT_MEDIA = ImagePurpose(max_side=8000, max_megapixels=40, stored_side=1600)


class UploadTooLarge(AppError):
    status = 413
    code = "payload_too_large"


@dataclass(frozen=True)
class CleanImage:
    data: bytes
    format: str
    width: int
    height: int

    @property
    def content_type(self) -> str:
        return ALLOWED_FORMATS[self.format]

    @property
    def extension(self) -> str:
        return EXTENSIONS[self.format]


def _invalid(field: str, message: str) -> ValidationFailed:
    return ValidationFailed(message, {field: [message]})


def max_upload_bytes() -> int:
    """The largest upload accepted (``MAX_UPLOAD_MB``), in bytes."""
    return current_app.config["MAX_UPLOAD_MB"] * 1024 * 1024


def clean_image(raw: bytes, *, max_bytes: int, purpose: ImagePurpose, field: str = "file") -> CleanImage:
    """Validate an uploaded image by its content and return a re-encoded copy without metadata."""
    if len(raw) > max_bytes:
        raise UploadTooLarge(f"The image is larger than {max_bytes // (1024 * 1024)} MB.", {field: ["File too large."]})
    try:
        with warnings.catch_warnings():
            # Pillow only warns between its limit and twice its limit; we refuse from the limit on.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            return _reencode(raw, field, purpose)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise _invalid(field, "The picture has too many pixels.") from exc
    except (UnidentifiedImageError, OSError, SyntaxError) as exc:
        raise _invalid(field, "This file is not a JPEG, PNG or WebP image.") from exc


def _check_header(image: Image.Image, field: str, purpose: ImagePurpose) -> None:
    """Refuse by format, mode and dimensions, all known from the header alone."""
    if image.format not in ALLOWED_FORMATS:
        raise _invalid(field, "Only JPEG, PNG and WebP images are accepted.")
    width, height = image.size
    if width > purpose.max_side or height > purpose.max_side:
        raise _invalid(
            field,
            f"The picture has too many pixels ({width:,} × {height:,}): "
            f"at most {purpose.max_side:,} × {purpose.max_side:,} pixels.",
        )
    if width * height > purpose.max_pixels:
        raise _invalid(
            field,
            f"The picture has too many pixels ({width:,} × {height:,}, {width * height / 1e6:.1f} megapixels): "
            f"at most {purpose.max_megapixels} megapixels.",
        )
    if image.mode not in ACCEPTED_MODES:
        raise _invalid(
            field,
            "This picture uses 16-bit or floating-point grey levels; save it with 8 bits per channel "
            "(an ordinary PNG or a JPEG).",
        )


def _bytes_per_pixel(mode: str) -> int:
    """Pillow stores single-band 8-bit images in one byte per pixel, every other accepted mode in four."""
    return 1 if mode in ("1", "L", "P") else 4


def _coefficient_bytes(image: Image.Image) -> int:
    """A progressive JPEG is decoded through whole-image DCT coefficient buffers (2 bytes each), at any scale."""
    if image.format != "JPEG" or not image.info.get("progressive"):
        return 0
    width, height = image.size
    layers = getattr(image, "layer", None) or [(None, 1, 1, 0)] * len(image.getbands())
    max_h = max(layer[1] for layer in layers) or 1
    max_v = max(layer[2] for layer in layers) or 1
    blocks = sum(math.ceil(width * layer[1] / max_h) * math.ceil(height * layer[2] / max_v) for layer in layers)
    return blocks * 2


def _draft_size(size: tuple[int, int], side: int) -> tuple[int, int]:
    """The smallest decode that keeps ``REDUCING_GAP`` times the stored copy (aspect ratio kept)."""
    shrink = min(1.0, side / max(size))
    return (max(1, round(size[0] * shrink * REDUCING_GAP)), max(1, round(size[1] * shrink * REDUCING_GAP)))


def _check_decode_budget(image: Image.Image, field: str, coefficient_bytes: int) -> None:
    """Refuse a picture whose decoded bitmap (at the scale it will be decoded) would not fit the budget."""
    pixels = image.size[0] * image.size[1]
    needed = pixels * _bytes_per_pixel(image.mode) + coefficient_bytes
    if image.mode in _CONVERT_FIRST:
        needed += pixels * _bytes_per_pixel(_CONVERT_FIRST[image.mode])
    if needed > DECODE_BUDGET_BYTES:
        advice = "save it as a baseline (not progressive) JPEG" if coefficient_bytes else "save it as a JPEG"
        raise _invalid(
            field,
            f"The picture is too large to process ({needed / 2**20:,.0f} MB once decoded, at most "
            f"{DECODE_BUDGET_BYTES / 2**20:,.0f} MB): scale it down or {advice}.",
        )


def _reencode(raw: bytes, field: str, purpose: ImagePurpose) -> CleanImage:
    """Check the header, verify the file, then decode (reduced where possible), shrink and save a clean copy."""
    with Image.open(io.BytesIO(raw)) as probe:
        _check_header(probe, field, purpose)
        coefficient_bytes = _coefficient_bytes(probe)
        probe.verify()
    side = purpose.stored_side
    with Image.open(io.BytesIO(raw)) as image:
        image_format = image.format
        if image_format == "JPEG":
            image.draft(None, _draft_size(image.size, side))  # decode at 1/2, 1/4 or 1/8 scale where enough
        _check_decode_budget(image, field, coefficient_bytes)
        image.load()
        if image.mode in _CONVERT_FIRST:
            target = _CONVERT_FIRST[image.mode]
            if target == "RGBA" and image.mode == "P" and "transparency" not in image.info:
                target = "RGB"
            image = image.convert(target)
        # Shrink first, so the rotation and the conversions below work on the small copy.
        image.thumbnail((side, side))
        ImageOps.exif_transpose(image, in_place=True)
        if image.mode not in ("RGB", "RGBA", "L", "LA"):
            image = image.convert("RGBA" if "A" in image.getbands() else "RGB")
        if image_format == "JPEG" and image.mode != "RGB":
            image = image.convert("RGB")
        out = io.BytesIO()
        image.save(out, format=image_format, **({"quality": 88, "optimize": True} if image_format != "PNG" else {}))
        return CleanImage(out.getvalue(), image_format, image.width, image.height)
