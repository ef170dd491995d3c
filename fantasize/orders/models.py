"""The cart: one per signed-in user, or per browser session for guests."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from fantasize.db import UTCDateTime, utcnow
from fantasize.extensions import db


class Cart(db.Model):
    __tablename__ = "carts"
    __table_args__ = (CheckConstraint("(user_id IS NULL) <> (guest_key IS NULL)", name="one_owner"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[str | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), unique=True)
    guest_key: Mapped[str | None] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow, nullable=False)

    items: Mapped[list[CartItem]] = relationship(
        cascade="all, delete-orphan", order_by="CartItem.id", lazy="selectin", back_populates="cart"
    )


class CartItem(db.Model):
    """A line: a product or a package, a quantity and the (validated) customization selection."""

    __tablename__ = "cart_items"
    __table_args__ = (
        CheckConstraint("(product_id IS NULL) <> (package_id IS NULL)", name="one_item"),
        CheckConstraint("quantity > 0", name="quantity_positive"),
        Index("ix_cart_items_cart", "cart_id", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    cart_id: Mapped[int] = mapped_column(ForeignKey("carts.id", ondelete="CASCADE"), nullable=False)
    product_id: Mapped[int | None] = mapped_column(ForeignKey("products.id", ondelete="CASCADE"))
    package_id: Mapped[int | None] = mapped_column(ForeignKey("packages.id", ondelete="CASCADE"))
    quantity: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    customization: Mapped[dict[str, Any]] = mapped_column(JSON, nullable=False, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False)

    cart: Mapped[Cart] = relationship(back_populates="items")

    @property
    def kind(self) -> str:
        return "product" if self.product_id is not None else "package"

    @property
    def item_id(self) -> int:
        return self.product_id if self.product_id is not None else self.package_id
