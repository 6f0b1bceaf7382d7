"""Read-side figures for projects."""

import datetime
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.models import User
from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    Window,
    prefetch_related_objects,
)
from django.db.models.functions import Cast, Coalesce, ExtractMonth, ExtractYear, Least
from django.utils import timezone

from partnership import financial_years
from partnership.models import Role
from partnership.scopes import Kind, scope_of
from programmes.querysets import EVERYTHING
from programmes.selectors import SubjectBalance, subject_balance

from .models import (
    ChangeRequest,
    Clawback,
    GrantPayment,
    Milestone,
    MilestoneEvidence,
    MilestoneReprofile,
    ProgressReport,
    Project,
    ProjectClosure,
    ProjectRisk,
    Repayment,
)


def project_money(project: Project) -> SubjectBalance:
    """The project's grant in the ledger: committed when its bid was approved (or
    when it was awarded directly), less releases and clawbacks; paid out; repaid."""
    subjects = [project] + ([project.bid] if project.bid_id else [])
    return subject_balance(*subjects)


def payments_scheduled_total(
    project: Project, *, instead: Mapping[int, Decimal] | None = None
) -> Decimal:
    """What the project's payments add up to, paid ones included and cancelled ones
    not: never more than the award. ``instead`` maps some payments to proposed new
    amounts, to ask what a re-profile would make of it."""
    instead = instead or {}
    rows = project.payments.exclude(status=GrantPayment.Status.CANCELLED).values_list(
        "pk", "amount"
    )
    return sum((instead.get(pk, amount) for pk, amount in rows), Decimal("0.00"))


@dataclass(frozen=True)
class ProjectSchedule:
    awarded: Decimal
    scheduled: Decimal

    @property
    def unscheduled(self) -> Decimal:
        return self.awarded - self.scheduled


def project_schedule(project: Project) -> ProjectSchedule:
    """The grant awarded and how much of it the payment profile schedules."""
    return ProjectSchedule(
        awarded=project.grant_awarded, scheduled=payments_scheduled_total(project)
    )


def open_payments(project: Project) -> list[GrantPayment]:
    """The payments a variation may still change, in the order they fall due."""
    return list(
        project.payments.filter(status__in=GrantPayment.OPEN_STATUSES).select_related("milestone")
    )


def payment_reprofiles(payment: GrantPayment) -> list:
    """Every approved change request that re-profiled the payment, oldest first: what
    it was and what it became."""
    return list(
        payment.changes.filter(change_request__status=ChangeRequest.Status.APPROVED)
        .select_related("change_request")
        .order_by("change_request__decided_at")
    )


@dataclass(frozen=True)
class ProjectGrant:
    awarded: Decimal
    paid: Decimal

    @property
    def remaining(self) -> Decimal:
        return self.awarded - self.paid


def project_grant(project: Project) -> ProjectGrant:
    """The grant awarded, paid and still to pay. Paid is read from the ledger
    (:func:`project_money`: payments less clawbacks against the project and the bid
    it came from), never from ``GrantPayment`` rows, so the project page and the
    programme's balances cannot disagree. Remaining is awarded less paid."""
    return ProjectGrant(awarded=project.grant_awarded, paid=project_money(project).paid)


@dataclass(frozen=True)
class ProjectOverview:
    grant: ProjectGrant
    milestones: list[Milestone]
    payments: list[GrantPayment]
    progress_reports: list[ProgressReport]


def project_milestones(project: Project) -> list[Milestone]:
    """The project's milestones in order, with their payments."""
    return list(project.milestones.select_related("payment", "achieved_by", "verified_by"))


def project_overview(project: Project) -> ProjectOverview:
    """The project page: its grant, milestones, payments and progress reports, in a
    fixed number of queries however many rows each has."""
    return ProjectOverview(
        grant=project_grant(project),
        milestones=project_milestones(project),
        payments=list(project.payments.select_related("milestone", "paid_by")),
        progress_reports=list(project.progress_reports.all()),
    )


def milestone_reprofiles(milestone: Milestone) -> list[MilestoneReprofile]:
    """Every change of the milestone's forecast date, oldest first."""
    return list(milestone.reprofiles.all())


# Delivery: what is next, what is overdue, which progress report is due ---------------

Quarter = tuple[int, int]  # (financial year, quarter 1-4)
OPEN_MILESTONE = Milestone.OPEN_STATUSES
ENDED_PROJECT = (Project.Status.CLOSED,)
# A quarter whose report was submitted stays reported while a correction is drafted.
REPORTED = (ProgressReport.Status.SUBMITTED, ProgressReport.Status.SUPERSEDED)
DRAFT = ProgressReport.Status.DRAFT


def last_completed_quarter(today: datetime.date) -> Quarter:
    year, quarter = financial_years.financial_year_of(today), financial_years.quarter_of(today)
    return (year, quarter - 1) if quarter > 1 else (year - 1, 4)


def _quarter_of(day: datetime.date) -> Quarter:
    return financial_years.financial_year_of(day), financial_years.quarter_of(day)


def _next_quarter(quarter: Quarter) -> Quarter:
    year, number = quarter
    return (year, number + 1) if number < 4 else (year + 1, 1)


def quarters_between(first: Quarter, last: Quarter) -> list[Quarter]:
    quarters, quarter = [], first
    while quarter <= last:
        quarters.append(quarter)
        quarter = _next_quarter(quarter)
    return quarters


def project_quarters(project: Project) -> list[Quarter]:
    """Every financial quarter of the project's life (the programme's, where the
    project has no dates of its own)."""
    starts_on = project.starts_on or project.programme.starts_on
    ends_on = project.ends_on or project.programme.ends_on
    return quarters_between(_quarter_of(starts_on), _quarter_of(ends_on))


def reports_outstanding(
    project: Project, reports: list[ProgressReport], today: datetime.date
) -> list[Quarter]:
    """The completed quarters of the project's life with no submitted report among
    ``reports`` (the project's), oldest first."""
    if project.status in ENDED_PROJECT:
        return []
    reported = {(r.financial_year, r.quarter) for r in reports if r.status in REPORTED}
    last = last_completed_quarter(today)
    return [q for q in project_quarters(project) if q <= last and q not in reported]


@dataclass(frozen=True)
class ProjectDelivery:
    """Where one project's delivery stands on a given day."""

    project: Project
    next_milestone: Milestone | None
    overdue_milestones: list[Milestone]
    reports_outstanding: list[Quarter]
    drafts: frozenset[Quarter]

    @property
    def report_due(self) -> Quarter | None:
        """The latest completed quarter still without a submitted report."""
        return self.reports_outstanding[-1] if self.reports_outstanding else None


def project_delivery(
    project: Project,
    today: datetime.date,
    *,
    milestones: list[Milestone] | None = None,
    reports: list[ProgressReport] | None = None,
) -> ProjectDelivery:
    """Where the project stands on ``today``, from its ``milestones`` and ``reports``
    (read from the project, prefetched or not, when not given)."""
    milestones = list(project.milestones.all()) if milestones is None else milestones
    reports = list(project.progress_reports.all()) if reports is None else reports
    open_milestones = sorted(
        (m for m in milestones if m.status in OPEN_MILESTONE),
        key=lambda milestone: (milestone.forecast_on, milestone.position),
    )
    return ProjectDelivery(
        project=project,
        # The earliest still to deliver: an overdue one is still next.
        next_milestone=next(iter(open_milestones), None),
        overdue_milestones=[m for m in open_milestones if m.is_overdue_on(today)],
        reports_outstanding=reports_outstanding(project, reports, today),
        drafts=frozenset((r.financial_year, r.quarter) for r in reports if r.status == DRAFT),
    )


def projects_delivery(projects: list[Project], today: datetime.date) -> list[ProjectDelivery]:
    """:func:`project_delivery` for each project, in two queries however many there are
    (the projects' programmes must already be joined)."""
    prefetch_related_objects(
        projects,
        # In order within each project: the model's order, by project reference, would
        # join every project of the table to sort a page's milestones.
        Prefetch("milestones", Milestone.objects.select_related("payment").order_by("position")),
        "progress_reports",
    )
    return [project_delivery(project, today) for project in projects]


def officer_projects(user, today: datetime.date) -> list[ProjectDelivery]:
    """The projects the officer's councils lead or are partners in, with where each
    stands (three queries)."""
    councils = scope_of(user).officer_organisation_ids
    partner_in = Project.partners.through.objects.filter(
        project_id=OuterRef("pk"), organisation_id__in=councils
    )
    projects = Project.objects.filter(Q(lead_organisation__in=councils) | Exists(partner_in))
    return projects_delivery(list(projects.select_related("programme", "lead_organisation")), today)


def partnership_projects(user) -> QuerySet[Project]:
    """The projects a programme manager, board member or finance officer follows: those
    of their partnerships (every project, for an administrator)."""
    scope = scope_of(user)
    projects = Project.objects.select_related("programme", "lead_organisation").order_by(
        "reference"
    )
    if scope.is_administrator:
        return projects
    return projects.filter(programme__partnership__in=scope.readable_partnership_ids)


def change_requests_awaiting_decision(user) -> QuerySet[ChangeRequest]:
    """Change requests not yet decided in the partnerships the user manages, oldest
    first."""
    scope = scope_of(user)
    requests = ChangeRequest.objects.filter(status=ChangeRequest.Status.PENDING)
    if not scope.is_administrator:
        requests = requests.filter(
            project__programme__partnership__in=scope.managed_partnership_ids
        )
    return requests.select_related("project__lead_organisation", "requested_by").order_by(
        "requested_at", "pk"
    )


def milestones_awaiting_verification(user) -> QuerySet[Milestone]:
    """Milestones logged as achieved in the partnerships the user manages, oldest
    first."""
    scope = scope_of(user)
    milestones = Milestone.objects.filter(status=Milestone.Status.ACHIEVED)
    if not scope.is_administrator:
        milestones = milestones.filter(
            project__programme__partnership__in=scope.managed_partnership_ids
        )
    return milestones.select_related(
        "project__lead_organisation", "payment", "achieved_by"
    ).order_by("achieved_on", "project__reference", "position")


@dataclass(frozen=True)
class OutstandingReport:
    project: Project
    financial_year: int
    quarter: int
    has_draft: bool


def _quarter_number(day) -> ExpressionWrapper:
    """A date's financial quarter as one number, ``year * 4 + quarter - 1`` (April to
    June 2011 is 8044), computed by the database from the months since April of year 0.
    Cast, because PostgreSQL's EXTRACT gives a numeric, which divides into fractions."""
    months = Cast(ExtractYear(day), IntegerField()) * 12 + Cast(ExtractMonth(day), IntegerField())
    return ExpressionWrapper((months - 4) / 3, output_field=IntegerField())


class LateProgressReports(Sequence):
    """The rows of :func:`late_progress_reports`, read a page at a time: the database
    counts each project's outstanding quarters, and only the projects a page shows are
    read whole. A paginator takes it as a list."""

    def __init__(self, projects: QuerySet, today: datetime.date):
        self.projects, self.today = projects, today

    def count(self) -> int:
        return self.projects.aggregate(rows=Sum("outstanding"))["rows"] or 0

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        start, stop = index.start or 0, index.stop if index.stop is not None else len(self)
        # Each project's rows run up to its running total, in the list's order.
        shown = list(
            self.projects.annotate(
                rows_to=Window(Sum("outstanding"), order_by=[F("reference"), F("pk")])
            )
            .filter(rows_to__gt=start, rows_to__lt=stop + F("outstanding"))
            .select_related("programme", "lead_organisation")
            .prefetch_related("progress_reports")
        )
        if not shown:
            return []
        first_row = shown[0].rows_to - shown[0].outstanding
        rows = [
            OutstandingReport(delivery.project, year, quarter, (year, quarter) in delivery.drafts)
            for delivery in (project_delivery(p, self.today, milestones=[]) for p in shown)
            for year, quarter in delivery.reports_outstanding
        ]
        return rows[start - first_row : stop - first_row]


def _reports_outstanding_in(
    projects: QuerySet[Project], today: datetime.date
) -> LateProgressReports:
    """Every completed quarter of ``projects`` (those not ended) without a submitted
    report: a draft not yet submitted, or nothing at all; by project reference, oldest
    quarter first. Counted by the database in one query and read a page at a time in
    two (``LateProgressReports``): a partnership's projects run to tens of thousands."""
    projects = projects.exclude(status__in=ENDED_PROJECT)
    last_year, last_quarter = last_completed_quarter(today)
    reported = (
        ProgressReport.objects.filter(project=OuterRef("pk"), status__in=REPORTED)
        .annotate(number=F("financial_year") * 4 + F("quarter") - 1)
        .filter(number__gte=OuterRef("first_quarter"), number__lte=OuterRef("last_quarter"))
        .values("project")
        .annotate(quarters=Count("number", distinct=True))
        .values("quarters")
    )
    projects = (
        projects.annotate(
            first_quarter=_quarter_number(Coalesce("starts_on", "programme__starts_on")),
            last_quarter=Least(
                _quarter_number(Coalesce("ends_on", "programme__ends_on")),
                Value(last_year * 4 + last_quarter - 1),
            ),
            outstanding=F("last_quarter")
            - F("first_quarter")
            + 1
            - Coalesce(Subquery(reported), 0),
        )
        .filter(outstanding__gt=0)
        .order_by("reference", "pk")
    )
    return LateProgressReports(projects, today)


def late_progress_reports(user, today: datetime.date) -> LateProgressReports:
    """The reports outstanding in the projects of the partnerships the user manages,
    for them to chase."""
    scope = scope_of(user)
    projects = Project.objects.all()
    if not scope.is_administrator:
        projects = projects.filter(programme__partnership__in=scope.managed_partnership_ids)
    return _reports_outstanding_in(projects, today)


def progress_reports_due(user, today: datetime.date) -> LateProgressReports:
    """The reports outstanding in the projects the officer's councils lead, for them
    to write."""
    return _reports_outstanding_in(
        Project.objects.filter(lead_organisation__in=scope_of(user).officer_organisation_ids),
        today,
    )


# What waits for an officer: their councils' milestones -------------------------------

# Milestones due within this many days are on the officer's list, beside the overdue.
DUE_WITHIN_DAYS = 14


def _led_milestones(user) -> QuerySet[Milestone]:
    """Milestones of the live projects the officer's councils lead: the ones they log."""
    return (
        Milestone.objects.filter(
            project__lead_organisation__in=scope_of(user).officer_organisation_ids
        )
        .exclude(project__status__in=ENDED_PROJECT)
        .select_related("project__lead_organisation", "payment")
        .order_by("forecast_on", "project__reference", "position")
    )


def milestones_due(user, today: datetime.date) -> QuerySet[Milestone]:
    """Milestones not yet achieved whose forecast date is past or within
    ``DUE_WITHIN_DAYS``, soonest first."""
    return _led_milestones(user).filter(
        status__in=OPEN_MILESTONE,
        forecast_on__lte=today + datetime.timedelta(days=DUE_WITHIN_DAYS),
    )


def milestones_returned(user) -> QuerySet[Milestone]:
    """Milestones the programme manager sent back to the officer's councils."""
    return _led_milestones(user).filter(status=Milestone.Status.RETURNED)


# The project page ---------------------------------------------------------------------


TIMELINE_ROW_HEIGHT = 32  # pixels


@dataclass(frozen=True)
class TimelineRow:
    milestone: Milestone
    baseline_at: float  # per cent along the timeline
    forecast_at: float
    slipped_days: int
    y: int  # pixels down the drawing


@dataclass(frozen=True)
class Timeline:
    starts_on: datetime.date
    ends_on: datetime.date
    rows: list[TimelineRow]
    today_at: float | None

    @property
    def height(self) -> int:
        return TIMELINE_ROW_HEIGHT * (len(self.rows) + 1)


def milestone_timeline(milestones: list[Milestone], today: datetime.date) -> Timeline | None:
    """Baseline against forecast for each milestone, placed along the span of all
    their dates, for a drawn timeline (the table beside it is the text)."""
    if not milestones:
        return None
    dates = [m.due_on for m in milestones] + [m.forecast_on for m in milestones]
    starts_on, ends_on = min(dates), max(dates)
    span = max((ends_on - starts_on).days, 1)

    def at(day: datetime.date) -> float:
        return round(5 + 90 * (day - starts_on).days / span, 2)

    return Timeline(
        starts_on=starts_on,
        ends_on=ends_on,
        rows=[
            TimelineRow(
                milestone=m,
                baseline_at=at(m.due_on),
                forecast_at=at(m.forecast_on),
                slipped_days=(m.forecast_on - m.due_on).days,
                y=TIMELINE_ROW_HEIGHT * (index + 1),
            )
            for index, m in enumerate(milestones)
        ],
        today_at=at(today) if starts_on <= today <= ends_on else None,
    )


@dataclass(frozen=True)
class FieldChange:
    field: str
    old: object
    new: object


@dataclass(frozen=True)
class Change:
    """One saved change of a project record, from its audit history."""

    at: datetime.datetime
    by: object  # the user, or None for changes made by the system
    record: str
    action: str
    fields: list[FieldChange]
    reason: str


def _describe(model, record) -> str:
    describe = {
        Project: lambda r: "Project",
        Milestone: lambda r: f"Milestone {r.position}: {r.title}",
        GrantPayment: lambda r: f"Grant payment of £{r.amount:,.0f} due {r.due_on:%-d %B %Y}",
        ProgressReport: lambda r: (
            f"Progress report {financial_years.label(r.financial_year)} Q{r.quarter} "
            f"(version {r.version})"
        ),
        ProjectRisk: lambda r: f"Risk: {r.risk}",
        ChangeRequest: lambda r: f"Change request: {ChangeRequest.Kind(r.kind).label}",
    }
    return describe[model](record)


def _shown(field, value):
    if value is None or value == "":
        return "–"
    if field.choices:
        return dict(field.flatchoices).get(value, value)
    if isinstance(value, datetime.datetime):
        return f"{timezone.localtime(value):%-d %B %Y %H:%M}"
    if isinstance(value, datetime.date):
        return f"{value:%-d %B %Y}"
    if isinstance(value, Decimal):  # every decimal in a project's records is money
        return f"£{value:,.2f}"
    if isinstance(value, bool):
        return "yes" if value else "no"
    return value


def _field_changes(model, before, after) -> list[FieldChange]:
    changes = []
    for field in model._meta.concrete_fields:
        if field.primary_key:
            continue
        old, new = getattr(before, field.attname), getattr(after, field.attname)
        if old == new:
            continue
        label = str(field.verbose_name)
        if field.is_relation:  # a person or record: say that it changed, not its id
            changes.append(FieldChange(label, "–" if old is None else "set", "set"))
        else:
            changes.append(FieldChange(label, _shown(field, old), _shown(field, new)))
    return changes


ACTIONS = {"+": "Created", "~": "Changed", "-": "Deleted"}


def project_history(project: Project) -> list[Change]:
    """Who changed what in the project and its milestones, payments, reports, risks and
    change requests, and when: newest first, one query per kind of record."""
    sources = [
        (Project, Project.history.filter(id=project.pk)),
        *(
            (model, model.history.filter(project_id=project.pk))
            for model in (
                Milestone,
                GrantPayment,
                ProgressReport,
                ProjectRisk,
                ChangeRequest,
            )
        ),
    ]
    changes = []
    for model, records in sources:
        previous = {}
        for record in records.select_related("history_user").order_by("history_date", "pk"):
            before = previous.get(record.id)
            previous[record.id] = record
            fields = _field_changes(model, before, record) if before else []
            if before and record.history_type == "~" and not fields:
                continue  # saved with nothing changed
            changes.append(
                Change(
                    at=record.history_date,
                    by=record.history_user,
                    record=_describe(model, record),
                    action=ACTIONS[record.history_type],
                    fields=fields,
                    reason=record.history_change_reason or "",
                )
            )
    return sorted(changes, key=lambda change: change.at, reverse=True)


@dataclass(frozen=True)
class ProjectPage:
    overview: ProjectOverview
    delivery: ProjectDelivery
    timeline: Timeline | None
    change_requests: list[ChangeRequest]
    risks: list[ProjectRisk]
    repayments: list[Repayment]
    clawbacks: list[Clawback]
    closure: ProjectClosure | None
    history: list[Change]


def _repayment_overdue(today: datetime.date) -> Q:
    return Q(received_on__isnull=True, due_on__lt=today)


def overdue_repayments(repayments: QuerySet[Repayment], today: datetime.date):
    """Repayments annotated ``is_overdue``: not received and past their due date."""
    return repayments.annotate(
        is_overdue=ExpressionWrapper(_repayment_overdue(today), output_field=BooleanField())
    )


def project_page(project: Project, today: datetime.date) -> ProjectPage:
    """Everything the project page shows, in a fixed number of queries however many
    milestones, payments, reports, requests, risks or changes the project has."""
    overview = project_overview(project)
    return ProjectPage(
        overview=overview,
        delivery=project_delivery(
            project, today, milestones=overview.milestones, reports=overview.progress_reports
        ),
        timeline=milestone_timeline(overview.milestones, today),
        change_requests=list(
            project.change_requests.select_related("requested_by", "decision__meeting")
        ),
        risks=list(project.risks.all()),
        repayments=(
            list(overdue_repayments(project.repayments.all(), today))
            if project.invest_to_save
            else []
        ),
        clawbacks=list(project.clawbacks.all()),
        closure=ProjectClosure.objects.filter(project=project).first(),
        history=project_history(project),
    )


# The grant payment schedule -----------------------------------------------------------


def payment_schedule(user) -> QuerySet[GrantPayment]:
    """Every grant payment the user may see, soonest due first, with what the schedule
    shows of each joined in (finance of an accountable body sees its own payments;
    finance of a partnership, the partnership's)."""
    return (
        GrantPayment.objects.visible_to(user)
        .select_related(
            "project__lead_organisation",
            "project__programme",
            "milestone",
            "approved_by",
            "paid_by",
        )
        .order_by("due_on", "project__reference", "id")
    )


def _recorded_by(user) -> Q:
    """Payments and repayments (of projects) the user's finance roles record: those
    of their accountable bodies and of the partnerships they do finance for."""
    scope = scope_of(user)
    if scope.is_administrator:
        return EVERYTHING
    return Q(project__lead_organisation__in=scope.finance_organisation_ids) | Q(
        project__programme__partnership__in=scope.partnership_ids(Kind.FINANCE)
    )


def awaiting_approval(payments: QuerySet[GrantPayment], user) -> QuerySet[GrantPayment]:
    """Those of ``payments`` due (their milestone verified) in the partnerships the
    user manages: theirs to approve for release."""
    scope = scope_of(user)
    payments = payments.filter(status=GrantPayment.Status.DUE)
    if scope.is_administrator:
        return payments
    return payments.filter(project__programme__partnership__in=scope.managed_partnership_ids)


def end_of_week(today: datetime.date) -> datetime.date:
    """The Sunday that ends ``today``'s week."""
    return today + datetime.timedelta(days=6 - today.weekday())


def to_pay_this_week(
    payments: QuerySet[GrantPayment], user, today: datetime.date
) -> QuerySet[GrantPayment]:
    """Those of ``payments`` approved for release and due by the end of the week
    (overdue ones too) that the user's finance roles record."""
    return payments.filter(
        _recorded_by(user), status=GrantPayment.Status.APPROVED, due_on__lte=end_of_week(today)
    )


def payments_to_approve(user) -> QuerySet[GrantPayment]:
    return awaiting_approval(payment_schedule(user), user)


def payments_to_pay(user, today: datetime.date) -> QuerySet[GrantPayment]:
    return to_pay_this_week(payment_schedule(user), user, today)


def repayments_to_chase(user, today: datetime.date) -> QuerySet[Repayment]:
    """Invest-to-save repayments overdue in the projects whose repayments the user's
    finance roles record, oldest first."""
    return (
        Repayment.objects.filter(_recorded_by(user), _repayment_overdue(today))
        .select_related("project__lead_organisation")
        .order_by("due_on", "project__reference", "pk")
    )


@dataclass(frozen=True)
class PaymentTotals:
    this_quarter: Decimal
    this_quarter_ends_on: datetime.date
    next_quarter: Decimal
    next_quarter_starts_on: datetime.date
    next_quarter_ends_on: datetime.date
    overdue: Decimal


def payment_totals(payments: QuerySet[GrantPayment], today: datetime.date) -> PaymentTotals:
    """What is still to pay among ``payments`` (neither paid nor cancelled): due from
    today to the end of this quarter, due next quarter, and overdue (payable, that is
    due or approved for release, and due before today). One query."""
    _, this_ends_on = financial_years.quarter_bounds(*_quarter_of(today))
    next_starts_on, next_ends_on = financial_years.quarter_bounds(
        *_next_quarter(_quarter_of(today))
    )
    outstanding = payments.exclude(
        status__in=[GrantPayment.Status.PAID, GrantPayment.Status.CANCELLED]
    )

    def total(condition: Q) -> Coalesce:
        return Coalesce(Sum("amount", filter=condition), Value(Decimal("0.00")))

    sums = outstanding.order_by().aggregate(
        this_quarter=total(Q(due_on__range=(today, this_ends_on))),
        next_quarter=total(Q(due_on__range=(next_starts_on, next_ends_on))),
        overdue=total(Q(status__in=GrantPayment.PAYABLE_STATUSES, due_on__lt=today)),
    )
    return PaymentTotals(
        this_quarter=sums["this_quarter"],
        this_quarter_ends_on=this_ends_on,
        next_quarter=sums["next_quarter"],
        next_quarter_starts_on=next_starts_on,
        next_quarter_ends_on=next_ends_on,
        overdue=sums["overdue"],
    )


# Reminders ----------------------------------------------------------------------------

REMINDER_DAYS = 14


@dataclass(frozen=True)
class OfficerDigest:
    user: User
    due_soon: list[Milestone]
    overdue: list[Milestone]
    reports_due: list[tuple[Project, Quarter]]


@dataclass(frozen=True)
class ManagerDigest:
    user: User
    awaiting_verification: list[Milestone]


def reminder_digests(today: datetime.date) -> tuple[list[OfficerDigest], list[ManagerDigest]]:
    """For each officer with an e-mail address, the milestones of their councils'
    projects due in the next 14 days or overdue, and the progress reports due; for
    each programme manager, the milestones awaiting their verification. People with
    nothing to do are left out. Five queries however many people and projects."""
    officers: dict[int, tuple[User, set[int]]] = {}
    managers: dict[int, tuple[User, set[int]]] = {}
    roles = (
        Role.objects.filter(
            kind__in=[Role.Kind.OFFICER, Role.Kind.PROGRAMME_MANAGER], user__is_active=True
        )
        .exclude(user__email="")
        .select_related("user")
        .order_by("user__username")
    )
    for role in roles:
        if role.kind == Role.Kind.OFFICER:
            officers.setdefault(role.user_id, (role.user, set()))[1].add(role.organisation_id)
        else:
            managers.setdefault(role.user_id, (role.user, set()))[1].add(role.partnership_id)

    councils = set().union(*(held for _, held in officers.values()))
    projects = (
        Project.objects.filter(lead_organisation__in=councils)
        .exclude(status__in=ENDED_PROJECT)
        .select_related("programme", "lead_organisation")
    )
    deliveries_of: dict[int, list[ProjectDelivery]] = {}
    for delivery in projects_delivery(list(projects), today):
        deliveries_of.setdefault(delivery.project.lead_organisation_id, []).append(delivery)
    soon = today + datetime.timedelta(days=REMINDER_DAYS)
    officer_digests = []
    for user, held in officers.values():
        deliveries = [d for council in sorted(held) for d in deliveries_of.get(council, [])]
        digest = OfficerDigest(
            user=user,
            due_soon=[
                milestone
                for d in deliveries
                for milestone in d.project.milestones.all()
                if milestone.status in OPEN_MILESTONE and today <= milestone.forecast_on <= soon
            ],
            overdue=[milestone for d in deliveries for milestone in d.overdue_milestones],
            reports_due=[(d.project, d.report_due) for d in deliveries if d.report_due],
        )
        if digest.due_soon or digest.overdue or digest.reports_due:
            officer_digests.append(digest)

    partnerships = set().union(*(held for _, held in managers.values()))
    awaiting_in: dict[int, list[Milestone]] = {}
    for milestone in (
        Milestone.objects.filter(
            status=Milestone.Status.ACHIEVED, project__programme__partnership__in=partnerships
        )
        .select_related("project__programme", "project__lead_organisation", "payment")
        .order_by("achieved_on", "project__reference", "position")
    ):
        awaiting_in.setdefault(milestone.project.programme.partnership_id, []).append(milestone)
    manager_digests = [
        ManagerDigest(
            user=user,
            awaiting_verification=[m for p in sorted(held) for m in awaiting_in.get(p, [])],
        )
        for user, held in managers.values()
        if any(awaiting_in.get(p) for p in held)
    ]
    return officer_digests, manager_digests


@dataclass(frozen=True)
class EvidenceItem:
    evidence: MilestoneEvidence
    name: str  # what to call it: the file's own name, or the link


def milestone_evidence(milestone: Milestone) -> list[EvidenceItem]:
    """The files and links that show the milestone was delivered, oldest first."""
    return [
        EvidenceItem(item, item.file.name.rsplit("/", 1)[-1] if item.file else item.link)
        for item in milestone.evidence.select_related("added_by")
    ]
