"""The dashboard's figures: the programmes in view and what the ledger, projects,
bids, savings and meetings hold for them, each in one or two queries."""

import datetime
from dataclasses import dataclass
from decimal import Decimal
from urllib.parse import urlencode

from django.db.models import (
    BooleanField,
    Count,
    DecimalField,
    ExpressionWrapper,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, TruncMonth
from django.urls import reverse

from bids.models import Bid
from partnership import financial_years
from partnership.models import Partnership, SubRegion
from partnership.scopes import scope_of
from programmes.models import Programme
from projects.models import Milestone, ProgressReport, Project, Rag
from projects.selectors import ENDED_PROJECT, OPEN_MILESTONE
from savings.selectors import (
    OrganisationSavings,
    RagCounts,
    SubRegionSavings,
    forecast_rag_counts,
    organisation_savings_against_target,
    partnership_savings_totals,
    sub_region_savings,
)

from ..balances import ProgrammeBalanceRow, balance_rows
from ..querysets import READERS

ZERO = Decimal("0.00")
MONEY = DecimalField(max_digits=16, decimal_places=2)
MONTHS_AHEAD = 6


# Who sees which partnership -----------------------------------------------------------


def dashboard_partnerships(user) -> QuerySet[Partnership]:
    """The partnerships whose dashboard the user may read: those they manage or sit on
    the board of (every one, for an administrator). Officers and finance officers read
    their own pages instead."""
    scope = scope_of(user)
    if scope.is_administrator:
        return Partnership.objects.all()
    return Partnership.objects.filter(pk__in=scope.partnership_ids(*READERS))


# What is in view ----------------------------------------------------------------------


@dataclass(frozen=True)
class Filters:
    partnership: Partnership
    programme: Programme | None = None
    sub_region: SubRegion | None = None
    financial_year: int | None = None

    @property
    def narrowed(self) -> bool:
        """Whether the filters leave out any of the partnership's programmes."""
        return bool(self.programme or self.sub_region or self.financial_year is not None)

    @property
    def query(self) -> str:
        """The filters as a query string, for downloads and links back here."""
        params = {"partnership": self.partnership.slug}
        if self.programme:
            params["programme"] = self.programme.pk
        if self.sub_region:
            params["sub_region"] = self.sub_region.pk
        if self.financial_year is not None:
            params["year"] = self.financial_year
        return urlencode(params)

    def programmes(self) -> QuerySet[Programme]:
        """The partnership's programmes in view: the one chosen, those the sub-region
        runs, those running during the financial year."""
        programmes = Programme.objects.filter(partnership=self.partnership)
        if self.programme:
            programmes = programmes.filter(pk=self.programme.pk)
        if self.sub_region:
            programmes = programmes.filter(sub_region=self.sub_region)
        if self.financial_year is not None:
            starts_on, ends_on = financial_years.year_bounds(self.financial_year)
            programmes = programmes.filter(starts_on__lte=ends_on, ends_on__gte=starts_on)
        return programmes


@dataclass(frozen=True)
class FilterChoices:
    programmes: list[Programme]
    sub_regions: list[SubRegion]
    years: list[int]


def filter_choices(partnership: Partnership) -> FilterChoices:
    """What the partnership's dashboard can be narrowed to: its programmes, its
    sub-regions and the financial years its programmes run in (two queries)."""
    programmes = list(partnership.programmes.order_by("-starts_on", "name"))
    return FilterChoices(
        programmes=programmes,
        sub_regions=list(partnership.sub_regions.order_by("name")),
        years=sorted(
            {
                year
                for programme in programmes
                for year in range(
                    financial_years.financial_year_of(programme.starts_on),
                    financial_years.financial_year_of(programme.ends_on) + 1,
                )
            }
        ),
    )


# Figures ------------------------------------------------------------------------------


def programme_money(programmes: QuerySet[Programme]) -> list[ProgrammeBalanceRow]:
    """Each programme with its balances from the ledger, latest first (three queries)."""
    return balance_rows(programmes.select_related("sub_region").order_by("-starts_on", "name"))


@dataclass(frozen=True)
class StatusCount:
    status: str
    label: str
    count: int


def project_status_counts(programmes: QuerySet[Programme]) -> list[StatusCount]:
    """How many projects of the programmes are at each status (one query)."""
    counts = dict(
        Project.objects.filter(programme__in=programmes)
        .order_by()
        .values_list("status")
        .annotate(count=Count("pk"))
    )
    return [
        StatusCount(status, label, counts.get(status, 0))
        for status, label in Project.Status.choices
    ]


def latest_report_rags(programmes: QuerySet[Programme]) -> dict[str, int]:
    """How many live projects of the programmes rated themselves Green, Amber or Red in
    their latest submitted progress report (one query). Read from the projects, each
    looking up its own latest report, so that the work grows with the projects in view
    rather than with every report of every partnership."""
    latest_rag = (
        ProgressReport.objects.filter(
            project=OuterRef("pk"), status=ProgressReport.Status.SUBMITTED
        )
        .order_by("-financial_year", "-quarter", "-version")
        .values("rag")[:1]
    )
    counts = dict(
        Project.objects.filter(programme__in=programmes)
        .exclude(status__in=ENDED_PROJECT)
        .annotate(rag=Subquery(latest_rag))  # None for a project yet to report
        .order_by()
        .values_list("rag")
        .annotate(count=Count("pk"))
    )
    return {rag: counts.get(rag, 0) for rag in Rag.values}


def _month_start(day: datetime.date, months_on: int = 0) -> datetime.date:
    index = day.year * 12 + day.month - 1 + months_on
    return datetime.date(index // 12, index % 12 + 1, 1)


@dataclass(frozen=True)
class MilestoneMonth:
    label: str
    count: int
    payments: Decimal
    overdue: bool = False


def milestones_by_month(
    programmes: QuerySet[Programme], today: datetime.date
) -> list[MilestoneMonth]:
    """The milestones of live projects not yet achieved: those overdue (forecast before
    today), then those forecast in each of the next six months, this one included, with
    the grant their verification would release (one query)."""
    ends_on = _month_start(today, MONTHS_AHEAD)
    rows = list(
        Milestone.objects.filter(
            project__programme__in=programmes,
            status__in=OPEN_MILESTONE,
            forecast_on__lt=ends_on,
        )
        .exclude(project__status__in=ENDED_PROJECT)
        .annotate(
            month=TruncMonth("forecast_on"),
            late=ExpressionWrapper(Milestone.overdue_on(today), output_field=BooleanField()),
        )
        .order_by()
        .values("month", "late")
        .annotate(
            count=Count("pk"),
            payments=Coalesce(
                Sum("payment__amount", filter=~Q(payment__status="cancelled")),
                Value(ZERO),
                output_field=MONEY,
            ),
        )
    )
    overdue = [row for row in rows if row["late"]]
    ahead = {row["month"]: row for row in rows if not row["late"]}
    months = [
        MilestoneMonth(
            label="Overdue",
            count=sum(row["count"] for row in overdue),
            payments=sum((row["payments"] for row in overdue), ZERO),
            overdue=True,
        )
    ]
    for offset in range(MONTHS_AHEAD):
        starts_on = _month_start(today, offset)
        row = ahead.get(starts_on, {})
        months.append(
            MilestoneMonth(
                label=f"{starts_on:%B %Y}",
                count=row.get("count", 0),
                payments=row.get("payments", ZERO),
            )
        )
    return months


@dataclass(frozen=True)
class BidStatusCount:
    status: str
    label: str
    count: int
    requested: Decimal


def bids_by_status(programmes: QuerySet[Programme]) -> list[BidStatusCount]:
    """The bids of the programmes' rounds, submitted or since decided, counted with
    the grant they request, status by status (one query)."""
    rows = {
        row["status"]: row
        for row in Bid.objects.filter(bidding_round__budget_line__programme__in=programmes)
        .submitted()
        .order_by()
        .values("status")
        .annotate(count=Count("pk"), requested=Sum("grant_requested"))
    }
    return [
        BidStatusCount(
            status=status,
            label=label,
            count=rows.get(status, {}).get("count", 0),
            requested=rows.get(status, {}).get("requested") or ZERO,
        )
        for status, label in Bid.Status.choices
        if status not in (Bid.Status.DRAFT, Bid.Status.WITHDRAWN)
    ]


@dataclass(frozen=True)
class SavingsFigures:
    delivered: Decimal
    potential: Decimal
    target: Decimal | None  # None when no target is set or none applies to the view

    @property
    def delivered_share_of_target(self) -> Decimal | None:
        if not self.target:
            return None
        return (self.delivered * 100 / self.target).quantize(Decimal("0.1"))


def savings_figures(filters: Filters, programmes: QuerySet[Programme]) -> SavingsFigures:
    """Savings delivered and potential (delivered plus forecast) that count for the
    partnership, against its member councils' targets. Targets are set for councils,
    not programmes, so they apply only while every programme is in view (three
    queries)."""
    totals = partnership_savings_totals(
        partnership=filters.partnership, financial_year=filters.financial_year
    )
    if filters.programme or filters.sub_region:
        totals = totals.filter(programme__in=programmes)
    rows: list[OrganisationSavings] = organisation_savings_against_target(
        partnership=filters.partnership,
        savings=totals,
        years=[filters.financial_year] if filters.financial_year is not None else None,
    )
    targets = [row.target for row in rows if row.target is not None]
    return SavingsFigures(
        delivered=sum((row.delivered for row in rows), ZERO),
        potential=sum((row.potential for row in rows), ZERO),
        target=sum(targets, ZERO)
        if targets and not (filters.programme or filters.sub_region)
        else None,
    )


def sub_region_rows(filters: Filters, programmes: QuerySet[Programme]) -> list[SubRegionSavings]:
    """Grant allocation, delivered and potential savings of each sub-region (three
    queries). Narrowed to a programme or sub-region, only the sub-regions running the
    programmes in view are listed."""
    rows = sub_region_savings(
        partnership=filters.partnership,
        programmes=programmes,
        financial_year=filters.financial_year,
    )
    if not (filters.programme or filters.sub_region):
        return rows
    running = set(programmes.exclude(sub_region=None).values_list("sub_region", flat=True))
    return [row for row in rows if row.sub_region.pk in running]


@dataclass(frozen=True)
class ForecastFigures:
    """The forecast returns of the partnership's members (the sub-region's, when one
    is chosen) for one year, with the forecasts page that lists them."""

    area: str
    counts: RagCounts
    url: str


def forecast_figures(filters: Filters, today: datetime.date) -> ForecastFigures:
    """Forecast returns for the year chosen, or else the next financial year, which
    every member should forecast (two queries)."""
    year = (
        filters.financial_year
        if filters.financial_year is not None
        else financial_years.financial_year_of(today) + 1
    )
    params = {"partnership": filters.partnership.slug, "year": year}
    if filters.sub_region:
        params["sub_region"] = filters.sub_region.pk
    return ForecastFigures(
        area=(filters.sub_region or filters.partnership).name,
        counts=forecast_rag_counts(
            partnership=filters.partnership, years=[year], sub_region=filters.sub_region
        )[0],
        url=f"{reverse('savings:forecasts')}?{urlencode(params)}",
    )
