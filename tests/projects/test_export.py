"""The grant payment schedule finance works from: the page, its filters and totals, and
the CSV and XLSX downloads, which hold exactly the payments in the database."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from partnership import financial_years
from partnership.models import Role
from projects.exports import HEADER
from projects.models import GrantPayment
from tests.factories import (
    GrantPaymentFactory,
    ProjectFactory,
    UserFactory,
    funded_budget_line,
    user_with_role,
)

pytestmark = pytest.mark.django_db

D = Decimal
SEPTEMBER = datetime.date(2011, 9, 30)


def download(client, **filters) -> list[list[str]]:
    response = client.get(reverse("projects:payment-schedule-csv"), filters)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    content = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(content)))


def expected_row(payment: GrantPayment) -> list[str]:
    """A payment as the schedule must show it, read straight from the database."""
    payment = GrantPayment.objects.select_related(
        "project__lead_organisation", "project__programme", "milestone", "approved_by"
    ).get(pk=payment.pk)
    lead = payment.project.lead_organisation
    approver = payment.approved_by
    return [
        lead.name,
        lead.gss_code,
        payment.project.programme.name,
        payment.project.reference,
        payment.project.title,
        f"{payment.milestone.position}. {payment.milestone.title}" if payment.milestone else "",
        payment.due_on.isoformat(),
        f"{payment.amount:.2f}",
        payment.get_status_display(),
        (approver.get_full_name() or approver.username) if approver else "",
        payment.approved_on.isoformat() if payment.approved_on else "",
        payment.paid_on.isoformat() if payment.paid_on else "",
        payment.reference,
    ]


def test_the_csv_matches_the_database_row_for_row(client, schedule):
    client.force_login(schedule["finance"])

    rows = download(client)

    expected = GrantPayment.objects.filter(
        project__programme__partnership=schedule["partnership"]
    ).order_by("due_on", "project__reference", "id")
    assert rows[0] == HEADER
    assert rows[1:] == [expected_row(payment) for payment in expected]
    assert [row[8] for row in rows[1:]] == ["Paid", "Due", "Withheld", "Scheduled"]
    assert rows[1][9:] == ["Pat Lee", "2011-09-30", "2011-10-14", "BACS-0001"]


def test_the_xlsx_holds_the_same_rows_with_dates_and_amounts_as_such(client, schedule):
    client.force_login(schedule["finance"])

    response = client.get(reverse("projects:payment-schedule-xlsx"), {"status": "paid"})

    assert response.status_code == 200
    assert 'filename="grant-payment-schedule-' in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == HEADER
    assert len(rows) == 2
    paid = rows[1]
    assert paid[0] == "North Kesteven District Council"
    assert paid[6] == datetime.datetime(2011, 9, 30)
    assert paid[7] == 40000
    assert paid[12] == "BACS-0001"


def test_finance_of_an_accountable_body_sees_only_its_own_payments(client, schedule):
    client.force_login(schedule["nk_finance"])

    rows = download(client)[1:]

    assert {row[0] for row in rows} == {"North Kesteven District Council"}
    assert len(rows) == 3


def test_finance_of_a_partnership_never_sees_another_partnerships_payments(client, schedule):
    client.force_login(schedule["finance"])

    rows = download(client)[1:]
    page = client.get(reverse("projects:payment-schedule")).content.decode()

    assert schedule["elsewhere"].project.reference not in {row[3] for row in rows}
    assert "Another partnership" not in page
    assert len(rows) == 4


def test_officers_and_board_members_cannot_open_the_schedule(client, schedule):
    officer = user_with_role(Role.Kind.OFFICER, organisation=schedule["north_kesteven"])
    board = user_with_role(Role.Kind.BOARD_MEMBER, partnership=schedule["partnership"])
    for user in (officer, board, UserFactory()):
        client.force_login(user)
        for name in ("payment-schedule", "payment-schedule-csv", "payment-schedule-xlsx"):
            assert client.get(reverse(f"projects:{name}")).status_code == 403


@pytest.mark.parametrize(
    ("filters", "references_and_milestones"),
    [
        (
            {"programme": "programme"},
            ["1. Desk live", "2. Data centre merged", "3. Savings evidenced"],
        ),
        (
            {"sub_region": "lincolnshire"},
            ["1. Desk live", "2. Data centre merged", "3. Savings evidenced"],
        ),
        (
            {"accountable_body": "north_kesteven"},
            ["1. Desk live", "2. Data centre merged", "3. Savings evidenced"],
        ),
        (
            {"financial_year": "2011"},
            ["1. Desk live", "1. Vehicles tracked", "2. Data centre merged"],
        ),
        ({"financial_year": "2011", "quarter": "3"}, ["1. Vehicles tracked"]),
        ({"quarter": "1"}, ["3. Savings evidenced"]),
        ({"status": "due"}, ["1. Vehicles tracked"]),
        ({"status": "withheld", "partnership": "partnership"}, ["2. Data centre merged"]),
    ],
)
def test_the_filters_narrow_the_page_and_the_download_alike(
    client, schedule, filters, references_and_milestones
):
    client.force_login(schedule["finance"])
    query = {
        name: (schedule[value].pk if value in schedule else value)
        for name, value in filters.items()
    }

    rows = download(client, **query)[1:]
    page = client.get(reverse("projects:payment-schedule"), query).content.decode()

    assert [row[5] for row in rows] == references_and_milestones
    assert f"{len(rows)} payment" in page
    assert f"schedule.csv?{next(iter(query))}=" in page  # the download keeps the filters


def test_the_export_costs_the_same_queries_for_10_payments_as_for_60(client, schedule):
    client.force_login(schedule["finance"])
    line = funded_budget_line(programme__partnership=schedule["partnership"])
    approver = UserFactory()

    def queries() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as captured:
            rows = download(client, programme=line.programme.pk)
        return len(captured), len(rows) - 1

    counts = []
    for total in (10, 60):
        while GrantPayment.objects.filter(project__budget_line=line).count() < total:
            GrantPaymentFactory(
                project=ProjectFactory(budget_line=line),
                status=GrantPayment.Status.APPROVED,
                approved_by=approver,
                approved_on=SEPTEMBER,
            )
        counts.append(queries())

    assert [rows for _, rows in counts] == [10, 60]
    assert counts[0][0] == counts[1][0]


def test_the_page_totals_what_is_due_this_quarter_next_quarter_and_overdue(client, schedule):
    today = datetime.date.today()
    quarter = (financial_years.financial_year_of(today), financial_years.quarter_of(today))
    next_quarter = (quarter[0], quarter[1] + 1) if quarter[1] < 4 else (quarter[0] + 1, 1)
    next_starts_on, _ = financial_years.quarter_bounds(*next_quarter)
    project = ProjectFactory(
        budget_line=funded_budget_line(programme__partnership=schedule["partnership"]),
        grant_awarded=D("100000"),
    )
    for amount, due_on, status in (
        (D("1000"), today, GrantPayment.Status.SCHEDULED),
        (D("2000"), next_starts_on, GrantPayment.Status.DUE),
        (D("3000"), next_starts_on, GrantPayment.Status.CANCELLED),
        (D("4000"), today - datetime.timedelta(days=1), GrantPayment.Status.APPROVED),
    ):
        GrantPaymentFactory(
            project=project,
            amount=amount,
            due_on=due_on,
            status=status,
            approved_on=today if status == GrantPayment.Status.APPROVED else None,
        )
    client.force_login(schedule["finance"])

    page = client.get(reverse("projects:payment-schedule")).content.decode()

    # Overdue: the £4,000 approved yesterday and the fixture's £50,000 due in 2011/12;
    # its withheld payment and the one scheduled for May 2012 are not payable.
    assert '<dd class="govuk-summary-list__value" id="total-overdue">£54,000.00</dd>' in page
    assert '<dd class="govuk-summary-list__value" id="total-this-quarter">£1,000.00</dd>' in page
    assert '<dd class="govuk-summary-list__value" id="total-next-quarter">£2,000.00</dd>' in page


def test_overdue_counts_only_payable_payments_not_those_awaiting_their_milestone(client, schedule):
    last_year = datetime.date.today() - datetime.timedelta(days=365)
    project = ProjectFactory(
        budget_line=funded_budget_line(programme__partnership=schedule["partnership"]),
        grant_awarded=D("400000"),
    )
    GrantPaymentFactory(project=project, amount=D("40000"), due_on=last_year, status="due")
    for _ in range(7):  # their milestones are not yet verified
        GrantPaymentFactory(project=project, amount=D("40000"), due_on=last_year)
    client.force_login(schedule["finance"])

    page = client.get(
        reverse("projects:payment-schedule"), {"programme": project.programme.pk}
    ).content.decode()

    assert '<dd class="govuk-summary-list__value" id="total-overdue">£40,000.00</dd>' in page


def test_the_schedule_page_lists_payments_fifty_at_a_time(client, schedule):
    line = funded_budget_line(programme__partnership=schedule["partnership"])
    project = ProjectFactory(budget_line=line, grant_awarded=D("1000000"))
    for _ in range(60):
        GrantPaymentFactory(project=project, amount=D("100"))
    client.force_login(schedule["finance"])

    first = client.get(reverse("projects:payment-schedule")).content.decode()
    second = client.get(reverse("projects:payment-schedule"), {"page": 2}).content.decode()

    assert "64 payments" in first
    assert first.count('class="govuk-table__row"') == 51  # heading and 50 payments
    assert second.count('class="govuk-table__row"') == 15
