"""Personalising a gift in a real browser: the preview follows the engraving, the cart shows the options."""

from pathlib import Path

import pytest

from fantasize.customization import services
from fantasize.extensions import db
from tests.factories import ProductFactory

pytestmark = pytest.mark.browser
SCREENSHOTS = Path(__file__).resolve().parents[2] / "instance" / "screenshots"


def test_type_an_engraving_see_the_preview_change_and_add_to_cart(browser_page):
    product = ProductFactory(name="Walnut Board", price="39.00", stock=5)
    services.create_option(
        product,
        {
            "name": "Wood finish",
            "type": "button",
            "required": True,
            "choices": [
                {"value": "natural", "label": "Natural", "swatch": "#c8a27a"},
                {"value": "dark", "label": "Dark", "price_delta": "4.00", "swatch": "#4b3621"},
            ],
        },
    )
    engraving = services.create_option(
        product, {"name": "Engraving", "type": "text", "price_delta": "5.00", "max_length": 20}
    )
    db.session.commit()
    page = browser_page

    page.goto(f"/products/{product.slug}")
    preview = page.locator("#preview-box img")
    before = preview.get_attribute("src")
    page.get_by_label("Dark").check()
    page.get_by_label("Engraving").fill("The Smiths, 2026")
    page.wait_for_function(
        "(old) => document.querySelector('#preview-box img').getAttribute('src') !== old && "
        "document.querySelector('#preview-box img').getAttribute('src').includes('Smiths')",
        arg=before,
    )
    page.wait_for_function("() => document.querySelector('#preview-box img').naturalWidth === 800")
    assert f"c.{engraving.id}=The+Smiths" in preview.get_attribute("src")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "customize-preview.png"), full_page=True)

    page.get_by_role("button", name="Add to cart").click()
    page.wait_for_url("**/cart")
    cart = page.locator("#cart")
    assert cart.get_by_text("Walnut Board").is_visible()
    assert cart.get_by_text("The Smiths, 2026").is_visible()
    assert cart.get_by_text("Dark").is_visible()
    assert cart.locator(".cart-total").inner_text() == "€48.00"  # 39 + 4 (dark) + 5 (engraving)

    page.get_by_label("Quantity").fill("2")
    page.get_by_label("Quantity").dispatch_event("change")
    page.wait_for_function("() => document.querySelector('.cart-total').innerText === '€96.00'")
    page.screenshot(path=str(SCREENSHOTS / "cart.png"), full_page=True)
