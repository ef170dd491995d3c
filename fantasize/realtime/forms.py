"""Forms of the realtime admin page (shape only: ``realtime.services`` checks the rules)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from fantasize.realtime.services import LEVELS, MAX_MESSAGE, MAX_TITLE

LEVEL_LABELS = {"info": "Information", "warning": "Warning", "critical": "Critical"}


def _title() -> StringField:
    return StringField(
        "Title",
        validators=[InputRequired("Give a title."), Length(max=MAX_TITLE)],
        render_kw={"maxlength": MAX_TITLE},
    )


def _message() -> TextAreaField:
    return TextAreaField(
        "Message",
        validators=[InputRequired("Write the message."), Length(max=MAX_MESSAGE)],
        render_kw={"rows": 3, "maxlength": MAX_MESSAGE},
    )


class AnnouncementForm(FlaskForm):
    title = _title()
    message = _message()
    level = SelectField(
        "Level",
        choices=[SelectChoice(level, LEVEL_LABELS[level]) for level in LEVELS],
        default="info",
        description="Apps show warnings and critical announcements more prominently.",
    )


class TestNotificationForm(FlaskForm):
    user = StringField(
        "User (e-mail address or id)",
        validators=[InputRequired("Name the user by e-mail address or id."), Length(max=254)],
        render_kw={"autocomplete": "off"},
    )
    title = _title()
    message = _message()


class UserConnectionForm(FlaskForm):
    """Look a user's sockets up (GET: it changes nothing)."""

    class Meta:
        csrf = False

    user = StringField("User (e-mail address or id)", validators=[Optional(), Length(max=254)])
