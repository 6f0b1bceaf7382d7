"""Savings figures: per sub-region, per category, per organisation against target."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.models import User
from django.db.models import DecimalField, Exists, F, OuterRef, Prefetch, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce

from partnership import financial_years
from partnership.models import Organisation, Partnership, SubRegion
from partnership.scopes import scope_of
from programmes.models import Programme
from programmes.selectors import funds_received_by_sub_region
from projects.models import Project, Rag

from .models import (
    Agreement,
    ForecastReturn,
    OtherBenefit,
    SavingsCategory,
    SavingsEntry,
    SavingsReturn,
    SavingsTarget,
    SavingsTotal,
)
from .return_files import SavingsRow

ZERO = Decimal("0.00")
ZERO_VALUE = Value(ZERO, output_field=DecimalField(max_digits=16, decimal_places=2))
Status = SavingsEntry.Status


def _delivered_and_forecast(savings, dimension: str) -> dict:
    """Delivered and forecast savings (entries or their totals) summed per value of
    ``dimension`` (a lookup such as ``category__name``), one query: {value: {"delivered",
    "forecast"}}."""
    return {
        row[dimension]: row
        for row in savings.order_by()
        .values(dimension)
        .annotate(
            delivered=Coalesce(Sum("amount", filter=Q(status=Status.DELIVERED)), ZERO_VALUE),
            forecast=Coalesce(Sum("amount", filter=Q(status=Status.FORECAST)), ZERO_VALUE),
        )
    }


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
    potential savings, from ledger and savings totals (three queries in all)."""
    if programmes is None:
        programmes = Programme.objects.filter(partnership=partnership)
    allocations = funds_received_by_sub_region(programmes)
    totals = SavingsTotal.objects.filter(
        programme__in=programmes, programme__sub_region__isnull=False
    )
    if financial_year is not None:
        totals = totals.filter(financial_year=financial_year)
    sums = _delivered_and_forecast(totals, "programme__sub_region")
    rows = []
    for sub_region in SubRegion.objects.filter(partnership=partnership).order_by("name"):
        row = sums.get(sub_region.pk, {})
        rows.append(
            SubRegionSavings(
                sub_region=sub_region,
                allocation=allocations.get(sub_region.pk, ZERO),
                delivered=row.get("delivered", ZERO),
                forecast=row.get("forecast", ZERO),
            )
        )
    return rows


@dataclass(frozen=True)
class TargetProgress:
    financial_year: int
    target: Decimal | None  # None for a percentage whose baseline is not known yet
    cumulative_target: Decimal | None
    delivered: Decimal
    cumulative_delivered: Decimal

    @property
    def delivered_share(self) -> Decimal | None:
        """Delivered savings as a percentage of the target to date, to one place."""
        if not self.cumulative_target:
            return None
        return (self.cumulative_delivered * 100 / self.cumulative_target).quantize(Decimal("0.1"))


def _delivered_by_year(organisation_ids, *, cashable_only: bool) -> dict[tuple[int, int], Decimal]:
    """{(organisation id, year): delivered savings that count} of the organisations,
    from the savings totals, or from the entries when only cashable savings count
    (the totals do not split them; one query)."""
    if cashable_only:
        savings = SavingsEntry.objects.counted().filter(cashable=True)
    else:
        savings = SavingsTotal.objects.all()
    return {
        (organisation_id, year): total
        for organisation_id, year, total in savings.filter(
            organisation__in=organisation_ids, status=Status.DELIVERED
        )
        .order_by()
        .values_list("organisation_id", "financial_year")
        .annotate(total=Sum("amount"))
    }


def _progress(targets: list[SavingsTarget], delivered_in) -> list[TargetProgress]:
    """Year by year: each target, its delivered savings (``delivered_in(target)``), and
    both added up over the years (NI 179's 3% + 3% + 3.4% = 9.4% over three years is a
    simple sum); the target to date is unknown from a target with no amount on."""
    progress, target_sum, delivered_sum = [], ZERO, ZERO
    for target in targets:
        year_delivered = delivered_in(target)
        amount = target.target_amount
        target_sum = None if target_sum is None or amount is None else target_sum + amount
        delivered_sum += year_delivered
        progress.append(
            TargetProgress(
                financial_year=target.financial_year,
                target=amount,
                cumulative_target=target_sum,
                delivered=year_delivered,
                cumulative_delivered=delivered_sum,
            )
        )
    return progress


def _delivered_by_council(organisation: Organisation, targets: list[SavingsTarget]):
    """For each of the council's ``targets``, the savings it delivered that count
    towards it (one query, two when some count only cashable savings)."""
    delivered = {
        cashable_only: _delivered_by_year([organisation.pk], cashable_only=cashable_only)
        for cashable_only in {target.cashable_only for target in targets}
    }
    return lambda target: delivered[target.cashable_only].get(
        (organisation.pk, target.financial_year), ZERO
    )


def organisation_target_progress(*, organisation, targets=None) -> list[TargetProgress]:
    """:func:`_progress` of the council's targets: ``targets``, those of one agreement in
    year order, when the caller has them; else all the council's."""
    if targets is None:
        targets = SavingsTarget.objects.filter(organisation=organisation).order_by("financial_year")
    targets = list(targets)
    return _progress(targets, _delivered_by_council(organisation, targets))


@dataclass(frozen=True)
class SavingsSplit:
    """Savings summed four ways and never added across them: a forecast is not a
    saving made, and a non-cashable saving frees no money."""

    delivered_cashable: Decimal
    delivered_non_cashable: Decimal
    forecast_cashable: Decimal
    forecast_non_cashable: Decimal


def savings_split(savings: list) -> SavingsSplit:
    """The totals of ``savings`` (entries, or a return's rows before it is saved),
    to the penny."""

    def total(status: str, cashable: bool) -> Decimal:
        return sum(
            (item.amount for item in savings if (item.status, item.cashable) == (status, cashable)),
            ZERO,
        )

    return SavingsSplit(
        delivered_cashable=total(Status.DELIVERED, True),
        delivered_non_cashable=total(Status.DELIVERED, False),
        forecast_cashable=total(Status.FORECAST, True),
        forecast_non_cashable=total(Status.FORECAST, False),
    )


@dataclass(frozen=True)
class ReturnEntries:
    entries: list[SavingsEntry]
    totals: SavingsSplit


def savings_return_entries(savings_return: SavingsReturn) -> ReturnEntries:
    """The entries of one return with their totals, in one query."""
    entries = list(savings_return.entries.select_related("category", "project"))
    return ReturnEntries(entries=entries, totals=savings_split(entries))


@dataclass(frozen=True)
class RagCounts:
    financial_year: int
    green: int
    amber: int
    red: int
    not_rated: int  # returns received with no rating for the year
    not_returned: list[Organisation]

    @property
    def received(self) -> int:
        return self.green + self.amber + self.red + self.not_rated


@dataclass(frozen=True)
class AreaRagCounts:
    """A partnership's or sub-region's forecast counts, year by year."""

    area: Partnership | SubRegion
    years: list[RagCounts]


def _ratings(members: Iterable[Organisation], years: list[int]) -> dict[int, dict[int, str]]:
    """{year: {organisation id: rating}} of the members' forecast returns (one query);
    a blank rating is a return received but not rated."""
    rags: dict[int, dict[int, str]] = {year: {} for year in years}
    for organisation_id, year, rag in ForecastReturn.objects.filter(
        organisation__in=[member.pk for member in members], financial_year__in=years
    ).values_list("organisation_id", "financial_year", "rag"):
        rags[year][organisation_id] = rag
    return rags


def _counted(members: list[Organisation], years: list[int], rags) -> list[RagCounts]:
    member_ids, counts = {member.pk for member in members}, []
    for year in years:
        returned = {pk: rag for pk, rag in rags[year].items() if pk in member_ids}
        ratings = list(returned.values())
        counts.append(
            RagCounts(
                financial_year=year,
                green=ratings.count(Rag.GREEN),
                amber=ratings.count(Rag.AMBER),
                red=ratings.count(Rag.RED),
                not_rated=ratings.count(""),
                not_returned=[member for member in members if member.pk not in returned],
            )
        )
    return counts


def forecast_rag_counts(
    *, partnership: Partnership, years: list[int], sub_region: SubRegion | None = None
) -> list[RagCounts]:
    """Per year: how many member organisations (of the sub-region, when given)
    returned a forecast, how many of those were Green, Amber or Red and how many gave
    no rating, and which made no return at all (two queries however many years)."""
    area = sub_region or partnership
    members = list(area.members.order_by("name"))
    return _counted(members, years, _ratings(members, years))


def forecast_rag_counts_by_sub_region(
    *, partnership: Partnership, years: list[int]
) -> list[AreaRagCounts]:
    """:func:`forecast_rag_counts` for each of the partnership's sub-regions (three
    queries however many sub-regions and years)."""
    sub_regions = list(
        partnership.sub_regions.order_by("name").prefetch_related(
            Prefetch("members", queryset=Organisation.objects.order_by("name"))
        )
    )
    members = {member for sub_region in sub_regions for member in sub_region.members.all()}
    rags = _ratings(members, years)
    return [
        AreaRagCounts(area=sub_region, years=_counted(list(sub_region.members.all()), years, rags))
        for sub_region in sub_regions
    ]


@dataclass(frozen=True)
class ForecastCounts:
    """The forecast counts of an area (the partnership or one sub-region) year by
    year, and each sub-region's when the area is the whole partnership."""

    area: AreaRagCounts
    sub_regions: list[AreaRagCounts]

    @property
    def areas(self) -> list[AreaRagCounts]:
        return [self.area, *self.sub_regions]


def forecast_counts(
    *, partnership: Partnership, years: list[int], sub_region: SubRegion | None = None
) -> ForecastCounts:
    """What the forecasts page, its download, the dashboard and the board pack count
    (five queries at most)."""
    return ForecastCounts(
        area=AreaRagCounts(
            area=sub_region or partnership,
            years=forecast_rag_counts(partnership=partnership, years=years, sub_region=sub_region),
        ),
        sub_regions=[]
        if sub_region
        else forecast_rag_counts_by_sub_region(partnership=partnership, years=years),
    )


def savings_totals_by(dimension: str, *, savings=None) -> list[dict]:
    """Delivered, forecast and potential savings grouped by ``dimension`` (a lookup
    such as ``category__name`` or ``programme__name``), largest potential first, from
    ``savings``: savings totals (all of them when None) or entries that count."""
    savings = SavingsTotal.objects.all() if savings is None else savings
    result = [
        {
            "name": name,
            "delivered": row["delivered"],
            "forecast": row["forecast"],
            "potential": row["delivered"] + row["forecast"],
        }
        for name, row in _delivered_and_forecast(savings, dimension).items()
    ]
    return sorted(result, key=lambda row: (-row["potential"], str(row["name"])))


def other_benefits_by_unit(*, projects=None) -> list[dict]:
    """Non-cash benefits summed per unit (tonnes of CO2 a year, people trained...)."""
    benefits = OtherBenefit.objects.all()
    if projects is not None:
        benefits = benefits.filter(project__in=projects)
    return list(benefits.order_by("unit").values("unit").annotate(total=Sum("quantity")))


@dataclass(frozen=True)
class DueReturn:
    financial_year: int
    quarter: int
    changes_requested: SavingsReturn | None = None
    organisation: Organisation | None = None
    draft: SavingsReturn | None = None


def savings_returns_due(
    *, organisations: Iterable[Organisation], today: datetime.date
) -> list[DueReturn]:
    """For each of ``organisations``, in their order, the return for the latest
    completed quarter when it has none awaiting sign-off or certified; a return sent
    back with changes requested is still due, and so is one only drafted (with its
    draft). One query."""
    year, quarter = financial_years.financial_year_of(today), financial_years.quarter_of(today)
    year, quarter = (year - 1, 4) if quarter == 1 else (year, quarter - 1)
    organisations = list(organisations)
    current, drafts = {}, {}
    for savings_return in SavingsReturn.objects.filter(
        organisation__in=[organisation.pk for organisation in organisations],
        financial_year=year,
        quarter=quarter,
    ).exclude(status=SavingsReturn.Status.SUPERSEDED):
        is_draft = savings_return.status == SavingsReturn.Status.DRAFT
        (drafts if is_draft else current)[savings_return.organisation_id] = savings_return
    due = []
    for organisation in organisations:
        savings_return = current.get(organisation.pk)
        if savings_return is None or savings_return.status == SavingsReturn.Status.RETURNED:
            draft = drafts.get(organisation.pk)
            due.append(DueReturn(year, quarter, savings_return, organisation, draft))
    return due


def savings_return_due(*, organisation: Organisation, today: datetime.date) -> DueReturn | None:
    """The council's return due, if one is (:func:`savings_returns_due`)."""
    due = savings_returns_due(organisations=[organisation], today=today)
    return due[0] if due else None


def returns_due(user, today: datetime.date) -> list[DueReturn]:
    """The returns the officer's councils owe, by council name (two queries)."""
    councils = Organisation.objects.filter(pk__in=scope_of(user).officer_organisation_ids)
    return savings_returns_due(organisations=councils.order_by("name"), today=today)


def returns_to_sign_off(user) -> QuerySet[SavingsReturn]:
    """Returns awaiting sign-off by the user's councils' finance officers (every
    council's, for an administrator), oldest first."""
    scope = scope_of(user)
    returns = SavingsReturn.objects.filter(status=SavingsReturn.Status.AWAITING_SIGN_OFF)
    if not scope.is_administrator:
        returns = returns.filter(organisation__in=scope.finance_organisation_ids)
    return returns.select_related("organisation", "submitted_by").order_by("submitted_at")


def savings_return_draft(
    *, organisation: Organisation, financial_year: int, quarter: int
) -> SavingsReturn | None:
    """The council's draft return for the quarter, if it has one."""
    return (
        SavingsReturn.objects.drafts()
        .filter(organisation=organisation, financial_year=financial_year, quarter=quarter)
        .first()
    )


def savings_return_draft_rows(draft: SavingsReturn) -> list[SavingsRow]:
    return [SavingsRow.from_json(row) for row in draft.draft["rows"]]


def savings_return_versions(savings_return: SavingsReturn) -> list[SavingsReturn]:
    """Every version of the council's return for that quarter, newest first."""
    return list(
        SavingsReturn.objects.made()
        .filter(
            organisation_id=savings_return.organisation_id,
            financial_year=savings_return.financial_year,
            quarter=savings_return.quarter,
        )
        .select_related("submitted_by")
        .order_by("-version")
    )


@dataclass(frozen=True)
class DescribedRow:
    row: SavingsRow
    category: SavingsCategory
    project: Project | None


def savings_rows_described(rows: list[SavingsRow]) -> list[DescribedRow]:
    """A return's rows before it is saved, with their categories and projects (two
    queries)."""
    categories = SavingsCategory.objects.in_bulk({row.category_id for row in rows})
    projects = Project.objects.in_bulk({row.project_id for row in rows if row.project_id})
    return [
        DescribedRow(
            row=row, category=categories[row.category_id], project=projects.get(row.project_id)
        )
        for row in rows
    ]


@dataclass(frozen=True)
class TargetRow:
    target: SavingsTarget
    progress: TargetProgress
    cumulative_percentage: Decimal | None


@dataclass(frozen=True)
class AgreementTargets:
    """One agreement's targets for a body (or for all its members), year by year with
    progress, summed on their own."""

    agreement: Agreement
    rows: list[TargetRow]

    @property
    def last(self) -> TargetRow:
        return self.rows[-1]


def _target_rows(targets: list[SavingsTarget], progress: list[TargetProgress]) -> list[TargetRow]:
    """The targets with their progress, and the percentages added up while every target
    so far is a percentage (NI 179: 3% + 3% + 3.4% = 9.4%)."""
    rows, percentage_sum = [], ZERO
    for target, made in zip(targets, progress, strict=True):
        if percentage_sum is not None and target.basis == SavingsTarget.Basis.PERCENTAGE:
            percentage_sum += target.percentage
        else:
            percentage_sum = None
        rows.append(TargetRow(target=target, progress=made, cumulative_percentage=percentage_sum))
    return rows


def _by_agreement(targets: list[SavingsTarget]) -> dict[Agreement, list[SavingsTarget]]:
    grouped: dict[Agreement, list[SavingsTarget]] = {}
    for target in targets:
        grouped.setdefault(target.agreement, []).append(target)
    return grouped


def organisation_target_table(*, organisation: Organisation) -> list[AgreementTargets]:
    """The council's targets under each agreement it is in, each agreement's summed on
    its own (a local area agreement and a multi-area agreement over overlapping years
    are two sums, never one), with its progress against them (two queries, three when
    a target counts only cashable savings)."""
    targets = list(
        SavingsTarget.objects.filter(organisation=organisation)
        .select_related("agreement")
        .order_by("agreement__first_year", "agreement__name", "financial_year")
    )
    delivered_in = _delivered_by_council(organisation, targets)
    return [
        AgreementTargets(
            agreement=agreement, rows=_target_rows(held, _progress(held, delivered_in))
        )
        for agreement, held in _by_agreement(targets).items()
    ]


def area_target_table(*, partnership: Partnership) -> list[AgreementTargets]:
    """The partnership's area-wide targets (over all an agreement's members together),
    per agreement, with the savings its members delivered in each year against them
    once a baseline gives the target an amount (four queries at most)."""
    targets = list(
        SavingsTarget.objects.filter(agreement__partnership=partnership, organisation=None)
        .select_related("agreement")
        .prefetch_related("agreement__members")
        .order_by("agreement__first_year", "agreement__name", "financial_year")
    )
    members = {member.pk for target in targets for member in target.agreement.members.all()}
    delivered = {
        cashable_only: _delivered_by_year(members, cashable_only=cashable_only)
        for cashable_only in {target.cashable_only for target in targets}
    }

    def delivered_in(target: SavingsTarget) -> Decimal:
        by_body = delivered[target.cashable_only]
        return sum(
            (
                by_body.get((member.pk, target.financial_year), ZERO)
                for member in target.agreement.members.all()
            ),
            ZERO,
        )

    return [
        AgreementTargets(
            agreement=agreement, rows=_target_rows(held, _progress(held, delivered_in))
        )
        for agreement, held in _by_agreement(targets).items()
    ]


@dataclass(frozen=True)
class ProgrammePeriod:
    """The financial years a programme runs over: 2008/11 is 2008/09 to 2010/11."""

    first_year: int
    last_year: int

    @property
    def label(self) -> str:
        return f"{self.first_year}/{(self.last_year + 1) % 100:02d}"

    @property
    def years(self) -> range:
        return range(self.first_year, self.last_year + 1)

    def programmes(self, partnership: Partnership):
        return Programme.objects.filter(
            partnership=partnership,
            starts_on__range=financial_years.year_bounds(self.first_year),
            ends_on__range=financial_years.year_bounds(self.last_year),
        )


def programme_periods(*, partnerships) -> list[ProgrammePeriod]:
    """The periods the partnerships' programmes run over, earliest first."""
    spans = (
        Programme.objects.filter(partnership__in=partnerships)
        .order_by()
        .values_list("starts_on", "ends_on")
    )
    return sorted(
        {
            ProgrammePeriod(
                first_year=financial_years.financial_year_of(starts_on),
                last_year=financial_years.financial_year_of(ends_on),
            )
            for starts_on, ends_on in spans.distinct()
        },
        key=lambda period: (period.first_year, period.last_year),
    )


def _partnerships_share(
    savings, partnership: Partnership, period: ProgrammePeriod | None, financial_year: int | None
):
    """The part of ``savings`` (entries or totals) that counts for a partnership."""
    savings = savings.filter(
        Q(programme__partnership=partnership)
        | Q(programme__isnull=True, organisation__in=partnership.members.all())
    )
    if period is not None:
        savings = savings.filter(
            Q(programme__in=period.programmes(partnership))
            | Q(programme__isnull=True, financial_year__in=period.years)
        )
    if financial_year is not None:
        savings = savings.filter(financial_year=financial_year)
    return savings


def partnership_savings_entries(
    *,
    partnership: Partnership,
    period: ProgrammePeriod | None = None,
    financial_year: int | None = None,
    entries=None,
):
    """The savings that count for a partnership: those credited to its programmes and
    those its member councils returned without a programme. A period narrows them to
    its programmes, or for returned savings to the years it spans. ``entries``, the
    savings to narrow, are those counted in summaries unless given."""
    entries = SavingsEntry.objects.counted() if entries is None else entries
    return _partnerships_share(entries, partnership, period, financial_year)


def partnership_savings_totals(
    *,
    partnership: Partnership,
    period: ProgrammePeriod | None = None,
    financial_year: int | None = None,
):
    """The savings totals of :func:`partnership_savings_entries`, for figures: the same
    savings, summed, so a page reads thousands of rows rather than every entry."""
    return _partnerships_share(SavingsTotal.objects.all(), partnership, period, financial_year)


@dataclass(frozen=True)
class OrganisationSavings:
    organisation: Organisation
    target: Decimal | None
    delivered: Decimal
    forecast: Decimal

    @property
    def potential(self) -> Decimal:
        return self.delivered + self.forecast

    @property
    def delivered_share_of_target(self) -> Decimal | None:
        """Delivered savings as a percentage of the target, to one place."""
        if not self.target:
            return None
        return (self.delivered * 100 / self.target).quantize(Decimal("0.1"))


def organisation_savings_against_target(
    *, partnership: Partnership, savings, years: range | None = None
) -> list[OrganisationSavings]:
    """Each member council with a target or savings: its targets for the years (every
    year when None) against its savings among ``savings`` (totals or entries that
    count; three queries). The targets are those of the partnership's own programme
    agreements: other agreements (a local area agreement, a multi-area agreement)
    may overlap them in years, and adding them together would count a year twice.
    A percentage with no baseline yet has no amount to add."""
    members = list(partnership.members.order_by("name"))
    sums = _delivered_and_forecast(savings.filter(organisation__in=members), "organisation")
    targets = SavingsTarget.objects.filter(
        organisation__in=members,
        agreement__partnership=partnership,
        agreement__kind=Agreement.Kind.PARTNERSHIP_PROGRAMME,
    )
    if years is not None:
        targets = targets.filter(financial_year__in=years)
    target_sums: dict[int, Decimal] = {}
    for target in targets:
        if target.target_amount is not None:
            target_sums[target.organisation_id] = (
                target_sums.get(target.organisation_id, ZERO) + target.target_amount
            )
    return [
        OrganisationSavings(
            organisation=member,
            target=target_sums.get(member.pk),
            delivered=sums.get(member.pk, {}).get("delivered", ZERO),
            forecast=sums.get(member.pk, {}).get("forecast", ZERO),
        )
        for member in members
        if member.pk in sums or member.pk in target_sums
    ]


def forecast_years(*, partnership: Partnership, today: datetime.date) -> list[int]:
    """The years the partnership's members have returned RAG forecasts for, and the
    next financial year, which every member should forecast."""
    returned = (
        ForecastReturn.objects.filter(organisation__in=partnership.members.all())
        .order_by()
        .values_list("financial_year", flat=True)
    )
    return sorted({*returned.distinct(), financial_years.financial_year_of(today) + 1})


def savings_entry_list(
    *,
    user: User,
    partnership: Partnership | None = None,
    period: ProgrammePeriod | None = None,
    sub_region: SubRegion | None = None,
    organisation: Organisation | None = None,
    financial_year: int | None = None,
    quarter: int | None = None,
    status: str | None = None,
    counted_only: bool = True,
) -> QuerySet[SavingsEntry]:
    """The savings entries ``user`` may see, narrowed as the savings pages narrow them:
    to a partnership's savings (and one of its programme periods), a sub-region's (its
    programmes' and its members' returned without a programme), one council's, a
    year, a quarter or a status. Only those the summaries count unless
    ``counted_only`` is False. In council, year and quarter order, the same on every
    database, so that a file of them can be checked row for row."""
    entries = SavingsEntry.objects.visible_to(user)
    if counted_only:
        entries = entries.counted()
    if partnership is not None:
        entries = partnership_savings_entries(
            partnership=partnership, period=period, entries=entries
        )
    if sub_region is not None:
        member = SubRegion.members.through.objects.filter(
            subregion_id=sub_region.pk, organisation_id=OuterRef("organisation_id")
        )
        entries = entries.filter(
            Q(programme__sub_region=sub_region) | Q(Exists(member), programme__isnull=True)
        )
    narrowed = {
        "organisation": organisation,
        "financial_year": financial_year,
        "quarter": quarter,
        "status": status,
    }
    entries = entries.filter(**{key: value for key, value in narrowed.items() if value})
    return entries.order_by(
        "organisation__name", "financial_year", F("quarter").asc(nulls_first=True), "id"
    )
