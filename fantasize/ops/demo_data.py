"""The demo catalogue loaded by ``flask --app wsgi seed-demo`` (idempotent)."""

from __future__ import annotations

from decimal import Decimal

from slugify import slugify
from sqlalchemy import select

from fantasize.catalog.models import Brand, Category, Product
from fantasize.extensions import db

CATEGORIES: dict[str, dict[str, list[tuple[str, str, str, int, str]]]] = {
    # category -> subcategory -> [(product, brand, price, stock, description)]
    "Home & Kitchen": {
        "Mugs": [
            (
                "Engraved Ceramic Mug",
                "Clay & Co",
                "14.90",
                40,
                "A glazed 330 ml mug with your name or message engraved.",
            ),
            (
                "Colour-Change Photo Mug",
                "Clay & Co",
                "18.50",
                25,
                "Turns from black to your photo when filled with something hot.",
            ),
            (
                "Enamel Camp Mug",
                "Northbound",
                "16.00",
                30,
                "Speckled enamel mug for the outdoors, with a short engraving.",
            ),
        ],
        "Cutting Boards": [
            (
                "Walnut Cutting Board",
                "Oak & Iron",
                "39.00",
                12,
                "Solid walnut board laser-engraved with a family name.",
            ),
            (
                "Bamboo Recipe Board",
                "Oak & Iron",
                "29.00",
                18,
                "Bamboo serving board engraved with a handwritten recipe.",
            ),
        ],
        "Candles": [
            ("Soy Candle with Label", "Lumen", "22.00", 35, "Hand-poured soy candle with a personalised label."),
            ("Concrete Candle Holder", "Lumen", "19.90", 20, "Minimal concrete holder stamped with initials."),
        ],
    },
    "Jewellery": {
        "Bracelets": [
            (
                "Silver Bar Bracelet",
                "Aurum Atelier",
                "49.00",
                15,
                "Sterling silver bar with up to 20 engraved characters.",
            ),
            ("Leather Wrap Bracelet", "Aurum Atelier", "34.00", 22, "Braided leather with an engraved steel clasp."),
            ("Birthstone Charm Bracelet", "Aurum Atelier", "59.00", 8, "Pick a birthstone colour for each charm."),
        ],
        "Necklaces": [
            ("Initial Pendant Necklace", "Aurum Atelier", "45.00", 18, "Gold-plated initial on a fine chain."),
            (
                "Coordinates Necklace",
                "Aurum Atelier",
                "52.00",
                10,
                "The coordinates of a place that matters, engraved.",
            ),
        ],
    },
    "Photo Gifts": {
        "Frames": [
            ("Oak Photo Frame", "Oak & Iron", "27.50", 30, "Solid oak frame with an engraved caption."),
            ("Glass Block Photo", "Lumen", "44.00", 9, "Your photo printed inside a polished glass block."),
            ("Collage Frame, 6 Photos", "Oak & Iron", "36.00", 14, "Six openings for a story told in photos."),
        ],
        "Prints & Puzzles": [
            ("Photo Puzzle, 500 Pieces", "Playwell", "29.90", 26, "Your photo as a 500-piece jigsaw in a gift tin."),
            ("Star Map Print", "Northbound", "34.00", 40, "The night sky of a date and place you choose."),
            ("Canvas Print", "Northbound", "49.00", 16, "Gallery-wrapped canvas of your favourite photo."),
        ],
    },
    "Kids & Baby": {
        "Toys": [
            ("Wooden Name Puzzle", "Playwell", "24.00", 21, "A child's name in bright wooden letters."),
            ("Plush Bear with Name", "Playwell", "26.00", 0, "Soft bear wearing a scarf embroidered with a name."),
        ],
        "Keepsakes": [
            ("Baby Milestone Cards", "Playwell", "18.00", 33, "Illustrated milestone cards with the baby's name."),
            ("Engraved Keepsake Box", "Oak & Iron", "32.00", 11, "A wooden box for first curls and hospital bands."),
        ],
    },
}


def _get_or_create(model: type, slug: str, **fields: object) -> object:
    instance = db.session.scalar(select(model).where(model.slug == slug))
    if instance is None:
        instance = model(slug=slug, **fields)
        db.session.add(instance)
        db.session.flush()
    return instance


def seed_demo_catalog() -> int:
    """Create the demo categories, brands and products that are missing; return how many products were added."""
    added = 0
    for position, (category_name, subcategories) in enumerate(CATEGORIES.items()):
        category = _get_or_create(Category, slugify(category_name), name=category_name, position=position)
        for sub_position, (sub_name, products) in enumerate(subcategories.items()):
            subcategory = _get_or_create(
                Category, slugify(sub_name), name=sub_name, parent_id=category.id, position=sub_position
            )
            for name, brand_name, price, stock, description in products:
                brand = _get_or_create(Brand, slugify(brand_name), name=brand_name)
                slug = slugify(name)
                if db.session.scalar(select(Product.id).where(Product.slug == slug)) is not None:
                    continue
                db.session.add(
                    Product(
                        name=name,
                        slug=slug,
                        description=description,
                        price=Decimal(price),
                        stock=stock,
                        subcategory_id=subcategory.id,
                        brand_id=brand.id,
                    )
                )
                added += 1
    db.session.flush()
    return added


# Well-known demo credentials for `make run` on a developer's machine; never used in production.
DEMO_ACCOUNTS = [
    ("admin@fantasize.test", "demo-admin-orchid-42", "admin"),
    ("manager@fantasize.test", "demo-manager-tulip-42", "manager"),
    ("shopper@fantasize.test", "demo-shopper-poppy-42", "customer"),
]


def seed_demo_accounts() -> int:
    """Create the demo accounts that are missing; return how many were created."""
    from fantasize.accounts.services import find_user_by_email, register_user

    created = 0
    for email, password, role in DEMO_ACCOUNTS:
        if find_user_by_email(email) is None:
            register_user(email, password, email.split("@")[0].capitalize(), role)
            created += 1
    return created
