"""The building blocks of every GOV.UK form of the portal: a form that crispy-forms-gds
draws as GOV.UK markup, fields that read what people type (amounts in pounds, whole
numbers, day-month-year dates) and the text boxes they are typed into. Every app
imports them from here.

A field given ``what`` ("the grant requested") names it in its messages; without it,
its messages speak of "an amount", "a number" or "a real date".
"""

from decimal import Decimal

from crispy_forms_gds.fields import DateInputField
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Submit
from django import forms
from django.core.exceptions import ValidationError


def _capitalised(what: str) -> str:
    return f"{what[0].upper()}{what[1:]}"


# Widgets -------------------------------------------------------------------------------


def text_input(**attrs) -> forms.TextInput:
    return forms.TextInput(attrs={"class": "govuk-input", **attrs})


def textarea(rows: int = 5) -> forms.Textarea:
    return forms.Textarea(attrs={"class": "govuk-textarea", "rows": rows})


def number_input(*, decimal: bool = False, width: int | None = None) -> forms.TextInput:
    """A text box for a number: GOV.UK advise against number inputs, which round,
    change with the scroll wheel and refuse "1,250"."""
    css = f"govuk-input govuk-input--width-{width}" if width else "govuk-input"
    return text_input(
        inputmode="decimal" if decimal else "numeric", spellcheck="false", **{"class": css}
    )


# Fields --------------------------------------------------------------------------------


class MoneyField(forms.DecimalField):
    """An amount in pounds, typed as people write it: "£1,250,000.00", "1,250,000" and
    "1250000" are all 1250000. Pounds and pence, never negative, unless told otherwise."""

    default_error_messages = {
        "required": "Enter an amount",
        "invalid": "Enter an amount in pounds, like 25,000",
        "min_value": "An amount cannot be negative",
        "max_digits": "The amount is too large",
        "max_whole_digits": "The amount is too large",
        "max_decimal_places": "Enter the amount in pounds and pence, like 2500.50",
    }

    def __init__(self, *, what: str | None = None, error_messages=None, **kwargs):
        kwargs.setdefault("max_digits", 14)
        kwargs.setdefault("decimal_places", 2)
        kwargs.setdefault("min_value", Decimal("0"))
        kwargs.setdefault("widget", number_input(decimal=True, width=10))
        named = {}
        if what:
            named = {
                "required": f"Enter {what}",
                "invalid": f"Enter {what} as an amount in pounds, like 100000",
                "min_value": f"{_capitalised(what)} cannot be negative",
                "max_digits": f"{_capitalised(what)} is too large",
                "max_whole_digits": f"{_capitalised(what)} is too large",
                "max_decimal_places": f"Enter {what} in pounds and pence, like 2500.50",
            }
        super().__init__(error_messages={**named, **(error_messages or {})}, **kwargs)

    def to_python(self, value):
        if isinstance(value, str):
            value = value.replace("£", "").replace(",", "").strip()
        return super().to_python(value)


class WholeNumberField(forms.IntegerField):
    """A whole number in a narrow text box."""

    default_error_messages = {
        "required": "Enter a number",
        "invalid": "Enter a whole number, like 3",
        "min_value": "The number must be %(limit_value)s or more",
        "max_value": "The number must be %(limit_value)s or fewer",
    }

    def __init__(self, *, what: str | None = None, error_messages=None, **kwargs):
        kwargs.setdefault("widget", number_input(width=3))
        named = {}
        if what:
            what_is = f"{_capitalised(what)} must be"
            named = {
                "required": f"Enter {what}",
                "invalid": f"Enter {what} as a whole number",
                "min_value": f"{what_is} %(limit_value)s or more",
                "max_value": f"{what_is} %(limit_value)s or fewer",
            }
        super().__init__(error_messages={**named, **(error_messages or {})}, **kwargs)


class DateField(DateInputField):
    """The GOV.UK date input: day, month and year boxes.

    With ``require_all_fields=False`` each box left empty is reported on its own
    ("Enter the month"); otherwise a date missing a box counts as not given."""

    def __init__(self, *, what: str | None = None, error_messages=None, **kwargs):
        # DateInputField sets its own messages, so callers' are applied over them.
        super().__init__(**kwargs)
        self.error_messages["invalid"] = "Enter a real date"
        if what:
            self.error_messages["required"] = f"Enter {what}"
            self.error_messages["incomplete"] = f"Enter {what} as a day, month and year"
            self.error_messages["invalid"] = f"Enter {what} as a real date"
            for box in self.fields:
                box.validators[0].message = f"Enter {what} as numbers, like 4 3 2011"
        self.error_messages.update(error_messages or {})

    def compress(self, data_list):
        try:
            return super().compress(data_list)
        except ValidationError:
            # 31 2 2012 and the like: the message names no Python error.
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None


# Forms ---------------------------------------------------------------------------------


class _DrawnAsGovuk:
    """Gives the form the helper that ``{% crispy form %}`` draws it with. Each form
    says how through its class attributes."""

    # Given, the form draws its own <form> tag (with the CSRF token) and a button so
    # labelled. Left None, it sits inside the page's own <form>, which holds the token
    # and the buttons, so a page can put its error summary above its heading and its
    # buttons where it likes.
    submit_label: str | None = None
    # A GOV.UK size ("s", "m", ...) for every label and legend; empty for body text.
    label_size: str = ""
    # Radio fields laid out with ConditionalRadios, whose inputs are numbered from 0.
    conditional_radios: frozenset[str] = frozenset()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper(self)
        own_tag = self.submit_label is not None
        self.helper.form_tag = own_tag
        self.helper.disable_csrf = not own_tag
        if own_tag:
            # Errors are shown in the error summary, not by the browser.
            self.helper.attrs = {"novalidate": ""}
            self.helper.add_input(Submit("submit", self.submit_label))
        if self.label_size:
            self.helper.label_size = self.helper.legend_size = self.label_size


class GovukForm(_DrawnAsGovuk, forms.Form):
    """A form drawn as GOV.UK markup; see ``_DrawnAsGovuk`` for what it may set."""


class GovukModelForm(_DrawnAsGovuk, forms.ModelForm):
    """A model's form drawn as GOV.UK markup, the same way as ``GovukForm``."""
