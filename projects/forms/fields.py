"""What every form of the delivery pages shares: GOV.UK fields that read amounts
in pounds and day-month-year dates as people type them, and a form with one button."""

from decimal import Decimal

from crispy_forms_gds.fields import DateInputField
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Submit
from django import forms
from django.core.exceptions import ValidationError

WIDTH_10 = "govuk-input govuk-input--width-10"


def text_input(**attrs) -> forms.TextInput:
    return forms.TextInput(attrs={"class": "govuk-input", **attrs})


def money_field(label: str, **kwargs) -> forms.DecimalField:
    """An amount in pounds: a text box (GOV.UK advise against number inputs) that
    takes ``1250000``, ``1,250,000`` or ``£1,250,000.00``."""
    return MoneyField(
        label=label,
        max_digits=14,
        decimal_places=2,
        min_value=Decimal("0"),
        widget=text_input(inputmode="decimal", spellcheck="false", **{"class": WIDTH_10}),
        **kwargs,
    )


class MoneyField(forms.DecimalField):
    default_error_messages = {"invalid": "Enter an amount in pounds, like 25,000"}

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip().replace(",", "").removeprefix("£")
        return super().to_python(value)


class DateField(DateInputField):
    """The GOV.UK date input: day, month and year boxes."""

    def compress(self, data_list):
        try:
            return super().compress(data_list)
        except ValidationError:
            raise ValidationError("Enter a real date", code="invalid") from None


def date_field(label: str, **kwargs) -> DateField:
    return DateField(label=label, **kwargs)


class GovukForm(forms.Form):
    """A form drawn with the GOV.UK Design System, with one button."""

    submit_label = "Continue"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper(self)
        self.helper.add_input(Submit("submit", self.submit_label))
