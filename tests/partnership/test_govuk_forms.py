"""The GOV.UK form blocks every app shares: what their fields accept from what people
type, the messages they give when it will not do, and how their forms are drawn."""

import datetime
from decimal import Decimal

import pytest
from django import forms
from django.template import RequestContext, Template
from django.test import RequestFactory

from partnership.errors import PortalError
from partnership.form_errors import add_service_error
from partnership.govuk_forms import DateField, GovukForm, MoneyField, WholeNumberField


class GrantForm(GovukForm):
    grant = MoneyField(what="the grant requested", label="Grant requested")
    spend = MoneyField(label="Spend to date", required=False)
    opens_on = DateField(what="the date the round opens", label="Opens on")
    paid_on = DateField(label="Date paid", required=False)
    years = WholeNumberField(what="the number of years", label="Years", min_value=1, max_value=10)


FILLED_IN = {
    "grant": "100000",
    "opens_on_0": "4",
    "opens_on_1": "3",
    "opens_on_2": "2011",
    "years": "5",
}


def errors_for(**typed) -> dict[str, list[str]]:
    form = GrantForm({**FILLED_IN, **typed})
    form.is_valid()
    return form.errors


@pytest.mark.parametrize(
    "typed", ["£1,250,000.00", "1,250,000", "1250000", " £1,250,000 ", "£1250000.0"]
)
def test_an_amount_is_read_as_people_write_it(typed):
    form = GrantForm({**FILLED_IN, "grant": typed, "spend": typed})

    assert form.is_valid(), form.errors
    assert form.cleaned_data["grant"] == Decimal("1250000")
    assert form.cleaned_data["spend"] == Decimal("1250000")


@pytest.mark.parametrize(
    ("typed", "named", "unnamed"),
    [
        ("-5", "The grant requested cannot be negative", "An amount cannot be negative"),
        ("-£1,000", "The grant requested cannot be negative", "An amount cannot be negative"),
        (
            "lots",
            "Enter the grant requested as an amount in pounds, like 100000",
            "Enter an amount in pounds, like 25,000",
        ),
        (
            "12.345",
            "Enter the grant requested in pounds and pence, like 2500.50",
            "Enter the amount in pounds and pence, like 2500.50",
        ),
        ("1,000,000,000,000", "The grant requested is too large", "The amount is too large"),
    ],
)
def test_an_amount_that_will_not_do_is_refused_naming_what_was_asked(typed, named, unnamed):
    errors = errors_for(grant=typed, spend=typed)

    assert errors["grant"] == [named]
    assert errors["spend"] == [unnamed]


def test_an_amount_left_empty_is_asked_for_by_name():
    assert errors_for(grant="")["grant"] == ["Enter the grant requested"]


def test_a_forms_own_message_replaces_the_fields():
    field = MoneyField(what="the amount", error_messages={"min_value": "Not below zero."})

    with pytest.raises(forms.ValidationError) as refused:
        field.clean("-1")
    assert refused.value.messages == ["Not below zero."]


def test_a_date_is_read_from_its_day_month_and_year_boxes():
    form = GrantForm(FILLED_IN)

    assert form.is_valid(), form.errors
    assert form.cleaned_data["opens_on"] == datetime.date(2011, 3, 4)
    assert form.cleaned_data["paid_on"] is None


@pytest.mark.parametrize(
    ("day", "month", "year", "named", "unnamed"),
    [
        (
            "31",
            "2",
            "2012",
            "Enter the date the round opens as a real date",
            "Enter a real date",
        ),
        ("4", "13", "2011", "Enter the date the round opens as a real date", "Enter a real date"),
        (
            "fourth",
            "3",
            "2011",
            "Enter the date the round opens as numbers, like 4 3 2011",
            "Enter a valid date",
        ),
    ],
)
def test_a_date_that_is_not_one_is_refused_with_a_message(day, month, year, named, unnamed):
    typed = {"_0": day, "_1": month, "_2": year}
    errors = errors_for(
        **{f"opens_on{box}": value for box, value in typed.items()},
        **{f"paid_on{box}": value for box, value in typed.items()},
    )

    assert errors["opens_on"] == [named]
    assert errors["paid_on"] == [unnamed]


def test_a_date_left_empty_is_asked_for_by_name():
    errors = errors_for(opens_on_0="", opens_on_1="", opens_on_2="")

    assert errors["opens_on"] == ["Enter the date the round opens"]


def test_a_date_can_report_each_empty_box_on_its_own():
    field = DateField(what="the date", require_all_fields=False)

    with pytest.raises(forms.ValidationError) as refused:
        field.clean(["12", "", ""])
    assert refused.value.messages == ["Enter the month", "Enter the year"]


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("three", "Enter the number of years as a whole number"),
        ("2.5", "Enter the number of years as a whole number"),
        ("0", "The number of years must be 1 or more"),
        ("11", "The number of years must be 10 or fewer"),
        ("", "Enter the number of years"),
    ],
)
def test_a_whole_number_that_will_not_do_is_refused_by_name(typed, message):
    assert errors_for(years=typed)["years"] == [message]


# How the forms are drawn ---------------------------------------------------------------


class OwnTagForm(GovukForm):
    submit_label = "Record payment"

    reference = forms.CharField(label="Reference")


class InsidePageForm(GovukForm):
    reference = forms.CharField(label="Reference")


def drawn(form: GovukForm) -> str:
    request = RequestFactory().get("/")
    return Template("{% load crispy_forms_tags %}{% crispy form %}").render(
        RequestContext(request, {"form": form})
    )


def test_a_form_with_a_submit_label_draws_its_own_tag_token_and_button():
    html = drawn(OwnTagForm())

    assert html.count("<form") == 1
    assert "novalidate" in html
    assert 'name="csrfmiddlewaretoken"' in html
    assert 'type="submit"' in html
    assert 'value="Record payment"' in html
    assert 'name="reference"' in html


def test_a_form_without_one_sits_inside_the_pages_own_form():
    html = drawn(InsidePageForm())

    assert "<form" not in html
    assert "csrfmiddlewaretoken" not in html
    assert 'type="submit"' not in html
    assert 'name="reference"' in html


def test_a_form_may_ask_for_small_labels():
    class SmallLabels(InsidePageForm):
        label_size = "s"

    assert 'class="govuk-label govuk-label--s"' in drawn(SmallLabels())
    assert 'class="govuk-label"' in drawn(InsidePageForm())


def test_an_amount_box_is_a_text_box_that_takes_commas_and_pound_signs():
    html = drawn(GrantForm())

    assert 'type="text" name="grant"' in html
    assert 'type="number"' not in html
    assert 'inputmode="decimal"' in html


# A service's refusal on the form -------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "otherwise", "shown_on"),
    [
        ("reference", None, "reference"),
        ("no_such_field", None, "__all__"),
        (None, None, "__all__"),
        (None, "reference", "reference"),
    ],
)
def test_a_services_refusal_is_shown_on_the_field_it_names(field, otherwise, shown_on):
    form = InsidePageForm({"reference": "REM-1"})
    form.is_valid()

    add_service_error(
        form, PortalError("The payment is already paid", field=field), otherwise=otherwise
    )

    assert form.errors == {shown_on: ["The payment is already paid"]}
