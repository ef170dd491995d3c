"""Storefront forms of the catalog."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import SelectField, TextAreaField
from wtforms.validators import DataRequired, Length

from fantasize.accounts.forms import choices


class ReviewForm(FlaskForm):
    rating = SelectField(
        "Your rating",
        choices=choices(
            ("5", "★★★★★ Loved it"),
            ("4", "★★★★ Liked it"),
            ("3", "★★★ It's fine"),
            ("2", "★★ Not great"),
            ("1", "★ Disappointing"),
        ),
        validators=[DataRequired()],
    )
    comment = TextAreaField("Your review", validators=[Length(max=2000)], render_kw={"rows": 4})
