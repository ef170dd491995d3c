"""Customization options, presets that bundle them, and customers' uploaded pictures."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, Boolean, CheckConstraint, ForeignKey, Index, Integer, Numeric, String
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column, relationship

from fantasize.db import TimestampMixin, UTCDateTime, utcnow
from fantasize.extensions import db

# JSONB on PostgreSQL, JSON elsewhere.
JsonDocument = JSON().with_variant(JSONB(), "postgresql")


class CustomizationOption(TimestampMixin, db.Model):
    """One option (a colour to pick, a text to engrave, a photo to upload).

    It belongs to exactly one of: a product, a package, or a preset (which products and
    packages attach). ``config`` holds the type's settings, validated on every write.
    """

    __tablename__ = "customization_options"
    __table_args__ = (
        CheckConstraint(
            "(CASE WHEN product_id IS NULL THEN 0 ELSE 1 END) + (CASE WHEN package_id IS NULL THEN 0 ELSE 1 END)"
            " + (CASE WHEN preset_id IS NULL THEN 0 ELSE 1 END) = 1",
            name="one_owner",
        ),
        Index("ix_customization_options_product", "product_id", "position"),
        Index("ix_customization_options_package", "package_id", "position"),
        Index("ix_customization_options_preset", "preset_id", "position"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int | None] = mapped_column(ForeignKey("products.id", ondelete="CASCADE"))
    package_id: Mapped[int | None] = mapped_column(ForeignKey("packages.id", ondelete="CASCADE"))
    preset_id: Mapped[int | None] = mapped_column(ForeignKey("customization_presets.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(80), nullable=False)
    type: Mapped[str] = mapped_column(String(10), nullable=False)  # a name in customization.types.OPTION_TYPES
    required: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    special: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)  # needs staff review
    price_delta: Mapped[Decimal] = mapped_column(Numeric(10, 2), nullable=False, default=Decimal("0"))
    position: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    config: Mapped[dict[str, Any]] = mapped_column(JsonDocument, nullable=False, default=dict)


class CustomizationPreset(TimestampMixin, db.Model):
    """A reusable set of options ("Engraving", "Gift wrap colours") attached to many items."""

    __tablename__ = "customization_presets"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80), nullable=False, unique=True)
    description: Mapped[str] = mapped_column(String(300), nullable=False, default="")

    options: Mapped[list[CustomizationOption]] = relationship(
        order_by="CustomizationOption.position", cascade="all, delete-orphan", lazy="selectin"
    )


class PresetAttachment(db.Model):
    __tablename__ = "preset_attachments"
    __table_args__ = (
        CheckConstraint("(product_id IS NULL) <> (package_id IS NULL)", name="one_item"),
        Index("uq_preset_attachments_product", "preset_id", "product_id", unique=True),
        Index("uq_preset_attachments_package", "preset_id", "package_id", unique=True),
        Index("ix_preset_attachments_product", "product_id"),
        Index("ix_preset_attachments_package", "package_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    preset_id: Mapped[int] = mapped_column(ForeignKey("customization_presets.id", ondelete="CASCADE"), nullable=False)
    product_id: Mapped[int | None] = mapped_column(ForeignKey("products.id", ondelete="CASCADE"))
    package_id: Mapped[int | None] = mapped_column(ForeignKey("packages.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer, nullable=False, default=100)

    preset: Mapped[CustomizationPreset] = relationship(lazy="joined")


class CustomerUpload(db.Model):
    """A shopper's picture for an ``image`` option. Private: only its owner and staff see it."""

    __tablename__ = "customer_uploads"

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(64), nullable=False, unique=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True, nullable=False)
    path: Mapped[str] = mapped_column(String(255), nullable=False)
    content_type: Mapped[str] = mapped_column(String(32), nullable=False)
    width: Mapped[int] = mapped_column(Integer, nullable=False)
    height: Mapped[int] = mapped_column(Integer, nullable=False)
    size_bytes: Mapped[int] = mapped_column(Integer, nullable=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False)
