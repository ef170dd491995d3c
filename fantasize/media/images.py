"""Image checks by content (never by name or declared type), re-encoded with Pillow.

Re-encoding drops metadata (EXIF location, camera serials) and anything hidden after
the image data; a pixel cap stops decompression bombs before they are decoded.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

from PIL import Image, ImageOps, UnidentifiedImageError

from fantasize.errors import AppError, ValidationFailed

ALLOWED_FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}
EXTENSIONS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
MAX_PIXELS = 40_000_000  # 40 megapixels: far above any photo a shopper sends, far below a bomb
Image.MAX_IMAGE_PIXELS = MAX_PIXELS


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


def clean_image(
    raw: bytes, *, max_bytes: int, field: str = "file", max_side: int | None = None, max_pixels: int = MAX_PIXELS
) -> CleanImage:
    """Validate an uploaded image by its content and return a re-encoded copy without metadata."""
    if len(raw) > max_bytes:
        raise UploadTooLarge(f"The image is larger than {max_bytes // (1024 * 1024)} MB.", {field: ["File too large."]})
    try:
        with warnings.catch_warnings():
            # Pillow only warns between its limit and twice its limit; we refuse from the limit on.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            return _reencode(raw, field, max_side, max_pixels)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise _invalid(field, "The image has too many pixels.") from exc
    except (UnidentifiedImageError, OSError, SyntaxError) as exc:
        raise _invalid(field, "This file is not a JPEG, PNG or WebP image.") from exc


def _reencode(raw: bytes, field: str, max_side: int | None, max_pixels: int) -> CleanImage:
    """Check format and pixel count from the header, verify the file, then decode and save a clean copy."""
    with Image.open(io.BytesIO(raw)) as probe:
        image_format = probe.format
        width, height = probe.size
        if image_format not in ALLOWED_FORMATS:
            raise _invalid(field, "Only JPEG, PNG and WebP images are accepted.")
        if width * height > max_pixels:
            raise _invalid(field, "The image has too many pixels.")
        probe.verify()
    with Image.open(io.BytesIO(raw)) as image:
        image.load()
        image = ImageOps.exif_transpose(image)
        if max_side:
            image.thumbnail((max_side, max_side))
        if image.mode not in ("RGB", "RGBA", "L", "LA"):
            image = image.convert("RGBA" if "A" in image.getbands() else "RGB")
        if image_format == "JPEG" and image.mode != "RGB":
            image = image.convert("RGB")
        out = io.BytesIO()
        image.save(out, format=image_format, **({"quality": 88, "optimize": True} if image_format != "PNG" else {}))
        return CleanImage(out.getvalue(), image_format, image.width, image.height)
