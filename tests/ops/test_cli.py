"""Command-line tools."""

from sqlalchemy import func, select

from fantasize.catalog.models import Category, Product
from fantasize.extensions import db


def _counts() -> tuple[int, int]:
    return (db.session.scalar(select(func.count(Product.id))), db.session.scalar(select(func.count(Category.id))))


def test_seed_demo_loads_a_catalogue_and_is_idempotent(app):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["seed-demo"])
    assert first.exit_code == 0, first.output
    products, categories = _counts()
    assert products >= 20
    assert categories >= 8
    second = runner.invoke(args=["seed-demo"])
    assert second.exit_code == 0
    assert "0 products added" in second.output
    assert _counts() == (products, categories)


def test_seeded_products_show_on_the_home_page(app, client):
    app.test_cli_runner().invoke(args=["seed-demo"])
    html = client.get("/").get_data(as_text=True)
    for section in ("Current offers", "New arrivals", "Gift boxes", "Shop by category"):
        assert section in html
    assert html.count('class="product-card"') >= 8
