"""Savings figures: per sub-region, per category, per organisation against target."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q, Sum

from partnership.models import Partnership, SubRegion
from programmes.models import Programme
from programmes.selectors import funds_received_by_sub_region

from .models import SavingsEntry, SavingsReturn, SavingsTarget

ZERO = Decimal("0.00")
Status = SavingsEntry.Status


@dataclass(frozen=True)
class SubRegionSavings:
    sub_region: SubRegion
    allocation: Decimal
    delivered: Decimal
    forecast: Decimal

    @property
    def potential(self) -> Decimal:
        """Total potential savings: delivered plus still forecast (the papers' term)."""
        return self.delivered + self.forecast


def sub_region_savings(
    *, partnership: Partnership, programmes=None, financial_year: int | None = None
) -> list[SubRegionSavings]:
    """Per sub-region: grant allocated to its programmes, savings delivered, and total
    potential savings, from ledger and savings entries (three queries in all)."""
    if programmes is None:
        programmes = Programme.objects.filter(partnership=partnership)
    allocations = funds_received_by_sub_region(programmes)
    entries = SavingsEntry.objects.counted().filter(
        programme__in=programmes, programme__sub_region__isnull=False
    )
    if financial_year is not None:
        entries = entries.filter(financial_year=financial_year)
    sums = {
        row["programme__sub_region"]: row
        for row in entries.order_by()
        .values("programme__sub_region")
        .annotate(
            delivered=Sum("amount", filter=Q(status=Status.DELIVERED)),
            forecast=Sum("amount", filter=Q(status=Status.FORECAST)),
        )
    }
    rows = []
    for sub_region in SubRegion.objects.filter(partnership=partnership).order_by("name"):
        row = sums.get(sub_region.pk, {})
        rows.append(
            SubRegionSavings(
                sub_region=sub_region,
                allocation=allocations.get(sub_region.pk, ZERO),
                delivered=row.get("delivered") or ZERO,
                forecast=row.get("forecast") or ZERO,
            )
        )
    return rows


@dataclass(frozen=True)
class TargetProgress:
    financial_year: int
    target: Decimal
    cumulative_target: Decimal
    delivered: Decimal
    cumulative_delivered: Decimal


def organisation_target_progress(*, organisation) -> list[TargetProgress]:
    """Year by year: the target, delivered savings, and both added up over the years
    (NI 179's 3% + 3% + 3.4% = 9.4% over three years is a simple sum)."""
    delivered = dict(
        SavingsEntry.objects.counted()
        .filter(organisation=organisation, status=Status.DELIVERED)
        .order_by()
        .values_list("financial_year")
        .annotate(total=Sum("amount"))
    )
    progress, target_sum, delivered_sum = [], ZERO, ZERO
    for target in SavingsTarget.objects.filter(organisation=organisation).order_by(
        "financial_year"
    ):
        year_delivered = delivered.get(target.financial_year, ZERO)
        target_sum += target.target_amount
        delivered_sum += year_delivered
        progress.append(
            TargetProgress(
                financial_year=target.financial_year,
                target=target.target_amount,
                cumulative_target=target_sum,
                delivered=year_delivered,
                cumulative_delivered=delivered_sum,
            )
        )
    return progress


@dataclass(frozen=True)
class ReturnEntries:
    entries: list[SavingsEntry]
    total: Decimal


def savings_return_entries(savings_return: SavingsReturn) -> ReturnEntries:
    """The entries of one return with their total, in one query."""
    entries = list(savings_return.entries.select_related("category", "project"))
    return ReturnEntries(entries=entries, total=sum((entry.amount for entry in entries), ZERO))
