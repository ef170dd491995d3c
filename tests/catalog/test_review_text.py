"""Review text is kept as typed and escaped once when shown; reviewers are never named by their e-mail."""

import importlib.util
from pathlib import Path

from alembic.migration import MigrationContext
from alembic.operations import Operations
from sqlalchemy import select, text

from fantasize.catalog.models import Review
from fantasize.extensions import db
from tests.accounts.helpers import api_login, bearer
from tests.factories import ProductFactory, UserFactory

TYPED = 'Fits 5 > 4 frames & "Tom\'s" <b>desk</b>'


def _review_via_api(client, product, user, comment: str = TYPED) -> dict:
    auth = bearer(api_login(client, user.email)["access_token"])
    response = client.post(
        f"/api/v2/products/{product.id}/reviews", json={"rating": 5, "comment": comment}, headers=auth
    )
    assert response.status_code == 201, response.get_json()
    return response.get_json()["data"]


def test_review_text_is_stored_as_typed_and_escaped_once_on_the_page(client):
    product = ProductFactory()
    created = _review_via_api(client, product, UserFactory(username="Tom"))
    assert created["comment"] == TYPED
    assert db.session.scalar(select(Review.comment)) == TYPED
    assert client.get(f"/api/v2/products/{product.id}/reviews").get_json()["data"][0]["comment"] == TYPED
    html = client.get(f"/products/{product.slug}").get_data(as_text=True)
    assert "Fits 5 &gt; 4 frames &amp; &#34;Tom&#39;s&#34; &lt;b&gt;desk&lt;/b&gt;" in html
    assert "&amp;gt;" not in html
    assert "<b>desk</b>" not in html


def test_a_script_in_a_review_form_is_shown_as_text(client, login):
    product = ProductFactory()
    login(UserFactory(username="Ada"))
    client.post(f"/products/{product.slug}/reviews", data={"rating": "4", "comment": "Nice <script>alert(1)</script>"})
    html = client.get(f"/products/{product.slug}").get_data(as_text=True)
    assert "Nice &lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>alert(1)" not in html


def test_a_reviewer_without_a_username_is_not_named_by_their_email(client, login):
    product = ProductFactory()
    anonymous = UserFactory(username=None, email="john.smith.1985@example.com")
    created = _review_via_api(client, product, anonymous, "Good")
    assert created["author"] == "A Fantasize shopper"
    listed = client.get(f"/api/v2/products/{product.id}/reviews").get_json()["data"]
    assert listed[0]["author"] == "A Fantasize shopper"
    html = client.get(f"/products/{product.slug}").get_data(as_text=True)
    assert "A Fantasize shopper" in html
    assert "john.smith" not in html


def test_a_reviewer_with_a_username_is_shown_by_it(client):
    product = ProductFactory()
    assert _review_via_api(client, product, UserFactory(username="Ada"), "Good")["author"] == "Ada"
    assert "<strong>Ada</strong>" in client.get(f"/products/{product.slug}").get_data(as_text=True)


def test_the_migration_unescapes_stored_reviews(client):
    product = ProductFactory()
    _review_via_api(client, product, UserFactory(username="Old"), "placeholder")
    db.session.execute(text("UPDATE reviews SET comment = :c"), {"c": "5 &gt; 4 &amp; &lt;3 &amp;amp; more"})
    db.session.commit()
    path = next(Path("migrations/versions").glob("*_unescape_review_text.py"))
    spec = importlib.util.spec_from_file_location("unescape_review_text", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    with db.engine.begin() as connection, Operations.context(MigrationContext.configure(connection)):
        module.upgrade()
    db.session.expire_all()
    assert db.session.scalar(select(Review.comment)) == "5 > 4 & <3 &amp; more"
