"""The savings API shows a council's returns, entries, targets and forecasts to its
own officers and finance staff and to its partnerships' managers, board and finance;
another council's officer sees none of them."""

import datetime
from decimal import Decimal

import pytest

from partnership.models import Role
from savings.models import ForecastReturn, SavingsReturn, SavingsTarget
from tests.api import listed, listed_ids, read
from tests.factories import (
    OrganisationFactory,
    PartnershipFactory,
    SavingsEntryFactory,
    SubRegionFactory,
    programme_agreement,
    user_with_role,
)

pytestmark = pytest.mark.django_db

ENTRIES = "/api/v1/savings-entries/"
RETURNS = "/api/v1/savings-returns/"
TARGETS = "/api/v1/savings-targets/"
FORECASTS = "/api/v1/forecast-returns/"


@pytest.fixture
def savings():
    partnership = PartnershipFactory()
    north_kesteven = OrganisationFactory(partnership=partnership)
    leicester = OrganisationFactory(partnership=partnership)
    lincolnshire = SubRegionFactory(partnership=partnership)
    lincolnshire.members.add(north_kesteven)
    records = {}
    for council in (north_kesteven, leicester):
        savings_return = SavingsReturn.objects.create(
            organisation=council, financial_year=2010, quarter=2
        )
        records[council.pk] = {
            "return": savings_return,
            "entry": SavingsEntryFactory(
                organisation=council, savings_return=savings_return, quarter=2
            ),
            "earlier": SavingsEntryFactory(organisation=council, financial_year=2009),
            "target": SavingsTarget.objects.create(
                agreement=programme_agreement(council),
                organisation=council,
                financial_year=2010,
                basis=SavingsTarget.Basis.PERCENTAGE,
                percentage=Decimal("3.00"),
                baseline=Decimal("12000000.00"),
            ),
            "forecast": ForecastReturn.objects.create(
                organisation=council,
                financial_year=2011,
                rag="amber",
                returned_on=datetime.date(2010, 10, 1),
            ),
        }
    return {
        "north_kesteven": records[north_kesteven.pk],
        "leicester": records[leicester.pk],
        "lincolnshire": lincolnshire,
        "nk_officer": user_with_role(Role.Kind.OFFICER, organisation=north_kesteven),
        "finance": user_with_role(Role.Kind.FINANCE, partnership=partnership),
        "elsewhere": user_with_role(Role.Kind.PROGRAMME_MANAGER, partnership=PartnershipFactory()),
    }


def _ids(council: dict, *names: str) -> set[int]:
    return {council[name].pk for name in names}


def test_an_officer_reads_only_their_own_councils_savings_records(client, savings):
    officer, own, other = savings["nk_officer"], savings["north_kesteven"], savings["leicester"]

    assert listed_ids(client, officer, ENTRIES) == _ids(own, "entry", "earlier")
    assert listed_ids(client, officer, RETURNS) == _ids(own, "return")
    assert listed_ids(client, officer, TARGETS) == _ids(own, "target")
    assert listed_ids(client, officer, FORECASTS) == _ids(own, "forecast")
    for url, name in ((RETURNS, "return"), (ENTRIES, "entry"), (TARGETS, "target")):
        assert read(client, officer, f"{url}{other[name].pk}/").status_code == 404


def test_the_partnerships_finance_reads_every_members_returns(client, savings):
    rows = listed(client, savings["finance"], RETURNS)

    assert {row["id"] for row in rows} == _ids(savings["north_kesteven"], "return") | _ids(
        savings["leicester"], "return"
    )
    assert rows[0]["status"] == "awaiting_sign_off"


def test_another_partnerships_manager_reads_none_of_them(client, savings):
    for url in (ENTRIES, RETURNS, TARGETS, FORECASTS):
        assert listed(client, savings["elsewhere"], url) == []


def test_anonymous_readers_are_refused(client, savings):
    for url in (ENTRIES, RETURNS, TARGETS, FORECASTS):
        assert read(client, None, url).status_code == 401


def test_money_is_given_as_decimal_strings(client, savings):
    target = savings["north_kesteven"]["target"]

    row = read(client, savings["nk_officer"], f"{TARGETS}{target.pk}/").json()

    assert row["baseline"] == "12000000.00"
    assert row["percentage"] == "3.00"
    assert row["target_amount"] == "360000.00"


def test_savings_filters_narrow_the_lists(client, savings):
    finance, own = savings["finance"], savings["north_kesteven"]
    council = own["entry"].organisation_id

    assert listed_ids(client, finance, ENTRIES, organisation=council, financial_year=2010) == {
        own["entry"].pk
    }
    assert listed_ids(client, finance, ENTRIES, sub_region=savings["lincolnshire"].pk) == _ids(
        own, "entry", "earlier"
    )
    assert listed_ids(client, finance, RETURNS, organisation=council) == _ids(own, "return")
    assert listed_ids(client, finance, RETURNS, status="certified") == set()
    assert listed_ids(
        client, finance, FORECASTS, returned_on_after="2010-10-01", organisation=council
    ) == _ids(own, "forecast")


def test_the_entries_list_answers_in_the_same_number_of_queries_however_many_rows(
    client, savings, django_assert_num_queries
):
    for _ in range(5):
        SavingsEntryFactory(organisation=savings["north_kesteven"]["entry"].organisation)
    client.force_login(savings["finance"])
    # session, user, the user's roles, the count, the page
    with django_assert_num_queries(5):
        assert len(client.get(ENTRIES).json()["results"]) == 9
