"""The storefront in a real browser (Debian's Chromium, driven by Playwright)."""

from pathlib import Path

import pytest

from tests.factories import ProductFactory

pytestmark = pytest.mark.browser
SCREENSHOTS = Path(__file__).resolve().parents[2] / "instance" / "screenshots"


def test_home_page_shows_products_on_desktop_and_phone(browser_page):
    ProductFactory(name="Silver Bar Bracelet", price="49.00")
    ProductFactory(name="Oak Photo Frame", price="27.50", stock=0)

    browser_page.goto("/")
    cards = browser_page.locator(".product-card")
    assert cards.count() == 2
    assert browser_page.get_by_text("Silver Bar Bracelet").is_visible()
    assert browser_page.get_by_text("Out of stock").is_visible()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    browser_page.screenshot(path=str(SCREENSHOTS / "home-desktop.png"), full_page=True)

    browser_page.set_viewport_size({"width": 375, "height": 800})
    browser_page.reload()
    scroll_width = browser_page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= 375, "the page must not scroll sideways on a phone"
    browser_page.screenshot(path=str(SCREENSHOTS / "home-phone.png"), full_page=True)


def test_htmx_loads_and_the_csp_blocks_nothing(browser_page):
    violations: list[str] = []
    browser_page.on("console", lambda message: violations.append(message.text) if message.type == "error" else None)
    browser_page.goto("/")
    assert browser_page.evaluate("typeof window.htmx") == "object"
    assert violations == []


def test_api_docs_render_in_the_browser(browser_page):
    browser_page.goto("/api-docs")
    browser_page.wait_for_selector(".swagger-ui .info .title")
    assert "Fantasize API" in browser_page.locator(".swagger-ui .info .title").inner_text()
