"""Buying in a real browser: a personalised product and a gift box, checked out as a gift."""

from pathlib import Path

import pytest

from fantasize.customization import services
from fantasize.extensions import db
from tests.factories import DEFAULT_PASSWORD, PackageFactory, ProductFactory, UserFactory

pytestmark = pytest.mark.browser
SCREENSHOTS = Path(__file__).resolve().parents[2] / "instance" / "screenshots"


def test_customized_product_and_package_checked_out_as_a_gift(browser_page):
    user = UserFactory(email="buyer@example.com")
    bracelet = ProductFactory(name="Silver Bracelet", price="49.00", stock=5)
    services.create_option(bracelet, {"name": "Engraving", "type": "text", "price_delta": "5.00", "max_length": 20})
    box = PackageFactory(name="Cosy Box", price="30.00", stock=5, items=[(ProductFactory(name="Candle", stock=9), 2)])
    db.session.commit()
    page = browser_page

    page.goto("/login")
    page.get_by_label("E-mail").fill(user.email)
    page.get_by_label("Password").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    page.goto(f"/products/{bracelet.slug}")
    page.get_by_label("Engraving").fill("Always, A.")
    page.get_by_role("button", name="Add to cart").click()
    page.wait_for_url("**/cart")
    page.goto(f"/packages/{box.slug}")
    page.get_by_role("button", name="Add to cart").click()
    page.wait_for_url("**/cart")
    assert page.locator(".cart-total").inner_text() == "€84.00"  # 49 + 5 + 30

    page.get_by_role("button", name="Checkout").click()
    page.wait_for_url("**/checkout")
    page.locator("#address-full_name").fill("Ada Lovelace")  # the recipient's address has the same labels
    page.locator("#address-line1").fill("12 St James's Square")
    page.locator("#address-postal_code").fill("SW1Y 4JH")
    page.locator("#address-city").fill("London")
    page.locator("#address-country").select_option("GB")
    page.get_by_label("This is a gift").check()
    page.get_by_label("Gift message (optional)").fill("Happy birthday, Grace!")
    page.get_by_label("Recipient's name").fill("Grace Hopper")
    page.get_by_label("Cash on delivery").check()
    page.get_by_role("button", name="Place order").click()

    page.wait_for_url("**/orders/*")
    assert page.get_by_text("Happy birthday, Grace!").is_visible()
    assert page.get_by_text("Always, A.").is_visible()
    assert page.get_by_text("Cosy Box").first.is_visible()
    timeline = page.locator(".timeline")
    assert timeline.get_by_text("Placed").first.is_visible()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "order.png"), full_page=True)

    page.get_by_role("button", name="Cancel order").click()
    assert page.locator(".timeline").get_by_text("Canceled").first.is_visible()
