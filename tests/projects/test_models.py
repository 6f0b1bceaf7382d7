import datetime
from decimal import Decimal

import pytest

from programmes.selectors import budget_line_balance
from programmes.services import ledger_record
from projects.models import ProgressReport
from projects.selectors import project_money
from tests.constraints import refused
from tests.factories import (
    BidFactory,
    GrantPaymentFactory,
    MilestoneFactory,
    ProjectFactory,
    funded_budget_line,
)

pytestmark = pytest.mark.django_db
D = Decimal
ON = datetime.date(2011, 9, 30)


def report(project, **fields):
    defaults = {"financial_year": 2011, "quarter": 1, "rag": "green"}
    return ProgressReport.objects.create(project=project, **{**defaults, **fields})


def test_a_project_has_one_progress_report_per_financial_quarter():
    project = ProjectFactory()
    report(project, quarter=1)
    assert refused(lambda: report(project, quarter=1))
    report(project, quarter=2)
    report(project, financial_year=2012, quarter=1)
    assert project.progress_reports.count() == 3


def test_a_financial_quarter_is_one_to_four():
    project = ProjectFactory()
    assert refused(lambda: report(project, quarter=5))
    assert refused(lambda: report(project, quarter=0))


def test_progress_figures_cannot_be_negative():
    assert refused(lambda: report(ProjectFactory(), spend_to_date=D("-1")))


def test_the_grant_awarded_cannot_be_negative_and_a_project_cannot_end_before_it_starts():
    assert refused(lambda: ProjectFactory(grant_awarded=D("-0.01")))
    assert refused(
        lambda: ProjectFactory(
            starts_on=datetime.date(2011, 5, 1), ends_on=datetime.date(2011, 4, 30)
        )
    )


def test_a_milestone_is_verified_only_after_it_is_achieved():
    assert refused(lambda: MilestoneFactory(verified_on=ON))
    assert refused(
        lambda: MilestoneFactory(achieved_on=ON, verified_on=ON - datetime.timedelta(days=1))
    )
    assert refused(lambda: MilestoneFactory(status="achieved"))
    assert refused(lambda: MilestoneFactory(status="verified", achieved_on=ON))
    MilestoneFactory(status="verified", achieved_on=ON, verified_on=ON)


def test_a_payment_is_positive_and_paid_only_with_a_date_reference_and_ledger_entry():
    assert refused(lambda: GrantPaymentFactory(amount=D("0")))
    assert refused(lambda: GrantPaymentFactory(status="paid", approved_on=ON, paid_on=ON))
    assert refused(lambda: GrantPaymentFactory(paid_on=ON))  # scheduled, yet paid on a date
    assert refused(lambda: GrantPaymentFactory(status="withheld"))  # no reason given
    assert refused(lambda: GrantPaymentFactory(status="approved"))  # no approval date


def test_a_project_money_includes_the_commitment_made_when_its_bid_was_approved():
    line = funded_budget_line(D("750000"))
    bid = BidFactory(bidding_round__budget_line=line, grant_requested=D("100000"))
    project = ProjectFactory(budget_line=line, bid=bid)
    ledger_record(
        programme=line.programme,
        kind="commitment",
        amount=D("100000"),
        occurred_on=ON,
        budget_line=line,
        subject=bid,
        by=None,
    )
    ledger_record(
        programme=line.programme,
        kind="payment",
        amount=D("25000"),
        occurred_on=ON,
        budget_line=line,
        subject=project,
        by=None,
    )
    money = project_money(project)
    assert money.committed == D("100000.00")
    assert money.paid == D("25000.00")
    assert money.unpaid == D("75000.00")
    assert budget_line_balance(line).available == D("650000.00")
