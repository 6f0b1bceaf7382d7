"""The money ledger: every balance is a sum of entries, and no movement may take a
balance below zero."""

import datetime
from decimal import Decimal

import pytest

from programmes.models import LedgerEntry, Programme
from programmes.selectors import (
    budget_line_balance,
    programme_balance,
    programme_balances,
    subject_balance,
)
from programmes.services import LedgerError, ledger_record
from tests.constraints import refused as constraint_refuses
from tests.factories import BudgetLineFactory, FundingSourceFactory, ProjectFactory

pytestmark = pytest.mark.django_db

ON = datetime.date(2011, 5, 1)
D = Decimal


def record(line, kind, amount, **extra):
    return ledger_record(
        programme=line.programme,
        kind=kind,
        amount=D(amount),
        occurred_on=ON,
        budget_line=line if kind not in ("funding", "repayment") else None,
        by=None,
        **extra,
    )


@pytest.fixture
def line():
    line = BudgetLineFactory(name="Projects")
    source = FundingSourceFactory(programme=line.programme, name="SRP programmes (drawn back)")
    record(line, "funding", "750000", funding_source=source)
    record(line, "allocation", "750000")
    return line


def test_balances_are_derived_from_every_kind_of_movement(line):
    other = BudgetLineFactory(programme=line.programme, name="Care Services")
    project = ProjectFactory(budget_line=line)
    ledger_record(
        programme=line.programme,
        kind="reallocation",
        amount=D("50000"),
        occurred_on=ON,
        budget_line=other,
        from_budget_line=line,
        by=None,
    )
    record(line, "commitment", "320000", subject=project)
    record(line, "payment", "100000", subject=project)
    record(line, "clawback", "20000", subject=project)
    record(line, "release", "30000", subject=project)
    record(line, "repayment", "5000", subject=project)

    balance = budget_line_balance(line)
    assert balance.allocated == D("700000.00")  # 750k less 50k moved to Care Services
    assert balance.committed == D("270000.00")  # 320k less 20k clawed back, 30k released
    assert balance.paid == D("80000.00")  # 100k paid less 20k refunded
    assert balance.available == D("430000.00")
    assert balance.unpaid == D("190000.00")
    assert budget_line_balance(other).allocated == D("50000.00")

    programme = programme_balance(line.programme)
    assert programme.funds_received == D("755000.00")  # grant plus the repayment
    assert programme.allocated == D("750000.00")
    assert programme.unallocated == D("5000.00")
    assert programme.committed == D("270000.00")
    assert programme.paid == D("80000.00")

    assert subject_balance(project).committed == D("270000.00")
    assert subject_balance(project).paid == D("80000.00")
    assert subject_balance(project).repaid == D("5000.00")


def test_a_commitment_cannot_take_the_budget_line_below_zero(line):
    record(line, "commitment", "700000")
    with pytest.raises(LedgerError, match="only £50,000.00 left"):
        record(line, "commitment", "50000.01")
    assert budget_line_balance(line).available == D("50000.00")


def test_an_allocation_cannot_exceed_the_funds_received(line):
    other = BudgetLineFactory(programme=line.programme)
    with pytest.raises(LedgerError, match="Only £0.00 .* is unallocated"):
        record(other, "allocation", "1")


def test_a_payment_cannot_exceed_what_is_committed_and_unpaid(line):
    record(line, "commitment", "100000")
    record(line, "payment", "60000")
    with pytest.raises(LedgerError, match="Only £40,000.00 is committed and unpaid"):
        record(line, "payment", "40000.01")


def test_a_clawback_cannot_exceed_what_was_paid(line):
    record(line, "commitment", "100000")
    record(line, "payment", "10000")
    with pytest.raises(LedgerError, match="Only £10,000.00 has been paid"):
        record(line, "clawback", "10000.01")


def test_a_reallocation_cannot_move_committed_money(line):
    other = BudgetLineFactory(programme=line.programme)
    record(line, "commitment", "700000")
    with pytest.raises(LedgerError, match="has only £50,000.00 uncommitted"):
        ledger_record(
            programme=line.programme,
            kind="reallocation",
            amount=D("60000"),
            occurred_on=ON,
            budget_line=other,
            from_budget_line=line,
            by=None,
        )


def test_amounts_must_be_positive_decimals(line):
    with pytest.raises(LedgerError, match="more than zero"):
        record(line, "commitment", "0")
    with pytest.raises(LedgerError, match="never floats"):
        ledger_record(
            programme=line.programme,
            kind="commitment",
            amount=10.5,
            occurred_on=ON,
            budget_line=line,
            by=None,
        )


def test_a_budget_line_of_another_programme_is_refused(line):
    stranger = BudgetLineFactory()
    with pytest.raises(LedgerError, match="is not a budget line of"):
        ledger_record(
            programme=line.programme,
            kind="commitment",
            amount=D("1"),
            occurred_on=ON,
            budget_line=stranger,
            by=None,
        )


def test_the_database_refuses_entries_that_break_the_ledgers_shape(line):
    def refused(**fields) -> bool:
        return constraint_refuses(
            LedgerEntry.objects.create, programme=line.programme, occurred_on=ON, **fields
        )

    assert refused(kind="commitment", amount=D("-1"), budget_line=line)
    assert refused(kind="commitment", amount=D("0"), budget_line=line)
    assert refused(kind="commitment", amount=D("1"))  # no budget line
    assert refused(kind="funding", amount=D("1"))  # no funding source
    assert refused(kind="reallocation", amount=D("1"), budget_line=line, from_budget_line=line)
    assert refused(kind="payment", amount=D("1"), budget_line=line, from_budget_line=line)


def test_balances_of_many_programmes_come_in_one_query(line, django_assert_num_queries):
    other = BudgetLineFactory()
    record(other, "funding", "1000", funding_source=FundingSourceFactory(programme=other.programme))
    empty = BudgetLineFactory().programme
    programmes = Programme.objects.filter(pk__in=[line.programme_id, other.programme_id, empty.pk])
    with django_assert_num_queries(2):  # the programmes' ids, then the sums by kind
        balances = programme_balances(programmes)
    assert balances[line.programme_id] == programme_balance(line.programme)
    assert balances[other.programme_id].funds_received == D("1000.00")
    assert balances[empty.pk].funds_received == D("0.00")
