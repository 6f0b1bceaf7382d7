"""Figures derived from the money ledger. Nothing here is stored: every balance is a
sum of ledger entries, so it can always be traced back to the movements behind it."""

from dataclasses import dataclass
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import DecimalField, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from .models import BudgetLine, FundingSource, LedgerEntry, Programme

ZERO = Decimal("0.00")
Kind = LedgerEntry.Kind
MONEY_FIELD = DecimalField(max_digits=16, decimal_places=2)


def _ledger_sum(kinds: list[str], *, line_field: str = "budget_line") -> Coalesce:
    """Sum of the amounts of the given kinds of entry against the outer budget line."""
    entries = (
        LedgerEntry.objects.filter(**{line_field: OuterRef("pk")}, kind__in=kinds)
        .order_by()
        .values(line_field)
        .annotate(total=Sum("amount"))
        .values("total")
    )
    return Coalesce(
        Subquery(entries, output_field=MONEY_FIELD), Value(ZERO), output_field=MONEY_FIELD
    )


def budget_lines_with_balances(lines: models.QuerySet[BudgetLine] | None = None):
    """Budget lines annotated with ``allocated``, ``committed``, ``paid``,
    ``available`` (allocated less committed) and ``unpaid`` (committed less paid).

    Allocated = allocations + reallocations in − reallocations out.
    Committed = commitments − releases − clawbacks (a refunded grant is no longer held).
    Paid = payments − clawbacks.
    """
    lines = BudgetLine.objects.all() if lines is None else lines
    return (
        lines.annotate(
            _allocations=_ledger_sum([Kind.ALLOCATION, Kind.REALLOCATION]),
            _moved_out=_ledger_sum([Kind.REALLOCATION], line_field="from_budget_line"),
            _commitments=_ledger_sum([Kind.COMMITMENT]),
            _released=_ledger_sum([Kind.RELEASE, Kind.CLAWBACK]),
            _payments=_ledger_sum([Kind.PAYMENT]),
            _clawed_back=_ledger_sum([Kind.CLAWBACK]),
        )
        .annotate(
            allocated=models.F("_allocations") - models.F("_moved_out"),
            committed=models.F("_commitments") - models.F("_released"),
            paid=models.F("_payments") - models.F("_clawed_back"),
        )
        .annotate(
            available=models.F("allocated") - models.F("committed"),
            unpaid=models.F("committed") - models.F("paid"),
        )
    )


def budget_line_balance(budget_line: BudgetLine) -> BudgetLine:
    return budget_lines_with_balances(BudgetLine.objects.filter(pk=budget_line.pk)).get()


@dataclass(frozen=True)
class ProgrammeBalance:
    funds_received: Decimal
    allocated: Decimal
    unallocated: Decimal
    committed: Decimal
    paid: Decimal
    available: Decimal
    unpaid: Decimal

    @property
    def uncommitted(self) -> Decimal:
        """Received but not yet committed to grants, on budget lines or not."""
        return self.funds_received - self.committed


def _sums_by_kind(entries: models.QuerySet[LedgerEntry]) -> dict[str, Decimal]:
    return {
        row["kind"]: row["total"]
        for row in entries.order_by().values("kind").annotate(total=Sum("amount"))
    }


def _balance_from_sums(sums: dict[str, Decimal]) -> ProgrammeBalance:
    get = lambda kind: sums.get(kind, ZERO)  # noqa: E731
    funds = get(Kind.FUNDING) + get(Kind.REPAYMENT)
    allocated = get(Kind.ALLOCATION)  # reallocations move money between lines only
    committed = get(Kind.COMMITMENT) - get(Kind.RELEASE) - get(Kind.CLAWBACK)
    paid = get(Kind.PAYMENT) - get(Kind.CLAWBACK)
    return ProgrammeBalance(
        funds_received=funds,
        allocated=allocated,
        unallocated=funds - allocated,
        committed=committed,
        paid=paid,
        available=allocated - committed,
        unpaid=committed - paid,
    )


def programme_balance(programme: Programme) -> ProgrammeBalance:
    """The programme's money in one query: what came in, what is set aside for budget
    lines, committed to grants and paid out."""
    return _balance_from_sums(_sums_by_kind(LedgerEntry.objects.filter(programme=programme)))


def programme_balances(programmes: models.QuerySet[Programme]) -> dict[int, ProgrammeBalance]:
    """:func:`programme_balance` for many programmes in one query, by programme id
    (a programme with no ledger entries has all-zero balances)."""
    sums: dict[int, dict[str, Decimal]] = {pk: {} for pk in programmes.values_list("pk", flat=True)}
    rows = (
        LedgerEntry.objects.filter(programme__in=programmes)
        .order_by()
        .values("programme", "kind")
        .annotate(total=Sum("amount"))
    )
    for row in rows:
        sums.setdefault(row["programme"], {})[row["kind"]] = row["total"]
    return {pk: _balance_from_sums(by_kind) for pk, by_kind in sums.items()}


@dataclass(frozen=True)
class SubjectBalance:
    committed: Decimal
    paid: Decimal
    repaid: Decimal

    @property
    def unpaid(self) -> Decimal:
        return self.committed - self.paid


def subject_balance(*subjects: models.Model) -> SubjectBalance:
    """What the ledger holds for the given subjects together (a project and the bid
    it came from): committed, paid and repaid."""
    matches = Q(pk__in=[])
    for subject in subjects:
        matches |= Q(subject_type=ContentType.objects.get_for_model(subject), subject_id=subject.pk)
    sums = _sums_by_kind(LedgerEntry.objects.filter(matches))
    get = lambda kind: sums.get(kind, ZERO)  # noqa: E731
    return SubjectBalance(
        committed=get(Kind.COMMITMENT) - get(Kind.RELEASE) - get(Kind.CLAWBACK),
        paid=get(Kind.PAYMENT) - get(Kind.CLAWBACK),
        repaid=get(Kind.REPAYMENT),
    )


def funds_received_by_sub_region(programmes: models.QuerySet[Programme]) -> dict[int, Decimal]:
    """Grant received by the programmes each sub-region runs: its allocation."""
    rows = (
        LedgerEntry.objects.filter(programme__in=programmes, kind=Kind.FUNDING)
        .exclude(programme__sub_region=None)
        .order_by()
        .values("programme__sub_region")
        .annotate(total=Sum("amount"))
    )
    return {row["programme__sub_region"]: row["total"] for row in rows}


def funding_source_receipts(programme: Programme) -> models.QuerySet:
    """Each funding source of the programme with what it has brought in so far."""
    return programme.funding_sources.annotate(
        received=Coalesce(
            Sum("ledger_entries__amount", filter=Q(ledger_entries__kind=Kind.FUNDING)),
            Value(ZERO),
            output_field=MONEY_FIELD,
        )
    )


@dataclass(frozen=True)
class ProgrammeOverview:
    balance: ProgrammeBalance
    budget_lines: list[BudgetLine]
    funding_sources: list[FundingSource]
    projects: list[models.Model]


def programme_overview(programme: Programme, *, user) -> ProgrammeOverview:
    """The programme page: its money, each budget line's balances, what each funding
    source has brought in, and the projects the user may open (five queries).

    Projects are reached through the reverse relation so this app does not import the
    projects app above it."""
    return ProgrammeOverview(
        balance=programme_balance(programme),
        budget_lines=list(budget_lines_with_balances(programme.budget_lines.all())),
        funding_sources=list(funding_source_receipts(programme)),
        projects=list(
            programme.projects.visible_to(user).select_related("lead_organisation", "budget_line")
        ),
    )


def programme_ledger(programme: Programme, *, user) -> QuerySet[LedgerEntry]:
    """The programme's ledger entries that the user may read, oldest first."""
    return (
        LedgerEntry.objects.visible_to(user)
        .filter(programme=programme)
        .select_related("budget_line", "from_budget_line", "funding_source", "decision__meeting")
    )


@dataclass(frozen=True)
class BudgetLineOverview:
    balance: BudgetLine
    bidding_rounds: list[models.Model]
    projects: list[models.Model]


def budget_line_overview(budget_line: BudgetLine, *, user) -> BudgetLineOverview:
    """One budget line's balances with the bidding rounds drawing on it and the projects
    funded from it that the user may open (three queries)."""
    return BudgetLineOverview(
        balance=budget_line_balance(budget_line),
        bidding_rounds=list(budget_line.bidding_rounds.visible_to(user)),
        projects=list(budget_line.projects.visible_to(user).select_related("lead_organisation")),
    )
