"""Notifications: e-mail templates, deliveries (one per message to send), device tokens,
the in-app inbox and each user's choices of what to hear about and how."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, CheckConstraint, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from fantasize.db import UTCDateTime, utcnow
from fantasize.extensions import db

CHANNELS = ("email", "push", "in_app")


class EmailTemplate(db.Model):
    """The words of one event in one language: ``{"subject", "html", "text", "summary"}``.

    ``summary`` is the one-line version used for push and the in-app inbox. Bodies are Jinja
    source rendered in a sandbox that sees only the plain data the event passes in.
    """

    __tablename__ = "email_templates"
    __table_args__ = (UniqueConstraint("event", "language", name="uq_email_templates_event_language"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event: Mapped[str] = mapped_column(String(40), nullable=False)
    language: Mapped[str] = mapped_column(String(8), nullable=False, default="en")
    document: Mapped[dict[str, Any]] = mapped_column(JSON, nullable=False)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow, nullable=False)
    updated_by_id: Mapped[str | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


class DeliveryStatus:
    PENDING = "pending"
    SENDING = "sending"
    RETRYING = "retrying"  # failed, and the job waits out its backoff before the next try
    SENT = "sent"
    FAILED = "failed"  # gave up: the last retry failed, or the provider refused for good
    SKIPPED = "skipped"  # nothing to send to (no device, switched off since)


class Delivery(db.Model):
    """One message to send (an e-mail, or a push to a user's devices), written in the same
    transaction as what it tells about. Its unique ``key`` makes a job that runs twice send once."""

    __tablename__ = "notification_deliveries"
    __table_args__ = (
        CheckConstraint("channel IN ('email', 'push')", name="channel_known"),
        Index("ix_notification_deliveries_status_created", "status", "created_at"),
        Index("ix_notification_deliveries_user", "user_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(200), nullable=False, unique=True)
    channel: Mapped[str] = mapped_column(String(8), nullable=False)
    event: Mapped[str] = mapped_column(String(40), nullable=False)
    user_id: Mapped[str | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    # The e-mail address for an e-mail (a gift recipient has no account).
    recipient: Mapped[str | None] = mapped_column(String(254))
    # The device for a push; a token pruned since leaves the delivery with nothing to send to.
    device_id: Mapped[int | None] = mapped_column(ForeignKey("device_tokens.id", ondelete="SET NULL"))
    language: Mapped[str] = mapped_column(String(8), nullable=False, default="en")
    context: Mapped[dict[str, Any]] = mapped_column(JSON, nullable=False)
    status: Mapped[str] = mapped_column(String(10), nullable=False, default=DeliveryStatus.PENDING)
    attempts: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class DeviceToken(db.Model):
    """A mobile app's push token (FCM registration token), registered by the signed-in user."""

    __tablename__ = "device_tokens"
    __table_args__ = (CheckConstraint("platform IN ('ios', 'android', 'web')", name="platform_known"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True, nullable=False)
    token: Mapped[str] = mapped_column(String(512), nullable=False, unique=True)
    platform: Mapped[str] = mapped_column(String(8), nullable=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False)


class Notification(db.Model):
    """An entry in a user's in-app inbox."""

    __tablename__ = "notifications"
    __table_args__ = (
        Index("ix_notifications_user_id", "user_id", "id"),
        Index("ix_notifications_user_unread", "user_id", "read_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), nullable=False)
    event: Mapped[str] = mapped_column(String(40), nullable=False)
    title: Mapped[str] = mapped_column(String(200), nullable=False)
    body: Mapped[str] = mapped_column(String(2000), nullable=False, default="")
    link: Mapped[str | None] = mapped_column(String(500))  # a path on this site, e.g. /orders/<id>
    data: Mapped[dict[str, Any]] = mapped_column(JSON, nullable=False, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class NotificationPreference(db.Model):
    """A user's choice for one event on one channel; without a row the event's default holds."""

    __tablename__ = "notification_preferences"
    __table_args__ = (CheckConstraint("channel IN ('email', 'push', 'in_app')", name="channel_known"),)

    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    event: Mapped[str] = mapped_column(String(40), primary_key=True)
    channel: Mapped[str] = mapped_column(String(8), primary_key=True)
    enabled: Mapped[bool] = mapped_column(Boolean, nullable=False)
