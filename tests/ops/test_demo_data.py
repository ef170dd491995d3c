"""The demo catalogue (seed-demo) and the synthetic catalogue for benchmarks (seed-demo --products N)."""

from __future__ import annotations

from pathlib import Path

from flask import Flask
from PIL import Image
from sqlalchemy import func, select

from fantasize.catalog.models import Media, Offer, Package, PackageItem, Product, Review
from fantasize.catalog.pricing import active_offer_clause
from fantasize.extensions import db


def _count(model: type) -> int:
    return db.session.scalar(select(func.count()).select_from(model)) or 0


def _counts() -> dict[str, int]:
    return {model.__name__: _count(model) for model in (Product, Package, PackageItem, Offer, Review, Media)}


def _seed(app: Flask, *args: str) -> str:
    result = app.test_cli_runner().invoke(args=["seed-demo", *args])
    assert result.exit_code == 0, result.output
    return result.output


def test_seed_demo_builds_a_full_catalogue_and_a_second_run_changes_nothing(app: Flask) -> None:
    _seed(app)
    first = _counts()
    assert first["Product"] >= 25
    assert first["Package"] >= 4
    assert first["Review"] >= 10
    assert first["Media"] > first["Product"] + first["Package"]  # some items have a second picture

    output = _seed(app)
    db.session.expire_all()
    assert _counts() == first
    assert "0 products added" in output


def test_the_demo_catalogue_has_packages_offers_reviews_and_pictures(app: Flask) -> None:
    _seed(app)
    for package in db.session.scalars(select(Package)):
        items = db.session.scalars(select(PackageItem).where(PackageItem.package_id == package.id)).all()
        assert items, f"{package.name} has no items"
        assert all(item.quantity >= 1 for item in items)
    assert db.session.scalar(select(func.count(Offer.id)).where(*active_offer_clause())) >= 1

    # Reviews went through add_review, so the ratings match them.
    mug = db.session.scalar(select(Product).where(Product.slug == "engraved-ceramic-mug"))
    ratings = db.session.scalars(select(Review.rating).where(Review.product_id == mug.id)).all()
    assert mug.review_count == len(ratings) > 0
    assert float(mug.rating) == round(sum(ratings) / len(ratings), 2)

    # Pictures were stored like uploads: a re-encoded full picture and a thumbnail, both on disk.
    media = db.session.scalar(select(Media).where(Media.product_id.is_not(None), Media.is_primary.is_(True)))
    assert media is not None
    root = Path(app.config["UPLOAD_DIR"])
    with Image.open(root / media.path) as picture:
        assert picture.size == (media.width, media.height) == (1200, 900)
    with Image.open(root / media.thumb_path) as thumbnail:
        assert max(thumbnail.size) <= 480
    assert db.session.get(Product, media.product_id).image_path == media.thumb_path


def test_synthetic_products_top_up_to_the_requested_count_once(app: Flask) -> None:
    output = _seed(app, "--products", "300")
    assert "products added" in output
    total = _count(Product)
    assert total >= 300
    slugs = db.session.scalar(select(func.count(func.distinct(Product.slug))))
    assert slugs == total

    _seed(app, "--products", "300")
    assert _count(Product) == total
    found = db.session.scalar(select(func.count(Product.id)).where(Product.name.ilike("%walnut%")))
    assert found > 0
