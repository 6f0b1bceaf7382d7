"""The delivery pages' names for the shared GOV.UK form blocks
(``partnership.govuk_forms``): a label first, as every delivery form writes them."""

from partnership.govuk_forms import DateField, GovukForm, MoneyField, text_input

__all__ = [
    "WIDTH_10",
    "DateField",
    "GovukForm",
    "MoneyField",
    "date_field",
    "money_field",
    "text_input",
]

WIDTH_10 = "govuk-input govuk-input--width-10"


def money_field(label: str, **kwargs) -> MoneyField:
    """An amount in pounds: takes ``1250000``, ``1,250,000`` or ``£1,250,000.00``."""
    return MoneyField(label=label, **kwargs)


def date_field(label: str, **kwargs) -> DateField:
    return DateField(label=label, **kwargs)
