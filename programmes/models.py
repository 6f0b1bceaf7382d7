"""Programmes, their budget lines and funding sources, and the money ledger.

No balance is stored. Every figure (funds received, allocated, committed, paid,
available) is summed from ``LedgerEntry`` rows by ``programmes.selectors``.
"""

from decimal import Decimal

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from partnership.models import Decision, Partnership, SubRegion, Theme

from .querysets import BudgetLineQuerySet, LedgerEntryQuerySet, ProgrammeQuerySet

MONEY = {"max_digits": 14, "decimal_places": 2}
PENNY = Decimal("0.01")


class Programme(models.Model):
    partnership = models.ForeignKey(
        Partnership, on_delete=models.PROTECT, related_name="programmes"
    )
    sub_region = models.ForeignKey(
        SubRegion,
        on_delete=models.PROTECT,
        related_name="programmes",
        null=True,
        blank=True,
        help_text="Set when a sub-region runs the programme with its own allocation",
    )
    name = models.CharField(max_length=200)
    slug = models.SlugField()
    description = models.TextField(blank=True)
    starts_on = models.DateField()
    ends_on = models.DateField()
    themes = models.ManyToManyField(Theme, blank=True, related_name="programmes")

    objects = ProgrammeQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["partnership", "-starts_on", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "slug"], name="programme_slug_unique_in_partnership"
            ),
            models.CheckConstraint(
                condition=Q(ends_on__gt=F("starts_on")),
                name="programme_ends_after_it_starts",
                violation_error_message="A programme must end after it starts.",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("programmes:programme-detail", kwargs={"pk": self.pk})


class BudgetLine(models.Model):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="budget_lines")
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    objects = BudgetLineQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["programme", "position", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "name"], name="budget_line_name_unique_in_programme"
            )
        ]

    def __str__(self) -> str:
        return f"{self.programme}: {self.name}"

    def get_absolute_url(self) -> str:
        return reverse("programmes:budget-line-detail", kwargs={"pk": self.pk})


class FundingSource(models.Model):
    class Kind(models.TextChoices):
        GOVERNMENT_GRANT = "government_grant", "Government grant"
        CLAWED_BACK = "clawed_back", "Clawed-back sub-regional underspend"
        UNDERSPEND = "underspend", "Regional underspend"
        INVEST_TO_SAVE = "invest_to_save", "Invest-to-save repayments"
        OTHER = "other", "Other"

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="funding_sources"
    )
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    ring_fenced = models.BooleanField(
        default=False, help_text="Money from this source may only be spent on its purpose"
    )
    expected_amount = models.DecimalField(
        **MONEY,
        null=True,
        blank=True,
        help_text="What the source is expected to bring in; receipts are ledger entries",
    )
    note = models.TextField(blank=True)

    objects = BudgetLineQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["programme", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "name"], name="funding_source_name_unique_in_programme"
            ),
            models.CheckConstraint(
                condition=Q(expected_amount__isnull=True) | Q(expected_amount__gte=0),
                name="funding_source_expected_amount_not_negative",
                violation_error_message="An expected amount cannot be negative.",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class LedgerEntry(models.Model):
    """One movement of money. Amounts are always positive; the kind says which way
    the money moved:

    - ``funding``: money received into the programme from a funding source;
    - ``allocation``: programme money set aside for a budget line;
    - ``reallocation``: budget moved from ``from_budget_line`` to ``budget_line``;
    - ``commitment``: grant approved against a budget line (a bid, a project award);
    - ``release``: commitment given back (award reduced, unspent grant at closure);
    - ``payment``: grant paid out against a commitment;
    - ``clawback``: paid grant refunded by the recipient (back to the budget line);
    - ``repayment``: invest-to-save money repaid into the programme.
    """

    class Kind(models.TextChoices):
        FUNDING = "funding", "Funding received"
        ALLOCATION = "allocation", "Allocation to budget line"
        REALLOCATION = "reallocation", "Reallocation between budget lines"
        COMMITMENT = "commitment", "Commitment (grant approved)"
        RELEASE = "release", "Release of commitment"
        PAYMENT = "payment", "Grant payment"
        CLAWBACK = "clawback", "Clawback"
        REPAYMENT = "repayment", "Invest-to-save repayment"

    programme = models.ForeignKey(
        Programme, on_delete=models.PROTECT, related_name="ledger_entries"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    amount = models.DecimalField(**MONEY)
    occurred_on = models.DateField()
    budget_line = models.ForeignKey(
        BudgetLine, on_delete=models.PROTECT, null=True, blank=True, related_name="ledger_entries"
    )
    from_budget_line = models.ForeignKey(
        BudgetLine,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reallocations_out",
    )
    funding_source = models.ForeignKey(
        FundingSource,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="ledger_entries",
    )
    # What the money moved for (a project, a bid, a repayment), without this low-level
    # app importing the apps above it.
    subject_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, null=True, blank=True)
    subject_id = models.PositiveBigIntegerField(null=True, blank=True)
    subject = GenericForeignKey("subject_type", "subject_id")
    memo = models.CharField(max_length=300, blank=True)
    decision = models.ForeignKey(
        Decision,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="ledger_entries",
        help_text="The board decision that allowed this movement",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    objects = LedgerEntryQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["occurred_on", "id"]
        verbose_name_plural = "ledger entries"
        indexes = [
            models.Index(fields=["subject_type", "subject_id"]),
            # Balances are sums of a programme's or a budget line's entries by kind: with
            # the amount in the index, PostgreSQL adds them up from the index alone.
            models.Index(fields=["programme", "kind", "amount"], name="ledger_programme_kind"),
            models.Index(fields=["budget_line", "kind", "amount"], name="ledger_budget_line_kind"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0),
                name="ledger_amount_positive",
                violation_error_message="A ledger amount must be more than zero.",
            ),
            models.CheckConstraint(
                condition=(
                    Q(kind__in=["funding", "repayment"], budget_line__isnull=True)
                    | Q(
                        kind__in=["allocation", "commitment", "release", "payment", "clawback"],
                        budget_line__isnull=False,
                    )
                    | Q(
                        kind="reallocation",
                        budget_line__isnull=False,
                        from_budget_line__isnull=False,
                    )
                ),
                name="ledger_budget_line_matches_kind",
                violation_error_message=(
                    "Funding and repayments come into the programme; every other movement "
                    "names its budget line (a reallocation names both)."
                ),
            ),
            models.CheckConstraint(
                condition=Q(kind="reallocation") | Q(from_budget_line__isnull=True),
                name="ledger_from_budget_line_only_on_reallocation",
            ),
            models.CheckConstraint(
                condition=~Q(from_budget_line=F("budget_line")),
                name="ledger_reallocation_moves_between_lines",
                violation_error_message="A reallocation must move money between two lines.",
            ),
            models.CheckConstraint(
                condition=~Q(kind="funding") | Q(funding_source__isnull=False),
                name="ledger_funding_names_its_source",
                violation_error_message="Funding received must name its funding source.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} £{self.amount:,.2f} on {self.occurred_on}"
