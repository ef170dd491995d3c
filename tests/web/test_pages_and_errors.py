"""Browser-facing pages: the base layout, HTML error pages and security headers."""

from fantasize.catalog import listing as catalog_listing
from tests.factories import ProductFactory


def test_home_lists_products_with_prices(client):
    ProductFactory(name="Engraved Walnut Board", price="39.00")
    response = client.get("/")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Engraved Walnut Board" in html
    assert "€39.00" in html


def test_base_layout_wires_htmx_and_the_csrf_header(client):
    html = client.get("/").get_data(as_text=True)
    assert "/static/js/htmx.min.js" in html
    assert 'hx-headers=\'{"X-CSRFToken": "' in html
    assert '<a class="skip-link" href="#main">' in html


def test_vendored_assets_are_served_locally(client):
    for path in ("/static/js/htmx.min.js", "/static/css/pico.min.css", "/static/css/site.css"):
        assert client.get(path).status_code == 200, path


def test_unknown_page_is_a_friendly_html_404(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert response.mimetype == "text/html"
    html = response.get_data(as_text=True)
    assert "We couldn&#39;t find that page" in html or "We couldn't find that page" in html
    assert "Back to the shop" in html


def test_htmx_requests_get_an_error_fragment(client):
    response = client.get("/no-such-page", headers={"HX-Request": "true"})
    assert response.status_code == 404
    html = response.get_data(as_text=True)
    assert "<html" not in html
    assert 'class="error-panel"' in html


def test_page_crash_shows_a_500_page_without_internals(client, monkeypatch):
    def boom(*args, **kwargs):
        raise RuntimeError("database password is hunter2")

    monkeypatch.setattr(catalog_listing, "list_items", boom)
    response = client.get("/")
    assert response.status_code == 500
    html = response.get_data(as_text=True)
    assert "hunter2" not in html
    assert "Something went wrong on our side" in html


def test_security_headers_on_pages_and_api(client):
    for path in ("/", "/api/v2/products"):
        headers = client.get(path).headers
        assert "script-src 'self'" in headers["Content-Security-Policy"]
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["X-Frame-Options"] == "DENY"
        assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"


def test_pages_have_no_inline_scripts(client):
    html = client.get("/").get_data(as_text=True)
    assert "<script>" not in html
    assert "onclick=" not in html


def test_no_page_renders_a_none_attribute(client, login):
    from tests.factories import PackageFactory, ProductFactory, UserFactory

    product = ProductFactory()
    package = PackageFactory(items=[(product, 1)])
    login(UserFactory(role="admin"))
    for path in (
        "/",
        "/login",
        "/register",
        "/account",
        "/account/security",
        "/account/addresses/new",
        "/cart",
        f"/products/{product.slug}",
        f"/packages/{package.slug}",
        "/admin/catalog/products/new",
        f"/admin/catalog/packages/{package.id}/edit",
        "/admin/catalog/offers/new",
    ):
        html = client.get(path).get_data(as_text=True)
        assert '="None"' not in html, path
