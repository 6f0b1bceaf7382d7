import datetime
from decimal import Decimal

import pytest

from savings.models import OtherBenefit
from savings.selectors import forecast_rag_counts, other_benefits_by_unit, savings_totals_by
from savings.services import SavingsError, forecast_return_record
from tests.factories import (
    OrganisationFactory,
    PartnershipFactory,
    ProjectFactory,
    SavingsCategoryFactory,
    SavingsEntryFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
D = Decimal
TODAY = datetime.date(2011, 3, 31)


def test_green_amber_red_and_not_returned_are_counted_per_year():
    partnership = PartnershipFactory()
    councils = [OrganisationFactory(name=f"Council {letter}") for letter in "ABCDE"]
    partnership.members.add(*councils)
    for council, rag in zip(councils, ["green", "green", "amber", "red"], strict=False):
        forecast_return_record(
            organisation=council,
            financial_year=2011,
            rag=rag,
            comment="Plans at risk",
            returned_on=TODAY,
            by=None,
        )
    forecast_return_record(
        organisation=councils[4],
        financial_year=2012,
        rag="green",
        comment="",
        returned_on=TODAY,
        by=None,
    )
    counts, later = forecast_rag_counts(partnership=partnership, years=[2011, 2012])
    assert (counts.green, counts.amber, counts.red) == (2, 1, 1)
    assert [c.name for c in counts.not_returned] == ["Council E"]
    assert (later.financial_year, later.green, len(later.not_returned)) == (2012, 1, 4)


def test_an_amber_or_red_forecast_needs_a_comment():
    with pytest.raises(SavingsError, match="at risk"):
        forecast_return_record(
            organisation=OrganisationFactory(),
            financial_year=2011,
            rag="red",
            comment="",
            returned_on=TODAY,
            by=None,
        )


def test_a_later_forecast_for_the_same_year_replaces_the_earlier_one():
    council = OrganisationFactory()
    forecast_return_record(
        organisation=council,
        financial_year=2011,
        rag="green",
        comment="",
        returned_on=TODAY,
        by=None,
    )
    officer = UserFactory()
    forecast = forecast_return_record(
        organisation=council,
        financial_year=2011,
        rag="amber",
        comment="Leisure review late",
        returned_on=TODAY,
        by=officer,
    )
    assert forecast.history.count() == 2
    assert forecast.history.first().history_user == officer
    assert council.forecast_returns.get().rag == "amber"


def test_savings_are_totalled_per_category_with_delivered_and_potential():
    procurement = SavingsCategoryFactory(name="Procurement", slug="procurement")
    property_ = SavingsCategoryFactory(name="Property", slug="property")
    SavingsEntryFactory(category=procurement, amount=D("100"), status="delivered")
    SavingsEntryFactory(category=procurement, amount=D("50"), status="forecast")
    SavingsEntryFactory(category=property_, amount=D("400"), status="forecast")
    assert savings_totals_by("category__name") == [
        {
            "name": "Property",
            "delivered": D("0.00"),
            "forecast": D("400.00"),
            "potential": D("400.00"),
        },
        {
            "name": "Procurement",
            "delivered": D("100.00"),
            "forecast": D("50.00"),
            "potential": D("150.00"),
        },
    ]


def test_other_benefits_are_summed_in_their_own_units():
    project = ProjectFactory()
    OtherBenefit.objects.create(project=project, unit="tonnes of CO2 a year", quantity=D("120"))
    OtherBenefit.objects.create(
        project=ProjectFactory(), unit="tonnes of CO2 a year", quantity=D("30")
    )
    OtherBenefit.objects.create(project=project, unit="people trained", quantity=D("45"))
    assert other_benefits_by_unit() == [
        {"unit": "people trained", "total": D("45.00")},
        {"unit": "tonnes of CO2 a year", "total": D("150.00")},
    ]
