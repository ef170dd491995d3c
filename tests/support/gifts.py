"""A customizable mug (a colour, an engraving preset, a photo option) and test pictures, for any test package."""

import io

import pytest
from PIL import Image

from fantasize.customization import services
from fantasize.extensions import db
from tests.factories import ProductFactory


@pytest.fixture
def mug():
    product = ProductFactory(name="Custom Mug", price="15.00", stock=20)
    colour = services.create_option(
        product,
        {
            "name": "Colour",
            "type": "button",
            "required": True,
            "choices": [
                {"value": "white", "label": "White", "swatch": "#ffffff"},
                {"value": "black", "label": "Black", "price_delta": "2.00", "swatch": "#222222"},
            ],
        },
    )
    preset = services.save_preset(None, {"name": "Engraving"})
    engraving = services.create_option(
        preset, {"name": "Engraving", "type": "text", "price_delta": "5.00", "max_length": 12, "charset": "basic"}
    )
    services.attach_preset(preset, "product", product.id)
    photo = services.create_option(
        product, {"name": "Photo", "type": "image", "special": True, "min_width": 300, "min_height": 200}
    )
    db.session.commit()
    return {"product": product, "colour": colour, "engraving": engraving, "photo": photo, "preset": preset}


def image_bytes(size=(640, 480), fmt="PNG", colour=(20, 120, 200)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, format=fmt)
    return out.getvalue()
