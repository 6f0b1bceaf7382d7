"""The programmes API: programmes and budget lines for everyone in the partnership,
each line with balances summed from the ledger as it is read; the ledger itself for
the partnership's managers, board and finance only."""

import datetime
from decimal import Decimal

import pytest

from partnership.models import Role
from programmes.models import LedgerEntry
from tests.api import listed, listed_ids, read
from tests.factories import (
    BudgetLineFactory,
    FundingSourceFactory,
    OrganisationFactory,
    ProgrammeFactory,
    funded_budget_line,
    user_with_role,
)

pytestmark = pytest.mark.django_db

PROGRAMMES = "/api/v1/programmes/"
LINES = "/api/v1/budget-lines/"
LEDGER = "/api/v1/ledger-entries/"


@pytest.fixture
def money():
    line = funded_budget_line(Decimal("750000.00"), name="Projects")
    LedgerEntry.objects.create(
        programme=line.programme,
        kind=LedgerEntry.Kind.COMMITMENT,
        amount=Decimal("320000.00"),
        occurred_on=datetime.date(2012, 5, 1),
        budget_line=line,
    )
    partnership = line.programme.partnership
    return {
        "line": line,
        "other_line": BudgetLineFactory(),
        "officer": user_with_role(
            Role.Kind.OFFICER, organisation=OrganisationFactory(partnership=partnership)
        ),
        "board": user_with_role(Role.Kind.BOARD_MEMBER, partnership=partnership),
    }


def test_a_budget_line_shows_balances_derived_from_the_ledger(client, money):
    line = money["line"]

    row = read(client, money["officer"], f"{LINES}{line.pk}/").json()

    assert row == {
        "id": line.pk,
        "programme": line.programme_id,
        "name": "Projects",
        "description": "",
        "position": 0,
        "allocated": "750000.00",
        "committed": "320000.00",
        "paid": "0.00",
        "available": "430000.00",
        "unpaid": "320000.00",
    }


def test_member_councils_read_their_partnerships_programmes_and_lines_only(client, money):
    officer = money["officer"]

    assert listed_ids(client, officer, PROGRAMMES) == {money["line"].programme_id}
    assert listed_ids(client, officer, LINES) == {money["line"].pk}
    other = money["other_line"]
    assert read(client, officer, f"{LINES}{other.pk}/").status_code == 404
    assert read(client, officer, f"{PROGRAMMES}{other.programme_id}/").status_code == 404


def test_the_ledger_is_for_the_board_not_for_council_officers(client, money):
    assert len(listed(client, money["board"], LEDGER)) == 3
    assert listed(client, money["officer"], LEDGER) == []
    entry = LedgerEntry.objects.first()
    assert read(client, money["officer"], f"{LEDGER}{entry.pk}/").status_code == 404


def test_ledger_entries_narrow_by_kind_and_financial_year(client, money):
    board = money["board"]

    commitment = LedgerEntry.objects.get(kind="commitment")
    assert listed_ids(client, board, LEDGER, kind="commitment") == {commitment.pk}
    assert listed_ids(client, board, LEDGER, financial_year=2012) == {commitment.pk}
    assert len(listed(client, board, LEDGER, financial_year=2011)) == 2


def test_budget_lines_narrow_by_programme(client, money):
    board = money["board"]
    other_programme = ProgrammeFactory(partnership=money["line"].programme.partnership)
    BudgetLineFactory(programme=other_programme)

    assert listed_ids(client, board, LINES, programme=money["line"].programme_id) == {
        money["line"].pk
    }


def test_anonymous_readers_are_refused(client, money):
    for url in (PROGRAMMES, LINES, LEDGER):
        assert read(client, None, url).status_code == 401


def test_budget_lines_answer_in_the_same_number_of_queries_however_many_rows(
    client, money, django_assert_num_queries
):
    for _ in range(5):
        funded_budget_line(programme=money["line"].programme)
    client.force_login(money["board"])
    # session, user, the user's roles, the count, the page with its balances
    with django_assert_num_queries(5):
        assert len(client.get(LINES).json()["results"]) == 6


SOURCES = "/api/v1/funding-sources/"


def test_funding_sources_are_read_with_their_programme(client, money):
    source = money["line"].programme.funding_sources.get()
    source.ring_fenced = True
    source.expected_amount = Decimal("366000.00")
    source.save()
    elsewhere = money["other_line"].programme
    FundingSourceFactory(programme=elsewhere)

    assert listed(client, money["officer"], SOURCES) == [
        {
            "id": source.pk,
            "programme": source.programme_id,
            "name": source.name,
            "kind": "government_grant",
            "ring_fenced": True,
            "expected_amount": "366000.00",
            "note": "",
        }
    ]
    other = elsewhere.funding_sources.get()
    assert read(client, money["officer"], f"{SOURCES}{other.pk}/").status_code == 404
    assert read(client, None, SOURCES).status_code == 401


def test_funding_sources_narrow_by_kind_and_sort_by_expected_amount(client, money):
    programme = money["line"].programme
    grant = programme.funding_sources.get()
    grant.expected_amount = Decimal("750000.00")
    grant.save()
    underspend = FundingSourceFactory(
        programme=programme, kind="underspend", expected_amount=Decimal("10.00")
    )
    board = money["board"]

    assert listed_ids(client, board, SOURCES, kind="underspend") == {underspend.pk}
    assert listed_ids(client, board, SOURCES, ring_fenced="false") == {grant.pk, underspend.pk}
    rows = listed(client, board, SOURCES, ordering="expected_amount")
    assert [row["id"] for row in rows] == [underspend.pk, grant.pk]


def test_funding_sources_answer_in_the_same_number_of_queries_however_many_rows(
    client, money, django_assert_num_queries
):
    for _ in range(5):
        FundingSourceFactory(programme=money["line"].programme)
    client.force_login(money["board"])
    # session, user, the user's roles, the count, the page
    with django_assert_num_queries(5):
        assert len(client.get(SOURCES).json()["results"]) == 6
