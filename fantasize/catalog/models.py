"""Catalog: categories (two levels), brands, materials, products, packages, media, offers."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import Boolean, CheckConstraint, Column, ForeignKey, Index, Integer, Numeric, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from fantasize.db import TimestampMixin, UTCDateTime, utcnow
from fantasize.extensions import db

Money = Numeric(10, 2)
# Text-search indexes created by the migrations on PostgreSQL only (full-text and trigram GIN
# indexes that SQLite has no equivalent for); autogenerate and the schema test skip them.
POSTGRES_ONLY_INDEXES = frozenset(
    {"ix_products_search", "ix_packages_search", "ix_products_name_trgm", "ix_packages_name_trgm"}
)
Percent = Numeric(5, 2)


class Category(TimestampMixin, db.Model):
    """A category, or a subcategory when ``parent_id`` is set (two levels only)."""

    __tablename__ = "categories"

    id: Mapped[int] = mapped_column(primary_key=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("categories.id", ondelete="RESTRICT"), index=True)
    name: Mapped[str] = mapped_column(String(120), nullable=False)
    slug: Mapped[str] = mapped_column(String(140), nullable=False, unique=True)
    description: Mapped[str] = mapped_column(Text, nullable=False, default="")
    image_path: Mapped[str | None] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    position: Mapped[int] = mapped_column(Integer, nullable=False, default=0)

    parent: Mapped[Category | None] = relationship(remote_side=[id], back_populates="children")
    children: Mapped[list[Category]] = relationship(back_populates="parent", order_by="Category.position")


class Brand(TimestampMixin, db.Model):
    __tablename__ = "brands"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), nullable=False, unique=True)
    slug: Mapped[str] = mapped_column(String(140), nullable=False, unique=True)


class Material(TimestampMixin, db.Model):
    __tablename__ = "materials"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), nullable=False, unique=True)
    slug: Mapped[str] = mapped_column(String(140), nullable=False, unique=True)


class ProductMaterial(db.Model):
    """How much of a product is made of a material (percent)."""

    __tablename__ = "product_materials"
    __table_args__ = (CheckConstraint("percentage > 0 AND percentage <= 100", name="percentage_range"),)

    product_id: Mapped[int] = mapped_column(ForeignKey("products.id", ondelete="CASCADE"), primary_key=True)
    material_id: Mapped[int] = mapped_column(
        ForeignKey("materials.id", ondelete="RESTRICT"), primary_key=True, index=True
    )
    percentage: Mapped[Decimal] = mapped_column(Percent, nullable=False, default=Decimal("100"))

    material: Mapped[Material] = relationship(lazy="joined")


class PackageMaterial(db.Model):
    __tablename__ = "package_materials"
    __table_args__ = (CheckConstraint("percentage > 0 AND percentage <= 100", name="percentage_range"),)

    package_id: Mapped[int] = mapped_column(ForeignKey("packages.id", ondelete="CASCADE"), primary_key=True)
    material_id: Mapped[int] = mapped_column(
        ForeignKey("materials.id", ondelete="RESTRICT"), primary_key=True, index=True
    )
    percentage: Mapped[Decimal] = mapped_column(Percent, nullable=False, default=Decimal("100"))

    material: Mapped[Material] = relationship(lazy="joined")


class Sellable:
    """What products and packages share: identity, price, stock, rating and visibility."""

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    slug: Mapped[str] = mapped_column(String(220), nullable=False, unique=True)
    description: Mapped[str] = mapped_column(Text, nullable=False, default="")  # sanitized HTML
    price: Mapped[Decimal] = mapped_column(Money, nullable=False)
    stock: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    rating: Mapped[Decimal] = mapped_column(Numeric(3, 2), nullable=False, default=Decimal("0"))
    review_count: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    image_path: Mapped[str | None] = mapped_column(String(255))  # the primary picture's thumbnail
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow, nullable=False)
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Product(Sellable, db.Model):
    __tablename__ = "products"
    __table_args__ = (
        CheckConstraint("stock >= 0", name="stock_not_negative"),
        CheckConstraint("price >= 0", name="price_not_negative"),
        CheckConstraint("rating >= 0 AND rating <= 5", name="rating_range"),
        Index("ix_products_active_created", "active", "created_at", "id"),
        Index("ix_products_active_price", "active", "price", "id"),
        Index("ix_products_active_rating", "active", "rating", "id"),
        Index("ix_products_active_name", "active", "name", "id"),
    )

    subcategory_id: Mapped[int] = mapped_column(ForeignKey("categories.id", ondelete="RESTRICT"), index=True)
    brand_id: Mapped[int | None] = mapped_column(ForeignKey("brands.id", ondelete="SET NULL"), index=True)

    subcategory: Mapped[Category] = relationship(lazy="raise")
    brand: Mapped[Brand | None] = relationship(lazy="raise")
    materials: Mapped[list[ProductMaterial]] = relationship(cascade="all, delete-orphan", lazy="raise")
    media: Mapped[list[Media]] = relationship(
        cascade="all, delete-orphan", order_by="Media.position", lazy="raise", foreign_keys="Media.product_id"
    )

    kind = "product"

    @property
    def in_stock(self) -> bool:
        return self.stock > 0


class Package(Sellable, db.Model):
    """A gift box: several products with a quantity each, its own price and its own stock."""

    __tablename__ = "packages"
    __table_args__ = (
        CheckConstraint("stock >= 0", name="stock_not_negative"),
        CheckConstraint("price >= 0", name="price_not_negative"),
        CheckConstraint("rating >= 0 AND rating <= 5", name="rating_range"),
        Index("ix_packages_active_created", "active", "created_at", "id"),
        Index("ix_packages_active_price", "active", "price", "id"),
    )

    subcategory_id: Mapped[int] = mapped_column(ForeignKey("categories.id", ondelete="RESTRICT"), index=True)

    subcategory: Mapped[Category] = relationship(lazy="raise")
    items: Mapped[list[PackageItem]] = relationship(
        cascade="all, delete-orphan", lazy="raise", order_by="PackageItem.product_id"
    )
    materials: Mapped[list[PackageMaterial]] = relationship(cascade="all, delete-orphan", lazy="raise")
    media: Mapped[list[Media]] = relationship(
        cascade="all, delete-orphan", order_by="Media.position", lazy="raise", foreign_keys="Media.package_id"
    )

    kind = "package"
    brand = None


class PackageItem(db.Model):
    __tablename__ = "package_items"
    __table_args__ = (CheckConstraint("quantity > 0", name="quantity_positive"),)

    package_id: Mapped[int] = mapped_column(ForeignKey("packages.id", ondelete="CASCADE"), primary_key=True)
    product_id: Mapped[int] = mapped_column(
        ForeignKey("products.id", ondelete="RESTRICT"), primary_key=True, index=True
    )
    quantity: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    product: Mapped[Product] = relationship(lazy="raise")


class Media(db.Model):
    """A picture of a product or a package (exactly one of them), with its thumbnail."""

    __tablename__ = "media"
    __table_args__ = (
        CheckConstraint("(product_id IS NULL) <> (package_id IS NULL)", name="one_owner"),
        Index("ix_media_product_position", "product_id", "position"),
        Index("ix_media_package_position", "package_id", "position"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int | None] = mapped_column(ForeignKey("products.id", ondelete="CASCADE"))
    package_id: Mapped[int | None] = mapped_column(ForeignKey("packages.id", ondelete="CASCADE"))
    path: Mapped[str] = mapped_column(String(255), nullable=False)
    thumb_path: Mapped[str] = mapped_column(String(255), nullable=False)
    alt_text: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    width: Mapped[int] = mapped_column(Integer, nullable=False)
    height: Mapped[int] = mapped_column(Integer, nullable=False)
    position: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    is_primary: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False)


offer_products = Table(
    "offer_products",
    db.metadata,
    Column("offer_id", ForeignKey("offers.id", ondelete="CASCADE"), primary_key=True),
    Column("product_id", ForeignKey("products.id", ondelete="CASCADE"), primary_key=True, index=True),
)
offer_packages = Table(
    "offer_packages",
    db.metadata,
    Column("offer_id", ForeignKey("offers.id", ondelete="CASCADE"), primary_key=True),
    Column("package_id", ForeignKey("packages.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class Offer(TimestampMixin, db.Model):
    """A percentage discount on some products and packages, valid from ``starts_at`` until ``ends_at``."""

    __tablename__ = "offers"
    __table_args__ = (
        CheckConstraint("percent > 0 AND percent < 100", name="percent_range"),
        CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        Index("ix_offers_window", "starts_at", "ends_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), nullable=False)
    percent: Mapped[Decimal] = mapped_column(Percent, nullable=False)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)

    products: Mapped[list[Product]] = relationship(secondary=offer_products)
    packages: Mapped[list[Package]] = relationship(secondary=offer_packages)


class Review(TimestampMixin, db.Model):
    """A rating from 1 to 5 with a comment, one per user per product or package."""

    __tablename__ = "reviews"
    __table_args__ = (
        CheckConstraint("rating >= 1 AND rating <= 5", name="rating_range"),
        CheckConstraint("(product_id IS NULL) <> (package_id IS NULL)", name="one_item"),
        Index("uq_reviews_user_product", "user_id", "product_id", unique=True),
        Index("uq_reviews_user_package", "user_id", "package_id", unique=True),
        Index("ix_reviews_product_created", "product_id", "created_at", "id"),
        Index("ix_reviews_package_created", "package_id", "created_at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), nullable=False)
    product_id: Mapped[int | None] = mapped_column(ForeignKey("products.id", ondelete="CASCADE"))
    package_id: Mapped[int | None] = mapped_column(ForeignKey("packages.id", ondelete="CASCADE"))
    rating: Mapped[int] = mapped_column(Integer, nullable=False)
    comment: Mapped[str] = mapped_column(Text, nullable=False, default="")  # plain text as typed; escaped when shown
    verified_purchase: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)

    author = relationship("User")  # lists load it with joinedload


class Favorite(db.Model):
    __tablename__ = "favorites"
    __table_args__ = (
        CheckConstraint("(product_id IS NULL) <> (package_id IS NULL)", name="one_item"),
        Index("uq_favorites_user_product", "user_id", "product_id", unique=True),
        Index("uq_favorites_user_package", "user_id", "package_id", unique=True),
        Index("ix_favorites_user_created", "user_id", "created_at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), nullable=False)
    product_id: Mapped[int | None] = mapped_column(ForeignKey("products.id", ondelete="CASCADE"))
    package_id: Mapped[int | None] = mapped_column(ForeignKey("packages.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False)
