"""Efficiency savings: entries, councils' quarterly returns, targets, RAG forecasts
and benefits counted in other units."""

from decimal import Decimal
from itertools import product

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from partnership.financial_years import QUARTER_CHOICES, label
from partnership.lifecycles import Lifecycle
from partnership.models import Organisation, Partnership
from programmes.models import MONEY, PENNY, Programme
from projects.models import Project, Rag

from .querysets import (
    OrganisationOwnedQuerySet,
    SavingsEntryQuerySet,
    SavingsReturnQuerySet,
    SavingsTargetQuerySet,
)

FINANCIAL_YEAR_SANE = Q(financial_year__gte=2000) & Q(financial_year__lte=2100)


class SavingsCategory(models.Model):
    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "savings categories"

    def __str__(self) -> str:
        return self.name


def _not_awaiting_sign_off(savings_return: "SavingsReturn") -> str:
    # Labels such as "Changes requested" read wrongly after "is", so quote the status.
    return (
        f"This return is not awaiting sign-off: its status is "
        f"“{savings_return.get_status_display()}”."
    )


class SavingsReturn(models.Model):
    """One council's savings return for one financial quarter. Re-submitting the
    quarter makes a new version; earlier versions stay for the record."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        AWAITING_SIGN_OFF = "awaiting_sign_off", "Awaiting sign-off"
        RETURNED = "returned", "Changes requested"
        CERTIFIED = "certified", "Certified"
        SUPERSEDED = "superseded", "Superseded"

    # A draft is the officer's until submitted (or discarded, which deletes it); a
    # return is made when it is submitted; any version a later one replaces,
    # certified or not, is kept superseded.
    LIFECYCLE = Lifecycle(
        Status,
        {
            Status.DRAFT: {Status.AWAITING_SIGN_OFF},
            Status.AWAITING_SIGN_OFF: {Status.CERTIFIED, Status.RETURNED, Status.SUPERSEDED},
            Status.RETURNED: {Status.SUPERSEDED},
            Status.CERTIFIED: {Status.SUPERSEDED},
            Status.SUPERSEDED: set(),
        },
        refusals=dict.fromkeys(
            product(
                (Status.DRAFT, Status.RETURNED, Status.CERTIFIED, Status.SUPERSEDED),
                (Status.CERTIFIED, Status.RETURNED),
            ),
            _not_awaiting_sign_off,
        ),
    )

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="savings_returns"
    )
    financial_year = models.PositiveSmallIntegerField()
    quarter = models.PositiveSmallIntegerField(choices=QUARTER_CHOICES)
    version = models.PositiveSmallIntegerField(default=1)
    status = models.CharField(
        max_length=20, choices=Status.choices, default=Status.AWAITING_SIGN_OFF
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="submitted_savings_returns",
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    certified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="certified_savings_returns",
    )
    certified_at = models.DateTimeField(null=True, blank=True)
    certifier_comment = models.TextField(blank=True)
    returned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="returned_savings_returns",
        help_text="Who sent it back for changes",
    )
    returned_at = models.DateTimeField(null=True, blank=True)
    # A draft's rows (``SavingsRow.as_json``) and where they came from ("form" or
    # "upload"), until it is submitted: kept apart from the entries, so that a draft
    # counts in no figure (ADR 0014).
    draft = models.JSONField(null=True, blank=True)
    revision = models.PositiveIntegerField(
        default=0, help_text="Guards a draft against lost updates"
    )

    objects = SavingsReturnQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["revision"])

    class Meta:
        ordering = ["organisation", "-financial_year", "-quarter", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "financial_year", "quarter", "version"],
                name="savings_return_version_unique",
            ),
            models.UniqueConstraint(
                fields=["organisation", "financial_year", "quarter"],
                condition=~Q(status__in=["superseded", "draft"]),
                name="savings_return_one_current_per_quarter",
                violation_error_message=(
                    "This council already has a current return for that quarter."
                ),
            ),
            models.UniqueConstraint(
                fields=["organisation", "financial_year", "quarter"],
                condition=Q(status="draft"),
                name="savings_return_one_draft_per_quarter",
                violation_error_message="This council already has a draft for that quarter.",
            ),
            # A draft is numbered when it is submitted.
            models.CheckConstraint(
                condition=Q(status="draft", version=0, draft__isnull=False)
                | (~Q(status="draft") & Q(version__gte=1, draft__isnull=True)),
                name="savings_return_draft_unnumbered",
            ),
            models.CheckConstraint(
                condition=Q(quarter__gte=1) & Q(quarter__lte=4),
                name="savings_return_quarter_1_to_4",
                violation_error_message="A financial quarter is 1 to 4.",
            ),
            models.CheckConstraint(condition=FINANCIAL_YEAR_SANE, name="savings_return_year_sane"),
            models.CheckConstraint(
                condition=~Q(status="certified")
                | (Q(certified_by__isnull=False) & Q(certified_at__isnull=False)),
                name="savings_return_certified_by_someone",
            ),
        ]

    def __str__(self) -> str:
        made = "draft" if self.status == self.Status.DRAFT else f"v{self.version}"
        return f"{self.organisation} {label(self.financial_year)} Q{self.quarter} {made}"

    def get_absolute_url(self) -> str:
        if self.status == self.Status.DRAFT:
            # A draft is opened to carry on typing it.
            enter = reverse("savings:return-enter", kwargs={"pk": self.organisation_id})
            return f"{enter}?year={self.financial_year}&quarter={self.quarter}"
        return reverse("savings:return-detail", kwargs={"pk": self.pk})


class SavingsEntry(models.Model):
    class Status(models.TextChoices):
        DELIVERED = "delivered", "Delivered"
        FORECAST = "forecast", "Forecast"

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="savings_entries"
    )
    project = models.ForeignKey(
        Project, on_delete=models.PROTECT, null=True, blank=True, related_name="savings_entries"
    )
    programme = models.ForeignKey(
        Programme,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="savings_entries",
        help_text="The programme the saving is credited to (e.g. a sub-region's programme)",
    )
    savings_return = models.ForeignKey(
        SavingsReturn, on_delete=models.CASCADE, null=True, blank=True, related_name="entries"
    )
    category = models.ForeignKey(SavingsCategory, on_delete=models.PROTECT, related_name="entries")
    financial_year = models.PositiveSmallIntegerField(help_text="The year the saving falls in")
    quarter = models.PositiveSmallIntegerField(choices=QUARTER_CHOICES, null=True, blank=True)
    amount = models.DecimalField(**MONEY)
    cashable = models.BooleanField(default=True)
    status = models.CharField(max_length=10, choices=Status.choices)
    description = models.CharField(max_length=500, blank=True)

    objects = SavingsEntryQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["organisation", "financial_year", "quarter", "id"]
        verbose_name_plural = "savings entries"
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gte=0),
                name="savings_entry_amount_not_negative",
                violation_error_message="A saving cannot be negative.",
            ),
            models.CheckConstraint(
                condition=Q(quarter__isnull=True) | (Q(quarter__gte=1) & Q(quarter__lte=4)),
                name="savings_entry_quarter_1_to_4",
                violation_error_message="A financial quarter is 1 to 4.",
            ),
            models.CheckConstraint(condition=FINANCIAL_YEAR_SANE, name="savings_entry_year_sane"),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} {label(self.financial_year)} £{self.amount:,.2f}"

    def clean(self):
        super().clean()
        SavingsEntry.credit_to_project_programmes([self])

    @staticmethod
    def credit_to_project_programmes(entries) -> None:
        """A saving a funded project made is credited to the project's programme, so it
        counts in that programme's (and its sub-region's) summaries: a blank programme
        is filled in, a different one refused. One query for all the ``entries`` (the
        service bulk-creates them, which skips save and clean)."""
        project_ids = {entry.project_id for entry in entries if entry.project_id}
        if not project_ids:
            return
        programme_of = dict(
            Project.objects.filter(pk__in=project_ids).values_list("pk", "programme_id")
        )
        for entry in entries:
            if not entry.project_id:
                continue
            programme_id = programme_of.get(entry.project_id)
            if entry.programme_id is None:
                entry.programme_id = programme_id
            elif entry.programme_id != programme_id:
                raise ValidationError(
                    {"programme": "A project's saving is credited to the project's programme."}
                )


class SavingsTotal(models.Model):
    """The savings that count (``SavingsEntry.objects.counted()``) summed per council,
    programme (none for a council's own), category, financial year and delivered or
    forecast: the grain the summaries, the dashboard and the board pack group by, so
    that they read a few thousand rows instead of every entry. The entries stay the
    record; ``savings.services`` keeps these rows equal to them in the transaction that
    changes what counts, and ``savings_totals_rebuild`` recomputes them."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="savings_totals"
    )
    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, null=True, blank=True, related_name="savings_totals"
    )
    category = models.ForeignKey(
        SavingsCategory, on_delete=models.CASCADE, related_name="savings_totals"
    )
    financial_year = models.PositiveSmallIntegerField()
    status = models.CharField(max_length=10, choices=SavingsEntry.Status.choices)
    amount = models.DecimalField(max_digits=16, decimal_places=2)
    # Not a PositiveIntegerField: taking entries away inserts a negative change, which
    # the upsert adds to the total, and a CHECK would refuse before the addition.
    entry_count = models.IntegerField()

    # The columns a row is summed over, in the order of the unique constraints.
    GRAIN = ("organisation", "programme", "category", "financial_year", "status")

    class Meta:
        ordering = ["organisation", "financial_year"]
        constraints = [
            # Two partial constraints rather than one, as NULLs are distinct in a
            # unique index on SQLite (and on PostgreSQL before 15).
            models.UniqueConstraint(
                fields=["organisation", "programme", "category", "financial_year", "status"],
                condition=Q(programme__isnull=False),
                name="savings_total_once_per_programme",
            ),
            models.UniqueConstraint(
                fields=["organisation", "category", "financial_year", "status"],
                condition=Q(programme__isnull=True),
                name="savings_total_once_without_programme",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} {label(self.financial_year)} {self.status} £{self.amount:,.2f}"


class Agreement(models.Model):
    """An agreement that sets savings targets for its member bodies over its years: a
    local area agreement, a multi-area agreement, the partnership's own programme or
    a national indicator. One body may be in several at once, overlapping in years;
    each agreement's targets are summed on their own."""

    class Kind(models.TextChoices):
        LOCAL_AREA = "local_area", "Local area agreement"
        MULTI_AREA = "multi_area", "Multi-area agreement"
        PARTNERSHIP_PROGRAMME = "programme", "Partnership programme"
        NATIONAL_INDICATOR = "national_indicator", "National indicator"

    partnership = models.ForeignKey(
        Partnership, on_delete=models.PROTECT, related_name="agreements"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    name = models.CharField(max_length=200)
    first_year = models.PositiveSmallIntegerField(help_text="The first financial year it covers")
    last_year = models.PositiveSmallIntegerField(help_text="The last financial year it covers")
    members = models.ManyToManyField(Organisation, related_name="agreements", blank=True)

    history = HistoricalRecords(m2m_fields=[members])

    class Meta:
        ordering = ["partnership", "first_year", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "name"],
                name="agreement_name_unique_in_partnership",
                violation_error_message="The partnership already has an agreement of that name.",
            ),
            models.CheckConstraint(
                condition=Q(first_year__gte=2000)
                & Q(last_year__lte=2100)
                & Q(last_year__gte=F("first_year")),
                name="agreement_years_in_order",
                violation_error_message="An agreement's last year cannot be before its first.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({label(self.first_year)} to {label(self.last_year)})"

    @property
    def years(self) -> range:
        return range(self.first_year, self.last_year + 1)


class SavingsTarget(models.Model):
    """A target an agreement sets for one of its members, or for all of them together
    (no organisation: an area-wide target), for one financial year: a percentage of a
    baseline (NI 179: 3% of net revenue expenditure) or a plain amount. A percentage
    may be recorded before its baseline is known; it has no amount until then."""

    class Basis(models.TextChoices):
        PERCENTAGE = "percentage", "Percentage of a baseline"
        AMOUNT = "amount", "Amount"

    agreement = models.ForeignKey(Agreement, on_delete=models.PROTECT, related_name="targets")
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="savings_targets",
        null=True,
        blank=True,
        help_text="Blank for a target over all the agreement's members together",
    )
    financial_year = models.PositiveSmallIntegerField()
    basis = models.CharField(max_length=10, choices=Basis.choices)
    percentage = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    baseline = models.DecimalField(**MONEY, null=True, blank=True)
    baseline_description = models.CharField(
        max_length=200, blank=True, help_text="e.g. Net revenue expenditure 2007/08"
    )
    amount = models.DecimalField(**MONEY, null=True, blank=True)
    cashable_only = models.BooleanField(
        default=False, help_text="Only cashable savings count towards it"
    )

    objects = SavingsTargetQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["agreement", "organisation", "financial_year"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "organisation", "financial_year"],
                condition=Q(organisation__isnull=False),
                name="savings_target_once_per_body_and_year",
                violation_error_message=(
                    "This agreement already has a target for that council and year."
                ),
            ),
            models.UniqueConstraint(
                fields=["agreement", "financial_year"],
                condition=Q(organisation__isnull=True),
                name="savings_target_once_per_area_and_year",
                violation_error_message=(
                    "This agreement already has an area-wide target for that year."
                ),
            ),
            models.CheckConstraint(
                condition=(
                    Q(
                        basis="percentage",
                        percentage__isnull=False,
                        percentage__gt=0,
                        percentage__lte=100,
                        amount__isnull=True,
                    )
                    & (Q(baseline__isnull=True) | Q(baseline__gt=0))
                    | Q(basis="amount", amount__isnull=False, amount__gt=0, percentage__isnull=True)
                ),
                name="savings_target_matches_basis",
                violation_error_message=(
                    "A percentage target needs a percentage (up to 100) and any baseline above "
                    "zero; an amount target needs an amount above zero."
                ),
            ),
            models.CheckConstraint(condition=FINANCIAL_YEAR_SANE, name="savings_target_year_sane"),
        ]

    def __str__(self) -> str:
        whose = self.organisation or "All members"
        return f"{whose} {label(self.financial_year)} target ({self.agreement.name})"

    @property
    def target_amount(self) -> Decimal | None:
        """The target in pounds; None for a percentage whose baseline is not known yet."""
        if self.basis == self.Basis.AMOUNT:
            return self.amount
        if self.baseline is None:
            return None
        return (self.baseline * self.percentage / 100).quantize(PENNY)


class ForecastReturn(models.Model):
    """A council's RAG forecast of meeting its savings in a year. A return received
    with no rating for the year is kept with a blank rating: "received, not rated",
    counted apart from both green and no return."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="forecast_returns"
    )
    financial_year = models.PositiveSmallIntegerField(help_text="The year forecast")
    rag = models.CharField("RAG", max_length=5, choices=Rag.choices, blank=True)
    comment = models.TextField(blank=True)
    returned_on = models.DateField()

    NOT_RATED = "Received, not rated"

    objects = OrganisationOwnedQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["organisation", "financial_year"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "financial_year"], name="forecast_return_once_per_year"
            ),
            models.CheckConstraint(condition=FINANCIAL_YEAR_SANE, name="forecast_return_year_sane"),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} {label(self.financial_year)}: {self.rating}"

    @property
    def rating(self) -> str:
        return self.get_rag_display() if self.rag else self.NOT_RATED


class OtherBenefit(models.Model):
    """A benefit counted in its own unit: tonnes of CO2 a year, people trained, homes."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="other_benefits")
    unit = models.CharField(max_length=100)
    quantity = models.DecimalField(max_digits=14, decimal_places=2)
    financial_year = models.PositiveSmallIntegerField(null=True, blank=True)
    description = models.CharField(max_length=500, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["project", "unit"]
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__gte=0),
                name="other_benefit_quantity_not_negative",
                violation_error_message="A benefit cannot be negative.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.quantity} {self.unit}"
