"""Stock demand is summed once, the same way for a cart and for an order."""

from fantasize.catalog import sellables
from fantasize.catalog.models import Package, Product
from fantasize.orders.stock import Need, demand_of


def test_a_package_draws_on_its_products_and_lines_of_one_item_add_up():
    demand = demand_of(
        [
            Need("product", 1, 2),
            Need("package", 7, 3, ((1, 1), (2, 2))),
            Need("product", 1, 1),
        ]
    )
    assert demand.products == {1: 2 + 3 + 1, 2: 6}
    assert demand.packages == {7: 3}


def test_the_registry_knows_each_kind_and_its_owner_column():
    assert sellables.model_of("product") is Product
    assert sellables.model_of("package") is Package
    assert [entry.owner_column for entry in sellables.SELLABLES.values()] == ["product_id", "package_id"]
    assert sellables.kind_named_in({"product_id": 3}) == "product"
    assert sellables.kind_named_in({"package_id": 3}) == "package"
