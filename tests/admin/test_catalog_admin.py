"""Staff catalog pages: permissions, product and package forms, htmx inline edits, pictures,
categories, brands and materials, and offers."""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from PIL import Image
from sqlalchemy import select

from fantasize.catalog import services as catalog
from fantasize.catalog.models import (
    Brand,
    Category,
    Material,
    Media,
    Offer,
    Package,
    PackageItem,
    Product,
    ProductMaterial,
)
from fantasize.extensions import db
from fantasize.media.storage import storage
from tests.factories import BrandFactory, CategoryFactory, ProductFactory, SubcategoryFactory, UserFactory
from tests.support.queries import counted_statements

HTMX = {"HX-Request": "true"}


@pytest.fixture
def manager(login):
    user = UserFactory(role="manager")
    login(user)
    return user


def _fresh(model, item_id):
    db.session.expire_all()
    return db.session.get(model, item_id)


def _field_error(html: str, field_id: str) -> str:
    """The error text shown next to a field rendered by the ``field()`` macro."""
    match = re.search(rf'<small id="{field_id}-help" class="field-error">\s*(.*?)\s*</small>', html, re.S)
    assert match, f"no error shown next to {field_id}"
    return match.group(1)


def _png(size: tuple[int, int] = (64, 48)) -> io.BytesIO:
    out = io.BytesIO()
    Image.new("RGB", size, (179, 36, 92)).save(out, format="PNG")
    out.seek(0)
    return out


def _package_with(product: Product) -> Package:
    package = catalog.create_package(
        {
            "name": "Gift box",
            "price": Decimal("30"),
            "subcategory_id": product.subcategory_id,
            "items": [{"product_id": product.id, "quantity": 1}],
        }
    )
    db.session.commit()
    return package


def _product_form(subcategory_id: int, **overrides: object) -> dict:
    return {
        "name": "Engraved Mug",
        "description": "<p>A mug with <strong>your</strong> name.</p>",
        "price": "14.50",
        "stock": "7",
        "subcategory_id": str(subcategory_id),
        "brand_id": "",
        "active": "y",
        **overrides,
    }


# --- permissions ---------------------------------------------------------------------------------


def _every_catalog_admin_url(app) -> list[tuple[str, str]]:
    """(method, path) for every route of the blueprint, with placeholder ids."""
    found = []
    for rule in app.url_map.iter_rules():
        if not rule.endpoint.startswith("admin_catalog."):
            continue
        for kinds in ("products", "packages", "brands", "materials"):
            values = {"item_id": 1, "media_id": 1, "category_id": 1, "offer_id": 1, "kinds": kinds}
            try:
                built = rule.build({k: v for k, v in values.items() if k in rule.arguments}, append_unknown=False)
            except ValueError:
                continue
            if built is None:
                continue
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                found.append((method, built[1]))
            if "kinds" not in rule.arguments:
                break
    return sorted(set(found))


def test_anonymous_visitors_are_sent_to_sign_in_from_every_catalog_admin_page(app, client):
    urls = _every_catalog_admin_url(app)
    assert len(urls) >= 25
    for method, path in urls:
        response = client.open(path, method=method)
        assert response.status_code in (302, 303), (method, path, response.status_code)
        assert "/login" in response.headers["Location"], (method, path)


def test_customers_get_403_on_every_catalog_admin_page(app, client, login):
    product = ProductFactory()
    login(UserFactory(role="customer"))
    for method, path in _every_catalog_admin_url(app):
        response = client.open(path, method=method, data={"field": "stock", "value": "0", "name": "x"})
        assert response.status_code == 403, (method, path, response.status_code)
    assert _fresh(Product, product.id).stock == 10


def test_the_admin_menu_links_the_catalog_pages(client, manager):
    html = client.get("/admin/catalog/products").get_data(as_text=True)
    for path, label in [
        ("/admin/catalog/products", "Products"),
        ("/admin/catalog/packages", "Packages"),
        ("/admin/catalog/categories", "Categories"),
        ("/admin/catalog/brands-and-materials", "Brands &amp; materials"),
        ("/admin/catalog/offers", "Offers"),
    ]:
        assert re.search(rf'<a href="{path}"[^>]*>{label}</a>', html), label
    assert 'href="/admin/catalog/products" aria-current="page"' in html


# --- product list and inline edits ------------------------------------------------------------------


def test_product_list_searches_and_filters(client, manager):
    ProductFactory(name="Walnut Board", active=True)
    ProductFactory(name="Walnut Box", active=False)
    ProductFactory(name="Silver Ring")
    deleted = ProductFactory(name="Walnut Ghost")
    catalog.delete_product(deleted)
    db.session.commit()

    html = client.get("/admin/catalog/products?q=walnut").get_data(as_text=True)
    assert "Walnut Board" in html
    assert "Walnut Box" in html
    assert "Silver Ring" not in html
    assert "Walnut Ghost" not in html

    html = client.get("/admin/catalog/products?q=walnut&status=inactive").get_data(as_text=True)
    assert "Walnut Box" in html
    assert "Walnut Board" not in html


def test_product_list_pages_by_50(client, manager):
    subcategory = SubcategoryFactory()
    for n in range(55):
        ProductFactory(name=f"Item {n:02d}", subcategory=subcategory)
    first = client.get("/admin/catalog/products").get_data(as_text=True)
    assert "Item 49" in first
    assert "Item 50" not in first
    assert "page=2" in first
    second = client.get("/admin/catalog/products?page=2").get_data(as_text=True)
    assert "Item 50" in second
    assert "Item 54" in second


def test_product_list_queries_do_not_grow_with_the_number_of_products(client, manager):
    ProductFactory.create_batch(3)
    with counted_statements() as few:
        assert client.get("/admin/catalog/products").status_code == 200
    ProductFactory.create_batch(30)
    with counted_statements() as many:
        assert client.get("/admin/catalog/products").status_code == 200
    assert len(many) == len(few)


def test_inline_price_edit_over_htmx_returns_only_the_cell(client, manager):
    product = ProductFactory(price=Decimal("19.90"))
    response = client.post(
        f"/admin/catalog/products/{product.id}/inline",
        data={"field": "price", "value": "24.50", "next": "/admin/catalog/products"},
        headers=HTMX,
    )
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "<html" not in html
    assert html.lstrip().startswith('<form class="inline-edit"')
    assert 'hx-target="this"' in html
    assert 'value="24.50"' in html
    assert "HX-Request" in response.headers.get("Vary", "")
    assert _fresh(Product, product.id).price == Decimal("24.50")


def test_inline_negative_stock_is_refused_with_the_error_in_the_fragment(client, manager):
    product = ProductFactory(stock=10)
    response = client.post(
        f"/admin/catalog/products/{product.id}/inline", data={"field": "stock", "value": "-3"}, headers=HTMX
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "<html" not in html
    assert 'class="field-error"' in html
    assert "Stock cannot be negative." in html
    assert 'value="-3"' in html
    assert 'aria-invalid="true"' in html
    assert _fresh(Product, product.id).stock == 10


def test_inline_edit_with_a_non_number_is_refused(client, manager):
    product = ProductFactory(price=Decimal("19.90"))
    for value in ("abc", "NaN", "Infinity"):
        response = client.post(
            f"/admin/catalog/products/{product.id}/inline", data={"field": "price", "value": value}, headers=HTMX
        )
        assert response.status_code == 422, value
        assert "Enter a price like 19.90." in response.get_data(as_text=True)
    assert _fresh(Product, product.id).price == Decimal("19.90")


def test_inline_status_toggle_without_javascript_redirects_back(client, manager):
    product = ProductFactory(active=True)
    response = client.post(
        f"/admin/catalog/products/{product.id}/inline",
        data={"field": "active", "value": "0", "next": "/admin/catalog/products?q=gift"},
    )
    assert response.status_code == 303
    assert response.headers["Location"] == "/admin/catalog/products?q=gift"
    assert _fresh(Product, product.id).active is False
    assert "Status of" in client.get(response.headers["Location"]).get_data(as_text=True)


def test_inline_edit_without_javascript_shows_the_error_as_a_flash(client, manager):
    product = ProductFactory(stock=4)
    response = client.post(
        f"/admin/catalog/products/{product.id}/inline",
        data={"field": "stock", "value": "-1", "next": "https://evil.example/"},
        follow_redirects=True,
    )
    assert response.request.path == "/admin/catalog/products"
    assert "Stock cannot be negative." in response.get_data(as_text=True)
    assert _fresh(Product, product.id).stock == 4


def test_inline_edit_of_a_package(client, manager):
    package = _package_with(ProductFactory())
    response = client.post(
        f"/admin/catalog/packages/{package.id}/inline", data={"field": "stock", "value": "5"}, headers=HTMX
    )
    assert response.status_code == 200
    assert _fresh(Package, package.id).stock == 5


def test_inline_edit_rejects_other_fields(client, manager):
    product = ProductFactory()
    response = client.post(f"/admin/catalog/products/{product.id}/inline", data={"field": "name", "value": "x"})
    assert response.status_code == 400


def test_htmx_inline_edit_with_the_csrf_header(app, client, manager, monkeypatch):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    product = ProductFactory(stock=2)
    page = client.get("/admin/catalog/products").get_data(as_text=True)
    token = re.search(r'<meta name="csrf-token" content="([^"]+)"', page).group(1)
    url = f"/admin/catalog/products/{product.id}/inline"
    refused = client.post(url, data={"field": "stock", "value": "9"}, headers=HTMX)
    assert refused.status_code == 400
    accepted = client.post(url, data={"field": "stock", "value": "9"}, headers={**HTMX, "X-CSRFToken": token})
    assert accepted.status_code == 200
    assert _fresh(Product, product.id).stock == 9


# --- product form -------------------------------------------------------------------------------------


def test_new_product_form_groups_subcategories_by_category(client, manager):
    parent = CategoryFactory(name="Home & Living")
    SubcategoryFactory(name="Mugs", parent=parent)
    html = client.get("/admin/catalog/products/new").get_data(as_text=True)
    assert '<optgroup label="Home &amp; Living">' in html
    assert ">Mugs</option>" in html
    for field_id in ("name", "description", "price", "stock", "subcategory_id", "brand_id", "active"):
        assert f'<label for="{field_id}"' in html, field_id
    assert "Simple HTML is accepted" in html


def test_manager_creates_a_product_after_fixing_an_error(client, manager):
    subcategory = SubcategoryFactory()
    brand = BrandFactory()
    material = Material(name="Oak", slug="oak")
    db.session.add(material)
    db.session.commit()

    response = client.post("/admin/catalog/products/new", data=_product_form(subcategory.id, price="-5"))
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Use a price between 0 and 100000." in _field_error(html, "price")
    assert 'value="Engraved Mug"' in html  # what was typed is kept
    assert db.session.scalar(select(Product).where(Product.name == "Engraved Mug")) is None

    response = client.post(
        "/admin/catalog/products/new",
        data=_product_form(subcategory.id, brand_id=str(brand.id), material_ids=[str(material.id)]),
    )
    assert response.status_code == 303
    product = db.session.scalar(select(Product).where(Product.name == "Engraved Mug"))
    assert response.headers["Location"] == f"/admin/catalog/products/{product.id}/edit"
    assert (product.price, product.stock, product.brand_id, product.subcategory_id) == (
        Decimal("14.50"),
        7,
        brand.id,
        subcategory.id,
    )
    assert "is created" in client.get(response.headers["Location"]).get_data(as_text=True)


def test_required_fields_are_reported_next_to_them(client, manager):
    response = client.post("/admin/catalog/products/new", data={"name": "", "price": "", "subcategory_id": ""})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Give it a name." in _field_error(html, "name")
    assert "Enter a price." in _field_error(html, "price")
    assert "Choose a subcategory." in _field_error(html, "subcategory_id")


def test_a_description_with_a_script_is_stored_sanitized(client, manager):
    subcategory = SubcategoryFactory()
    description = '<p>Lovely <em>gift</em></p><script>alert("x")</script><img src=x onerror=alert(1)>'
    response = client.post("/admin/catalog/products/new", data=_product_form(subcategory.id, description=description))
    assert response.status_code == 303
    product = db.session.scalar(select(Product).where(Product.name == "Engraved Mug"))
    assert "<script" not in product.description
    assert "onerror" not in product.description
    assert "<p>Lovely <em>gift</em></p>" in product.description


def test_editing_a_product_keeps_material_shares_it_does_not_touch(client, manager):
    product = ProductFactory()
    oak, steel = Material(name="Oak", slug="oak"), Material(name="Steel", slug="steel")
    db.session.add_all([oak, steel])
    db.session.flush()
    shares = [{"material_id": oak.id, "percentage": 70}, {"material_id": steel.id, "percentage": 30}]
    catalog.update_product(product, {"materials": shares})
    db.session.commit()
    assert client.get(f"/admin/catalog/products/{product.id}/edit").status_code == 200
    form = _product_form(product.subcategory_id, name="Renamed", material_ids=[str(oak.id), str(steel.id)])
    response = client.post(f"/admin/catalog/products/{product.id}/edit", data=form)
    assert response.status_code == 303
    assert _fresh(Product, product.id).name == "Renamed"
    query = select(ProductMaterial.material_id, ProductMaterial.percentage).where(
        ProductMaterial.product_id == product.id
    )
    assert dict(db.session.execute(query).all()) == {oak.id: Decimal("70"), steel.id: Decimal("30")}


def test_editing_a_deleted_product_is_not_found(client, manager):
    product = ProductFactory()
    catalog.delete_product(product)
    db.session.commit()
    assert client.get(f"/admin/catalog/products/{product.id}/edit").status_code == 404


# --- pictures -------------------------------------------------------------------------------------------


def test_uploading_a_text_file_as_a_picture_shows_the_error(client, manager):
    product = ProductFactory()
    response = client.post(
        f"/admin/catalog/products/{product.id}/media",
        data={"file": (io.BytesIO(b"just some notes"), "photo.png")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "not a JPEG, PNG or WebP image" in _field_error(html, "file")
    assert f'value="{product.name}"' in html  # the details form still shows the product
    assert db.session.scalar(select(Media).where(Media.product_id == product.id)) is None


def test_uploading_a_png_adds_a_picture_and_it_can_be_removed(client, manager):
    product = ProductFactory()
    response = client.post(
        f"/admin/catalog/products/{product.id}/media",
        data={"file": (_png(), "photo.png"), "alt_text": "The mug from the side"},
        content_type="multipart/form-data",
    )
    assert response.status_code == 303
    media = db.session.scalar(select(Media).where(Media.product_id == product.id))
    assert media is not None
    assert media.is_primary
    assert media.alt_text == "The mug from the side"
    assert _fresh(Product, product.id).image_path == media.thumb_path

    html = client.get(f"/admin/catalog/products/{product.id}/edit").get_data(as_text=True)
    assert f'src="/media/{media.thumb_path}"' in html
    listing = client.get("/admin/catalog/products").get_data(as_text=True)
    assert f'src="/media/{media.thumb_path}"' in listing
    assert client.get(f"/media/{media.thumb_path}").status_code == 200

    files = [storage().path(media.path), storage().path(media.thumb_path)]
    assert all(path.is_file() for path in files)
    response = client.post(f"/admin/catalog/products/{product.id}/media/{media.id}/delete")
    assert response.status_code == 303
    assert _fresh(Media, media.id) is None
    assert _fresh(Product, product.id).image_path is None
    assert not any(path.exists() for path in files)  # the picture's files go with it


# --- deleting ------------------------------------------------------------------------------------------


def test_deleting_a_product_in_a_package_is_refused_and_it_stays(client, manager):
    product = ProductFactory(name="Silver Locket")
    _package_with(product)
    response = client.post(f"/admin/catalog/products/{product.id}/delete")
    assert response.status_code == 303
    assert response.headers["Location"] == f"/admin/catalog/products/{product.id}/edit"
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "flash-error" in html
    assert "part of 1 package(s): Gift box" in html
    kept = _fresh(Product, product.id)
    assert kept.deleted_at is None
    assert kept.active
    assert "Silver Locket" in client.get("/admin/catalog/products").get_data(as_text=True)


def test_deleting_a_product_hides_it(client, manager):
    product = ProductFactory(name="Old Frame")
    response = client.post(f"/admin/catalog/products/{product.id}/delete")
    assert response.status_code == 303
    assert response.headers["Location"] == "/admin/catalog/products"
    assert _fresh(Product, product.id).deleted_at is not None
    assert "Old Frame" not in client.get("/admin/catalog/products").get_data(as_text=True).split("</h1>")[1]


# --- packages -------------------------------------------------------------------------------------------


def test_manager_creates_a_package_with_items(client, manager):
    mug, card = ProductFactory(name="Mug"), ProductFactory(name="Card")
    data = {
        "name": "Coffee lover box",
        "description": "",
        "price": "29.00",
        "stock": "4",
        "subcategory_id": str(mug.subcategory_id),
        "active": "y",
        "items-0-product_id": str(mug.id),
        "items-0-quantity": "2",
        "items-1-product_id": "",
        "items-1-quantity": "1",
        "items-2-product_id": str(card.id),
        "items-2-quantity": "",
    }
    page = client.get("/admin/catalog/packages/new").get_data(as_text=True)
    assert page.count('<label for="items-') == 12  # six rows of product + quantity
    response = client.post("/admin/catalog/packages/new", data=data)
    assert response.status_code == 303
    package = db.session.scalar(select(Package).where(Package.name == "Coffee lover box"))
    items = dict(
        db.session.execute(
            select(PackageItem.product_id, PackageItem.quantity).where(PackageItem.package_id == package.id)
        ).all()
    )
    assert items == {mug.id: 2, card.id: 1}
    edit = client.get(response.headers["Location"]).get_data(as_text=True)
    assert f'<option selected value="{mug.id}">Mug</option>' in edit
    assert "Coffee lover box" in client.get("/admin/catalog/packages").get_data(as_text=True)


def test_a_package_without_products_is_refused(client, manager):
    subcategory = SubcategoryFactory()
    data = {"name": "Empty box", "price": "10", "subcategory_id": str(subcategory.id), "items-0-product_id": ""}
    response = client.post("/admin/catalog/packages/new", data=data)
    assert response.status_code == 422
    assert 'id="items-help" class="field-error"' in response.get_data(as_text=True)
    assert db.session.scalar(select(Package).where(Package.name == "Empty box")) is None


# --- offers ---------------------------------------------------------------------------------------------


def test_manager_creates_an_offer(client, manager):
    mug = ProductFactory(name="Mug")
    package = _package_with(ProductFactory(name="Card"))
    assert "Mug" in client.get("/admin/catalog/offers/new").get_data(as_text=True)
    data = {
        "name": "Spring sale",
        "percent": "15",
        "starts_at": "2030-03-01T09:00",
        "ends_at": "2030-03-15T18:30",
        "product_ids": [str(mug.id)],
        "package_ids": [str(package.id)],
        "active": "y",
    }
    response = client.post("/admin/catalog/offers/new", data=data)
    assert response.status_code == 303
    offer = db.session.scalar(select(Offer).where(Offer.name == "Spring sale"))
    assert offer.percent == Decimal("15")
    assert offer.starts_at == datetime(2030, 3, 1, 9, 0, tzinfo=UTC)
    assert offer.ends_at == datetime(2030, 3, 15, 18, 30, tzinfo=UTC)
    listing = client.get("/admin/catalog/offers").get_data(as_text=True)
    assert "Spring sale" in listing
    assert "Upcoming" in listing
    edit = client.get(f"/admin/catalog/offers/{offer.id}/edit").get_data(as_text=True)
    assert 'value="2030-03-01T09:00"' in edit
    assert f'<option selected value="{mug.id}">Mug</option>' in edit


def test_an_offer_that_ends_before_it_starts_is_refused(client, manager):
    data = {"name": "Backwards", "percent": "10", "starts_at": "2030-03-10T00:00", "ends_at": "2030-03-01T00:00"}
    response = client.post("/admin/catalog/offers/new", data=data)
    assert response.status_code == 422
    assert "The offer must end after it starts." in _field_error(response.get_data(as_text=True), "ends_at")


# --- categories, brands and materials -------------------------------------------------------------------


def test_categories_page_shows_the_tree(client, manager):
    parent = CategoryFactory(name="Jewelry")
    SubcategoryFactory(name="Necklaces", parent=parent)
    html = client.get("/admin/catalog/categories").get_data(as_text=True)
    assert html.index("Jewelry") < html.index("Necklaces")


def test_manager_creates_a_subcategory(client, manager):
    parent = CategoryFactory(name="Kitchen")
    response = client.post(
        "/admin/catalog/categories/new",
        data={"name": "Boards", "parent_id": str(parent.id), "description": "", "position": "2", "active": "y"},
    )
    assert response.status_code == 303
    created = db.session.scalar(select(Category).where(Category.name == "Boards"))
    assert (created.parent_id, created.position) == (parent.id, 2)


def test_deleting_a_category_in_use_is_refused_with_a_clear_message(client, manager):
    product = ProductFactory()
    subcategory_id = product.subcategory_id
    response = client.post(f"/admin/catalog/categories/{subcategory_id}/delete", follow_redirects=True)
    html = response.get_data(as_text=True)
    assert "still has subcategories, products or packages" in html
    assert "flash-error" in html
    assert _fresh(Category, subcategory_id) is not None


def test_deleting_an_unused_category(client, manager):
    category = CategoryFactory(name="Seasonal")
    response = client.post(f"/admin/catalog/categories/{category.id}/delete")
    assert response.status_code == 303
    assert _fresh(Category, category.id) is None


def test_brands_are_added_renamed_and_duplicates_refused(client, manager):
    response = client.post("/admin/catalog/brands-and-materials/brands/new", data={"name": "Paper Moon"})
    assert response.status_code == 303
    brand = db.session.scalar(select(Brand).where(Brand.name == "Paper Moon"))
    response = client.post("/admin/catalog/brands-and-materials/brands/new", data={"name": "paper moon"})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert re.search(r'id="new-brand-error" class="field-error">Already exists\.', html)
    response = client.post(f"/admin/catalog/brands-and-materials/brands/{brand.id}/rename", data={"name": "Paper Sun"})
    assert response.status_code == 303
    assert _fresh(Brand, brand.id).name == "Paper Sun"


def test_a_material_in_use_cannot_be_deleted(client, manager):
    product = ProductFactory()
    material = Material(name="Linen", slug="linen")
    db.session.add(material)
    db.session.flush()
    catalog.update_product(product, {"material_ids": [material.id]})
    db.session.commit()
    response = client.post(f"/admin/catalog/brands-and-materials/materials/{material.id}/delete", follow_redirects=True)
    assert "used by products or packages" in response.get_data(as_text=True)
    assert _fresh(Material, material.id) is not None
