"""Pages that update live over /ws (static/realtime.js), in a real browser, without reloading.

The app runs in the test's process (``live_server``); staff and other shoppers act through the
API with the test client, so their changes commit, publish after commit, and reach the browser's
socket through the same broker as in production. ``expect(...)`` waits for the page to change:
the timeouts bound how late an update may come, they are not sleeps.
"""

from pathlib import Path

import pytest

from fantasize.extensions import db
from tests.accounts.helpers import api_login, bearer
from tests.factories import DEFAULT_PASSWORD, ProductFactory, UserFactory
from tests.orders.conftest import add, checkout

SCREENSHOTS = Path(__file__).resolve().parents[2] / "instance" / "screenshots"
LIVE = 1500  # ms: "within a second" of the change, with room for a slow CI machine


def _sign_in(page, user) -> None:
    page.goto("/login")
    page.get_by_label("E-mail").fill(user.email)
    page.get_by_label("Password").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: "/login" not in url)


def _open_live(page, path: str) -> None:
    """Open ``path`` and wait until its socket is authenticated (and its rooms joined)."""
    page.goto(path)
    page.wait_for_selector("body[data-rt='live']", state="attached")
    page.wait_for_function("window.__rtTracking === 0")


def _record_tracking(page) -> None:
    """Count track requests the page still waits an answer for (an init script: runs before the page's own)."""
    page.add_init_script(
        """
        window.__rtTracking = null;
        document.addEventListener("rt:authenticated", () => {
          window.__rtTracking = document.querySelectorAll("[data-track-order], [data-track-inventory]").length;
        });
        for (const name of ["rt:order_tracking_started", "rt:inventory_tracking_started"]) {
          document.addEventListener(name, () => { window.__rtTracking -= 1; });
        }
        """
    )


def _place_order(client, auth, product, quantity: int = 1) -> dict:
    add(client, auth, product=product, quantity=quantity)
    response = checkout(client, auth)
    assert response.status_code == 201, response.get_json()
    return response.get_json()["data"]


def _set_status(client, staff_auth, order_id: str, status: str, note: str | None = None) -> None:
    response = client.patch(
        f"/api/v2/admin/orders/{order_id}/status", json={"status": status, "note": note}, headers=staff_auth
    )
    assert response.status_code == 200, response.get_json()


@pytest.mark.browser
@pytest.mark.slow
def test_order_page_shows_the_new_status_when_staff_change_it(browser_page, client):
    from playwright.sync_api import expect

    shopper = UserFactory(email="ada@example.com")
    staff = UserFactory(role="manager")
    mug = ProductFactory(name="Star Mug", price="12.00", stock=10)
    db.session.commit()
    order = _place_order(client, bearer(api_login(client, shopper.email)["access_token"]), mug)
    staff_auth = bearer(api_login(client, staff.email)["access_token"])
    page = browser_page
    _record_tracking(page)
    _sign_in(page, shopper)
    _open_live(page, f"/orders/{order['id']}")
    page.evaluate("window.__sameDocument = true")
    badge = page.locator("#order-status .status-badge")
    expect(badge).to_have_text("Placed")

    _set_status(client, staff_auth, order["id"], "processing", "Engraving your mug now")

    expect(badge).to_have_text("Being made", timeout=LIVE)
    current = page.locator(".timeline .timeline-step.current")
    expect(current).to_contain_text("Being made", timeout=LIVE)
    expect(current).to_contain_text("Engraving your mug now")
    expect(page.get_by_role("button", name="Cancel order")).to_be_visible()

    _set_status(client, staff_auth, order["id"], "shipped")

    expect(badge).to_have_text("Shipped", timeout=LIVE)
    expect(badge).to_have_class("status-badge status-shipped")
    expect(page.get_by_role("button", name="Cancel order")).to_have_count(0, timeout=LIVE)  # too late now
    assert page.evaluate("window.__sameDocument") is True  # updated in place, not reloaded
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "live_order.png"), full_page=True, animations="disabled")


@pytest.mark.browser
@pytest.mark.slow
def test_after_a_dropped_connection_the_page_resumes_and_gets_what_it_missed(browser_page, client):
    import json

    from playwright.sync_api import expect

    shopper, staff = UserFactory(), UserFactory(role="manager")
    mug = ProductFactory(name="Star Mug", price="12.00", stock=10)
    db.session.commit()
    order = _place_order(client, bearer(api_login(client, shopper.email)["access_token"]), mug)
    staff_auth = bearer(api_login(client, staff.email)["access_token"])
    network = {"up": True, "sockets": []}
    sent, received = [], []

    def through_network(ws) -> None:
        """Every /ws the page opens goes through here: passed to the server, or refused while "down"."""
        if not network["up"]:
            ws.close(code=1011, reason="network down")
            return
        server = ws.connect_to_server()
        ws.on_message(lambda message: (sent.append(json.loads(message)), server.send(message)))
        server.on_message(lambda message: (received.append(json.loads(message)), ws.send(message)))
        network["sockets"].append((ws, server))

    page = browser_page
    page.route_web_socket("**/ws", through_network)
    _record_tracking(page)
    _sign_in(page, shopper)
    _open_live(page, f"/orders/{order['id']}")
    badge = page.locator("#order-status .status-badge")
    _set_status(client, staff_auth, order["id"], "processing")
    expect(badge).to_have_text("Being made", timeout=LIVE)
    seen_id = max(frame["id"] for frame in received if "id" in frame)

    network["up"] = False  # the connection drops; reconnecting fails until the network is back
    for ws, server in network["sockets"]:
        server.close()
        ws.close()
    _set_status(client, staff_auth, order["id"], "shipped")  # happens while the page is offline
    page.wait_for_selector("body[data-rt='offline']", state="attached")
    network["up"] = True

    expect(badge).to_have_text("Shipped", timeout=15_000)  # the next try of the backoff (1–4 s)
    assert {"event": "resume", "data": {"last_event_id": seen_id}} in sent
    missed = [f for f in received if f["event"] == "order_status_update" and f["data"]["status"] == "shipped"]
    assert len(missed) == 1  # delivered once, by the resume
    assert missed[0]["id"] > seen_id


@pytest.mark.browser
@pytest.mark.slow
def test_stock_badge_changes_when_another_shopper_buys_the_last_items(browser_page, client):
    from playwright.sync_api import expect

    watcher, buyer = UserFactory(), UserFactory()
    lamp = ProductFactory(name="Moon Lamp", price="30.00", stock=8)
    db.session.commit()
    page = browser_page
    _record_tracking(page)
    _sign_in(page, watcher)
    _open_live(page, f"/products/{lamp.slug}")
    badge = page.locator(f"[data-stock-badge][data-product-id='{lamp.id}']")
    expect(badge).to_have_text("In stock")
    buyer_auth = bearer(api_login(client, buyer.email)["access_token"])

    _place_order(client, buyer_auth, lamp, quantity=5)
    expect(badge).to_have_text("In stock — only 3 left", timeout=LIVE)

    _place_order(client, buyer_auth, lamp, quantity=3)
    expect(badge).to_have_text("Out of stock", timeout=LIVE)
    expect(badge).to_have_class("stock out")


@pytest.mark.browser
@pytest.mark.slow
def test_announcement_shows_as_a_banner_and_a_notification_as_a_toast(browser_page, client):
    from playwright.sync_api import expect

    shopper = UserFactory()
    admin = UserFactory(role="admin")
    db.session.commit()
    admin_auth = bearer(api_login(client, admin.email)["access_token"])
    page = browser_page
    _record_tracking(page)
    _sign_in(page, shopper)
    _open_live(page, "/")
    search = page.locator("#nav-q")
    search.focus()

    response = client.post(
        "/api/v2/realtime/broadcast-announcement",
        json={"title": "Maintenance tonight", "message": "Checkout pauses 22:00–22:15 UTC.", "level": "critical"},
        headers=admin_auth,
    )
    assert response.status_code == 202, response.get_json()

    banner = page.locator("#rt-banners .rt-banner")
    expect(banner).to_contain_text("Maintenance tonight", timeout=LIVE)
    expect(banner).to_have_attribute("role", "alert")  # critical: announced at once
    expect(search).to_be_focused()  # the banner did not take the focus
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "live_announcement.png"), animations="disabled")

    page.goto("/")  # still there on the next page until dismissed
    expect(banner).to_contain_text("Maintenance tonight")
    page.get_by_role("button", name="Dismiss announcement").click()
    expect(banner).to_have_count(0)
    page.goto("/")
    expect(page.locator("body[data-rt='live']")).to_have_count(1)
    expect(banner).to_have_count(0)

    response = client.post(
        "/api/v2/realtime/test-notification",
        json={"user_id": shopper.id, "title": "Hello from the shop", "message": "Just checking you hear us."},
        headers=admin_auth,
    )
    assert response.status_code == 202, response.get_json()
    toast = page.locator("#rt-toasts .rt-toast")
    expect(toast).to_contain_text("Hello from the shop", timeout=LIVE)
    expect(page.locator("#rt-toasts")).to_have_attribute("role", "status")


@pytest.mark.browser
@pytest.mark.slow
def test_staff_see_new_orders_and_low_stock_as_they_happen(browser_page, client):
    from playwright.sync_api import expect

    staff = UserFactory(role="manager")
    shopper = UserFactory()
    vase = ProductFactory(name="Blue Vase", price="40.00", stock=7)
    db.session.commit()
    shopper_auth = bearer(api_login(client, shopper.email)["access_token"])
    staff_auth = bearer(api_login(client, staff.email)["access_token"])
    first = _place_order(client, shopper_auth, vase)
    page = browser_page
    _record_tracking(page)
    _sign_in(page, staff)

    _open_live(page, "/admin/orders")
    row_badge = page.locator(f"[data-order-status][data-order-id='{first['id']}']")
    expect(row_badge).to_have_text("Placed")
    _set_status(client, staff_auth, first["id"], "processing")
    expect(row_badge).to_have_text("Being made", timeout=LIVE)
    _place_order(client, shopper_auth, vase)
    notice = page.get_by_role("status").filter(has_text="A new order came in.")
    expect(notice).to_be_visible(timeout=LIVE)
    expect(page.get_by_role("link", name="Show the newest orders")).to_be_visible()

    _open_live(page, "/admin")
    feed = page.locator("[data-live-feed]")
    second = _place_order(client, shopper_auth, vase, quantity=2)  # 7 - 1 - 1 - 2 = 3 left: low
    expect(feed.get_by_role("link", name=f"New order {second['number']}")).to_be_visible(timeout=LIVE)
    expect(feed).to_contain_text("Low stock: Blue Vase — 3 left", timeout=LIVE)
    expect(page.locator("[data-live-feed-empty]")).to_be_hidden()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "live_dashboard.png"), full_page=True, animations="disabled")


# --- the tracking partial the order page fetches (no browser needed) -------------------------------


def test_order_status_partial_is_the_owners_only(app, client, login):
    shopper, other = UserFactory(), UserFactory()
    mug = ProductFactory(name="Star Mug", price="12.00", stock=10)
    db.session.commit()
    order = _place_order(client, bearer(api_login(client, shopper.email)["access_token"]), mug)
    url = f"/orders/{order['id']}/status"

    login(other)
    assert client.get(url, headers={"HX-Request": "true"}).status_code == 404
    login(shopper)
    partial = client.get(url, headers={"HX-Request": "true"})
    assert partial.status_code == 200
    html = partial.get_data(as_text=True)
    assert 'class="timeline"' in html
    assert "<html" not in html
    assert 'id="order-status" hx-swap-oob="innerHTML"' in html
    assert 'id="review-notice" hx-swap-oob="delete"' in html  # placed: no longer under review
    assert 'id="order-cancel"' not in html  # still cancelable
    plain = client.get(url)  # without htmx: the order page
    assert plain.status_code == 303
    assert plain.headers["Location"].endswith(f"/orders/{order['id']}")
