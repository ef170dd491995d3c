"""The e-mail template editor: who may use it, saving, restoring, the sandboxed live preview."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from sqlalchemy import select

from fantasize.extensions import db
from fantasize.notifications.models import EmailTemplate
from fantasize.notifications.templates import DEFAULT_DOCUMENTS, render, sample_context
from tests.factories import DEFAULT_PASSWORD, UserFactory

EDIT = "/admin/notifications/templates/order_shipped/en"
PREVIEW = EDIT + "/preview"
HTMX = {"HX-Request": "true"}
SCREENSHOT = Path("/tmp/email_editor.png")  # noqa: S108 - where the reviewer looks for it


@pytest.fixture
def admin(login):
    user = UserFactory(role="admin", username="ada")
    login(user)
    return user


def _form(**fields: str) -> dict[str, str]:
    data = dict(DEFAULT_DOCUMENTS["order_shipped"])
    data.update(fields)
    return data


def _error_next_to(page: str, field_id: str) -> str:
    match = re.search(rf'<small id="{field_id}-help" class="field-error">\s*(.*?)\s*</small>', page, re.S)
    assert match, f"no error shown next to {field_id}"
    return html.unescape(match.group(1))


def _iframe_srcdoc(page: str) -> str:
    match = re.search(r'<iframe class="email-frame" sandbox srcdoc="([^"]*)"', page)
    assert match, "no sandboxed preview iframe"
    return html.unescape(match.group(1))


# --- who may ---------------------------------------------------------------------------------------


def _every_url(app) -> list[tuple[str, str]]:
    found = set()
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("admin_notifications."):
            path = rule.build({"event": "welcome", "language": "en"}, append_unknown=False)[1]
            found.update((method, path) for method in rule.methods - {"HEAD", "OPTIONS"})
    return sorted(found)


@pytest.mark.parametrize("role", ["customer", "manager"])
def test_only_admins_may_use_the_editor(app, client, login, role):
    urls = _every_url(app)
    assert len(urls) >= 6
    for method, url in urls:  # signed out: sent to sign in
        assert client.open(url, method=method).status_code == 302, url
    login(UserFactory(role=role))
    for method, url in urls:
        response = client.open(url, method=method, data=_form())
        assert response.status_code == 403, (role, method, url)
    assert db.session.scalar(select(EmailTemplate)) is None


# --- list, edit, restore ---------------------------------------------------------------------------


def test_list_shows_every_kind_as_default(client, admin):
    page = client.get("/admin/notifications/templates").get_data(as_text=True)
    for event in DEFAULT_DOCUMENTS:
        assert f"/admin/notifications/templates/{event}/en" in page
    assert "Order shipped" in page
    assert "announcement" not in page
    assert "Edited" not in page


def test_editing_saves_shows_as_edited_and_is_used_for_sending(client, admin):
    page = client.get(EDIT).get_data(as_text=True)
    assert 'name="subject"' in page
    assert "Your order {{ order.number }} is on its way" in html.unescape(page)
    for label in ("Subject", "Summary", "HTML body", "Text body"):
        assert f">{label}" in page

    response = client.post(EDIT, data=_form(subject="Packed and sent: {{ order.number }}", action="save"))
    assert response.status_code == 303
    assert response.headers["Location"].endswith(EDIT)
    follow = client.get(EDIT).get_data(as_text=True)
    assert "saved." in follow
    assert "your edited version" in follow

    listing = client.get("/admin/notifications/templates").get_data(as_text=True)
    row = re.search(r"order_shipped</code>.*?</tr>", listing, re.S).group(0)
    assert "Edited" in row
    assert "by ada" in row

    db.session.expire_all()
    assert render("order_shipped", "en", sample_context("order_shipped")).subject == "Packed and sent: FZ-7K3M9Q"
    assert render("order_shipped", "fr", sample_context("order_shipped")).subject == "Packed and sent: FZ-7K3M9Q"


def test_restore_default(client, admin):
    client.post(EDIT, data=_form(subject="Custom", action="save"))
    response = client.post(EDIT, data={"action": "reset"})
    assert response.status_code == 303
    assert "Default restored" in client.get(EDIT).get_data(as_text=True)
    db.session.expire_all()
    assert db.session.scalar(select(EmailTemplate)) is None
    assert render("order_shipped", "en", sample_context("order_shipped")).subject.startswith("Your order FZ-7K3M9Q")


def test_invalid_template_is_not_saved_and_the_error_sits_next_to_the_field(client, admin):
    response = client.post(EDIT, data=_form(html="<p>{% if order.note %}</p>", summary="", action="save"))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert _error_next_to(page, "html").startswith("Line 1:")
    assert "Write the summary" in _error_next_to(page, "summary")
    assert db.session.scalar(select(EmailTemplate)) is None


def test_another_language_is_started_from_english_and_stored_apart(client, admin):
    response = client.get("/admin/notifications/templates/new-language?event=order_shipped&language=de")
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/order_shipped/de")
    page = client.get("/admin/notifications/templates/order_shipped/de").get_data(as_text=True)
    assert "no “de” version yet" in page
    client.post("/admin/notifications/templates/order_shipped/de", data=_form(subject="Unterwegs", action="save"))
    db.session.expire_all()
    assert render("order_shipped", "de", sample_context("order_shipped")).subject == "Unterwegs"
    assert render("order_shipped", "en", sample_context("order_shipped")).subject.startswith("Your order")
    listing = client.get("/admin/notifications/templates").get_data(as_text=True)
    assert "/admin/notifications/templates/order_shipped/de" in listing


def test_bad_language_codes_are_refused(client, admin):
    response = client.get("/admin/notifications/templates/new-language?event=welcome&language=english")
    assert response.status_code == 422
    assert "Use a code like" in _error_next_to(response.get_data(as_text=True), "language")
    assert client.get("/admin/notifications/templates/welcome/EN").status_code == 404
    assert client.get("/admin/notifications/templates/announcement/en").status_code == 404
    assert client.get("/admin/notifications/templates/nope/en").status_code == 404


# --- preview ---------------------------------------------------------------------------------------


def test_preview_partial_renders_the_html_in_a_sandboxed_iframe(client, admin):
    response = client.post(PREVIEW, data=_form(subject="Hi {{ recipient.name }}: {{ order.number }}"), headers=HTMX)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "<html" not in page.split("<iframe")[0]  # a partial, not the whole page
    iframe = re.search(r"<iframe[^>]*>", page).group(0)
    assert " sandbox " in iframe
    assert "allow-scripts" not in iframe
    assert "allow-same-origin" not in iframe
    srcdoc = _iframe_srcdoc(page)
    assert srcdoc.lstrip().startswith("<!doctype html>")
    assert "Personalised Ceramic Mug" in srcdoc
    assert "Hi Alex: FZ-7K3M9Q" in page
    assert "Good news: order FZ-7K3M9Q has left our workshop" in page  # the text version


def test_preview_escapes_the_email_html_out_of_the_admin_page(client, admin):
    response = client.post(
        PREVIEW, data=_form(html='<script>alert(1)</script><img src=x onerror="alert(2)">'), headers=HTMX
    )
    page = response.get_data(as_text=True)
    assert "<script>alert(1)" not in page
    assert "<img src=x" not in page
    assert _iframe_srcdoc(page) == '<script>alert(1)</script><img src=x onerror="alert(2)">\n'


def test_preview_problems_are_shown_beside_the_field_not_a_500(client, admin):
    response = client.post(PREVIEW, data=_form(subject="{{ ''.__class__.__mro__ }}", text="{% for %}"), headers=HTMX)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    subject = re.search(
        r'<div id="problems-subject" class="preview-problems" hx-swap-oob="true">(.*?)</div>', page, re.S
    )
    assert subject
    assert "may not use" in subject.group(1)
    assert "Line 1" in re.search(r'id="problems-text"[^>]*>(.*?)</div>', page, re.S).group(1)
    assert re.search(r'id="problems-html"[^>]*></div>', page)  # cleared
    assert "<iframe" not in page


def test_preview_without_javascript_shows_the_page_with_the_preview(client, admin):
    response = client.post(EDIT, data=_form(subject="Preview me {{ order.number }}", action="preview"))
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Preview me FZ-7K3M9Q" in page
    assert "<iframe" in page
    assert "<form" in page
    assert db.session.scalar(select(EmailTemplate)) is None  # previewing saves nothing
    bad = client.post(EDIT, data=_form(html="{{ x.__class__ }} {% endif %}", action="preview"))
    assert bad.status_code == 422
    assert _error_next_to(bad.get_data(as_text=True), "html").startswith("Line 1")


def test_editor_page_lets_the_preview_use_inline_styles_but_never_scripts(client, admin):
    policy = client.get(EDIT).headers["Content-Security-Policy"]
    assert "style-src 'self' 'unsafe-inline'" in policy
    assert "script-src 'self'" in policy
    assert "unsafe-eval" not in policy


INJECTIONS = [
    "{{ config }}",
    "{{ config.SECRET_KEY }}",
    "{{ ''.__class__.__mro__ }}",
    "{{ cycler.__init__.__globals__ }}",
    "{{ self }}",
    "{{ request }}",
    "{% for i in range(10**9) %}x{% endfor %}",
]


@pytest.mark.parametrize("source", INJECTIONS)
def test_injection_attempts_in_the_editor_are_refused_or_harmless(app, client, admin, source):
    secret = app.config["SECRET_KEY"]
    preview = client.post(PREVIEW, data=_form(subject=source + " ok", html=source), headers=HTMX)
    assert preview.status_code == 200
    assert secret not in preview.get_data(as_text=True)
    saved = client.post(EDIT, data=_form(subject=source + " ok", html=source, action="save"))
    assert saved.status_code in (303, 422)
    assert secret not in saved.get_data(as_text=True)
    if saved.status_code == 422:
        assert db.session.scalar(select(EmailTemplate)) is None
    db.session.expire_all()
    rendered = render("order_shipped", "en", sample_context("order_shipped"))
    assert secret not in rendered.subject + rendered.html


# --- in a real browser -----------------------------------------------------------------------------


@pytest.mark.browser
def test_typing_a_subject_updates_the_live_preview(browser_page):
    UserFactory(role="admin", email="ada@example.com")
    page = browser_page
    page.goto("/login")
    page.get_by_label("E-mail").fill("ada@example.com")
    page.get_by_label("Password").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: "/login" not in url)

    page.goto("/admin/notifications/templates")
    page.get_by_role("link", name="Order shipped", exact=True).click()
    page.wait_for_url("**/order_shipped/en")
    subject = page.get_by_label("Subject")
    subject.fill("On its way to {{ recipient.name }}: {{ order.number }}")
    page.wait_for_function(
        "() => document.querySelector('.preview-subject')?.textContent === 'On its way to Alex: FZ-7K3M9Q'"
    )
    frame = page.frame_locator("iframe.email-frame")
    assert frame.get_by_text("Walnut Photo Frame").is_visible()

    subject.fill("Broken {{ ''.__class__ }}")
    problem = page.locator("#problems-subject .field-error")
    problem.wait_for()
    assert "may not use" in problem.inner_text()
    subject.fill("Shipped: {{ order.number }}")
    page.wait_for_function("() => document.querySelector('.preview-subject')?.textContent === 'Shipped: FZ-7K3M9Q'")
    assert page.locator("#problems-subject .field-error").count() == 0
    page.frame_locator("iframe.email-frame").get_by_text("View your order").wait_for()
    page.screenshot(path=str(SCREENSHOT), full_page=True)

    page.get_by_role("button", name="Save").click()
    page.wait_for_url("**/order_shipped/en")
    assert page.get_by_text("saved.").is_visible()
    db.session.expire_all()
    assert render("order_shipped", "en", sample_context("order_shipped")).subject == "Shipped: FZ-7K3M9Q"
