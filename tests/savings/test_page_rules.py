"""The services and selectors added for the savings pages: targets set by programme
managers, other benefits, the quarter due, programme periods and the partnership's
savings against its councils' targets."""

import datetime
from decimal import Decimal

import pytest

from savings.models import SavingsReturn, SavingsTarget
from savings.return_files import SavingsRow
from savings.selectors import (
    ProgrammePeriod,
    forecast_years,
    organisation_savings_against_target,
    organisation_target_table,
    partnership_savings_entries,
    partnership_savings_totals,
    programme_periods,
    savings_return_due,
    savings_return_versions,
    savings_rows_described,
    savings_split,
)
from savings.services import (
    SavingsError,
    forecast_return_record,
    other_benefit_record,
    savings_target_set,
)
from tests.factories import (
    OrganisationFactory,
    PartnershipFactory,
    ProgrammeFactory,
    ProjectFactory,
    SavingsCategoryFactory,
    SavingsEntryFactory,
    UserFactory,
    programme_agreement,
)

pytestmark = pytest.mark.django_db
D = Decimal


# Targets


def test_a_target_set_again_for_the_same_year_replaces_the_earlier_one():
    council, manager = OrganisationFactory(), UserFactory()
    savings_target_set(
        agreement=programme_agreement(council),
        organisation=council,
        financial_year=2010,
        basis="percentage",
        percentage=D("3.4"),
        baseline=D("10000000"),
        baseline_description=" Net revenue expenditure 2007/08 ",
        by=manager,
    )
    target = savings_target_set(
        agreement=programme_agreement(council),
        organisation=council,
        financial_year=2010,
        basis="amount",
        amount=D("250000"),
        by=manager,
    )

    target.refresh_from_db()
    assert (target.basis, target.amount, target.percentage, target.baseline) == (
        "amount",
        D("250000.00"),
        None,
        None,
    )
    assert SavingsTarget.objects.count() == 1
    assert target.history.count() == 2
    assert target.history.first().history_user == manager


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"basis": "percentage", "baseline": D("1000")}, "percentage", "Enter a percentage"),
        (
            {"basis": "percentage", "percentage": D("101"), "baseline": D("1")},
            "percentage",
            "up to 100",
        ),
        (
            {"basis": "percentage", "percentage": D("3"), "baseline": D("0")},
            "baseline",
            "Enter the baseline",
        ),
        ({"basis": "amount", "amount": D("0")}, "amount", "above £0"),
        ({"basis": "share"}, "basis", "Choose a percentage of a baseline or an amount"),
        ({"basis": "amount", "amount": D("1"), "financial_year": 1990}, "financial_year", "year"),
    ],
)
def test_a_target_is_refused_without_what_its_basis_needs(fields, field, message):
    council = OrganisationFactory()
    with pytest.raises(SavingsError, match=message) as refused:
        savings_target_set(
            agreement=programme_agreement(council),
            organisation=council,
            **{"financial_year": 2010, **fields},
            by=None,
        )
    assert refused.value.field == field
    assert not SavingsTarget.objects.exists()


def test_the_target_table_adds_up_percentages_only_while_every_target_is_a_percentage():
    council = OrganisationFactory()
    for year, percentage in ((2008, "3"), (2009, "3"), (2010, "3.4")):
        savings_target_set(
            agreement=programme_agreement(council),
            organisation=council,
            financial_year=year,
            basis="percentage",
            percentage=D(percentage),
            baseline=D("10000000"),
            by=None,
        )
    savings_target_set(
        agreement=programme_agreement(council),
        organisation=council,
        financial_year=2011,
        basis="amount",
        amount=D("1000"),
        by=None,
    )

    [held] = organisation_target_table(organisation=council)
    rows = held.rows

    assert [row.cumulative_percentage for row in rows] == [D("3"), D("6"), D("9.4"), None]
    assert [row.progress.cumulative_target for row in rows] == [
        D("300000.00"),
        D("600000.00"),
        D("940000.00"),
        D("941000.00"),
    ]


# Other benefits


def test_a_benefit_is_recorded_in_its_unit_with_spaces_tidied():
    benefit = other_benefit_record(
        project=ProjectFactory(), unit="  tonnes of  CO2   a year ", quantity=D("120"), by=None
    )
    assert benefit.unit == "tonnes of CO2 a year"


@pytest.mark.parametrize(
    ("unit", "quantity", "field"),
    [(" ", D("1"), "unit"), ("homes", D("0"), "quantity"), ("homes", D("-2"), "quantity")],
)
def test_a_benefit_needs_a_unit_and_a_quantity_above_zero(unit, quantity, field):
    with pytest.raises(SavingsError) as refused:
        other_benefit_record(project=ProjectFactory(), unit=unit, quantity=quantity, by=None)
    assert refused.value.field == field


# Returns: what is due, versions, rows not yet saved


def returned(council, year, quarter, status, version=1):
    return SavingsReturn.objects.create(
        organisation=council, financial_year=year, quarter=quarter, status=status, version=version
    )


def test_the_return_due_is_the_latest_completed_quarter_until_it_is_awaiting_or_certified():
    council = OrganisationFactory()
    # 10 May 2011 is in 2011/12 Q1: the latest completed quarter is 2010/11 Q4.
    today = datetime.date(2011, 5, 10)

    due = savings_return_due(organisation=council, today=today)
    assert (due.financial_year, due.quarter, due.changes_requested) == (2010, 4, None)

    earlier = returned(council, 2010, 4, SavingsReturn.Status.SUPERSEDED)
    sent_back = returned(council, 2010, 4, SavingsReturn.Status.RETURNED, version=2)
    assert savings_return_due(organisation=council, today=today).changes_requested == sent_back

    SavingsReturn.objects.filter(pk=sent_back.pk).update(status="superseded")
    returned(council, 2010, 4, SavingsReturn.Status.AWAITING_SIGN_OFF, version=3)
    assert savings_return_due(organisation=council, today=today) is None
    assert [r.version for r in savings_return_versions(earlier)] == [3, 2, 1]

    # In October, the quarter just ended is 2011/12 Q2.
    due = savings_return_due(organisation=council, today=datetime.date(2011, 10, 1))
    assert (due.financial_year, due.quarter) == (2011, 2)


def test_rows_not_yet_saved_are_totalled_and_described():
    council = OrganisationFactory()
    procurement = SavingsCategoryFactory()
    project = ProjectFactory(lead_organisation=council)

    def row(amount, status, cashable, project_id=None):
        return SavingsRow(
            organisation_id=council.pk,
            financial_year=2010,
            quarter=None,
            project_id=project_id,
            category_id=procurement.pk,
            cashable=cashable,
            status=status,
            amount=D(amount),
            description="",
        )

    rows = [
        row("100.50", "delivered", True, project.pk),
        row("40", "forecast", False),
        row("9.50", "delivered", False),
    ]

    totals = savings_split(rows)
    assert (totals.delivered_cashable, totals.delivered_non_cashable) == (D("100.50"), D("9.50"))
    assert (totals.forecast_cashable, totals.forecast_non_cashable) == (D("0"), D("40"))
    described = savings_rows_described(rows)
    assert [(item.category, item.project) for item in described] == [
        (procurement, project),
        (procurement, None),
        (procurement, None),
    ]


# The partnership's figures


def test_programme_periods_are_the_financial_years_programmes_run_over():
    partnership = PartnershipFactory()
    for starts, ends in (("2008-04-01", "2011-03-31"), ("2011-04-01", "2013-03-31")):
        ProgrammeFactory(
            partnership=partnership,
            starts_on=datetime.date.fromisoformat(starts),
            ends_on=datetime.date.fromisoformat(ends),
        )
        ProgrammeFactory(
            partnership=partnership,
            starts_on=datetime.date.fromisoformat(starts),
            ends_on=datetime.date.fromisoformat(ends),
        )

    periods = programme_periods(partnerships=[partnership])

    assert [period.label for period in periods] == ["2008/11", "2011/13"]
    assert list(periods[0].years) == [2008, 2009, 2010]
    assert periods[1].programmes(partnership).count() == 2


def test_a_partnerships_savings_are_its_programmes_and_its_members_returns_that_count():
    partnership = PartnershipFactory()
    member = OrganisationFactory(partnership=partnership)
    srp = ProgrammeFactory(
        partnership=partnership,
        starts_on=datetime.date(2008, 4, 1),
        ends_on=datetime.date(2011, 3, 31),
    )
    legacy = ProgrammeFactory(partnership=partnership)  # 2011/13
    in_srp = SavingsEntryFactory(programme=srp, financial_year=2010)
    in_legacy = SavingsEntryFactory(programme=legacy, financial_year=2011)
    returned_2009 = SavingsEntryFactory(organisation=member, financial_year=2009)
    returned_2012 = SavingsEntryFactory(organisation=member, financial_year=2012)
    uncertified = returned(member, 2012, 1, SavingsReturn.Status.AWAITING_SIGN_OFF)
    SavingsEntryFactory(organisation=member, savings_return=uncertified)
    SavingsEntryFactory()  # another partnership's
    SavingsEntryFactory(programme=ProgrammeFactory())

    def entries(**filters):
        found = partnership_savings_entries(partnership=partnership, **filters)
        return set(found)

    assert entries() == {in_srp, in_legacy, returned_2009, returned_2012}
    period_2008 = ProgrammePeriod(first_year=2008, last_year=2010)
    assert entries(period=period_2008) == {in_srp, returned_2009}
    assert entries(financial_year=2012) == {returned_2012}


def test_councils_savings_are_set_against_their_targets_for_the_years_asked():
    partnership = PartnershipFactory()
    lincoln = OrganisationFactory(name="Lincoln City Council", partnership=partnership)
    boston = OrganisationFactory(name="Boston Borough Council", partnership=partnership)
    OrganisationFactory(name="Quiet District Council", partnership=partnership)
    for year in (2009, 2010):
        SavingsTarget.objects.create(
            agreement=programme_agreement(lincoln),
            organisation=lincoln,
            financial_year=year,
            basis="amount",
            amount=D("1000"),
        )
        SavingsEntryFactory(organisation=lincoln, financial_year=year, amount=D("250"))
    SavingsEntryFactory(organisation=boston, amount=D("70"), status="forecast")
    totals = partnership_savings_totals(partnership=partnership)

    rows = organisation_savings_against_target(partnership=partnership, savings=totals)

    assert [(row.organisation.name, row.target, row.delivered, row.forecast) for row in rows] == [
        ("Boston Borough Council", None, D("0.00"), D("70.00")),
        ("Lincoln City Council", D("2000.00"), D("500.00"), D("0.00")),
    ]
    assert rows[1].delivered_share_of_target == D("25.0")
    assert rows[0].delivered_share_of_target is None
    only_2010 = organisation_savings_against_target(
        partnership=partnership,
        savings=partnership_savings_totals(partnership=partnership, financial_year=2010),
        years=[2010],
    )
    assert [(row.target, row.delivered) for row in only_2010] == [
        (None, D("0.00")),
        (D("1000.00"), D("250.00")),
    ]


def test_forecast_years_are_those_returned_and_the_next_year():
    partnership = PartnershipFactory()
    member = OrganisationFactory(partnership=partnership)
    for year in (2009, 2011):
        forecast_return_record(
            organisation=member,
            financial_year=year,
            rag="green",
            comment="",
            returned_on=datetime.date(2009, 1, 1),
            by=None,
        )
    forecast_return_record(
        organisation=OrganisationFactory(),
        financial_year=2015,
        rag="green",
        comment="",
        returned_on=datetime.date(2009, 1, 1),
        by=None,
    )

    assert forecast_years(partnership=partnership, today=datetime.date(2011, 5, 1)) == [
        2009,
        2011,
        2012,
    ]
