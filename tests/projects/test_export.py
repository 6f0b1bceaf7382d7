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
from programmes.models import LedgerEntry
from programmes.services import ledger_record
from projects.exports import HEADER
from projects.models import GrantPayment
from projects.services import (
    milestone_add,
    milestone_log_achieved,
    milestone_verify,
    payment_approve,
    payment_record_paid,
)
from tests.factories import (
    GrantPaymentFactory,
    OrganisationFactory,
    PartnershipFactory,
    ProjectFactory,
    SubRegionFactory,
    UserFactory,
    funded_budget_line,
    user_with_role,
)

pytestmark = pytest.mark.django_db

D = Decimal
SEPTEMBER = datetime.date(2011, 9, 30)


@pytest.fixture
def schedule():
    """EM IEP's two projects, North Kesteven's (three milestones: one paid, one
    withheld, one scheduled) and Nottinghamshire's (one due), and a payment of another
    partnership that EM IEP's finance must never see."""
    partnership = PartnershipFactory(short_name="EM IEP")
    north_kesteven = OrganisationFactory(
        name="North Kesteven District Council", gss_code="E07000139", partnership=partnership
    )
    nottinghamshire = OrganisationFactory(
        name="Nottinghamshire County Council", gss_code="E10000024", partnership=partnership
    )
    lincolnshire = SubRegionFactory(partnership=partnership, name="Lincolnshire")
    lincolnshire.members.add(north_kesteven)
    line = funded_budget_line(
        D("750000"),
        name="Projects",
        programme__partnership=partnership,
        programme__name="Improvement and Efficiency Programme 2011/13",
    )
    other_line = funded_budget_line(
        D("100000"), programme__partnership=partnership, programme__name="Care Services"
    )
    manager = user_with_role(
        Role.Kind.PROGRAMME_MANAGER, partnership=partnership, first_name="Pat", last_name="Lee"
    )
    shared_ict = _project(line, north_kesteven, "EMIEP-2011-01", "Shared ICT", D("100000"))
    fleet = _project(other_line, nottinghamshire, "EMIEP-2011-02", "Fleet", D("50000"))
    for title, due_on, amount in (
        ("Desk live", SEPTEMBER, D("40000")),
        ("Data centre merged", datetime.date(2012, 1, 15), D("30000")),
        ("Savings evidenced", datetime.date(2012, 5, 1), D("30000")),
    ):
        milestone_add(
            project=shared_ict, title=title, due_on=due_on, payment_amount=amount, by=None
        )
    milestone_add(
        project=fleet,
        title="Vehicles tracked",
        due_on=datetime.date(2011, 10, 31),
        payment_amount=D("50000"),
        by=None,
    )
    paid = shared_ict.payments.get(milestone__position=1)
    _deliver(paid.milestone, manager)
    payment_approve(payment=paid, by=manager, approved_on=SEPTEMBER)
    payment_record_paid(
        payment=paid, paid_on=datetime.date(2011, 10, 14), reference="BACS-0001", by=None
    )
    withheld = shared_ict.payments.get(milestone__position=2)
    withheld.status, withheld.withheld_reason = GrantPayment.Status.WITHHELD, "Evidence missing"
    withheld.save()
    _deliver(fleet.milestones.get(), manager)
    elsewhere = GrantPaymentFactory(project=ProjectFactory(title="Another partnership's"))
    return {
        "partnership": partnership,
        "north_kesteven": north_kesteven,
        "lincolnshire": lincolnshire,
        "programme": line.programme,
        "elsewhere": elsewhere,
        "finance": user_with_role(Role.Kind.FINANCE, partnership=partnership),
        "nk_finance": user_with_role(Role.Kind.FINANCE, organisation=north_kesteven),
        "manager": manager,
    }


def _project(line, lead, reference, title, grant):
    project = ProjectFactory(
        budget_line=line,
        lead_organisation=lead,
        reference=reference,
        title=title,
        grant_awarded=grant,
    )
    ledger_record(
        programme=line.programme,
        kind=LedgerEntry.Kind.COMMITMENT,
        amount=grant,
        occurred_on=datetime.date(2011, 4, 12),
        budget_line=line,
        subject=project,
        by=None,
    )
    return project


def _deliver(milestone, manager):
    milestone_log_achieved(milestone=milestone, achieved_on=SEPTEMBER, delivered="Done", by=None)
    milestone_verify(milestone=milestone, by=manager, verified_on=SEPTEMBER)


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

    # Overdue: the £4,000 approved yesterday, and the fixture's due and withheld payments
    # of 2011/12 and the one scheduled for May 2012 (£50,000 + £30,000 + £30,000).
    assert '<dd class="govuk-summary-list__value" id="total-overdue">£114,000.00</dd>' in page
    assert '<dd class="govuk-summary-list__value" id="total-this-quarter">£1,000.00</dd>' in page
    assert '<dd class="govuk-summary-list__value" id="total-next-quarter">£2,000.00</dd>' in page


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
