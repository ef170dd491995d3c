"""The shop's default words for each message (English), and sample data to preview them with.

Each document is Jinja source for :mod:`fantasize.notifications.templates` (rendered in its
sandbox): ``subject``, ``summary`` (one line, for push and the inbox), ``html`` (a simple
e-mail layout with inline styles and no external assets) and ``text`` (the plain version).
The HTML parts are put together here from a few shared pieces, since templates have no
``include`` or macros.
"""

from __future__ import annotations

import copy
from typing import Any

# --- shared HTML pieces --------------------------------------------------------------------------

INK, MUTED, ACCENT, CREAM, LINE = "#2b2230", "#6b6170", "#b3245c", "#fbf6f1", "#eadfd6"

_LAYOUT = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light">
<title>@@TITLE@@</title>
</head>
<body style="margin:0;padding:0;background:@@CREAM@@;">
<div style="display:none;max-height:0;overflow:hidden;opacity:0;">@@PREHEADER@@</div>
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="background:@@CREAM@@;">
<tr><td align="center" style="padding:24px 12px;">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="@@CARD@@">
<tr><td style="padding:24px 32px 4px;">
<a href="{{ shop.url }}" style="@@BRAND@@">&#10022; {{ shop.name }}</a>
</td></tr>
<tr><td style="padding:12px 32px 8px;">
@@BODY@@
</td></tr>
<tr><td style="padding:16px 32px 24px;border-top:1px solid @@LINE@@;font-size:13px;line-height:1.5;color:@@MUTED@@;">
@@FOOTER@@
</td></tr>
</table>
</td></tr>
</table>
</body>
</html>
"""


_CARD = (
    "max-width:560px;background:#ffffff;border:1px solid @@LINE@@;border-radius:12px;"
    "font-family:Helvetica,Arial,sans-serif;font-size:16px;line-height:1.55;color:@@INK@@;"
)
_BRAND = "color:@@ACCENT@@;font-size:20px;font-weight:bold;text-decoration:none;"


def _page(title: str, preheader: str, body: str, footer: str) -> str:
    html = _LAYOUT.replace("@@CARD@@", _CARD).replace("@@BRAND@@", _BRAND)
    for key, value in (("TITLE", title), ("PREHEADER", preheader), ("BODY", body.strip()), ("FOOTER", footer)):
        html = html.replace(f"@@{key}@@", value)
    for key, value in (("INK", INK), ("MUTED", MUTED), ("ACCENT", ACCENT), ("CREAM", CREAM), ("LINE", LINE)):
        html = html.replace(f"@@{key}@@", value)
    return html


def _p(content: str, style: str = "") -> str:
    return f'<p style="margin:0 0 16px;{style}">{content}</p>\n'


def _h1(content: str) -> str:
    return f'<h1 style="margin:8px 0 16px;font-size:22px;line-height:1.3;color:{INK};">{content}</h1>\n'


def _button(url: str, label: str) -> str:
    return (
        '<table role="presentation" cellpadding="0" cellspacing="0" border="0" style="margin:8px 0 24px;">'
        f'<tr><td style="border-radius:8px;background:{ACCENT};">'
        f'<a href="{url}" style="display:inline-block;padding:12px 24px;font-weight:bold;color:#ffffff;'
        f'text-decoration:none;border-radius:8px;">{label}</a></td></tr></table>\n'
    )


def _note_box(content: str) -> str:
    return (
        f'<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="margin:0 0 20px;">'
        f'<tr><td style="padding:12px 16px;background:{CREAM};border-left:4px solid {ACCENT};border-radius:4px;">'
        f"{content}</td></tr></table>\n"
    )


GREETING = _p("{% if recipient.name %}Hi {{ recipient.name }},{% else %}Hi there,{% endif %}")
GREETING_TEXT = "{{ ('Hi ' ~ recipient.name ~ ',') if recipient.name else 'Hi there,' }}\n"


def _price_condition(prices: str | None) -> str:
    return f"{prices} and " if prices else ""


def _order_box(prices: str | None = "", heading: bool = True) -> str:
    """The order's lines and total. ``prices``: ``""`` shows them, ``None`` never, else a Jinja condition."""
    when = _price_condition(prices)
    top = (
        f'<tr><td style="padding:12px 16px;background:{CREAM};font-size:14px;color:{MUTED};border-radius:8px 8px 0 0;">'
        f'Order <strong style="color:{INK};">{{{{ order.number }}}}</strong>'
        "{% if order.placed_on %} &middot; placed {{ order.placed_on }}{% endif %}"
        "{% if order.status_label %} &middot; {{ order.status_label }}{% endif %}</td></tr>\n"
        if heading
        else ""
    )
    row = (
        f'<tr><td style="padding:12px 16px;border-top:1px solid {LINE};">'
        if heading
        else f"<tr><td style=\"padding:12px 16px;{{{{ '' if loop.first else 'border-top:1px solid {LINE};' }}}}\">"
    )
    price_cell = (
        ""
        if prices is None
        else f"{{% if {when}line.price %}}"
        '<td align="right" style="vertical-align:top;white-space:nowrap;padding-left:12px;">{{ line.price }}</td>'
        "{% endif %}"
    )
    total = (
        ""
        if prices is None
        else f"{{% if {when}order.total %}}\n"
        f'<tr><td align="right" style="padding:12px 16px;border-top:1px solid {LINE};">'
        "<strong>Total {{ order.total }}</strong>"
        "{% if order.payment_label %}"
        f'<br><span style="font-size:14px;color:{MUTED};">{{{{ order.payment_label }}}}</span>'
        "{% endif %}</td></tr>\n"
        "{% endif %}\n"
    )
    return (
        f'<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" '
        f'style="margin:0 0 20px;border:1px solid {LINE};border-radius:8px;border-collapse:separate;">\n'
        + top
        + "{% for line in order.lines %}\n"
        + row
        + '<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0"><tr>'
        '<td style="vertical-align:top;"><strong>{{ line.quantity }} &times; {{ line.name }}</strong>'
        "{% for choice in line.customization %}"
        f'<br><span style="font-size:14px;color:{MUTED};">{{{{ choice }}}}</span>'
        "{% endfor %}</td>" + price_cell + "</tr></table></td></tr>\n"
        "{% endfor %}\n" + total + "</table>\n"
    )


def _order_lines_text(prices: str | None = "") -> str:
    when = _price_condition(prices)
    price = "" if prices is None else f"{{{{ ('  ' ~ line.price) if {when}line.price }}}}"
    total = (
        ""
        if prices is None
        else f"{{% if {when}order.total %}}\n"
        "Total: {{ order.total }}{{ (' (' ~ order.payment_label ~ ')') if order.payment_label }}\n"
        "{% endif %}\n"
    )
    return (
        "{% for line in order.lines %}\n"
        "- {{ line.quantity }} x {{ line.name }}" + price + "\n"
        "{% for choice in line.customization %}\n"
        "    {{ choice }}\n"
        "{% endfor %}\n"
        "{% endfor %}\n" + total
    )


SHOPPER_FOOTER = (
    'Made with care at <a href="{{ shop.url }}" style="color:' + MUTED + ';">{{ shop.name }}</a>. '
    "Questions about your order? Just reply to this e-mail and we will help.<br>"
    "You can choose which messages you get by e-mail in your account settings."
)
SHOPPER_FOOTER_TEXT = (
    "Questions about your order? Just reply to this e-mail and we will help.\n"
    "You can choose which messages you get by e-mail in your account settings.\n\n"
    "{{ shop.name }} - {{ shop.url }}\n"
)
ACCOUNT_FOOTER = (
    'Sent by <a href="{{ shop.url }}" style="color:' + MUTED + ';">{{ shop.name }}</a> because this address '
    "is used for an account with us."
)
ACCOUNT_FOOTER_TEXT = "{{ shop.name }} - {{ shop.url }}\n"
STAFF_FOOTER = "You get this because you are on the {{ shop.name }} team."
STAFF_FOOTER_TEXT = "You get this because you are on the {{ shop.name }} team.\n"

VIEW_ORDER = _button("{{ order.url }}", "View your order")


def _doc(subject: str, summary: str, title: str, preheader: str, body: str, footer: str, text: str) -> dict[str, str]:
    return {"subject": subject, "summary": summary, "html": _page(title, preheader, body, footer), "text": text}


def _shopper_order(subject: str, summary: str, heading: str, body: str, text: str) -> dict[str, str]:
    return _doc(
        subject,
        summary,
        subject,
        summary,
        GREETING + _h1(heading) + body + VIEW_ORDER,
        SHOPPER_FOOTER,
        GREETING_TEXT + "\n" + text + "\nSee your order: {{ order.url }}\n\n" + SHOPPER_FOOTER_TEXT,
    )


# --- the documents -------------------------------------------------------------------------------

WELCOME = _doc(
    subject="Welcome to {{ shop.name }}!",
    summary="Welcome to {{ shop.name }}: your account is ready.",
    title="Welcome to {{ shop.name }}",
    preheader="Your account is ready. Let's make someone's day.",
    body=GREETING
    + _h1("Welcome to {{ shop.name }}!")
    + _p(
        "Thank you for joining us. Your account is ready: from now on you can save favourites, "
        "follow your orders and check out faster."
    )
    + _p(
        "Every gift in our shop can be made personal: a name engraved, a colour chosen, a photo printed. "
        "Pick something, make it yours, and we will take care of the rest."
    )
    + _button("{{ links.shop_url }}", "Start browsing")
    + _p('Your account lives here: <a href="{{ links.account_url }}" style="color:' + ACCENT + ';">your account</a>.')
    + _p("Happy gifting,<br>The {{ shop.name }} team", "margin-bottom:8px;"),
    footer=ACCOUNT_FOOTER,
    text=GREETING_TEXT
    + """
Welcome to {{ shop.name }}! Thank you for joining us.

Your account is ready: from now on you can save favourites, follow your orders and check out faster.

Every gift in our shop can be made personal: a name engraved, a colour chosen, a photo printed.
Pick something, make it yours, and we will take care of the rest.

Start browsing: {{ links.shop_url }}
Your account: {{ links.account_url }}

Happy gifting,
The {{ shop.name }} team

"""
    + ACCOUNT_FOOTER_TEXT,
)

PASSWORD_RESET = _doc(
    subject="Reset your {{ shop.name }} password",
    summary="Use the link in the e-mail we sent to choose a new password.",
    title="Reset your password",
    preheader="Choose a new password. The link works once, for {{ expires_minutes }} minutes.",
    body=GREETING
    + _h1("Choose a new password")
    + _p("Someone (we hope you) asked to reset the password of your {{ shop.name }} account.")
    + _button("{{ reset_url }}", "Choose a new password")
    + _p("The link works once, for {{ expires_minutes }} minutes.", f"font-size:14px;color:{MUTED};")
    + _p(
        "If the button does not work, copy this address into your browser:<br>"
        '<a href="{{ reset_url }}" style="color:' + ACCENT + ';word-break:break-all;">{{ reset_url }}</a>',
        "font-size:14px;",
    )
    + _p("If you did not ask for this, you can ignore this e-mail: your password stays as it is."),
    footer=ACCOUNT_FOOTER,
    text=GREETING_TEXT
    + """
Someone (we hope you) asked to reset the password of your {{ shop.name }} account.
Choose a new password here (the link works once, for {{ expires_minutes }} minutes):

{{ reset_url }}

If you did not ask for this, you can ignore this e-mail: your password stays as it is.

"""
    + ACCOUNT_FOOTER_TEXT,
)

ORDER_PLACED = _shopper_order(
    subject="Thank you! We received your order {{ order.number }}",
    summary="We received your order {{ order.number }} ({{ order.total }}). Thank you!",
    heading="Thank you for your order!",
    body=_p("We are delighted you chose us. Here is what you ordered; we will keep you posted at every step.")
    + "{% if order.needs_review %}\n"
    + _note_box(
        "Your personalisation will be checked by our team before we start making it. "
        "We will write again as soon as it is approved."
    )
    + "{% endif %}\n"
    + "{% if order.is_gift %}\n"
    + _p(
        "It's a gift{{ (' for ' ~ order.gift_recipient_name) if order.gift_recipient_name }}: "
        "we will pack it with extra care."
    )
    + "{% endif %}\n"
    + _order_box(),
    text="""Thank you for your order! Here is what you ordered; we will keep you posted at every step.

Order {{ order.number }}, placed {{ order.placed_on }}
"""
    + _order_lines_text()
    + """
{% if order.needs_review %}
Your personalisation will be checked by our team before we start making it.
We will write again as soon as it is approved.

{% endif %}
{% if order.is_gift %}
It's a gift{{ (' for ' ~ order.gift_recipient_name) if order.gift_recipient_name }}: we will pack it with extra care.

{% endif %}
""",
)

CUSTOMIZATION_APPROVED = _shopper_order(
    subject="Good news: your personalisation for order {{ order.number }} is approved",
    summary="Your personalisation for order {{ order.number }} is approved: we're making it now.",
    heading="Your personalisation is approved",
    body=_p(
        "Our team has checked your personalisation and it looks great. "
        "We are now making your order {{ order.number }} and will tell you when it ships."
    )
    + _order_box(),
    text="""Good news: our team has checked your personalisation and it looks great.
We are now making your order {{ order.number }} and will tell you when it ships.

"""
    + _order_lines_text(),
)

CUSTOMIZATION_REJECTED = _shopper_order(
    subject="We could not accept the personalisation of order {{ order.number }}",
    summary="We could not accept the personalisation of order {{ order.number }}; see why in your order.",
    heading="We could not accept your personalisation",
    body=_p(
        "We are sorry: our team could not accept the personalisation of your order {{ order.number }}, "
        "so we will not make it."
    )
    + "{% if order.note %}\n"
    + _note_box("<strong>Why:</strong> {{ order.note }}")
    + "{% endif %}\n"
    + _p(
        "If a payment was taken for this order, it will be returned to you. "
        "You are very welcome to order again with a different personalisation; "
        "if anything is unclear, just reply to this e-mail."
    )
    + _order_box(),
    text="""We are sorry: our team could not accept the personalisation of your order {{ order.number }},
so we will not make it.

{% if order.note %}
Why: {{ order.note }}

{% endif %}
If a payment was taken for this order, it will be returned to you.
You are very welcome to order again with a different personalisation;
if anything is unclear, just reply to this e-mail.

"""
    + _order_lines_text(),
)

ORDER_SHIPPED = _shopper_order(
    subject="Your order {{ order.number }} is on its way",
    summary="Your order {{ order.number }} has shipped and is on its way.",
    heading="Your order is on its way!",
    body=_p(
        "Good news: order {{ order.number }} has left our workshop"
        "{% if order.is_gift %} and is travelling to "
        "{{ order.gift_recipient_name if order.gift_recipient_name else 'its lucky recipient' }}{% endif %}."
    )
    + _order_box(prices=None),
    text="""Good news: order {{ order.number }} has left our workshop{% if order.is_gift %} and is travelling to {{
order.gift_recipient_name if order.gift_recipient_name else 'its lucky recipient' }}{% endif %}.

"""
    + _order_lines_text(prices=None),
)

ORDER_DELIVERED = _shopper_order(
    subject="Your order {{ order.number }} has been delivered",
    summary="Your order {{ order.number }} has been delivered. We hope it brings a smile!",
    heading="Delivered!",
    body=_p(
        "Your order {{ order.number }} has been delivered. We hope it brings a big smile"
        "{% if order.is_gift %} to {{ order.gift_recipient_name if order.gift_recipient_name else 'its recipient' }}"
        "{% endif %}."
    )
    + _p("If something is not right, reply to this e-mail and we will make it right.")
    + _order_box(prices=None),
    text="""Your order {{ order.number }} has been delivered. We hope it brings a big smile{% if order.is_gift %} to {{
order.gift_recipient_name if order.gift_recipient_name else 'its recipient' }}{% endif %}.

If something is not right, reply to this e-mail and we will make it right.

"""
    + _order_lines_text(prices=None),
)

ORDER_CANCELED = _shopper_order(
    subject="Your order {{ order.number }} has been canceled",
    summary="Your order {{ order.number }} has been canceled.",
    heading="Your order has been canceled",
    body=_p("Your order {{ order.number }} has been canceled, and we will not make or send it.")
    + "{% if order.note %}\n"
    + _note_box("<strong>Note:</strong> {{ order.note }}")
    + "{% endif %}\n"
    + _p(
        "If a payment was taken for this order, it will be returned to you. "
        "If you did not expect this, or would like to order again, just reply to this e-mail."
    )
    + _order_box(),
    text="""Your order {{ order.number }} has been canceled, and we will not make or send it.

{% if order.note %}
Note: {{ order.note }}

{% endif %}
If a payment was taken for this order, it will be returned to you.
If you did not expect this, or would like to order again, just reply to this e-mail.

"""
    + _order_lines_text(),
)

_GIFT_FROM = "{{ gift.from_name if gift.from_name else 'Someone who thinks of you' }}"
_GIFT_FROM_LOWER = "{{ gift.from_name if gift.from_name else 'someone who thinks of you' }}"
GIFT_NOTICE = _doc(
    subject="{{ gift.from_name ~ ' is sending' if gift.from_name else 'Someone is sending' }} you a gift!",
    summary=_GIFT_FROM + " is sending you a gift from {{ shop.name }}.",
    title="A gift is on its way to you",
    preheader="Something special is on its way to you.",
    body=_p(
        "{% if gift.recipient_name %}Dear {{ gift.recipient_name }},{% elif recipient.name %}"
        "Dear {{ recipient.name }},{% else %}Hello,{% endif %}"
    )
    + _h1("A gift is on its way to you!")
    + _p(
        _GIFT_FROM + " has chosen a gift for you at {{ shop.name }}, and we are preparing it with care"
        "{% if gift.wrap %}, gift-wrapped,{% endif %} for its journey to you."
    )
    + "{% if gift.message %}\n"
    + _note_box(
        f'<span style="font-size:14px;color:{MUTED};">A message for you:</span><br>'
        '<span style="font-size:17px;font-style:italic;">&ldquo;{{ gift.message }}&rdquo;</span>'
    )
    + "{% endif %}\n"
    + _p("Here is what is coming (no peeking at the wrapping!):")
    + _order_box(prices="not gift.hide_prices", heading=False)
    + _p("Reference: {{ order.number }}", f"font-size:14px;color:{MUTED};"),
    footer='Sent by <a href="{{ shop.url }}" style="color:'
    + MUTED
    + ';">{{ shop.name }}</a> on behalf of '
    + _GIFT_FROM_LOWER
    + ", who gave us your address for this gift only.",
    text="""{{ ('Dear ' ~ (gift.recipient_name or recipient.name) ~ ',')
    if gift.recipient_name or recipient.name else 'Hello,' }}

A gift is on its way to you!

"""
    + _GIFT_FROM
    + """ has chosen a gift for you at {{ shop.name }}, and we are preparing it
with care{% if gift.wrap %}, gift-wrapped,{% endif %} for its journey to you.

{% if gift.message %}
A message for you:
"{{ gift.message }}"

{% endif %}
Here is what is coming:
"""
    + _order_lines_text(prices="not gift.hide_prices")
    + """
Reference: {{ order.number }}

Sent by {{ shop.name }} ({{ shop.url }}) on behalf of """
    + _GIFT_FROM_LOWER
    + """, who gave us your address for this gift only.
""",
)

_STAFF_CUSTOMER = "{{ customer.email }}"
STAFF_NEW_ORDER = _doc(
    subject="New order {{ order.number }}: {{ order.total }}",
    summary="New order {{ order.number }} from " + _STAFF_CUSTOMER + " ({{ order.total }}).",
    title="New order {{ order.number }}",
    preheader="{{ order.total }} from " + _STAFF_CUSTOMER,
    body=GREETING
    + _h1("New order {{ order.number }}")
    + _p(
        "<strong>" + _STAFF_CUSTOMER + "</strong> placed an order for {{ order.total }} "
        "({{ order.payment_label }})."
        "{% if order.is_gift %} It is a gift{{ (' for ' ~ order.gift_recipient_name) if order.gift_recipient_name }}."
        "{% endif %}"
    )
    + "{% if order.needs_review %}\n"
    + _note_box("Its personalisation needs a review before it can be made.")
    + "{% endif %}\n"
    + _order_box()
    + _button("{{ order.admin_url }}", "Open the order"),
    footer=STAFF_FOOTER,
    text=GREETING_TEXT
    + """
New order {{ order.number }} from {{ customer.email }}: {{ order.total }} ({{ order.payment_label }}).
{% if order.is_gift %}
It is a gift{{ (' for ' ~ order.gift_recipient_name) if order.gift_recipient_name }}.
{% endif %}
{% if order.needs_review %}
Its personalisation needs a review before it can be made.
{% endif %}

"""
    + _order_lines_text()
    + """
Open the order: {{ order.admin_url }}

"""
    + STAFF_FOOTER_TEXT,
)

STAFF_REVIEW_NEEDED = _doc(
    subject="Personalisation to review: order {{ order.number }}",
    summary="Order {{ order.number }} has a personalisation waiting for your review.",
    title="Personalisation to review",
    preheader="Order {{ order.number }} from " + _STAFF_CUSTOMER + " is waiting for you.",
    body=GREETING
    + _h1("A personalisation is waiting for review")
    + _p(
        "Order {{ order.number }} from <strong>" + _STAFF_CUSTOMER + "</strong> will not be made until someone "
        "approves or rejects its personalisation. The shopper hears from us either way."
    )
    + _order_box()
    + _button("{{ order.admin_url }}", "Review the order"),
    footer=STAFF_FOOTER,
    text=GREETING_TEXT
    + """
Order {{ order.number }} from {{ customer.email }} will not be made until someone approves or
rejects its personalisation. The shopper hears from us either way.

"""
    + _order_lines_text()
    + """
Review the order: {{ order.admin_url }}

"""
    + STAFF_FOOTER_TEXT,
)

DEFAULT_DOCUMENTS: dict[str, dict[str, str]] = {
    "welcome": WELCOME,
    "password_reset": PASSWORD_RESET,
    "order_placed": ORDER_PLACED,
    "customization_approved": CUSTOMIZATION_APPROVED,
    "customization_rejected": CUSTOMIZATION_REJECTED,
    "order_shipped": ORDER_SHIPPED,
    "order_delivered": ORDER_DELIVERED,
    "order_canceled": ORDER_CANCELED,
    "gift_notice": GIFT_NOTICE,
    "staff_new_order": STAFF_NEW_ORDER,
    "staff_review_needed": STAFF_REVIEW_NEEDED,
}


# --- sample data (the shape the dispatcher passes) -----------------------------------------------

_SHOP = {"name": "Fantasize", "url": "https://shop.example.com/"}
_LINES = [
    {
        "name": "Personalised Ceramic Mug",
        "quantity": 2,
        "price": "€29.00",
        "customization": ["Colour: Rose", "Engraving: Happy birthday, Mia!"],
    },
    {"name": "Walnut Photo Frame", "quantity": 1, "price": "€13.00", "customization": ["Photo: beach-2026.jpg"]},
]


def _order(status: str, label: str, note: str | None = None, staff: bool = False) -> dict[str, Any]:
    order: dict[str, Any] = {
        "number": "FZ-7K3M9Q",
        "status": status,
        "status_label": label,
        "url": "https://shop.example.com/orders/0b6c1f5e-3a52-4f0e-9a57-0f3f3cbb2d10",
        "placed_on": "2 December 2026",
        "total": "€42.00",
        "payment_label": "To be paid on delivery",
        "lines": copy.deepcopy(_LINES),
        "note": note,
        "needs_review": status == "under_review",
        "is_gift": True,
        "gift_recipient_name": "Mia",
    }
    if staff:
        order["admin_url"] = "https://shop.example.com/admin/orders/0b6c1f5e-3a52-4f0e-9a57-0f3f3cbb2d10"
    return order


SAMPLE_CONTEXTS: dict[str, dict[str, Any]] = {
    "welcome": {
        "links": {"account_url": "https://shop.example.com/account", "shop_url": "https://shop.example.com/"},
    },
    "password_reset": {
        "reset_url": "https://shop.example.com/password/reset/Zm9vYmFyLXNhbXBsZS10b2tlbg",
        "expires_minutes": 60,
    },
    "order_placed": {"order": _order("under_review", "Being reviewed")},
    "customization_approved": {"order": _order("placed", "Placed")},
    "customization_rejected": {
        "order": _order("rejected", "Rejected", note="The photo is too small to print sharply on the frame.")
    },
    "order_shipped": {"order": _order("shipped", "Shipped")},
    "order_delivered": {"order": _order("delivered", "Delivered")},
    "order_canceled": {"order": _order("canceled", "Canceled", note="Canceled at your request.")},
    "gift_notice": {
        "recipient": {"name": "Mia"},
        "gift": {
            "recipient_name": "Mia",
            "from_name": "Alex",
            "message": "Happy birthday! Can't wait to celebrate with you.",
            "hide_prices": True,
            "wrap": True,
        },
        "order": {
            "number": "FZ-7K3M9Q",
            "status_label": "Placed",
            "lines": [dict(line, price=None) for line in _LINES],
            "total": None,
        },
    },
    "staff_new_order": {
        "order": _order("under_review", "Being reviewed", staff=True),
        "customer": {"email": "alex@example.com"},
    },
    "staff_review_needed": {
        "order": _order("under_review", "Being reviewed", staff=True),
        "customer": {"email": "alex@example.com"},
    },
}


def sample_for(event: str) -> dict[str, Any]:
    """Sample data for ``event``: the shop, a recipient, and the event's own variables."""
    base: dict[str, Any] = {"shop": dict(_SHOP), "recipient": {"name": "Alex"}}
    if event.startswith("staff_"):
        base["recipient"] = {"name": "Sam"}
    base.update(copy.deepcopy(SAMPLE_CONTEXTS.get(event, {})))
    return base
