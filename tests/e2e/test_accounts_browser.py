"""Accounts in a real browser: register, sign out, sign in, and the account pages."""

from pathlib import Path

import pytest

from tests.factories import UserFactory

pytestmark = pytest.mark.browser
SCREENSHOTS = Path(__file__).resolve().parents[2] / "instance" / "screenshots"


def test_register_then_sign_out_and_in_again(browser_page):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page = browser_page
    page.goto("/")
    page.locator("header").get_by_text("Create account").click()
    page.get_by_label("E-mail").fill("browser@example.com")
    page.get_by_label("Name (optional)").fill("Bea")
    page.get_by_label("Password").fill("short")
    page.get_by_role("button", name="Create account").click()
    assert page.locator("#password-help.field-error").is_visible()
    page.screenshot(path=str(SCREENSHOTS / "register-errors.png"), full_page=True)

    page.get_by_label("Password").fill("plum-kettle-orbit-57")
    page.get_by_role("button", name="Create account").click()
    assert page.get_by_text("Welcome to Fantasize!").is_visible()

    page.locator("summary", has_text="Bea").click()
    page.get_by_role("button", name="Sign out").click()
    assert page.get_by_text("You are signed out.").is_visible()

    page.get_by_role("link", name="Sign in").click()
    page.get_by_label("E-mail").fill("browser@example.com")
    page.get_by_label("Password").fill("plum-kettle-orbit-57")
    page.screenshot(path=str(SCREENSHOTS / "login.png"), full_page=True)
    page.get_by_role("button", name="Sign in").click()
    page.goto("/account/security")
    page.get_by_role("button", name="Set up two-factor authentication").click()
    assert page.locator(".qr-code svg").is_visible()
    page.screenshot(path=str(SCREENSHOTS / "security-mfa.png"), full_page=True)


def test_admin_users_page(browser_page):
    admin = UserFactory(role="admin", email="boss@example.com", username="Boss")
    UserFactory(email="someone@example.com")
    page = browser_page
    page.goto("/login")
    page.get_by_label("E-mail").fill(admin.email)
    page.get_by_label("Password").fill("correct horse battery staple")
    page.get_by_role("button", name="Sign in").click()
    page.goto("/admin/users")
    assert page.get_by_role("cell", name="someone@example.com", exact=True).is_visible()
    page.get_by_label("Role of someone@example.com").select_option("manager")
    page.get_by_role("button", name="Save role").click()
    assert page.get_by_text("someone@example.com is now manager.").is_visible()
    page.screenshot(path=str(SCREENSHOTS / "admin-users.png"), full_page=True)
