"""factory_boy factories for test data, bound to the app's session."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import factory
from factory.alchemy import SQLAlchemyModelFactory

from fantasize.accounts.models import Role, User
from fantasize.accounts.passwords import hash_password
from fantasize.catalog.models import Brand, Category, Material, Offer, Package, PackageItem, Product
from fantasize.db import utcnow
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


class MaterialFactory(BaseFactory):
    class Meta:
        model = Material

    name = factory.Sequence(lambda n: f"Material {n}")
    slug = factory.Sequence(lambda n: f"material-{n}")


class PackageFactory(BaseFactory):
    """A gift box; pass ``items=[(product, quantity), …]``."""

    class Meta:
        model = Package

    name = factory.Sequence(lambda n: f"Gift Box {n}")
    slug = factory.Sequence(lambda n: f"gift-box-{n}")
    description = "A box of gifts."
    price = Decimal("49.00")
    stock = 10
    subcategory = factory.SubFactory(SubcategoryFactory)

    @factory.post_generation
    def items(self, create: bool, extracted: list | None, **kwargs: object) -> None:
        for product, quantity in extracted or []:
            db.session.add(PackageItem(package_id=self.id, product_id=product.id, quantity=quantity))
        db.session.commit()


class OfferFactory(BaseFactory):
    """A current offer by default; pass ``products=[…]`` / ``packages=[…]``."""

    class Meta:
        model = Offer

    name = factory.Sequence(lambda n: f"Offer {n}")
    percent = Decimal("20")
    starts_at = factory.LazyFunction(lambda: utcnow() - timedelta(days=1))
    ends_at = factory.LazyFunction(lambda: utcnow() + timedelta(days=7))
    active = True

    @factory.post_generation
    def products(self, create: bool, extracted: list | None, **kwargs: object) -> None:
        if extracted:
            self.products = list(extracted)
            db.session.commit()

    @factory.post_generation
    def packages(self, create: bool, extracted: list | None, **kwargs: object) -> None:
        if extracted:
            self.packages = list(extracted)
            db.session.commit()
