"""Every movement of programme money goes through :func:`ledger_record`, which locks
the budget line (or the programme) it draws on and refuses a movement that would take
a balance below zero."""

import datetime
from decimal import Decimal

from django.contrib.auth.models import User
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction

from partnership.errors import PortalError
from partnership.models import Decision

from .models import BudgetLine, FundingSource, LedgerEntry, Programme
from .selectors import budget_line_balance, programme_balance

Kind = LedgerEntry.Kind


class LedgerError(PortalError):
    pass


def _gbp(amount: Decimal) -> str:
    return f"£{amount:,.2f}"


@transaction.atomic
def ledger_record(
    *,
    programme: Programme,
    kind: str,
    amount: Decimal,
    occurred_on: datetime.date,
    budget_line: BudgetLine | None = None,
    from_budget_line: BudgetLine | None = None,
    funding_source: FundingSource | None = None,
    subject: models.Model | None = None,
    memo: str = "",
    decision: Decision | None = None,
    by: User | None,
) -> LedgerEntry:
    """Record one movement of money, refusing any that would overdraw a balance:

    - an allocation cannot exceed the programme's unallocated funds;
    - a reallocation cannot move more than the source line has uncommitted;
    - a commitment cannot exceed the line's available (uncommitted) budget;
    - a payment or release cannot exceed what is committed and unpaid;
    - a clawback cannot exceed what was paid.

    Rows are locked first, so two requests drawing on the same line queue up rather
    than both passing the check.
    """
    if not isinstance(amount, Decimal):
        raise LedgerError("Amounts of money must be decimals, never floats.")
    if amount <= 0:
        raise LedgerError("An amount must be more than zero.", field="amount")
    for line in (budget_line, from_budget_line):
        if line is not None and line.programme_id != programme.pk:
            raise LedgerError(f"{line.name} is not a budget line of {programme}.")
    if funding_source is not None and funding_source.programme_id != programme.pk:
        raise LedgerError(f"{funding_source} is not a funding source of {programme}.")
    if decision is not None and decision.meeting.partnership_id != programme.partnership_id:
        raise LedgerError(
            f"That decision was not made by the board of {programme.partnership}.",
            field="decision",
        )

    Programme.objects.select_for_update().get(pk=programme.pk)
    locked_ids = sorted(line.pk for line in (budget_line, from_budget_line) if line is not None)
    list(BudgetLine.objects.select_for_update().filter(pk__in=locked_ids).order_by("pk"))

    if kind == Kind.ALLOCATION:
        unallocated = programme_balance(programme).unallocated
        if amount > unallocated:
            raise LedgerError(
                f"Only {_gbp(unallocated)} of {programme} is unallocated; "
                f"{_gbp(amount)} cannot be allocated to {budget_line.name}.",
                field="amount",
            )
    elif kind == Kind.REALLOCATION:
        source = budget_line_balance(from_budget_line)
        if amount > source.available:
            raise LedgerError(
                f"{from_budget_line.name} has only {_gbp(source.available)} uncommitted.",
                field="amount",
            )
    elif kind == Kind.COMMITMENT:
        line = budget_line_balance(budget_line)
        if amount > line.available:
            raise LedgerError(
                f"{budget_line.name} has only {_gbp(line.available)} left; "
                f"{_gbp(amount)} cannot be committed.",
                field="amount",
            )
    elif kind in (Kind.PAYMENT, Kind.RELEASE):
        line = budget_line_balance(budget_line)
        if amount > line.unpaid:
            raise LedgerError(
                f"Only {_gbp(line.unpaid)} is committed and unpaid on {budget_line.name}.",
                field="amount",
            )
    elif kind == Kind.CLAWBACK:
        line = budget_line_balance(budget_line)
        if amount > line.paid:
            raise LedgerError(
                f"Only {_gbp(line.paid)} has been paid from {budget_line.name}.",
                field="amount",
            )

    entry = LedgerEntry(
        programme=programme,
        kind=kind,
        amount=amount,
        occurred_on=occurred_on,
        budget_line=budget_line,
        from_budget_line=from_budget_line,
        funding_source=funding_source,
        memo=memo,
        decision=decision,
        recorded_by=by,
    )
    if subject is not None:
        entry.subject_type = ContentType.objects.get_for_model(subject)
        entry.subject_id = subject.pk
    try:
        entry.full_clean()
    except ValidationError as error:
        raise LedgerError(" ".join(error.messages)) from error
    entry.save()
    return entry
