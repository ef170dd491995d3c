"""Demo customization options: an engraving and a gift-wrap preset, colours for mugs, photos for frames."""

from __future__ import annotations

from sqlalchemy import select

from fantasize.catalog.models import Category, Package, Product
from fantasize.customization import services
from fantasize.customization.models import CustomizationOption, CustomizationPreset
from fantasize.extensions import db

ENGRAVING = {
    "name": "Engraving",
    "type": "text",
    "price_delta": "5.00",
    "max_length": 20,
    "charset": "basic",
    "placeholder": "e.g. Love you, Mum",
}
GIFT_WRAP = {
    "name": "Gift wrap",
    "type": "button",
    "choices": [
        {"value": "none", "label": "No wrap"},
        {"value": "red", "label": "Festive red", "price_delta": "3.00", "swatch": "#c0392b"},
        {"value": "gold", "label": "Gold foil", "price_delta": "3.50", "swatch": "#d4a017"},
        {"value": "kraft", "label": "Kraft paper", "price_delta": "2.00", "swatch": "#b08d57"},
    ],
}
MUG_COLOUR = {
    "name": "Colour",
    "type": "button",
    "required": True,
    "choices": [
        {"value": "white", "label": "White", "swatch": "#ffffff"},
        {"value": "black", "label": "Black", "price_delta": "2.00", "swatch": "#222222"},
        {"value": "rose", "label": "Rose", "price_delta": "2.00", "swatch": "#e8a0b4"},
    ],
}
PHOTO = {
    "name": "Your photo",
    "type": "image",
    "required": True,
    "special": True,  # staff check every photo before it is printed
    "min_width": 600,
    "min_height": 400,
}


def _preset(name: str, description: str, option: dict) -> CustomizationPreset:
    preset = db.session.scalar(select(CustomizationPreset).where(CustomizationPreset.name == name))
    if preset is None:
        preset = services.save_preset(None, {"name": name, "description": description})
        services.create_option(preset, option)
    return preset


def _products_in(subcategory_slugs: tuple[str, ...]) -> list[Product]:
    ids = select(Category.id).where(Category.slug.in_(subcategory_slugs))
    return list(
        db.session.scalars(select(Product).where(Product.subcategory_id.in_(ids), Product.deleted_at.is_(None)))
    )


def _own_option(item: Product, option: dict) -> None:
    exists = db.session.scalar(
        select(CustomizationOption.id).where(
            CustomizationOption.product_id == item.id, CustomizationOption.name == option["name"]
        )
    )
    if exists is None:
        services.create_option(item, option)


def seed_demo_customizations() -> None:
    engraving = _preset("Engraving", "A short engraved message", ENGRAVING)
    wrap = _preset("Gift wrap", "Wrapping paper colours", GIFT_WRAP)
    for product in _products_in(("mugs",)):
        _own_option(product, MUG_COLOUR)
        services.attach_preset(engraving, "product", product.id)
    for product in _products_in(("bracelets", "necklaces", "cutting-boards", "keepsakes")):
        services.attach_preset(engraving, "product", product.id)
    for product in _products_in(("frames", "prints-puzzles")):
        _own_option(product, PHOTO)
    for package in db.session.scalars(select(Package).where(Package.deleted_at.is_(None))):
        services.attach_preset(wrap, "package", package.id)
