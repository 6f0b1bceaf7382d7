"""Figures as the board papers write them: ``£1,234,567`` in tables, ``£1.23m`` and
``£450k`` in headlines, financial years as ``2010/11``; and links drawn only to pages
their reader may open."""

import datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django import template
from django.utils import dateformat, timezone
from django.utils.html import format_html

from partnership import financial_years
from partnership.form_errors import error_summary

register = template.Library()


def _decimal(value) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


@register.filter
def gbp(value, places: int = 0) -> str:
    """``£1,234,567`` (whole pounds by default; ``|gbp:2`` shows pence)."""
    amount = _decimal(value)
    if amount is None:
        return ""
    quantum = Decimal(1).scaleb(-int(places))
    rounded = amount.quantize(quantum, rounding=ROUND_HALF_UP)
    sign = "-" if rounded < 0 else ""
    return f"{sign}£{abs(rounded):,.{int(places)}f}"


@register.filter
def gbp_short(value) -> str:
    """``£1.23m`` from a million up, ``£450k`` from a thousand up, else ``£999``."""
    amount = _decimal(value)
    if amount is None:
        return ""
    sign = "-" if amount < 0 else ""
    amount = abs(amount)
    if amount >= 1_000_000:
        figure = (amount / 1_000_000).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        return f"{sign}£{figure}m"
    if amount >= 1_000:
        figure = (amount / 1_000).quantize(Decimal("1"), rounding=ROUND_HALF_UP)
        return f"{sign}£{figure}k"
    return f"{sign}£{amount.quantize(Decimal('1'), rounding=ROUND_HALF_UP)}"


@register.filter
def fy(value) -> str:
    """A stored financial year (2010) as the papers write it: ``2010/11``."""
    if value in (None, ""):
        return ""
    return financial_years.label(int(value))


@register.filter
def person(user) -> str:
    """A user as the portal names them: their full name, else their user name."""
    return user.get_full_name() or user.get_username()


@register.simple_tag
def on_by(when, who, empty: str = "Not yet", date_format: str = "j F Y") -> str:
    """A workflow step's date and who took it, ``4 December 2026 by Jane Smith``; the
    date alone where the step's taker was not recorded, ``empty`` before the step."""
    if not when:
        return empty
    if isinstance(when, datetime.datetime) and timezone.is_aware(when):
        when = timezone.localtime(when)
    on = dateformat.format(when, date_format)
    return f"{on} by {person(who)}" if who else on


@register.inclusion_tag("includes/error_summary.html")
def form_error_summary(*forms_and_formsets):
    """The GOV.UK error summary of the forms (and formsets) on a page, each error linked
    to its input: ``{% form_error_summary form %}``."""
    return {"errors": error_summary(*forms_and_formsets)}


class LinkIfVisibleNode(template.Node):
    def __init__(self, obj, openable, nodelist):
        self.obj, self.openable, self.nodelist = obj, openable, nodelist

    def render(self, context):
        text = self.nodelist.render(context)
        obj, openable = self.obj.resolve(context), self.openable.resolve(context)
        if obj is None or openable is None or obj not in openable:
            return text
        return format_html('<a class="govuk-link" href="{}">{}</a>', obj.get_absolute_url(), text)


@register.tag
def link_if_visible(parser, token):
    """``{% link_if_visible bid openable %}Bid {{ bid.number }}{% endlink_if_visible %}``:
    the text, linked to the object's page when the reader may open it (``openable``,
    a :class:`partnership.object_pages.Openable`), and plain otherwise."""
    try:
        _tag, obj, openable = token.split_contents()
    except ValueError as error:
        raise template.TemplateSyntaxError(
            "link_if_visible takes an object and the page's Openable"
        ) from error
    nodelist = parser.parse(("endlink_if_visible",))
    parser.delete_first_token()
    return LinkIfVisibleNode(parser.compile_filter(obj), parser.compile_filter(openable), nodelist)
