"""Upload limits per purpose, read from the image header before any pixel is decoded."""

import io
import struct
import zlib

import pytest
from PIL import Image, ImageFile

from fantasize.errors import ValidationFailed
from fantasize.media import images
from fantasize.media.images import AVATAR, CUSTOMER_PHOTO, PRODUCT_MEDIA, clean_image
from tests.accounts.helpers import api_login, bearer
from tests.factories import ProductFactory, UserFactory

FIVE_MB = 5 * 1024 * 1024


def flat_png(width: int, height: int, *, bit_depth: int = 8, colour_type: int = 2) -> bytes:
    """A valid PNG of one flat colour, written row by row: a few hundred KB on disk, huge once decoded."""
    channels = {0: 1, 2: 3, 4: 2, 6: 4}[colour_type]
    row = b"\x00" + bytes(width * channels * bit_depth // 8)
    compressor = zlib.compressobj(9)
    data = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    header = struct.pack(">IIBBBBB", width, height, bit_depth, colour_type, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", data) + chunk(b"IEND", b"")


def encoded(size: tuple[int, int], fmt: str) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 120, 40)).save(out, format=fmt)
    return out.getvalue()


@pytest.fixture
def decoded(monkeypatch) -> list:
    """Every pixel decode (``ImageFile.load``) made while the test runs."""
    calls = []
    original = ImageFile.ImageFile.load

    def spy(self):
        calls.append(self.size)
        return original(self)

    monkeypatch.setattr(ImageFile.ImageFile, "load", spy)
    return calls


def test_a_6300_pixel_square_customer_photo_is_refused_from_its_header(client, decoded):
    auth = bearer(api_login(client, UserFactory().email)["access_token"])
    bomb = flat_png(6300, 6300)  # 116 KB, 40 megapixels: 444 MB in the worker once decoded
    response = client.post(
        "/api/v2/uploads",
        data={"file": (io.BytesIO(bomb), "me.png")},
        headers=auth,
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    assert response.get_json()["error"]["details"]["file"] == [
        "The picture has too many pixels (6,300 × 6,300): at most 6,000 × 6,000 pixels."
    ]
    assert decoded == []


def test_the_avatar_form_says_how_large_a_picture_may_be(client, login):
    login(UserFactory())
    response = client.post(
        "/account/avatar",
        data={"avatar": (io.BytesIO(flat_png(5200, 3000)), "me.png")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    assert "at most 5,000 × 5,000 pixels" in response.get_data(as_text=True)


def test_a_16_bit_rgba_product_picture_too_large_to_decode_is_refused(client, decoded):
    staff = bearer(api_login(client, UserFactory(role="manager").email)["access_token"])
    product = ProductFactory()
    heavy = flat_png(6300, 6300, bit_depth=16, colour_type=6)  # was 595 MB in the worker
    response = client.post(
        f"/api/v2/products/{product.id}/media",
        data={"file": (io.BytesIO(heavy), "shot.png")},
        headers=staff,
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    [message] = response.get_json()["error"]["details"]["file"]
    assert message.startswith("The picture is too large to process (151 MB once decoded, at most 100 MB)")
    assert decoded == []


def test_customer_photos_have_a_smaller_pixel_cap_than_product_pictures():
    camera = flat_png(5800, 5000)  # 29 megapixels: within the sides, over the customer-photo cap
    with pytest.raises(ValidationFailed) as refused:
        clean_image(camera, max_bytes=FIVE_MB, purpose=CUSTOMER_PHOTO)
    assert refused.value.details == {
        "file": ["The picture has too many pixels (5,800 × 5,000, 29.0 megapixels): at most 24 megapixels."]
    }
    assert CUSTOMER_PHOTO.max_pixels < PRODUCT_MEDIA.max_pixels < 40_000_001
    assert AVATAR.max_pixels < CUSTOMER_PHOTO.max_pixels


def test_16_bit_grey_pictures_are_refused_with_a_reason():
    grey = flat_png(800, 600, bit_depth=16, colour_type=0)
    with pytest.raises(ValidationFailed) as refused:
        clean_image(grey, max_bytes=FIVE_MB, purpose=CUSTOMER_PHOTO, field="avatar")
    assert "16-bit" in refused.value.details["avatar"][0]


def test_a_16_bit_colour_png_is_stored_as_an_ordinary_8_bit_copy():
    image = clean_image(flat_png(1200, 900, bit_depth=16, colour_type=6), max_bytes=FIVE_MB, purpose=AVATAR)
    stored = Image.open(io.BytesIO(image.data))
    assert (stored.mode, stored.size) == ("RGBA", (512, 384))


def test_a_large_jpeg_is_decoded_at_a_reduced_scale_within_the_budget(monkeypatch, decoded):
    # 4,000 × 3,000 RGB takes 48 MB decoded; at half scale (enough for a 512 px avatar), 12 MB.
    monkeypatch.setattr(images, "DECODE_BUDGET_BYTES", 16 * 1024 * 1024)
    image = clean_image(encoded((4000, 3000), "JPEG"), max_bytes=FIVE_MB, purpose=AVATAR)
    assert (image.width, image.height) == (512, 384)
    assert decoded[0] == (2000, 1500)  # the first decode; later load() calls on the small copy
    with pytest.raises(ValidationFailed, match="too large to process"):
        clean_image(encoded((4000, 3000), "PNG"), max_bytes=FIVE_MB, purpose=AVATAR)
