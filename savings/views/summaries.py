"""The partnership's view of its savings: summaries with their downloads, RAG
forecasts and targets, for programme managers, the board and finance."""

from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from partnership.downloads import download_page
from partnership.exports import csv_response
from partnership.financial_years import label
from partnership.form_errors import error_summary
from partnership.form_pages import form_page, posted
from partnership.models import Organisation, Partnership, SubRegion
from partnership.page_cache import kept_until_records_change
from partnership.pagination import page_of
from partnership.scopes import scope_of
from projects.models import Project

from .. import exports, selectors, services
from ..forms import (
    ForecastFilterForm,
    SavingsTargetForm,
    SummaryFilterForm,
)
from ..models import Agreement, SavingsTarget
from . import PAGE_SIZE, council_url


def _readable_partnerships(user):
    """The partnerships whose savings the user may read as a whole: those they manage,
    sit on the board of or do finance for."""
    if not user.has_perm("savings.read_summary"):
        raise PermissionDenied
    scope = scope_of(user)
    if scope.is_administrator:
        return Partnership.objects.all()
    return Partnership.objects.filter(pk__in=scope.readable_partnership_ids)


@dataclass(frozen=True)
class Filters:
    form: SummaryFilterForm
    partnership: Partnership
    period: selectors.ProgrammePeriod | None
    year: int | None
    sub_region: SubRegion | None = None

    @property
    def errors(self) -> list[tuple[str, str]]:
        return error_summary(self.form) if self.form.is_bound else []

    @property
    def query(self) -> str:
        """The filters as a query string, for the download links."""
        query = QueryDict(mutable=True)
        query["partnership"] = self.partnership.slug
        if self.period:
            query["period"] = self.period.label
        if self.year is not None:
            query["year"] = self.year
        if self.sub_region:
            query["sub_region"] = self.sub_region.pk
        return query.urlencode()


def _filters(request: HttpRequest, form_class=SummaryFilterForm) -> Filters:
    partnerships = _readable_partnerships(request.user)
    form = form_class(
        request.GET or None,
        partnerships=partnerships,
        periods=selectors.programme_periods(partnerships=partnerships),
    )
    # A filter that does not apply is reported and left out; the others still apply.
    if form.is_bound and not form.is_valid() and "partnership" in form.errors:
        raise Http404("No such partnership among those you can read.")
    data = form.cleaned_data if form.is_bound else {}
    partnership = data.get("partnership") or partnerships.first()
    if partnership is None:
        raise Http404("There are no partnerships yet.")
    sub_region = data.get("sub_region")
    if sub_region is not None and sub_region.partnership_id != partnership.pk:
        form.add_error("sub_region", f"Choose a sub-region of {partnership.short_name}.")
        sub_region = None
    return Filters(
        form=form,
        partnership=partnership,
        period=form.periods.get(data.get("period") or ""),
        year=data.get("year"),
        sub_region=sub_region,
    )


@dataclass(frozen=True)
class Link:
    """A cell that links to a page; downloads show its text."""

    text: str
    url: str

    def __str__(self) -> str:
        return self.text

    def get_absolute_url(self) -> str:
        return self.url


@dataclass(frozen=True)
class Column:
    heading: str
    kind: str = "text"  # text, money, percent or number: how a cell is shown


@dataclass(frozen=True)
class Table:
    slug: str
    caption: str
    columns: list[Column]
    rows: list[list]
    total: list | None = None

    @property
    def body(self) -> list[list[tuple]]:
        return [list(zip(row, self.columns, strict=True)) for row in self.rows]

    @property
    def footer(self) -> list[tuple] | None:
        return list(zip(self.total, self.columns, strict=True)) if self.total else None


def _with_total(rows: list[list], first: str = "Total") -> list:
    return [first] + [sum((row[i] for row in rows), Decimal(0)) for i in range(1, len(rows[0]))]


def _totals_table(slug, caption, heading, rows, name_for_none="") -> Table:
    money = [Column("Delivered", "money"), Column("Forecast", "money")]
    body = [
        [row["name"] or name_for_none, row["delivered"], row["forecast"], row["potential"]]
        for row in rows
    ]
    return Table(
        slug,
        caption,
        [Column(heading), *money, Column("Total potential", "money")],
        body,
        _with_total(body) if body else None,
    )


def _totals(filters: Filters):
    return selectors.partnership_savings_totals(
        partnership=filters.partnership, period=filters.period, financial_year=filters.year
    )


def _sub_regions_table(filters: Filters) -> Table:
    period = filters.period
    rows = [
        [row.sub_region, row.allocation, row.delivered, row.potential]
        for row in selectors.sub_region_savings(
            partnership=filters.partnership,
            programmes=period.programmes(filters.partnership) if period else None,
            financial_year=filters.year,
        )
    ]
    return Table(
        "sub-regions",
        "Savings by sub-region",
        [
            Column("Sub-region"),
            Column("Grant allocation", "money"),
            Column("Delivered savings", "money"),
            Column("Total potential savings", "money"),
        ],
        rows,
        _with_total(rows) if rows else None,
    )


def _categories_table(filters: Filters) -> Table:
    return _totals_table(
        "categories",
        "Savings by category",
        "Category",
        selectors.savings_totals_by("category__name", savings=_totals(filters)),
    )


def _programmes_table(filters: Filters) -> Table:
    return _totals_table(
        "programmes",
        "Savings by programme",
        "Programme",
        selectors.savings_totals_by("programme__name", savings=_totals(filters)),
        name_for_none="Returned by councils (no programme)",
    )


def _organisations_table(filters: Filters) -> Table:
    year, period = filters.year, filters.period
    organisations = selectors.organisation_savings_against_target(
        partnership=filters.partnership,
        savings=_totals(filters),
        years=[year] if year is not None else (period.years if period else None),
    )
    return Table(
        "organisations",
        "Savings by council against target",
        [
            Column("Council"),
            Column("Target", "money"),
            Column("Delivered", "money"),
            Column("Forecast", "money"),
            Column("Delivered as % of target", "percent"),
        ],
        [
            [
                Link(row.organisation.name, council_url(row.organisation)),
                row.target,
                row.delivered,
                row.forecast,
                row.delivered_share_of_target,
            ]
            for row in organisations
        ],
    )


def _benefits_table(filters: Filters) -> Table:
    return Table(
        "benefits",
        "Other benefits, in their own units",
        [Column("Unit"), Column("Total", "number")],
        [
            [row["unit"], row["total"]]
            for row in selectors.other_benefits_by_unit(
                projects=Project.objects.filter(programme__partnership=filters.partnership)
            )
        ],
    )


# Each table by its slug, in page order: a download builds only its own table.
SUMMARY_TABLES = {
    "sub-regions": _sub_regions_table,
    "categories": _categories_table,
    "programmes": _programmes_table,
    "organisations": _organisations_table,
    "benefits": _benefits_table,
}


@login_required
@kept_until_records_change
def savings_summary(request: HttpRequest) -> HttpResponse:
    filters = _filters(request)
    return render(
        request,
        "savings/summary.html",
        {
            "filters": filters,
            "tables": [build(filters) for build in SUMMARY_TABLES.values()],
            "errors": filters.errors,
        },
    )


# A summary table has a row per sub-region, category, programme, member council or
# benefit unit of one partnership: a few hundred at national scale (400 bodies) at
# most, so it is still sent while the reader waits. Every savings entry behind the
# tables is the savings.entries export, which goes through partnership.downloads.
@login_required
def summary_download(request: HttpRequest, table: str) -> HttpResponse:
    filters = _filters(request)
    build = SUMMARY_TABLES.get(table)
    if build is None:
        raise Http404("No such table.")
    chosen = build(filters)
    parts = [filters.partnership.slug]
    parts += [filters.period.label.replace("/", "-")] if filters.period else []
    parts += [label(filters.year).replace("/", "-")] if filters.year is not None else []
    rows = chosen.rows + ([chosen.total] if chosen.total else [])
    return csv_response(
        f"savings-{table}-{'-'.join(parts)}.csv",
        [column.heading for column in chosen.columns],
        ([cell if isinstance(cell, Decimal | None) else str(cell) for cell in row] for row in rows),
    )


@login_required
@require_http_methods(["GET", "POST"])
def entries_download(request: HttpRequest, file_format: str) -> HttpResponse:
    return download_page(request, exports.SAVINGS_ENTRIES, file_format)


def _forecasts(filters: Filters) -> selectors.ForecastCounts:
    years = (
        [filters.year]
        if filters.year is not None
        else selectors.forecast_years(partnership=filters.partnership, today=timezone.localdate())
    )
    return selectors.forecast_counts(
        partnership=filters.partnership, years=years, sub_region=filters.sub_region
    )


@login_required
def forecast_summary(request: HttpRequest) -> HttpResponse:
    filters = _filters(request, ForecastFilterForm)
    return render(
        request,
        "savings/forecast_summary.html",
        {
            "filters": filters,
            "forecasts": _forecasts(filters),
            "sub_regions": filters.partnership.sub_regions.order_by("name"),
            "errors": filters.errors,
        },
    )


FORECAST_COLUMNS = [
    "Area",
    "Financial year",
    "Returns received",
    "Green",
    "Amber",
    "Red",
    "Received, not rated",
    "No return",
    "Bodies that made no return",
]


@login_required
def forecast_download(request: HttpRequest) -> HttpResponse:
    """The forecasts page's counts as a CSV: the area in view, then each sub-region."""
    filters = _filters(request, ForecastFilterForm)
    parts = [filters.partnership.slug, *([filters.sub_region.slug] if filters.sub_region else [])]
    parts += [label(filters.year).replace("/", "-")] if filters.year is not None else []
    return csv_response(
        f"forecasts-{'-'.join(parts)}.csv",
        FORECAST_COLUMNS,
        (
            [
                area.area.name,
                label(year.financial_year),
                year.received,
                year.green,
                year.amber,
                year.red,
                year.not_rated,
                len(year.not_returned),
                "; ".join(organisation.name for organisation in year.not_returned),
            ]
            for area in _forecasts(filters).areas
            for year in area.years
        ),
    )


def _managed_partnerships(user):
    """The partnerships whose members' targets the user may set: the form's choices."""
    scope = scope_of(user)
    if scope.is_administrator:
        return Partnership.objects.all()
    return Partnership.objects.filter(pk__in=scope.managed_partnership_ids)


@login_required
def target_list(request: HttpRequest) -> HttpResponse:
    filters = _filters(request)
    targets = SavingsTarget.objects.filter(
        organisation__in=filters.partnership.members.all()
    ).select_related("organisation", "agreement")
    if filters.year is not None:
        targets = targets.filter(financial_year=filters.year)
    return render(
        request,
        "savings/target_list.html",
        {
            "filters": filters,
            "agreements": filters.partnership.agreements.annotate(
                member_count=Count("members")
            ).order_by("first_year", "name"),
            "area_targets": selectors.area_target_table(partnership=filters.partnership),
            "targets": page_of(
                request,
                targets.order_by("organisation__name", "financial_year"),
                per_page=PAGE_SIZE,
            ),
            # The partnership's managers set its members' targets.
            "can_set": request.user.has_perm("partnership.change_partnership", filters.partnership),
            "errors": filters.errors,
        },
    )


@login_required
def target_set(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("savings.change_savingstarget"):
        raise PermissionDenied
    managed = _managed_partnerships(request.user)
    form = SavingsTargetForm(
        posted(request),
        agreements=Agreement.objects.filter(partnership__in=managed).select_related("partnership"),
        organisations=Organisation.objects.filter(partnerships__in=managed).distinct(),
    )
    return form_page(
        request,
        "savings/target_set.html",
        {"heading": "Set a savings target"},
        form,
        act=lambda data: services.savings_target_set(
            agreement=data["agreement"],
            organisation=data["organisation"],
            financial_year=data["financial_year"],
            basis=data["basis"],
            percentage=data["percentage"],
            baseline=data["baseline"],
            baseline_description=data["baseline_description"],
            amount=data["amount"],
            cashable_only=data["cashable_only"],
            by=request.user,
        ),
        done=lambda target: (
            f"{target.agreement.name} target for "
            f"{target.organisation or 'all its members'} in {label(target.financial_year)} "
            "recorded."
        ),
        next_url=lambda target: (
            council_url(target.organisation)
            if target.organisation
            else f"{reverse('savings:targets')}?partnership={target.agreement.partnership.slug}"
        ),
    )
