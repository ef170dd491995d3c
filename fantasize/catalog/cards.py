"""Plain, cacheable read models of catalog items (what listings and detail pages show)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal


@dataclass(frozen=True)
class Ref:
    id: int
    name: str
    slug: str


@dataclass(frozen=True)
class ItemLine:
    product_id: int
    quantity: int
    name: str = ""
    slug: str = ""


@dataclass(frozen=True)
class Card:
    kind: str  # "product" | "package"
    id: int
    name: str
    slug: str
    price: Decimal
    final_price: Decimal
    discount_percent: Decimal | None
    stock: int
    available: int  # what can be sold now (packages: capped by their products)
    category: Ref | None
    subcategory: Ref
    brand: Ref | None
    image_path: str | None
    rating: Decimal
    review_count: int
    created_at: datetime
    items: tuple[ItemLine, ...] = ()

    @property
    def in_stock(self) -> bool:
        return self.available > 0

    @property
    def on_offer(self) -> bool:
        return bool(self.discount_percent)


@dataclass(frozen=True)
class MediaView:
    id: int
    path: str
    thumb_path: str
    alt_text: str
    width: int
    height: int
    is_primary: bool


@dataclass(frozen=True)
class MaterialShare:
    id: int
    name: str
    slug: str
    percentage: Decimal


@dataclass(frozen=True)
class Detail:
    card: Card
    description: str  # sanitized HTML
    media: tuple[MediaView, ...] = ()
    materials: tuple[MaterialShare, ...] = ()


@dataclass(frozen=True)
class CardPage:
    items: list[Card] = field(default_factory=list)
    next_key: list | None = None
