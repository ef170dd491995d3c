"""Concurrent writes on PostgreSQL (separate connections, real row locks)."""

import threading

import pytest

from fantasize.catalog.models import Product
from fantasize.extensions import db
from tests.accounts.helpers import api_login, bearer
from tests.factories import ProductFactory, UserFactory

pytestmark = pytest.mark.postgres


def _in_parallel(app, calls):
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(index, call):
        client = app.test_client()
        barrier.wait()
        results[index] = call(client)

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


def test_concurrent_reviews_all_count_in_the_rating(app, client):
    product_id = ProductFactory().id
    reviewers = [UserFactory() for _ in range(8)]
    tokens = [api_login(client, user.email)["access_token"] for user in reviewers]

    def review(token, stars):
        return lambda c: (
            c.post(f"/api/v2/products/{product_id}/reviews", json={"rating": stars}, headers=bearer(token)).status_code
        )

    statuses = _in_parallel(app, [review(token, 1 + i % 5) for i, token in enumerate(tokens)])
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

    assert sorted(_in_parallel(app, [post, post, post])) == [201, 409, 409]
