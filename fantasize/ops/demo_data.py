"""The demo catalogue loaded by ``flask --app wsgi seed-demo`` (idempotent), and synthetic bulk catalogues.

Everything is keyed on slugs, e-mails and names: running the command again only adds what is
missing. Products, packages, offers and reviews go through the catalog services (validation,
sanitizing, ratings, cache invalidation); pictures go through ``media_service.add_media`` like
uploads. The synthetic catalogue for benchmarks is bulk-inserted instead (see
:func:`seed_synthetic_products`).
"""

from __future__ import annotations

import random
import secrets
from collections.abc import Callable
from dataclasses import dataclass, fields
from datetime import timedelta
from decimal import Decimal
from typing import NamedTuple

from slugify import slugify
from sqlalchemy import exists, func, insert, select, text

from fantasize.catalog import sellables
from fantasize.catalog.cache import invalidate_catalog
from fantasize.catalog.models import (
    Brand,
    Category,
    Material,
    Media,
    Offer,
    Package,
    Product,
    ProductMaterial,
    Review,
    offer_products,
)
from fantasize.db import utcnow
from fantasize.extensions import db


class DemoProduct(NamedTuple):
    name: str
    brand: str
    price: str
    stock: int
    description: str  # sanitized again by the catalog service
    materials: tuple[tuple[str, int], ...] = ()  # (material, percentage)
    shape: str | None = None  # picture shape, when not the subcategory's


class DemoPackage(NamedTuple):
    name: str
    subcategory: str
    price: str
    stock: int
    description: str
    items: tuple[tuple[str, int], ...]  # (product name, quantity)


MATERIALS = [
    "Ceramic",
    "Enamel",
    "Walnut",
    "Oak",
    "Bamboo",
    "Sterling silver",
    "Gold plating",
    "Stainless steel",
    "Leather",
    "Soy wax",
    "Concrete",
    "Glass",
    "Cotton",
    "Paper",
    "Canvas",
]

# Picture shape per subcategory (see demo_images.SHAPES); packages are drawn as gift boxes.
SUBCATEGORY_SHAPES = {
    "Mugs": "mug",
    "Cutting Boards": "board",
    "Candles": "candle",
    "Bracelets": "bracelet",
    "Necklaces": "necklace",
    "Frames": "frame",
    "Prints & Puzzles": "puzzle",
    "Toys": "toy",
    "Keepsakes": "box",
}

P = DemoProduct
CATEGORIES: dict[str, dict[str, list[DemoProduct]]] = {
    "Home & Kitchen": {
        "Mugs": [
            P(
                "Engraved Ceramic Mug",
                "Clay & Co",
                "14.90",
                40,
                "<p>A glazed <strong>330 ml</strong> mug with your name or message engraved.</p>"
                "<ul><li>Dishwasher safe</li><li>Up to 30 characters</li></ul>",
                (("Ceramic", 100),),
            ),
            P(
                "Colour-Change Photo Mug",
                "Clay & Co",
                "18.50",
                25,
                "<p>Turns from black to <strong>your photo</strong> when filled with something hot.</p>"
                "<p>Hand wash only, to keep the colour-change coating bright.</p>",
                (("Ceramic", 100),),
            ),
            P(
                "Enamel Camp Mug",
                "Northbound",
                "16.00",
                30,
                "<p>Speckled enamel mug for the outdoors, with a short engraving.</p>"
                "<ul><li>Light and unbreakable</li><li>350 ml</li></ul>",
                (("Enamel", 70), ("Stainless steel", 30)),
            ),
            P(
                "Monogram Latte Mug",
                "Clay & Co",
                "21.00",
                28,
                "<p>A wide <strong>450 ml</strong> latte mug with a hand-drawn monogram of up to three letters.</p>",
                (("Ceramic", 100),),
            ),
        ],
        "Cutting Boards": [
            P(
                "Walnut Cutting Board",
                "Oak & Iron",
                "39.00",
                12,
                "<p>Solid <strong>walnut</strong> board laser-engraved with a family name.</p>"
                "<ul><li>40 × 25 cm</li><li>Finished with food-safe oil</li></ul>",
                (("Walnut", 100),),
            ),
            P(
                "Bamboo Recipe Board",
                "Oak & Iron",
                "29.00",
                18,
                "<p>Bamboo serving board engraved with a <strong>handwritten recipe</strong>, "
                "scanned from the card you send us.</p>",
                (("Bamboo", 100),),
            ),
            P(
                "Oak Cheese Board with Knife",
                "Oak & Iron",
                "46.00",
                10,
                "<p>An oak cheese board with a matching steel knife, both engraved.</p>"
                "<ul><li>Knife tucks into a magnetic slot</li><li>Gift box included</li></ul>",
                (("Oak", 85), ("Stainless steel", 15)),
            ),
        ],
        "Candles": [
            P(
                "Soy Candle with Label",
                "Lumen",
                "22.00",
                35,
                "<p>Hand-poured <strong>soy</strong> candle with a personalised label.</p>"
                "<ul><li>About 40 hours of burning</li><li>Amber glass jar</li></ul>",
                (("Soy wax", 80), ("Glass", 20)),
            ),
            P(
                "Concrete Candle Holder",
                "Lumen",
                "19.90",
                20,
                "<p>Minimal concrete holder stamped with initials.</p>",
                (("Concrete", 100),),
            ),
            P(
                "Scented Candle Trio",
                "Lumen",
                "34.00",
                16,
                "<p>Three small soy candles — <strong>fig, cedar and orange blossom</strong> — "
                "each with a name on the lid.</p>",
                (("Soy wax", 75), ("Glass", 25)),
            ),
        ],
    },
    "Jewellery": {
        "Bracelets": [
            P(
                "Silver Bar Bracelet",
                "Aurum Atelier",
                "49.00",
                15,
                "<p><strong>Sterling silver</strong> bar with up to 20 engraved characters.</p>"
                "<ul><li>Adjustable chain</li><li>Comes in a velvet pouch</li></ul>",
                (("Sterling silver", 100),),
            ),
            P(
                "Leather Wrap Bracelet",
                "Aurum Atelier",
                "34.00",
                22,
                "<p>Braided leather with an engraved steel clasp.</p>",
                (("Leather", 80), ("Stainless steel", 20)),
            ),
            P(
                "Birthstone Charm Bracelet",
                "Aurum Atelier",
                "59.00",
                8,
                "<p>Pick a <strong>birthstone colour</strong> for each charm, for every member of the family.</p>",
                (("Sterling silver", 90), ("Glass", 10)),
            ),
        ],
        "Necklaces": [
            P(
                "Initial Pendant Necklace",
                "Aurum Atelier",
                "45.00",
                18,
                "<p>Gold-plated initial on a fine chain.</p><ul><li>18k gold plating</li><li>45 cm chain</li></ul>",
                (("Sterling silver", 90), ("Gold plating", 10)),
            ),
            P(
                "Coordinates Necklace",
                "Aurum Atelier",
                "52.00",
                10,
                "<p>The <strong>coordinates</strong> of a place that matters, engraved on a slim bar.</p>",
                (("Sterling silver", 100),),
            ),
            P(
                "Birth Flower Locket",
                "Aurum Atelier",
                "64.00",
                7,
                "<p>A round locket with the birth flower of the month you choose, and room for two photos.</p>",
                (("Sterling silver", 85), ("Gold plating", 15)),
            ),
        ],
    },
    "Photo Gifts": {
        "Frames": [
            P(
                "Oak Photo Frame",
                "Oak & Iron",
                "27.50",
                30,
                "<p>Solid <strong>oak</strong> frame with an engraved caption.</p>"
                "<ul><li>Fits a 13 × 18 cm photo</li></ul>",
                (("Oak", 90), ("Glass", 10)),
            ),
            P(
                "Glass Block Photo",
                "Lumen",
                "44.00",
                9,
                "<p>Your photo printed inside a polished <strong>glass block</strong>.</p>",
                (("Glass", 100),),
            ),
            P(
                "Collage Frame, 6 Photos",
                "Oak & Iron",
                "36.00",
                14,
                "<p>Six openings for a story told in photos.</p>"
                "<ul><li>Walnut finish</li><li>Wall or table stand</li></ul>",
                (("Walnut", 85), ("Glass", 15)),
            ),
        ],
        "Prints & Puzzles": [
            P(
                "Photo Puzzle, 500 Pieces",
                "Playwell",
                "29.90",
                26,
                "<p>Your photo as a <strong>500-piece jigsaw</strong> in a gift tin.</p>",
                (("Paper", 100),),
            ),
            P(
                "Star Map Print",
                "Northbound",
                "34.00",
                40,
                "<p>The night sky of a <strong>date and place</strong> you choose, with a short dedication.</p>",
                (("Paper", 100),),
                "frame",
            ),
            P(
                "Canvas Print",
                "Northbound",
                "49.00",
                16,
                "<p>Gallery-wrapped canvas of your favourite photo.</p>"
                "<ul><li>40 × 30 cm</li><li>Ready to hang</li></ul>",
                (("Canvas", 80), ("Oak", 20)),
                "frame",
            ),
            P(
                "Family Tree Print",
                "Northbound",
                "39.00",
                21,
                "<p>An illustrated family tree with up to <strong>24 names</strong>, printed on cotton paper.</p>",
                (("Paper", 100),),
                "frame",
            ),
        ],
    },
    "Kids & Baby": {
        "Toys": [
            P(
                "Wooden Name Puzzle",
                "Playwell",
                "24.00",
                21,
                "<p>A child's name in bright wooden letters.</p>"
                "<ul><li>Non-toxic paints</li><li>From 18 months</li></ul>",
                (("Oak", 100),),
                "puzzle",
            ),
            P(
                "Plush Bear with Name",
                "Playwell",
                "26.00",
                0,
                "<p>Soft bear wearing a scarf <strong>embroidered with a name</strong>.</p>",
                (("Cotton", 100),),
            ),
            P(
                "Stacking Blocks with Name",
                "Playwell",
                "31.00",
                19,
                "<p>Eight bamboo blocks spelling a name, with animals on the other sides.</p>",
                (("Bamboo", 100),),
            ),
        ],
        "Keepsakes": [
            P(
                "Baby Milestone Cards",
                "Playwell",
                "18.00",
                33,
                "<p>Illustrated milestone cards with the baby's name.</p>"
                "<ul><li>30 cards</li><li>Recycled card</li></ul>",
                (("Paper", 100),),
            ),
            P(
                "Engraved Keepsake Box",
                "Oak & Iron",
                "32.00",
                11,
                "<p>A wooden box for <strong>first curls and hospital bands</strong>.</p>",
                (("Walnut", 100),),
            ),
            P(
                "Embroidered Baby Blanket",
                "Playwell",
                "38.00",
                15,
                "<p>A soft organic <strong>cotton</strong> blanket embroidered with a name and birth date.</p>",
                (("Cotton", 100),),
            ),
        ],
    },
}
del P

PACKAGES = [
    DemoPackage(
        "Coffee Lover's Box",
        "Mugs",
        "32.00",
        12,
        "<p>Everything for a slow morning: an <strong>engraved mug</strong> and a soy candle with a label.</p>"
        "<ul><li>Gift-wrapped</li><li>Personal note included</li></ul>",
        (("Engraved Ceramic Mug", 1), ("Soy Candle with Label", 1)),
    ),
    DemoPackage(
        "Cosy Evening Box",
        "Candles",
        "49.00",
        9,
        "<p>Two latte mugs and a trio of scented candles, for evenings in.</p>",
        (("Monogram Latte Mug", 2), ("Scented Candle Trio", 1)),
    ),
    DemoPackage(
        "New Baby Box",
        "Keepsakes",
        "69.00",
        8,
        "<p>Welcome a newborn with a <strong>name blanket</strong>, milestone cards and a plush bear.</p>",
        (("Embroidered Baby Blanket", 1), ("Baby Milestone Cards", 1), ("Stacking Blocks with Name", 1)),
    ),
    DemoPackage(
        "Anniversary Box",
        "Necklaces",
        "89.00",
        6,
        "<p>A coordinates necklace and an engraved oak frame for the photo of the day it all began.</p>",
        (("Coordinates Necklace", 1), ("Oak Photo Frame", 1)),
    ),
    DemoPackage(
        "Memories Box",
        "Frames",
        "72.00",
        10,
        "<p>A six-photo collage frame, a photo puzzle and a star map print of a night to remember.</p>",
        (("Collage Frame, 6 Photos", 1), ("Photo Puzzle, 500 Pieces", 1), ("Star Map Print", 1)),
    ),
]

CURRENT_OFFER = "Winter Gifting Week"
EXPIRED_OFFER = "Summer Sale"
OFFERS = [
    # (name, percent, starts in days from now, ends in days from now, product names, package names)
    (
        CURRENT_OFFER,
        "20",
        -2,
        30,
        ["Soy Candle with Label", "Silver Bar Bracelet", "Oak Photo Frame", "Star Map Print", "Enamel Camp Mug"],
        ["Coffee Lover's Box"],
    ),
    (EXPIRED_OFFER, "15", -120, -90, ["Walnut Cutting Board", "Canvas Print"], []),
]

REVIEWERS = [
    ("reviewer1@demo.example.com", "Maya"),
    ("reviewer2@demo.example.com", "Tomás"),
    ("reviewer3@demo.example.com", "Priya"),
    ("reviewer4@demo.example.com", "Jonas"),
]

REVIEWS = [
    # (reviewer index, kind, item name, rating, comment)
    (
        0,
        "product",
        "Engraved Ceramic Mug",
        5,
        "The engraving is crisp and it survived the dishwasher. My dad loves it.",
    ),
    (1, "product", "Engraved Ceramic Mug", 4, "Lovely mug, a little smaller than I expected."),
    (2, "product", "Engraved Ceramic Mug", 5, "Second one I've ordered. Arrived in two days."),
    (0, "product", "Walnut Cutting Board", 5, "Beautiful grain, the family name looks hand-carved."),
    (3, "product", "Walnut Cutting Board", 4, "Solid and heavy. Oil it before first use."),
    (1, "product", "Silver Bar Bracelet", 5, "Delicate and well made; the text is easy to read."),
    (2, "product", "Silver Bar Bracelet", 3, "Nice, but the chain tangles easily."),
    (3, "product", "Star Map Print", 5, "Gave it for our anniversary. Tears were shed (the good kind)."),
    (0, "product", "Photo Puzzle, 500 Pieces", 4, "Great print quality, pieces fit snugly. The tin is a nice touch."),
    (1, "product", "Soy Candle with Label", 5, "Smells wonderful and burns evenly."),
    (2, "product", "Plush Bear with Name", 5, "So soft! Sadly out of stock now, I wanted a second one."),
    (3, "product", "Coordinates Necklace", 4, "Subtle and meaningful. Took a week to arrive."),
    (0, "package", "Coffee Lover's Box", 5, "Perfect birthday present, beautifully wrapped."),
    (2, "package", "New Baby Box", 5, "Everything in it was lovely, especially the blanket."),
    (1, "package", "Anniversary Box", 4, "Great combination; the frame is smaller than the necklace box suggests."),
]

# Products (by position in the catalogue) that get a second, close-up picture for the gallery.
SECOND_PICTURE_EVERY = 3


@dataclass
class SeedReport:
    """What one run of the demo seed added."""

    categories: int = 0
    brands: int = 0
    materials: int = 0
    products: int = 0
    packages: int = 0
    offers: int = 0
    pictures: int = 0
    reviewers: int = 0
    reviews: int = 0

    def summary(self) -> str:
        return ", ".join(f"{getattr(self, f.name)} {f.name}" for f in fields(self))


def _get_or_create(model: type, slug: str, report: SeedReport | None = None, counter: str = "", **values: object):
    instance = db.session.scalar(select(model).where(model.slug == slug))
    if instance is None:
        instance = model(slug=slug, **values)
        db.session.add(instance)
        db.session.flush()
        if report is not None and counter:
            setattr(report, counter, getattr(report, counter) + 1)
    return instance


def _by_slug(model: type, name: str):
    return db.session.scalar(select(model).where(model.slug == slugify(name)))


def demo_products() -> list[tuple[str, str, DemoProduct]]:
    """``(category, subcategory, product)`` for every demo product, in catalogue order."""
    return [
        (category, subcategory, product)
        for category, subcategories in CATEGORIES.items()
        for subcategory, products in subcategories.items()
        for product in products
    ]


def _has_media(item: Product | Package) -> bool:
    owner = Media.product_id if isinstance(item, Product) else Media.package_id
    return db.session.scalar(select(func.count(Media.id)).where(owner == item.id)) > 0


def _add_pictures(item: Product | Package, shape: str, second: bool) -> int:
    """Generated pictures for an item without any (uploads and earlier runs are left alone)."""
    from fantasize.catalog.media_service import add_media
    from fantasize.ops.demo_images import render_picture

    if _has_media(item):
        return 0
    add_media(item, render_picture(item.name, shape), item.name)
    if second:
        add_media(item, render_picture(item.name, shape, variant=1), f"{item.name}, close-up")
    return 2 if second else 1


def seed_demo_catalog(*, pictures: bool = True) -> SeedReport:
    """Create the demo categories, brands, materials, products, packages and offers that are missing."""
    from fantasize.catalog.offers import save_offer
    from fantasize.catalog.services import create_package, create_product, update_product

    report = SeedReport()
    materials = {name: _get_or_create(Material, slugify(name), report, "materials", name=name).id for name in MATERIALS}
    now = utcnow()
    everything = demo_products()
    for index, (category_name, sub_name, demo) in enumerate(everything):
        category = _get_or_create(
            Category,
            slugify(category_name),
            report,
            "categories",
            name=category_name,
            position=list(CATEGORIES).index(category_name),
        )
        subcategory = _get_or_create(
            Category,
            slugify(sub_name),
            report,
            "categories",
            name=sub_name,
            parent_id=category.id,
            position=list(CATEGORIES[category_name]).index(sub_name),
        )
        brand = _get_or_create(Brand, slugify(demo.brand), report, "brands", name=demo.brand)
        shares = [{"material_id": materials[m], "percentage": pct} for m, pct in demo.materials]
        product = _by_slug(Product, demo.name)
        if product is None:
            product = create_product(
                {
                    "name": demo.name,
                    "description": demo.description,
                    "price": demo.price,
                    "stock": demo.stock,
                    "subcategory_id": subcategory.id,
                    "brand_id": brand.id,
                    "materials": shares,
                }
            )
            # Spread "newest" over the last weeks, the last product listed being the newest.
            product.created_at = now - timedelta(days=len(everything) - index, hours=index % 7)
            report.products += 1
        elif shares and not db.session.scalar(select(exists().where(ProductMaterial.product_id == product.id))):
            update_product(product, {"materials": shares})  # seeded by an older version, before materials
        if pictures:
            shape = demo.shape or SUBCATEGORY_SHAPES[sub_name]
            report.pictures += _add_pictures(product, shape, second=index % SECOND_PICTURE_EVERY == 0)

    for index, demo in enumerate(PACKAGES):
        package = _by_slug(Package, demo.name)
        if package is None:
            items = [{"product_id": _by_slug(Product, name).id, "quantity": qty} for name, qty in demo.items]
            package = create_package(
                {
                    "name": demo.name,
                    "description": demo.description,
                    "price": demo.price,
                    "stock": demo.stock,
                    "subcategory_id": _by_slug(Category, demo.subcategory).id,
                    "items": items,
                }
            )
            package.created_at = now - timedelta(days=len(PACKAGES) - index)
            report.packages += 1
        if pictures:
            report.pictures += _add_pictures(package, "gift", second=index < 2)

    for name, percent, starts, ends, product_names, package_names in OFFERS:
        if db.session.scalar(select(Offer.id).where(Offer.name == name)) is not None:
            continue
        save_offer(
            None,
            {
                "name": name,
                "percent": Decimal(percent),
                "starts_at": now + timedelta(days=starts),
                "ends_at": now + timedelta(days=ends),
                "active": True,
                "product_ids": [_by_slug(Product, n).id for n in product_names],
                "package_ids": [_by_slug(Package, n).id for n in package_names],
            },
        )
        report.offers += 1
    db.session.flush()
    return report


# Well-known demo credentials for `make run` on a developer's machine; never used in production.
DEMO_ACCOUNTS = [
    ("admin@demo.example.com", "demo-admin-orchid-42", "admin"),
    ("manager@demo.example.com", "demo-manager-tulip-42", "manager"),
    ("shopper@demo.example.com", "demo-shopper-poppy-42", "customer"),
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


def seed_demo_reviews(report: SeedReport | None = None) -> SeedReport:
    """Reviewer customers and their reviews (through ``add_review``, so ratings stay right).

    Reviewers get a long random password nobody knows: they exist to have written reviews.
    """
    from fantasize.accounts.services import find_user_by_email, register_user
    from fantasize.catalog.reviews import add_review

    report = report or SeedReport()
    reviewer_ids = []
    for email, username in REVIEWERS:
        user = find_user_by_email(email)
        if user is None:
            user = register_user(email, secrets.token_urlsafe(24), username)
            report.reviewers += 1
        reviewer_ids.append(user.id)
    for reviewer, kind, item_name, rating, comment in REVIEWS:
        item = _by_slug(sellables.model_of(kind), item_name)
        if item is None:
            continue
        owner = sellables.owner(Review, kind)
        already = select(Review.id).where(Review.user_id == reviewer_ids[reviewer], owner == item.id)
        if db.session.scalar(already) is not None:
            continue
        add_review(reviewer_ids[reviewer], kind, item.id, rating, comment)
        report.reviews += 1
    return report


# --- synthetic catalogues for benchmarks ------------------------------------------------------

ADJECTIVES = [
    "Rustic",
    "Engraved",
    "Personalised",
    "Minimal",
    "Vintage",
    "Handmade",
    "Classic",
    "Modern",
    "Elegant",
    "Cosy",
    "Monogrammed",
    "Hand-painted",
    "Botanical",
    "Nordic",
    "Heirloom",
    "Little",
    "Grand",
    "Midnight",
    "Sunny",
    "Coastal",
]

# subcategory -> {noun: materials that make sense for it}
SYNTHETIC_WORDS: dict[str, dict[str, tuple[str, ...]]] = {
    "Mugs": {
        "Mug": ("Ceramic", "Enamel"),
        "Travel Mug": ("Stainless steel", "Bamboo"),
        "Espresso Cup": ("Ceramic", "Glass"),
        "Tumbler": ("Glass", "Stainless steel"),
    },
    "Cutting Boards": {
        "Cutting Board": ("Walnut", "Oak", "Bamboo"),
        "Cheese Board": ("Walnut", "Oak"),
        "Serving Tray": ("Walnut", "Bamboo"),
    },
    "Candles": {
        "Candle": ("Soy wax",),
        "Candle Holder": ("Concrete", "Glass", "Oak"),
        "Tealight Set": ("Glass", "Soy wax"),
    },
    "Bracelets": {
        "Bracelet": ("Sterling silver", "Leather", "Gold plating"),
        "Bangle": ("Sterling silver", "Gold plating"),
        "Cuff": ("Leather", "Sterling silver"),
    },
    "Necklaces": {
        "Necklace": ("Sterling silver", "Gold plating"),
        "Pendant": ("Sterling silver", "Gold plating", "Glass"),
        "Locket": ("Sterling silver", "Gold plating"),
    },
    "Frames": {
        "Photo Frame": ("Oak", "Walnut", "Bamboo"),
        "Collage Frame": ("Oak", "Walnut"),
        "Picture Block": ("Glass", "Walnut"),
    },
    "Prints & Puzzles": {
        "Photo Puzzle": ("Paper", "Walnut"),
        "Star Map": ("Paper", "Canvas"),
        "Canvas Print": ("Canvas",),
        "Poster": ("Paper",),
    },
    "Toys": {
        "Name Puzzle": ("Oak", "Walnut", "Bamboo"),
        "Stacking Blocks": ("Oak", "Bamboo"),
        "Plush Toy": ("Cotton",),
        "Rocking Horse": ("Oak", "Walnut"),
    },
    "Keepsakes": {
        "Keepsake Box": ("Walnut", "Oak", "Leather"),
        "Memory Book": ("Leather", "Paper"),
        "Baby Blanket": ("Cotton",),
    },
}
NAME_WORDS = {"Gold plating": "Gold-Plated", "Stainless steel": "Steel"}  # how a material reads in a name

SYNTHETIC_DESCRIPTIONS = [
    "<p>A {adj} {noun} in {material}, personalised with a name, a date or a short message.</p>",
    "<p>Our {adj} {noun}, made to order in {material}.</p><ul><li>Gift-wrapped on request</li></ul>",
    "<p>{material_title} {noun} with a {adj} touch: add initials, a photo or a few words.</p>",
]


def seed_synthetic_products(
    target: int,
    *,
    batch_size: int = 5000,
    seed: int = 20261125,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Bulk-insert synthetic products until there are at least ``target`` products; return how many were added.

    Meant for benchmarks: no pictures, no reviews rows (ratings are set directly), one
    multi-row INSERT per batch and a commit per batch. Needs the demo catalogue first.
    """
    existing = db.session.scalar(select(func.count(Product.id))) or 0
    missing = target - existing
    if missing <= 0:
        return 0
    subcategories = dict(
        db.session.execute(
            select(Category.name, Category.id).where(Category.slug.in_([slugify(s) for s in SYNTHETIC_WORDS]))
        ).all()
    )
    if len(subcategories) != len(SYNTHETIC_WORDS):
        raise RuntimeError("Load the demo catalogue first (flask --app wsgi seed-demo).")
    brand_slugs = sorted({slugify(p.brand) for _, _, p in demo_products()})
    brand_ids = list(db.session.scalars(select(Brand.id).where(Brand.slug.in_(brand_slugs)).order_by(Brand.id)))
    material_ids = dict(db.session.execute(select(Material.name, Material.id)).all())
    offer_id = db.session.scalar(select(Offer.id).where(Offer.name == CURRENT_OFFER))
    # Numbers above the highest id are never used by an earlier run, so slugs stay unique.
    first_number = (db.session.scalar(select(func.max(Product.id))) or 0) + 1
    rng = random.Random(f"{seed}:{first_number}")  # noqa: S311 - demo data, not security
    now = utcnow()
    two_years = 730 * 24 * 3600
    names: dict[tuple[str, str, str], tuple[str, str]] = {}
    sub_names = list(SYNTHETIC_WORDS)
    nouns = {sub: list(words) for sub, words in SYNTHETIC_WORDS.items()}

    added = 0
    while added < missing:
        count = min(batch_size, missing - added)
        rows, shares, on_offer = [], [], []
        for offset in range(count):
            number = first_number + added + offset
            sub_name = rng.choice(sub_names)
            noun = rng.choice(nouns[sub_name])
            adjective, material = rng.choice(ADJECTIVES), rng.choice(SYNTHETIC_WORDS[sub_name][noun])
            key = (adjective, material, noun)
            if key not in names:
                name = f"{adjective} {NAME_WORDS.get(material, material.title())} {noun}"
                names[key] = (name, slugify(name))
            name, slug = names[key]
            reviewed = rng.random() < 0.7
            created_at = now - timedelta(seconds=rng.randrange(two_years))
            rows.append(
                {
                    "name": f"{name} {number}",
                    "slug": f"{slug}-{number}",
                    "description": rng.choice(SYNTHETIC_DESCRIPTIONS).format(
                        adj=adjective.lower(), noun=noun.lower(), material=material.lower(), material_title=material
                    ),
                    "price": Decimal(rng.randint(500, 30000)) / 100,
                    "stock": 0 if rng.random() < 0.1 else rng.randint(1, 200),
                    "active": True,
                    "rating": Decimal(rng.randint(250, 500)) / 100 if reviewed else Decimal(0),
                    "review_count": rng.randint(1, 240) if reviewed else 0,
                    "image_path": None,
                    "created_at": created_at,
                    "updated_at": created_at,
                    "deleted_at": None,
                    "subcategory_id": subcategories[sub_name],
                    "brand_id": rng.choice(brand_ids) if brand_ids else None,
                }
            )
            shares.append(material_ids.get(material) if rng.random() < 0.3 else None)
            on_offer.append(offer_id is not None and rng.random() < 0.05)
        ids = db.session.scalars(insert(Product).returning(Product.id, sort_by_parameter_order=True), rows).all()
        links = [
            {"product_id": i, "material_id": m, "percentage": Decimal(100)}
            for i, m in zip(ids, shares, strict=True)
            if m
        ]
        if links:
            db.session.execute(insert(ProductMaterial), links)
        offers = [{"offer_id": offer_id, "product_id": i} for i, flag in zip(ids, on_offer, strict=True) if flag]
        if offers:
            db.session.execute(offer_products.insert(), offers)
        invalidate_catalog()
        db.session.commit()
        added += count
        if progress is not None:
            progress(added, missing)
    if db.engine.dialect.name == "postgresql":
        # Fresh statistics, so the planner knows about the new rows right away.
        for table in ("products", "product_materials", "offer_products"):
            db.session.execute(text(f"ANALYZE {table}"))
        db.session.commit()
    return added
