"""What every GOV.UK form of the portal's bidding pages shares: a service's refusal
shown on its field, and fields that read what people type (amounts in pounds, whole
numbers, day-month-year dates) with messages that name them."""

from decimal import Decimal

from crispy_forms_gds.fields import DateInputField
from crispy_forms_gds.helper import FormHelper
from django import forms
from django.core.exceptions import ValidationError


def add_service_error(form: forms.Form, error) -> None:
    """Show a service's refusal on the field it names, else above the form."""
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.message)


class GovukForm(forms.Form):
    """Rendered inside a page's own <form> tag, which holds the CSRF token and the
    buttons, so a page can put its error summary above its heading."""

    # Radio fields laid out with ConditionalRadios, whose inputs are numbered from 0.
    conditional_radios: frozenset[str] = frozenset()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True


class MoneyField(forms.DecimalField):
    """An amount in pounds, typed as people write it: "£100,000" is 100000."""

    def __init__(self, *, what: str, **kwargs):
        kwargs.setdefault("max_digits", 14)
        kwargs.setdefault("decimal_places", 2)
        kwargs.setdefault("min_value", Decimal("0"))
        super().__init__(
            widget=forms.TextInput(
                attrs={"class": "govuk-input govuk-input--width-10", "inputmode": "decimal"}
            ),
            error_messages={
                "required": f"Enter {what}",
                "invalid": f"Enter {what} as an amount in pounds, like 100000",
                "min_value": f"{what[0].upper()}{what[1:]} cannot be negative",
                "max_digits": f"{what[0].upper()}{what[1:]} is too large",
                "max_decimal_places": f"Enter {what} in pounds and pence, like 2500.50",
                "max_whole_digits": f"{what[0].upper()}{what[1:]} is too large",
            },
            **kwargs,
        )

    def to_python(self, value):
        if isinstance(value, str):
            value = value.replace("£", "").replace(",", "").strip()
        return super().to_python(value)


class WholeNumberField(forms.IntegerField):
    def __init__(self, *, what: str, **kwargs):
        what_is = f"{what[0].upper()}{what[1:]} must be"
        super().__init__(
            widget=forms.TextInput(
                attrs={"class": "govuk-input govuk-input--width-3", "inputmode": "numeric"}
            ),
            error_messages={
                "required": f"Enter {what}",
                "invalid": f"Enter {what} as a whole number",
                "min_value": f"{what_is} %(limit_value)s or more",
                "max_value": f"{what_is} %(limit_value)s or fewer",
            },
            **kwargs,
        )


class DateField(DateInputField):
    """The GOV.UK date input (day, month, year), with messages naming the date."""

    def __init__(self, *, what: str, **kwargs):
        super().__init__(**kwargs)
        self.what = what
        self.error_messages["required"] = f"Enter {what}"
        self.error_messages["incomplete"] = f"Enter {what} as a day, month and year"
        for field in self.fields:
            field.validators[0].message = f"Enter {what} as numbers, like 4 3 2011"

    def compress(self, data_list):
        try:
            return super().compress(data_list)
        except (ValidationError, ValueError) as error:
            raise ValidationError(f"Enter {self.what} as a real date") from error


def text_input(**attrs) -> forms.TextInput:
    return forms.TextInput(attrs={"class": "govuk-input", **attrs})


def textarea(rows: int = 5) -> forms.Textarea:
    return forms.Textarea(attrs={"class": "govuk-textarea", "rows": rows})
