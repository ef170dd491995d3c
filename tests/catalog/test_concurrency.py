"""Concurrent writes on PostgreSQL (separate connections, real row locks)."""

import pytest

from fantasize.catalog.models import Product
from fantasize.extensions import db
from tests.accounts.helpers import api_login, bearer
from tests.factories import ProductFactory, UserFactory
from tests.support.parallel import run_in_parallel

pytestmark = pytest.mark.postgres


def test_concurrent_reviews_all_count_in_the_rating(app, client):
    product_id = ProductFactory().id
    reviewers = [UserFactory() for _ in range(8)]
    tokens = [api_login(client, user.email)["access_token"] for user in reviewers]

    def review(token, stars):
        return lambda c: (
            c.post(f"/api/v2/products/{product_id}/reviews", json={"rating": stars}, headers=bearer(token)).status_code
        )

    statuses = run_in_parallel(app, [review(token, 1 + i % 5) for i, token in enumerate(tokens)])
    assert statuses == [201] * 8
    db.session.expire_all()
    stored = db.session.get(Product, product_id)
    assert stored.review_count == 8
    assert float(stored.rating) == pytest.approx(sum(1 + i % 5 for i in range(8)) / 8, abs=0.01)


def test_the_same_user_reviewing_twice_at_once_gets_one_review_and_a_409(app, client):
    product_id = ProductFactory().id
    token = api_login(client, UserFactory().email)["access_token"]

    def post(c):
        return c.post(f"/api/v2/products/{product_id}/reviews", json={"rating": 5}, headers=bearer(token)).status_code

    assert sorted(run_in_parallel(app, [post, post, post])) == [201, 409, 409]
