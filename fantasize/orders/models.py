"""Carts (one per signed-in user, or per browser session for guests), orders and their history."""

from __future__ import annotations

import enum
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, Boolean, CheckConstraint, ForeignKey, Index, Integer, Numeric, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from fantasize.catalog import sellables
from fantasize.db import UTCDateTime, new_uuid, utcnow
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
        return sellables.kind_of(self)

    @property
    def item_id(self) -> int:
        return getattr(self, sellables.sellable(self.kind).owner_column)


class OrderStatus(enum.StrEnum):
    UNDER_REVIEW = "under_review"
    PLACED = "placed"
    PROCESSING = "processing"
    SHIPPED = "shipped"
    DELIVERED = "delivered"
    COMPLETED = "completed"
    CANCELED = "canceled"
    REJECTED = "rejected"
    RETURNED = "returned"


STATUS_VALUES = ", ".join(f"'{status.value}'" for status in OrderStatus)


class Order(db.Model):
    """A placed order: what was bought, at what price, for whom, and where it stands."""

    __tablename__ = "orders"
    __table_args__ = (
        CheckConstraint(f"status IN ({STATUS_VALUES})", name="status_known"),
        CheckConstraint("payment_method IN ('cod', 'card')", name="payment_method_known"),
        CheckConstraint("total >= 0", name="total_not_negative"),
        Index("ix_orders_user_created", "user_id", "created_at", "id"),
        Index("ix_orders_status_created", "status", "created_at", "id"),
        Index("ix_orders_created", "created_at", "id"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_uuid)  # opaque in URLs
    number: Mapped[str] = mapped_column(String(20), nullable=False, unique=True)  # for humans: FZ-7K3M9Q
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"), nullable=False)
    status: Mapped[str] = mapped_column(String(16), nullable=False)
    subtotal: Mapped[Decimal] = mapped_column(Numeric(10, 2), nullable=False)
    wrap_fee: Mapped[Decimal] = mapped_column(Numeric(10, 2), nullable=False, default=Decimal("0"))
    total: Mapped[Decimal] = mapped_column(Numeric(10, 2), nullable=False)
    currency: Mapped[str] = mapped_column(String(3), nullable=False, default="EUR")
    payment_method: Mapped[str] = mapped_column(String(8), nullable=False)
    payment_status: Mapped[str] = mapped_column(String(16), nullable=False)
    # What the card gateway tells us; never a card number or a security code.
    payment_reference: Mapped[str | None] = mapped_column(String(64))
    card_brand: Mapped[str | None] = mapped_column(String(16))
    card_last4: Mapped[str | None] = mapped_column(String(4))
    shipping_address: Mapped[dict[str, Any]] = mapped_column(JSON, nullable=False)
    is_gift: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    gift_message: Mapped[str | None] = mapped_column(String(500))
    gift_recipient_name: Mapped[str | None] = mapped_column(String(120))
    gift_recipient_email: Mapped[str | None] = mapped_column(String(254))
    gift_hide_prices: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    gift_wrap: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    anonymous: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    needs_review: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    customized: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)  # any line personalised
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow, nullable=False)

    lines: Mapped[list[OrderLine]] = relationship(
        cascade="all, delete-orphan", order_by="OrderLine.id", lazy="selectin", back_populates="order"
    )
    history: Mapped[list[OrderEvent]] = relationship(
        cascade="all, delete-orphan", order_by="OrderEvent.id", lazy="selectin", back_populates="order"
    )
    customer = relationship("User", lazy="raise")


class OrderLine(db.Model):
    """A line as it was bought: name, unit price and customization are snapshots, not references."""

    __tablename__ = "order_lines"
    __table_args__ = (
        CheckConstraint("(product_id IS NULL) <> (package_id IS NULL)", name="one_item"),
        CheckConstraint("quantity > 0", name="quantity_positive"),
        Index("ix_order_lines_order", "order_id", "id"),
        Index("ix_order_lines_product", "product_id"),
        Index("ix_order_lines_package", "package_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[str] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), nullable=False)
    product_id: Mapped[int | None] = mapped_column(ForeignKey("products.id", ondelete="RESTRICT"))
    package_id: Mapped[int | None] = mapped_column(ForeignKey("packages.id", ondelete="RESTRICT"))
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    quantity: Mapped[int] = mapped_column(Integer, nullable=False)
    unit_price: Mapped[Decimal] = mapped_column(Numeric(10, 2), nullable=False)
    line_total: Mapped[Decimal] = mapped_column(Numeric(10, 2), nullable=False)
    customization: Mapped[list[dict[str, Any]]] = mapped_column(JSON, nullable=False, default=list)
    special: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    # For packages: [{product_id, quantity}] per package, so stock can be given back exactly.
    components: Mapped[list[dict[str, int]]] = mapped_column(JSON, nullable=False, default=list)

    order: Mapped[Order] = relationship(back_populates="lines")

    @property
    def kind(self) -> str:
        return sellables.kind_of(self)

    @property
    def item_id(self) -> int:
        return getattr(self, sellables.sellable(self.kind).owner_column)


class OrderEvent(db.Model):
    """One step of an order's history: who moved it from what to what, when, and why."""

    __tablename__ = "order_events"
    __table_args__ = (Index("ix_order_events_order", "order_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[str] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), nullable=False)
    actor_id: Mapped[str | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    from_status: Mapped[str | None] = mapped_column(String(16))
    to_status: Mapped[str] = mapped_column(String(16), nullable=False)
    note: Mapped[str | None] = mapped_column(String(500))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False)

    order: Mapped[Order] = relationship(back_populates="history")


class IdempotencyRecord(db.Model):
    """The first answer to a checkout sent with an ``Idempotency-Key``, replayed on retries."""

    __tablename__ = "idempotency_records"
    __table_args__ = (Index("uq_idempotency_user_key", "user_id", "key", unique=True),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), nullable=False)
    key: Mapped[str] = mapped_column(String(120), nullable=False)
    request_hash: Mapped[str] = mapped_column(String(64), nullable=False)
    state: Mapped[str] = mapped_column(String(12), nullable=False, default="in_progress")
    order_id: Mapped[str | None] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False)
