"""Figures as the board papers write them: ``£1,234,567`` in tables, ``£1.23m`` and
``£450k`` in headlines, financial years as ``2010/11``."""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django import template

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


@register.inclusion_tag("includes/error_summary.html")
def form_error_summary(*forms_and_formsets):
    """The GOV.UK error summary of the forms (and formsets) on a page, each error linked
    to its input: ``{% form_error_summary form %}``."""
    return {"errors": error_summary(*forms_and_formsets)}
