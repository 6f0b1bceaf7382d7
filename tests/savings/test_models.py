import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from programmes.services import ledger_record
from savings.models import ForecastReturn, SavingsEntry, SavingsReturn, SavingsTarget
from savings.selectors import organisation_target_progress, sub_region_savings
from tests.constraints import refused
from tests.factories import (
    FundingSourceFactory,
    OrganisationFactory,
    ProgrammeFactory,
    ProjectFactory,
    SavingsCategoryFactory,
    SavingsEntryFactory,
    SubRegionFactory,
    programme_agreement,
)

pytestmark = pytest.mark.django_db
D = Decimal


def test_a_savings_entry_is_not_negative_and_its_quarter_is_one_to_four():
    assert refused(lambda: SavingsEntryFactory(amount=D("-1")))
    assert refused(lambda: SavingsEntryFactory(quarter=5))
    assert SavingsEntryFactory(quarter=4).quarter == 4


def test_a_projects_saving_is_credited_to_the_projects_programme_however_it_is_saved():
    # The admin saves an entry through full_clean, as its forms do.
    project = ProjectFactory()
    entry = SavingsEntry(
        organisation=project.lead_organisation,
        project=project,
        category=SavingsCategoryFactory(),
        financial_year=2010,
        amount=D("500"),
        status=SavingsEntry.Status.DELIVERED,
    )
    entry.full_clean()
    entry.save()
    assert SavingsEntry.objects.get(pk=entry.pk).programme == project.programme

    entry.programme = ProgrammeFactory()
    with pytest.raises(ValidationError) as refusal:
        entry.full_clean()
    assert refusal.value.message_dict["programme"] == [
        "A project's saving is credited to the project's programme."
    ]


def test_a_council_has_one_current_return_per_quarter_with_earlier_versions_kept():
    council = OrganisationFactory()
    fields = {"organisation": council, "financial_year": 2010, "quarter": 3}
    first = SavingsReturn.objects.create(**fields)
    assert refused(lambda: SavingsReturn.objects.create(**fields, version=2))
    first.status = SavingsReturn.Status.SUPERSEDED
    first.save()
    SavingsReturn.objects.create(**fields, version=2)
    assert refused(lambda: SavingsReturn.objects.create(**fields, version=2, status="superseded"))
    assert SavingsReturn.objects.filter(organisation=council).count() == 2


def test_a_target_is_a_percentage_of_a_baseline_or_an_amount():
    council = OrganisationFactory()
    agreement = programme_agreement(council)
    assert refused(
        lambda: SavingsTarget.objects.create(
            agreement=agreement,
            organisation=council,
            financial_year=2008,
            basis="percentage",
            percentage=D("3"),
            baseline=D("0"),
        )
    )
    assert refused(
        lambda: SavingsTarget.objects.create(
            agreement=agreement, organisation=council, financial_year=2008, basis="amount"
        )
    )
    assert refused(
        lambda: SavingsTarget.objects.create(
            agreement=agreement,
            organisation=council,
            financial_year=2008,
            basis="percentage",
            percentage=D("101"),
            baseline=D("1000"),
        )
    )


def test_a_council_returns_one_rag_forecast_per_year():
    council = OrganisationFactory()
    fields = {"organisation": council, "financial_year": 2011, "returned_on": datetime.date.today()}
    ForecastReturn.objects.create(rag="green", **fields)
    assert refused(lambda: ForecastReturn.objects.create(rag="red", **fields))


def test_cumulative_target_progress_adds_up_three_percent_three_percent_and_three_point_four():
    council = OrganisationFactory()
    for year, percentage in ((2008, "3"), (2009, "3"), (2010, "3.4")):
        SavingsTarget.objects.create(
            agreement=programme_agreement(council),
            organisation=council,
            financial_year=year,
            basis="percentage",
            percentage=D(percentage),
            baseline=D("10000000"),
        )
        SavingsEntryFactory(organisation=council, financial_year=year, amount=D("250000"))
    SavingsEntryFactory(
        organisation=council, financial_year=2010, amount=D("999999"), status="forecast"
    )
    progress = organisation_target_progress(organisation=council)
    assert [row.target for row in progress] == [D("300000.00"), D("300000.00"), D("340000.00")]
    assert progress[-1].cumulative_target == D("940000.00")  # 9.4% of the baseline
    assert progress[-1].cumulative_delivered == D("750000.00")


def test_sub_region_savings_show_allocation_delivered_and_potential():
    derbyshire = SubRegionFactory(name="Derbyshire")
    programme = ProgrammeFactory(partnership=derbyshire.partnership, sub_region=derbyshire)
    ledger_record(
        programme=programme,
        kind="funding",
        amount=D("3890000"),
        occurred_on=datetime.date(2008, 4, 1),
        funding_source=FundingSourceFactory(programme=programme),
        by=None,
    )
    SavingsEntryFactory(programme=programme, amount=D("3648000"), status="delivered")
    SavingsEntryFactory(programme=programme, amount=D("18689000"), status="forecast")
    SubRegionFactory(partnership=derbyshire.partnership, name="Lincolnshire")

    rows = {
        row.sub_region.name: row for row in sub_region_savings(partnership=derbyshire.partnership)
    }
    assert rows["Derbyshire"].allocation == D("3890000.00")
    assert rows["Derbyshire"].delivered == D("3648000.00")
    assert rows["Derbyshire"].potential == D("22337000.00")
    assert rows["Lincolnshire"].allocation == D("0.00")
    assert rows["Lincolnshire"].potential == D("0.00")
