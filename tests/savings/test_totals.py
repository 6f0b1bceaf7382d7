"""The savings totals the figures read stay equal to a fresh sum of the entries that
count, after every service that changes what counts, and add up when two returns are
certified at once."""

from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db.models import Count, Sum
from django.urls import reverse

from savings.models import SavingsEntry, SavingsReturn, SavingsTotal
from savings.return_files import SavingsRow
from savings.services import (
    SavingsError,
    savings_entry_delete,
    savings_entry_save,
    savings_return_certify,
    savings_return_send_back,
    savings_return_submit,
    savings_totals_rebuild,
)
from tests.concurrency import needs_postgres, run_together
from tests.factories import (
    OrganisationFactory,
    ProgrammeFactory,
    ProjectFactory,
    SavingsCategoryFactory,
    SavingsEntryFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
D = Decimal
GRAIN = ["organisation_id", "programme_id", "category_id", "financial_year", "status"]


def totals() -> dict:
    rows = SavingsTotal.objects.values_list(*GRAIN, "amount", "entry_count")
    return {tuple(key): (amount, count) for *key, amount, count in rows}


def fresh_sums() -> dict:
    rows = (
        SavingsEntry.objects.counted()
        .order_by()
        .values_list(*GRAIN)
        .annotate(total=Sum("amount"), count=Count("pk"))
    )
    return {tuple(key): (total, count) for *key, total, count in rows}


def assert_totals_match_entries() -> None:
    """The totals hold one row per group of entries that count, with its sum and count."""
    assert totals() == fresh_sums()


@pytest.fixture
def council():
    return OrganisationFactory(name="North Kesteven District Council")


@pytest.fixture
def project(council):
    return ProjectFactory(lead_organisation=council)


def rows(council, project, *amounts, year=2010, quarter=1) -> list[SavingsRow]:
    procurement = SavingsCategoryFactory(name="Procurement", slug="procurement")
    shared = SavingsCategoryFactory(name="Shared services", slug="shared-services")
    return [
        SavingsRow(
            organisation_id=council.pk,
            financial_year=year,
            quarter=quarter,
            project_id=project.pk if index % 2 else None,
            category_id=(procurement if index % 3 else shared).pk,
            cashable=bool(index % 2),
            status="delivered" if index % 4 else "forecast",
            amount=D(amount),
            description="",
        )
        for index, amount in enumerate(amounts)
    ]


def submit(council, project, *amounts, **period) -> SavingsReturn:
    return savings_return_submit(
        organisation=council,
        financial_year=period.get("year", 2010),
        quarter=period.get("quarter", 1),
        rows=rows(council, project, *amounts, **period),
        by=UserFactory(),
    )


def test_a_return_awaiting_sign_off_or_sent_back_adds_nothing(council, project):
    savings_return = submit(council, project, "100", "200.50", "300")
    assert totals() == {}
    savings_return_send_back(savings_return=savings_return, comment="Split it", by=UserFactory())
    assert totals() == {}
    assert_totals_match_entries()


def test_a_certified_returns_savings_are_added_to_the_totals(council, project):
    SavingsEntryFactory(organisation=council, amount=D("50"))
    savings_return = submit(council, project, "100", "200.50", "300", "400", "500.25", "600")

    savings_return_certify(savings_return=savings_return, by=UserFactory())

    assert_totals_match_entries()
    assert sum(count for _, count in totals().values()) == 7


def test_superseding_a_certified_return_takes_its_savings_out(council, project):
    first = submit(council, project, "100", "200", "300")
    savings_return_certify(savings_return=first, by=UserFactory())
    other_quarter = submit(council, project, "700", quarter=2)
    savings_return_certify(savings_return=other_quarter, by=UserFactory())

    second = submit(council, project, "150")

    assert_totals_match_entries()
    savings_return_certify(savings_return=second, by=UserFactory())
    assert_totals_match_entries()
    # A total left with no entries is gone, not kept at zero.
    assert all(count > 0 for _, count in totals().values())


def test_superseding_a_return_that_never_counted_changes_nothing(council, project):
    savings_return = submit(council, project, "100")
    savings_return_send_back(savings_return=savings_return, comment="Split it", by=UserFactory())
    submit(council, project, "120")
    submit(council, project, "130")
    assert totals() == {}
    assert_totals_match_entries()


def test_a_saving_typed_corrected_and_deleted_moves_the_totals(council):
    category = SavingsCategoryFactory()
    programme = ProgrammeFactory()
    entry = savings_entry_save(
        entry=SavingsEntry(
            organisation=council,
            category=category,
            financial_year=2009,
            amount=D("1000"),
            status="delivered",
        ),
        by=UserFactory(),
    )
    assert_totals_match_entries()

    entry.amount, entry.financial_year, entry.programme = D("1250.75"), 2010, programme
    savings_entry_save(entry=entry, by=UserFactory())
    assert_totals_match_entries()
    assert totals() == {
        (council.pk, programme.pk, category.pk, 2010, "delivered"): (D("1250.75"), 1)
    }

    savings_entry_delete(entry=entry, by=UserFactory())
    assert totals() == {}


def test_a_returns_saving_is_not_typed_over_or_deleted_outside_its_return(council, project):
    savings_return = submit(council, project, "100")
    savings_return_certify(savings_return=savings_return, by=UserFactory())
    entry = savings_return.entries.get()
    entry.amount = D("1")
    with pytest.raises(SavingsError, match="new version of the return"):
        savings_entry_save(entry=entry, by=UserFactory())
    with pytest.raises(SavingsError, match="new version of the return"):
        savings_entry_delete(entry=entry, by=UserFactory())
    assert_totals_match_entries()


def test_an_entry_typed_corrected_and_deleted_in_the_admin_moves_the_totals(client, council):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    category = SavingsCategoryFactory()
    form = {
        "organisation": council.pk,
        "category": category.pk,
        "financial_year": 2010,
        "amount": "2500.00",
        "cashable": "on",
        "status": "delivered",
    }
    response = client.post(reverse("admin:savings_savingsentry_add"), form)
    assert response.status_code == 302, response.content.decode()[:2000]
    entry = SavingsEntry.objects.get()
    assert_totals_match_entries()

    response = client.post(
        reverse("admin:savings_savingsentry_change", args=[entry.pk]),
        {**form, "amount": "3000.00", "status": "forecast"},
    )
    assert response.status_code == 302
    assert totals() == {(council.pk, None, category.pk, 2010, "forecast"): (D("3000.00"), 1)}

    response = client.post(
        reverse("admin:savings_savingsentry_delete", args=[entry.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    assert totals() == {}


def test_a_rebuild_recomputes_totals_written_past_the_services(council, project):
    savings_return = submit(council, project, "100", "200", "300")
    savings_return_certify(savings_return=savings_return, by=UserFactory())
    SavingsEntry.objects.bulk_create(
        [
            SavingsEntry(
                organisation=council,
                category=SavingsCategoryFactory(),
                financial_year=2011,
                amount=D("75.10"),
                status="forecast",
            )
        ]
    )
    SavingsTotal.objects.filter(financial_year=2010).update(amount=D("1"))

    assert savings_totals_rebuild() == len(fresh_sums())
    assert_totals_match_entries()
    call_command("rebuild_savings_totals", stdout=None)
    assert_totals_match_entries()


@needs_postgres
@pytest.mark.django_db(transaction=True)
def test_returns_certified_at_the_same_moment_both_add_to_the_totals(council, project):
    # Both returns' savings fall in the same totals (same council, categories, year).
    returns = [submit(council, project, "100", "200", "300", quarter=q) for q in (1, 2)]

    outcomes = run_together(
        *[
            lambda savings_return=savings_return: savings_return_certify(
                savings_return=savings_return, by=UserFactory()
            )
            for savings_return in returns
        ]
    )

    assert not [outcome for outcome in outcomes if isinstance(outcome, Exception)]
    assert_totals_match_entries()
    assert sum(count for _, count in totals().values()) == 6
