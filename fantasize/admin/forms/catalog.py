"""Forms of the staff catalog pages (shape only: the rules live in the catalog services).

Choices that come from the database (subcategories, brands, materials, products…) are set
by the view with :class:`wtforms.SelectChoice` objects; tuples are deprecated in WTForms 3.3.
"""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    DateTimeLocalField,
    DecimalField,
    FieldList,
    Form,
    FormField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional, ValidationError
from wtforms.widgets import NumberInput

from fantasize.accounts.forms import MultiCheckboxField

ITEM_ROWS = 6  # rows offered on a new package (an existing one gets two spare rows)
DATETIME_LOCAL = "%Y-%m-%dT%H:%M"
MAX_INT = 2_147_483_647  # what an INTEGER column holds
WHOLE_NUMBER = NumberRange(max=MAX_INT, message="That number is too large.")


def finite(form: object, field: object) -> None:
    """``Decimal`` accepts "NaN" and "Infinity"; a price or a discount cannot be either."""
    data = getattr(field, "data", None)
    if data is not None and not data.is_finite():
        raise ValidationError("Enter a number.")


def optional_int(value: object) -> int | None:
    """Coerce a select's value: ``""`` (the "none" option) becomes ``None``."""
    if value in (None, ""):
        return None
    return int(value)  # type: ignore[call-overload]


class _SellableForm(FlaskForm):
    name = StringField("Name", validators=[InputRequired("Give it a name."), Length(max=200)])
    description = TextAreaField(
        "Description",
        render_kw={"rows": 6},
        description="Simple HTML is accepted: paragraphs, bold, italics, lists and links. Anything else is removed.",
    )
    price = DecimalField(
        "Price (€)",
        places=2,
        validators=[InputRequired("Enter a price."), finite],
        widget=NumberInput(step="0.01", min="0"),
    )
    stock = IntegerField(
        "Stock", default=0, validators=[Optional(), WHOLE_NUMBER], widget=NumberInput(step="1", min="0")
    )
    subcategory_id = SelectField(
        "Subcategory", coerce=optional_int, validators=[InputRequired("Choose a subcategory.")]
    )
    material_ids = MultiCheckboxField("Materials", coerce=int)
    active = BooleanField("Active (shown in the shop)", default=True)


class ProductForm(_SellableForm):
    brand_id = SelectField("Brand (optional)", coerce=optional_int)


class PackageItemForm(Form):
    """One row of a package: a product and how many of it (an empty product means no row)."""

    product_id = SelectField("Product", coerce=optional_int, validate_choice=True)
    quantity = IntegerField(
        "Quantity", default=1, validators=[Optional(), WHOLE_NUMBER], widget=NumberInput(step="1", min="1")
    )


class PackageForm(_SellableForm):
    items = FieldList(FormField(PackageItemForm), min_entries=ITEM_ROWS)


class MediaForm(FlaskForm):
    file = FileField(
        "Add a picture",
        validators=[FileRequired("Choose a picture to upload.")],
        render_kw={"accept": "image/jpeg,image/png,image/webp"},
        description="JPEG, PNG or WebP.",
    )
    alt_text = StringField(
        "Description of the picture (optional)",
        validators=[Optional(), Length(max=200)],
        description="Read aloud by screen readers; the product name is used when empty.",
    )


class CategoryForm(FlaskForm):
    name = StringField("Name", validators=[InputRequired("Give it a name."), Length(max=120)])
    parent_id = SelectField("Parent category", coerce=optional_int)
    description = TextAreaField("Description", render_kw={"rows": 3})
    position = IntegerField(
        "Position",
        default=0,
        validators=[Optional(), NumberRange(min=-MAX_INT, max=MAX_INT)],
        description="Lower numbers come first.",
    )
    active = BooleanField("Active (shown in the shop)", default=True)


class NamedForm(FlaskForm):
    """Add or rename a brand or a material."""

    name = StringField("Name", validators=[InputRequired("Give it a name."), Length(max=120)])


class OfferForm(FlaskForm):
    name = StringField("Name", validators=[InputRequired("Give the offer a name."), Length(max=120)])
    percent = DecimalField(
        "Discount (%)",
        places=2,
        validators=[InputRequired("Enter a discount."), finite],
        widget=NumberInput(step="0.01"),
    )
    starts_at = DateTimeLocalField(
        "Starts (UTC)", format=DATETIME_LOCAL, validators=[InputRequired("Choose when it starts.")]
    )
    ends_at = DateTimeLocalField(
        "Ends (UTC)", format=DATETIME_LOCAL, validators=[InputRequired("Choose when it ends.")]
    )
    product_ids = SelectMultipleField(
        "Products", coerce=int, render_kw={"size": 10}, description="Ctrl/⌘-click to choose several."
    )
    package_ids = SelectMultipleField(
        "Packages", coerce=int, render_kw={"size": 5}, description="Ctrl/⌘-click to choose several."
    )
    active = BooleanField("Active", default=True)
