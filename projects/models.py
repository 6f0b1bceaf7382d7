"""Projects, their outcome milestones and grant payments, progress reports and
invest-to-save repayments."""

import datetime
from decimal import Decimal
from itertools import product

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.core.validators import FileExtensionValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from bids.models import Bid
from partnership.financial_years import QUARTER_CHOICES, label
from partnership.lifecycles import Lifecycle
from partnership.models import Decision, Organisation, Theme
from partnership.private_files import PrivateFileField
from partnership.uploads import GenuineContent
from programmes.models import MONEY, BudgetLine, LedgerEntry, Programme

from .querysets import ProjectChildQuerySet, ProjectQuerySet

EVIDENCE_EXTENSIONS = [
    "pdf",
    "doc",
    "docx",
    "xls",
    "xlsx",
    "csv",
    "odt",
    "ods",
    "png",
    "jpg",
    "jpeg",
]


class Rag(models.TextChoices):
    GREEN = "green", "Green"
    AMBER = "amber", "Amber"
    RED = "red", "Red"


class Project(models.Model):
    class Status(models.TextChoices):
        APPROVED = "approved", "Approved"
        IN_DELIVERY = "in_delivery", "In delivery"
        COMPLETED = "completed", "Completed"
        CLOSED = "closed", "Closed"

    # Delivery follows the milestones (in delivery from the first one logged, completed
    # when the last is verified, in delivery again if one is added); closure is final.
    LIFECYCLE = Lifecycle(
        Status,
        {
            Status.APPROVED: {Status.IN_DELIVERY, Status.CLOSED},
            Status.IN_DELIVERY: {Status.COMPLETED, Status.CLOSED},
            Status.COMPLETED: {Status.IN_DELIVERY, Status.CLOSED},
            Status.CLOSED: set(),
        },
        refusals={(Status.CLOSED, Status.CLOSED): "This project is already closed."},
    )

    reference = models.CharField(max_length=30, unique=True)
    title = models.CharField(max_length=300)
    outline = models.TextField(blank=True)
    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="projects")
    budget_line = models.ForeignKey(BudgetLine, on_delete=models.PROTECT, related_name="projects")
    lead_organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="led_projects",
        help_text="The accountable body: receives the grant",
    )
    partners = models.ManyToManyField(Organisation, related_name="partner_projects", blank=True)
    theme = models.ForeignKey(Theme, on_delete=models.PROTECT, null=True, blank=True)
    bid = models.OneToOneField(
        Bid, on_delete=models.PROTECT, null=True, blank=True, related_name="project"
    )
    grant_awarded = models.DecimalField(**MONEY)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.APPROVED)
    invest_to_save = models.BooleanField(
        default=False, help_text="Grant to be repaid from the savings it produces"
    )
    savings_claimed = models.DecimalField(**MONEY, null=True, blank=True)
    starts_on = models.DateField(null=True, blank=True)
    ends_on = models.DateField(null=True, blank=True)
    ledger_entries = GenericRelation(
        LedgerEntry, content_type_field="subject_type", object_id_field="subject_id"
    )

    objects = ProjectQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["reference"]
        constraints = [
            models.CheckConstraint(
                condition=Q(grant_awarded__gte=0),
                name="project_grant_awarded_not_negative",
                violation_error_message="The grant awarded cannot be negative.",
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True)
                | Q(starts_on__isnull=True)
                | Q(ends_on__gte=F("starts_on")),
                name="project_ends_after_it_starts",
                violation_error_message="A project cannot end before it starts.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("projects:project-detail", kwargs={"pk": self.pk})


class Milestone(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", "Planned"
        ACHIEVED = "achieved", "Achieved, awaiting verification"
        RETURNED = "returned", "Returned to the officer"
        VERIFIED = "verified", "Verified"

    LIFECYCLE = Lifecycle(
        Status,
        {
            Status.PLANNED: {Status.ACHIEVED},
            Status.RETURNED: {Status.ACHIEVED},
            Status.ACHIEVED: {Status.VERIFIED, Status.RETURNED},
            Status.VERIFIED: set(),
        },
    )

    # Not yet achieved: still to deliver, or returned to the officer to deliver again.
    OPEN_STATUSES = (Status.PLANNED, Status.RETURNED)

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="milestones")
    position = models.PositiveSmallIntegerField(default=1)
    title = models.CharField(max_length=300, help_text="The outcome to be delivered")
    description = models.TextField(blank=True)
    due_on = models.DateField(help_text="Baseline date agreed at approval")
    forecast_on = models.DateField(help_text="Latest forecast; changed only by a re-profile")
    achieved_on = models.DateField(null=True, blank=True)
    achieved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="logged_milestones",
        help_text="Who logged it as achieved",
    )
    delivered = models.TextField(blank=True, help_text="What was delivered")
    verified_on = models.DateField(null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="verified_milestones",
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PLANNED)
    review_comment = models.TextField(
        blank=True, help_text="The programme manager's comment when returning the milestone"
    )

    objects = ProjectChildQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["project", "position"]
        indexes = [
            # Open milestones by forecast date: the dashboard's months, reminders, and
            # milestones awaiting verification.
            models.Index(fields=["status", "forecast_on"], name="milestone_status_forecast"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "position"], name="milestone_position_unique_in_project"
            ),
            models.CheckConstraint(
                condition=Q(verified_on__isnull=True)
                | (Q(achieved_on__isnull=False) & Q(verified_on__gte=F("achieved_on"))),
                name="milestone_verified_after_achieved",
                violation_error_message="A milestone is verified only after it is achieved.",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["achieved", "verified"]) | Q(achieved_on__isnull=False),
                name="milestone_achieved_has_date",
                violation_error_message="Give the date the milestone was achieved.",
            ),
            models.CheckConstraint(
                condition=~Q(status="verified") | Q(verified_on__isnull=False),
                name="milestone_verified_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("projects:milestone-detail", kwargs={"pk": self.pk})

    @classmethod
    def overdue_on(cls, today: datetime.date) -> Q:
        """Milestones overdue on ``today``: not yet achieved and past their forecast."""
        return Q(status__in=cls.OPEN_STATUSES, forecast_on__lt=today)

    def is_overdue_on(self, today: datetime.date) -> bool:
        return self.status in self.OPEN_STATUSES and self.forecast_on < today

    @property
    def is_overdue(self) -> bool:
        return self.is_overdue_on(timezone.localdate())

    @property
    def state(self) -> str:
        """The status every page shows: overdue, else the stored status."""
        return "overdue" if self.is_overdue else self.status

    @property
    def state_label(self) -> str:
        return "Overdue" if self.is_overdue else self.get_status_display()

    @property
    def releases(self) -> Decimal:
        """The grant its verification releases: its payment's amount, unless there is
        none or it was cancelled. (Select or prefetch ``payment`` with a list.)"""
        payment = getattr(self, "payment", None)
        if payment is None or payment.status == GrantPayment.Status.CANCELLED:
            return Decimal("0.00")
        return payment.amount


class MilestoneEvidence(models.Model):
    """A file or a link that shows a milestone was delivered."""

    milestone = models.ForeignKey(Milestone, on_delete=models.CASCADE, related_name="evidence")
    file = PrivateFileField(
        upload_to="milestones/evidence/%Y/",
        served_by="projects:evidence-download",
        blank=True,
        validators=[FileExtensionValidator(EVIDENCE_EXTENSIONS), GenuineContent()],
    )
    link = models.URLField(blank=True)
    description = models.CharField(max_length=300, blank=True)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["milestone", "added_at"]
        verbose_name_plural = "milestone evidence"
        constraints = [
            models.CheckConstraint(
                condition=~Q(file="") | ~Q(link=""),
                name="milestone_evidence_has_file_or_link",
                violation_error_message="Evidence is a file or a link.",
            )
        ]

    def __str__(self) -> str:
        return self.description or self.link or self.file.name


class MilestoneReprofile(models.Model):
    """One change of a milestone's forecast date; all are kept to show the slippage."""

    milestone = models.ForeignKey(Milestone, on_delete=models.CASCADE, related_name="reprofiles")
    previous_forecast_on = models.DateField()
    new_forecast_on = models.DateField()
    reason = models.TextField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["milestone", "at"]

    def __str__(self) -> str:
        return f"{self.previous_forecast_on} → {self.new_forecast_on}"


class GrantPayment(models.Model):
    class Status(models.TextChoices):
        SCHEDULED = "scheduled", "Scheduled"
        DUE = "due", "Due"
        APPROVED = "approved", "Approved for release"
        PAID = "paid", "Paid"
        WITHHELD = "withheld", "Withheld"
        CANCELLED = "cancelled", "Cancelled"

    LIFECYCLE = Lifecycle(
        Status,
        {
            Status.SCHEDULED: {Status.DUE, Status.WITHHELD, Status.CANCELLED},
            Status.DUE: {Status.APPROVED, Status.WITHHELD, Status.CANCELLED},
            Status.APPROVED: {Status.PAID, Status.WITHHELD},
            # Released from a hold: due if its milestone is verified, else scheduled.
            Status.WITHHELD: {Status.SCHEDULED, Status.DUE, Status.CANCELLED},
            Status.PAID: set(),
            Status.CANCELLED: set(),
        },
        refusals={
            (Status.PAID, Status.PAID): lambda payment: (
                f"This payment was already recorded as paid on {payment.paid_on:%-d %B %Y} "
                f"(reference {payment.reference})."
            )
        },
    )

    # Not yet approved, paid or cancelled: closure cancels these, a variation may change them.
    OPEN_STATUSES = (Status.SCHEDULED, Status.DUE, Status.WITHHELD)
    # Owed now: its milestone is verified (due) or it is approved for release. Only
    # these can be overdue; a scheduled payment waits on its milestone, a withheld one
    # on the programme manager.
    PAYABLE_STATUSES = (Status.DUE, Status.APPROVED)

    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="payments")
    milestone = models.OneToOneField(
        Milestone, on_delete=models.PROTECT, null=True, blank=True, related_name="payment"
    )
    amount = models.DecimalField(**MONEY)
    due_on = models.DateField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.SCHEDULED)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="approved_payments",
    )
    approved_on = models.DateField(null=True, blank=True)
    paid_on = models.DateField(null=True, blank=True)
    paid_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="recorded_payments",
        help_text="Who recorded it as paid",
    )
    reference = models.CharField("remittance reference", max_length=100, blank=True)
    withheld_reason = models.TextField(blank=True)
    ledger_entry = models.OneToOneField(
        LedgerEntry, on_delete=models.PROTECT, null=True, blank=True, related_name="grant_payment"
    )

    objects = ProjectChildQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["due_on", "id"]
        indexes = [
            # The schedule is read in this order a page at a time, and filtered by status.
            models.Index(fields=["due_on", "id"], name="payment_due_on_id"),
            models.Index(fields=["status"], name="payment_status"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0),
                name="payment_amount_positive",
                violation_error_message="A payment must be more than zero.",
            ),
            models.CheckConstraint(
                condition=~Q(status="paid")
                | (Q(paid_on__isnull=False) & ~Q(reference="") & Q(ledger_entry__isnull=False)),
                name="payment_paid_has_date_reference_and_entry",
                violation_error_message="A paid payment needs its date and remittance reference.",
            ),
            models.CheckConstraint(
                condition=Q(status="paid") | Q(paid_on__isnull=True),
                name="payment_paid_on_only_when_paid",
            ),
            models.CheckConstraint(
                condition=~Q(status="withheld") | ~Q(withheld_reason=""),
                name="payment_withheld_has_reason",
                violation_error_message="Say why the payment is withheld.",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["approved", "paid"]) | Q(approved_on__isnull=False),
                name="payment_released_has_approval",
                violation_error_message="A payment is released only once approved.",
            ),
        ]

    def __str__(self) -> str:
        return f"£{self.amount:,.2f} to {self.project.lead_organisation} due {self.due_on}"

    def get_absolute_url(self) -> str:
        return reverse("projects:payment-detail", kwargs={"pk": self.pk})


class ProgressReport(models.Model):
    """A project's report for one financial quarter. Once submitted it is read-only;
    a correction is a new version, and the one it corrects is kept, superseded."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted"
        SUPERSEDED = "superseded", "Superseded by a correction"

    # A correction supersedes the submitted report and starts a new draft version.
    LIFECYCLE = Lifecycle(
        Status,
        {
            Status.DRAFT: {Status.SUBMITTED},
            Status.SUBMITTED: {Status.SUPERSEDED},
            Status.SUPERSEDED: set(),
        },
        refusals={
            (Status.DRAFT, Status.SUPERSEDED): (
                "Only a submitted report is corrected; edit the draft instead."
            ),
            **dict.fromkeys(
                product((Status.SUBMITTED, Status.SUPERSEDED), (Status.SUBMITTED,)),
                lambda report: f"This report is {report.get_status_display().lower()}.",
            ),
        },
    )

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="progress_reports")
    financial_year = models.PositiveSmallIntegerField()
    quarter = models.PositiveSmallIntegerField(choices=QUARTER_CHOICES)
    version = models.PositiveSmallIntegerField(default=1)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    rag = models.CharField("overall RAG", max_length=5, choices=Rag.choices)
    rag_schedule = models.CharField(max_length=5, choices=Rag.choices, blank=True)
    rag_budget = models.CharField(max_length=5, choices=Rag.choices, blank=True)
    rag_benefits = models.CharField(max_length=5, choices=Rag.choices, blank=True)
    narrative = models.TextField(blank=True)
    risks_and_issues = models.TextField(blank=True)
    # Left empty where the report did not give them: not given is not nil.
    spend_to_date = models.DecimalField(**MONEY, null=True, blank=True)
    savings_to_date = models.DecimalField(
        "cashable savings to date", **MONEY, null=True, blank=True
    )
    risks = models.ManyToManyField("ProjectRisk", blank=True, related_name="progress_reports")
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True
    )
    submitted_at = models.DateTimeField(null=True, blank=True)

    objects = ProjectChildQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["project", "-financial_year", "-quarter", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "financial_year", "quarter"],
                condition=~Q(status="superseded"),
                name="progress_report_once_per_quarter",
                violation_error_message="This project already has a report for that quarter.",
            ),
            models.UniqueConstraint(
                fields=["project", "financial_year", "quarter", "version"],
                name="progress_report_version_unique",
            ),
            models.CheckConstraint(
                condition=Q(quarter__gte=1) & Q(quarter__lte=4),
                name="progress_report_quarter_1_to_4",
                violation_error_message="A financial quarter is 1 to 4.",
            ),
            models.CheckConstraint(
                condition=Q(financial_year__gte=2000) & Q(financial_year__lte=2100),
                name="progress_report_financial_year_sane",
            ),
            models.CheckConstraint(
                condition=Q(spend_to_date__gte=0) & Q(savings_to_date__gte=0),
                name="progress_report_figures_not_negative",
                violation_error_message="Spend and savings to date cannot be negative.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project.reference} {label(self.financial_year)} Q{self.quarter}"

    def get_absolute_url(self) -> str:
        return reverse("projects:progress-report-detail", kwargs={"pk": self.pk})


class ProgressReportSpend(models.Model):
    """Forecast against actual spend for one financial quarter, as a report gives it."""

    report = models.ForeignKey(ProgressReport, on_delete=models.CASCADE, related_name="spend")
    financial_year = models.PositiveSmallIntegerField()
    quarter = models.PositiveSmallIntegerField(choices=QUARTER_CHOICES)
    forecast = models.DecimalField(**MONEY, default=0)
    actual = models.DecimalField(**MONEY, null=True, blank=True)

    class Meta:
        ordering = ["report", "financial_year", "quarter"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "financial_year", "quarter"], name="report_spend_once_per_quarter"
            ),
            models.CheckConstraint(
                condition=Q(quarter__gte=1) & Q(quarter__lte=4), name="report_spend_quarter_1_to_4"
            ),
            models.CheckConstraint(
                condition=Q(forecast__gte=0) & (Q(actual__isnull=True) | Q(actual__gte=0)),
                name="report_spend_not_negative",
                violation_error_message="Spend cannot be negative.",
            ),
        ]

    def __str__(self) -> str:
        return f"{label(self.financial_year)} Q{self.quarter}"


class ProjectRisk(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="risks")
    risk = models.CharField(max_length=300)
    likelihood = models.PositiveSmallIntegerField(help_text="1 (rare) to 5 (almost certain)")
    impact = models.PositiveSmallIntegerField(help_text="1 (negligible) to 5 (severe)")
    owner = models.CharField(max_length=200, help_text="A role, e.g. Head of ICT")
    mitigation = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)

    objects = ProjectChildQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["project", "status", "-likelihood", "-impact"]
        constraints = [
            models.CheckConstraint(
                condition=Q(likelihood__gte=1, likelihood__lte=5) & Q(impact__gte=1, impact__lte=5),
                name="risk_scores_1_to_5",
                violation_error_message="Likelihood and impact are scored 1 to 5.",
            )
        ]

    def __str__(self) -> str:
        return self.risk

    @property
    def score(self) -> int:
        return self.likelihood * self.impact


class ChangeRequest(models.Model):
    """An officer's request to vary the project: grant, payment profile, scope or end
    date. A change of grant or profile carries the payments it re-profiles
    (:class:`PaymentChange`). Approval amends the project through the ledger; the
    request keeps what was there before, so the original stays visible."""

    class Kind(models.TextChoices):
        GRANT = "grant", "Change the grant"
        PROFILE = "profile", "Re-profile payments"
        SCOPE = "scope", "Change the scope"
        END_DATE = "end_date", "Extend the end date"

    class Status(models.TextChoices):
        PENDING = "pending", "Awaiting decision"
        APPROVED = "approved", "Approved"
        REFUSED = "refused", "Refused"

    LIFECYCLE = Lifecycle(
        Status,
        {
            Status.PENDING: {Status.APPROVED, Status.REFUSED},
            Status.APPROVED: set(),
            Status.REFUSED: set(),
        },
        refusals=dict.fromkeys(
            product((Status.APPROVED, Status.REFUSED), (Status.APPROVED, Status.REFUSED)),
            lambda request: f"This request was already {request.get_status_display().lower()}.",
        ),
    )

    # The kinds of change that carry a new payment schedule.
    RESCHEDULING = (Kind.GRANT, Kind.PROFILE)

    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="change_requests")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    reason = models.TextField()
    new_grant_awarded = models.DecimalField(**MONEY, null=True, blank=True)
    new_ends_on = models.DateField(null=True, blank=True)
    new_scope = models.TextField(blank=True)
    previous_grant_awarded = models.DecimalField(**MONEY, null=True, blank=True)
    previous_ends_on = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="change_requests"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="decided_change_requests",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision = models.ForeignKey(
        Decision,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="change_requests",
        help_text="The board decision that allowed it (required for an extension)",
    )
    decision_note = models.TextField(blank=True)

    objects = ProjectChildQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["project", "-requested_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="grant")
                | Q(new_grant_awarded__isnull=False, new_grant_awarded__gte=0),
                name="change_request_grant_has_amount",
                violation_error_message="Give the new grant.",
            ),
            models.CheckConstraint(
                condition=~Q(kind="end_date") | Q(new_ends_on__isnull=False),
                name="change_request_end_date_has_date",
                violation_error_message="Give the new end date.",
            ),
            models.CheckConstraint(
                condition=~Q(kind="end_date", status="approved") | Q(decision__isnull=False),
                name="change_request_extension_has_board_decision",
                violation_error_message="An extension records the board decision that allowed it.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.get_status_display().lower()})"

    def get_absolute_url(self) -> str:
        return reverse("projects:change-request-detail", kwargs={"pk": self.pk})


class PaymentChange(models.Model):
    """One payment as a change request would re-profile it: a new amount (nothing
    cancels it) and a new due date. What the payment was when the request was made
    is kept beside it, so the original schedule stays visible after approval."""

    change_request = models.ForeignKey(
        ChangeRequest, on_delete=models.CASCADE, related_name="payment_changes"
    )
    payment = models.ForeignKey(GrantPayment, on_delete=models.PROTECT, related_name="changes")
    previous_amount = models.DecimalField(**MONEY)
    previous_due_on = models.DateField()
    new_amount = models.DecimalField(**MONEY, help_text="Nothing (0) cancels the payment")
    new_due_on = models.DateField()

    class Meta:
        ordering = ["change_request", "payment__due_on", "payment_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["change_request", "payment"], name="payment_change_once_per_request"
            ),
            models.CheckConstraint(
                condition=Q(new_amount__gte=0),
                name="payment_change_not_negative",
                violation_error_message="A payment cannot be re-profiled below nothing.",
            ),
        ]

    def __str__(self) -> str:
        return (
            f"£{self.previous_amount:,.2f} due {self.previous_due_on} → "
            f"£{self.new_amount:,.2f} due {self.new_due_on}"
        )

    @property
    def cancels(self) -> bool:
        return self.new_amount == 0


class ProjectClosure(models.Model):
    """The benefits report that closes a project, and the unspent grant returned."""

    project = models.OneToOneField(Project, on_delete=models.PROTECT, related_name="closure")
    closed_on = models.DateField()
    delivered = models.TextField(help_text="What the project delivered")
    savings_realised = models.DecimalField(**MONEY)
    lessons_learnt = models.TextField()
    unspent_returned = models.DecimalField(**MONEY, default=0)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)

    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(savings_realised__gte=0) & Q(unspent_returned__gte=0),
                name="closure_figures_not_negative",
            )
        ]

    def __str__(self) -> str:
        return f"Closure of {self.project}"


class Clawback(models.Model):
    """A demand that the accountable body refund grant it was paid."""

    class Status(models.TextChoices):
        DEMANDED = "demanded", "Demanded"
        RECEIVED = "received", "Refund received"

    LIFECYCLE = Lifecycle(
        Status,
        {Status.DEMANDED: {Status.RECEIVED}, Status.RECEIVED: set()},
        refusals={
            (Status.RECEIVED, Status.RECEIVED): lambda clawback: (
                f"This refund was received on {clawback.received_on:%-d %B %Y}."
            )
        },
    )

    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="clawbacks")
    amount = models.DecimalField(**MONEY)
    reason = models.TextField()
    demanded_on = models.DateField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DEMANDED)
    received_on = models.DateField(null=True, blank=True)
    reference = models.CharField(max_length=100, blank=True)
    ledger_entry = models.OneToOneField(
        LedgerEntry, on_delete=models.PROTECT, null=True, blank=True, related_name="clawback"
    )

    objects = ProjectChildQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["project", "demanded_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0),
                name="clawback_amount_positive",
                violation_error_message="A clawback must be more than zero.",
            ),
            models.CheckConstraint(
                condition=~Q(status="received")
                | Q(received_on__isnull=False, ledger_entry__isnull=False),
                name="clawback_received_is_in_ledger",
            ),
        ]

    def __str__(self) -> str:
        return f"Clawback of £{self.amount:,.2f} from {self.project.lead_organisation}"


class Repayment(models.Model):
    """One instalment of an invest-to-save repayment schedule."""

    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="repayments")
    due_on = models.DateField()
    amount = models.DecimalField(**MONEY)
    received_on = models.DateField(null=True, blank=True)
    reference = models.CharField(max_length=100, blank=True)
    ledger_entry = models.OneToOneField(
        LedgerEntry, on_delete=models.PROTECT, null=True, blank=True, related_name="repayment"
    )

    objects = ProjectChildQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["project", "due_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0),
                name="repayment_amount_positive",
                violation_error_message="A repayment must be more than zero.",
            ),
            models.CheckConstraint(
                condition=Q(received_on__isnull=True) | Q(ledger_entry__isnull=False),
                name="repayment_received_is_in_ledger",
            ),
        ]

    def __str__(self) -> str:
        return f"£{self.amount:,.2f} due {self.due_on}"
