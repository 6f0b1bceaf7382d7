"""Savings figures: per sub-region, per category, per organisation against target."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import DecimalField, Q, Sum, Value
from django.db.models.functions import Coalesce

from partnership.models import Organisation, Partnership, SubRegion
from programmes.models import Programme
from programmes.selectors import funds_received_by_sub_region

from .models import ForecastReturn, OtherBenefit, SavingsEntry, SavingsReturn, SavingsTarget

ZERO = Decimal("0.00")
ZERO_VALUE = Value(ZERO, output_field=DecimalField(max_digits=16, decimal_places=2))
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


@dataclass(frozen=True)
class RagCounts:
    financial_year: int
    green: int
    amber: int
    red: int
    not_returned: list[Organisation]


def forecast_rag_counts(*, partnership: Partnership, financial_year: int) -> RagCounts:
    """How many member organisations forecast Green, Amber or Red for a year, and
    which made no return at all (two queries)."""
    members = list(partnership.members.order_by("name"))
    rags = dict(
        ForecastReturn.objects.filter(
            organisation__in=members, financial_year=financial_year
        ).values_list("organisation_id", "rag")
    )
    counted = {
        rag: sum(1 for value in rags.values() if value == rag) for rag in ("green", "amber", "red")
    }
    return RagCounts(
        financial_year=financial_year,
        not_returned=[member for member in members if member.pk not in rags],
        **counted,
    )


def savings_totals_by(
    dimension: str, *, entries=None, financial_year: int | None = None
) -> list[dict]:
    """Delivered, forecast and potential savings grouped by ``dimension`` (a lookup
    such as ``category__name`` or ``programme__name``), largest potential first."""
    entries = SavingsEntry.objects.counted() if entries is None else entries
    if financial_year is not None:
        entries = entries.filter(financial_year=financial_year)
    rows = (
        entries.order_by()
        .values(dimension)
        .annotate(
            delivered=Coalesce(Sum("amount", filter=Q(status=Status.DELIVERED)), ZERO_VALUE),
            forecast=Coalesce(Sum("amount", filter=Q(status=Status.FORECAST)), ZERO_VALUE),
        )
    )
    result = [
        {
            "name": row[dimension],
            "delivered": row["delivered"],
            "forecast": row["forecast"],
            "potential": row["delivered"] + row["forecast"],
        }
        for row in rows
    ]
    return sorted(result, key=lambda row: (-row["potential"], str(row["name"])))


def other_benefits_by_unit(*, projects=None) -> list[dict]:
    """Non-cash benefits summed per unit (tonnes of CO2 a year, people trained...)."""
    benefits = OtherBenefit.objects.all()
    if projects is not None:
        benefits = benefits.filter(project__in=projects)
    return list(benefits.order_by("unit").values("unit").annotate(total=Sum("quantity")))
