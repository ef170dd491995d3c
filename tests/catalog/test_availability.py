"""The package in-stock rule, written once in Python and once in SQL, gives one answer."""

from sqlalchemy import select

from fantasize.catalog import availability
from fantasize.catalog.models import Package, Product
from fantasize.extensions import db
from tests.factories import PackageFactory, ProductFactory


def test_the_sql_in_stock_filter_agrees_with_the_python_rule():
    mug, candle, soap = ProductFactory(stock=3), ProductFactory(stock=1), ProductFactory(stock=0)
    boxes = {
        "components suffice": PackageFactory(stock=5, items=[(mug, 3), (candle, 1)]),
        "one component short": PackageFactory(stock=5, items=[(mug, 4), (candle, 1)]),
        "a component sold out": PackageFactory(stock=5, items=[(mug, 1), (soap, 1)]),
        "own stock sold out": PackageFactory(stock=0, items=[(mug, 1)]),
        "no components": PackageFactory(stock=2, items=[]),
    }
    db.session.commit()

    rows = list(db.session.scalars(select(Package)))
    available = availability.available_quantities("package", rows)
    in_python = {row.id for row in rows if available[row.id] > 0}
    in_sql = set(db.session.scalars(select(Package.id).where(availability.in_stock_sql("package"))))

    assert in_sql == in_python == {boxes["components suffice"].id, boxes["no components"].id}


def test_a_product_is_in_stock_while_it_has_stock():
    kept, sold_out = ProductFactory(stock=1), ProductFactory(stock=0)
    db.session.commit()

    rows = list(db.session.scalars(select(Product)))
    assert availability.available_quantities("product", rows) == {kept.id: 1, sold_out.id: 0}
    assert set(db.session.scalars(select(Product.id).where(availability.in_stock_sql("product")))) == {kept.id}
