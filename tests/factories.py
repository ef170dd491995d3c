"""factory_boy factories for test data, bound to the app's session."""

from __future__ import annotations

from decimal import Decimal

import factory
from factory.alchemy import SQLAlchemyModelFactory

from fantasize.accounts.models import Role, User
from fantasize.accounts.passwords import hash_password
from fantasize.catalog.models import Brand, Category, Product
from fantasize.extensions import db

DEFAULT_PASSWORD = "correct horse battery staple"


class BaseFactory(SQLAlchemyModelFactory):
    class Meta:
        abstract = True
        sqlalchemy_session_factory = lambda: db.session  # noqa: E731
        sqlalchemy_session_persistence = "commit"


class UserFactory(BaseFactory):
    class Meta:
        model = User

    email = factory.Sequence(lambda n: f"shopper{n}@example.com")
    username = factory.Sequence(lambda n: f"shopper{n}")
    role = Role.CUSTOMER.value
    password_hash = factory.LazyFunction(lambda: hash_password(DEFAULT_PASSWORD))


class CategoryFactory(BaseFactory):
    class Meta:
        model = Category

    name = factory.Sequence(lambda n: f"Category {n}")
    slug = factory.Sequence(lambda n: f"category-{n}")


class SubcategoryFactory(CategoryFactory):
    parent = factory.SubFactory(CategoryFactory)


class BrandFactory(BaseFactory):
    class Meta:
        model = Brand

    name = factory.Sequence(lambda n: f"Brand {n}")
    slug = factory.Sequence(lambda n: f"brand-{n}")


class ProductFactory(BaseFactory):
    class Meta:
        model = Product

    name = factory.Sequence(lambda n: f"Gift {n}")
    slug = factory.Sequence(lambda n: f"gift-{n}")
    description = "A personalised gift."
    price = Decimal("19.90")
    stock = 10
    subcategory = factory.SubFactory(SubcategoryFactory)
    brand = factory.SubFactory(BrandFactory)
