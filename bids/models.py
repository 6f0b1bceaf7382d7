"""Bidding rounds against a budget line, their scoring criteria, bids and scores."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import FileExtensionValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from partnership.lifecycles import Lifecycle
from partnership.models import Decision, Organisation
from partnership.private_files import PrivateFileField
from partnership.uploads import GenuineContent
from programmes.models import MONEY, PENNY, BudgetLine

from .querysets import BiddingRoundQuerySet, BidQuerySet, CriterionQuerySet


class BiddingRound(models.Model):
    budget_line = models.ForeignKey(
        BudgetLine, on_delete=models.PROTECT, related_name="bidding_rounds"
    )
    name = models.CharField(max_length=200)
    amount_available = models.DecimalField(**MONEY)
    opens_on = models.DateField()
    closes_on = models.DateField()
    guidance = models.TextField(blank=True)
    previous_round = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="further_rounds",
        help_text="The round this one re-opens for what is left of the budget line",
    )
    minimum_points = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Bids below this score are not funded"
    )
    scorers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="rounds_to_score",
        help_text="Steering-group members named to score this round's bids",
    )
    ranking_published = models.BooleanField(
        default=False,
        help_text=(
            "Everyone who reads the round sees the ranking of all its bids, before the "
            "board has decided them (a programme manager publishes it)"
        ),
    )

    objects = BiddingRoundQuerySet.as_manager()
    # The named scorers are kept with each version, so who could score when is on record.
    history = HistoricalRecords(m2m_fields=["scorers"])

    class Meta:
        ordering = ["-opens_on", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount_available__gte=0),
                name="round_amount_available_not_negative",
                violation_error_message="The amount available cannot be negative.",
            ),
            models.CheckConstraint(
                condition=Q(closes_on__gte=F("opens_on")),
                name="round_closes_after_it_opens",
                violation_error_message="A round cannot close before it opens.",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("bids:round-detail", kwargs={"pk": self.pk})


class Criterion(models.Model):
    bidding_round = models.ForeignKey(
        BiddingRound, on_delete=models.CASCADE, related_name="criteria"
    )
    name = models.CharField(max_length=300)
    max_points = models.PositiveSmallIntegerField(null=True, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    objects = CriterionQuerySet.as_manager()

    class Meta:
        ordering = ["bidding_round", "position"]
        verbose_name_plural = "criteria"
        constraints = [
            models.UniqueConstraint(
                fields=["bidding_round", "name"], name="criterion_name_unique_in_round"
            ),
            models.CheckConstraint(
                condition=Q(max_points__isnull=True) | Q(max_points__gte=1),
                name="criterion_max_points_positive",
                violation_error_message="A criterion must be worth at least one point.",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Bid(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted"
        WITHDRAWN = "withdrawn", "Withdrawn"
        APPROVED = "approved", "Approved"
        REFERRED_BACK = "referred_back", "Referred back"
        REJECTED = "rejected", "Rejected"

    LIFECYCLE = Lifecycle(
        Status,
        {
            Status.DRAFT: {Status.SUBMITTED, Status.WITHDRAWN},
            Status.SUBMITTED: {
                Status.APPROVED,
                Status.REFERRED_BACK,
                Status.REJECTED,
                Status.WITHDRAWN,
            },
            # A referred-back bid is carried into a further round as a new draft.
            Status.REFERRED_BACK: {Status.WITHDRAWN},
            Status.APPROVED: set(),
            Status.REJECTED: set(),
            Status.WITHDRAWN: set(),
        },
    )

    class SavingsBasis(models.TextChoices):
        PER_ANNUM = "per_annum", "Per annum"
        OVER_YEARS = "over_years", "Over a number of years"
        ONE_OFF = "one_off", "One-off"
        UNSPECIFIED_PERIOD = "unspecified_period", "Amount given, period not specified"
        NONE = "none", "None specified"

    class Recommendation(models.TextChoices):
        APPROVE = "approve", "Approve"
        REFER_BACK = "refer_back", "Refer back"
        REJECT = "reject", "Reject"

    bidding_round = models.ForeignKey(BiddingRound, on_delete=models.PROTECT, related_name="bids")
    number = models.PositiveSmallIntegerField(help_text="Bid number within the round")
    title = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    sponsor = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="sponsored_bids",
        help_text="The sponsoring (accountable) authority",
    )
    partners = models.ManyToManyField(Organisation, related_name="partner_bids", blank=True)
    grant_requested = models.DecimalField(**MONEY)
    savings_claimed = models.DecimalField(**MONEY, null=True, blank=True)
    savings_claimed_high = models.DecimalField(
        **MONEY, null=True, blank=True, help_text="Upper figure where a range was claimed"
    )
    savings_claimed_as_written = models.CharField(max_length=200, blank=True)
    savings_basis = models.CharField(
        max_length=20, choices=SavingsBasis.choices, default=SavingsBasis.NONE
    )
    savings_years = models.PositiveSmallIntegerField(null=True, blank=True)
    is_partnership = models.BooleanField(
        "partnership project", default=True, help_text="Involves other councils"
    )
    builds_on_good_practice = models.BooleanField(
        null=True, blank=True, help_text="Left empty where the bid did not say"
    )
    expected_breakeven = models.CharField(max_length=200, blank=True)
    business_case = PrivateFileField(
        upload_to="bids/business_cases/%Y/",
        served_by="bids:bid-business-case",
        blank=True,
        validators=[FileExtensionValidator(["pdf", "doc", "docx"]), GenuineContent()],
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    agreed_points = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="The steering group's agreed total score"
    )
    recommendation = models.CharField(max_length=20, choices=Recommendation.choices, blank=True)
    recommendation_note = models.TextField(blank=True)
    grant_allocated = models.DecimalField(**MONEY, null=True, blank=True)
    decision = models.ForeignKey(
        Decision, on_delete=models.PROTECT, null=True, blank=True, related_name="bids"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="submitted_bids",
    )
    decided_at = models.DateTimeField(
        null=True, blank=True, help_text="When the board's decision was recorded"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="decided_bids",
        help_text="Who recorded the board's decision",
    )
    carried_from = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="carried_into",
        help_text="The referred-back bid this one carries into a further round",
    )
    version = models.PositiveIntegerField(default=1, help_text="Guards against lost updates")

    objects = BidQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["version"])

    class Meta:
        ordering = ["bidding_round", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["bidding_round", "number"], name="bid_number_unique_in_round"
            ),
            models.CheckConstraint(
                condition=Q(grant_requested__gt=0),
                name="bid_grant_requested_positive",
                violation_error_message="The grant requested must be more than zero.",
            ),
            models.CheckConstraint(
                condition=Q(grant_allocated__isnull=True)
                | (Q(grant_allocated__gte=0) & Q(grant_allocated__lte=F("grant_requested"))),
                name="bid_allocation_within_request",
                violation_error_message=(
                    "The grant allocated cannot be negative or more than the grant requested."
                ),
            ),
            models.CheckConstraint(
                condition=Q(savings_claimed__isnull=True) | Q(savings_claimed__gte=0),
                name="bid_savings_claimed_not_negative",
                violation_error_message="Savings claimed cannot be negative.",
            ),
            models.CheckConstraint(
                condition=Q(savings_claimed_high__isnull=True)
                | Q(savings_claimed_high__gte=F("savings_claimed")),
                name="bid_savings_range_ordered",
                violation_error_message="The upper savings figure must not be below the lower.",
            ),
            models.CheckConstraint(
                condition=(
                    Q(savings_basis="over_years", savings_years__isnull=False, savings_years__gte=1)
                    | (~Q(savings_basis="over_years") & Q(savings_years__isnull=True))
                ),
                name="bid_savings_years_only_over_years",
                violation_error_message=(
                    "Give the number of years when savings are claimed over a period, "
                    "and only then."
                ),
            ),
            models.CheckConstraint(
                condition=Q(savings_basis="none", savings_claimed__isnull=True)
                | (~Q(savings_basis="none") & Q(savings_claimed__isnull=False)),
                name="bid_savings_amount_matches_basis",
                violation_error_message=(
                    "Claim an amount of savings with its basis, or choose none specified."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(status="approved")
                | Q(grant_allocated__isnull=False, grant_allocated__gt=0),
                name="bid_approved_has_allocation",
                violation_error_message="An approved bid must have a grant allocated.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.sponsor.short_name or self.sponsor} – {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("bids:bid-detail", kwargs={"pk": self.pk})

    @property
    def annual_saving(self) -> Decimal | None:
        """The cashable saving a year, for comparing bids claimed on different bases.

        Per annum counts as claimed; over N years is spread evenly; a one-off saving or
        one whose period was not given has no yearly figure. Where a range was claimed
        the lower figure counts, as the board papers do.
        """
        if self.savings_claimed is None:
            return None
        if self.savings_basis == self.SavingsBasis.PER_ANNUM:
            return self.savings_claimed
        if self.savings_basis == self.SavingsBasis.OVER_YEARS and self.savings_years:
            return (self.savings_claimed / self.savings_years).quantize(PENNY)
        return None

    @property
    def payback_years(self) -> Decimal | None:
        """Years of cashable saving needed to repay the grant requested (2 places)."""
        annual = self.annual_saving
        if not annual:
            return None
        return (self.grant_requested / annual).quantize(Decimal("0.01"))

    @property
    def five_year_return(self) -> Decimal | None:
        """Cashable savings over five years less the grant requested.

        A one-off saving counts once; savings claimed over N years count for at most
        five of them.
        """
        if self.savings_claimed is None:
            return None
        if self.savings_basis == self.SavingsBasis.ONE_OFF:
            return self.savings_claimed - self.grant_requested
        annual = self.annual_saving
        if annual is None:
            return None
        years = 5
        if self.savings_basis == self.SavingsBasis.OVER_YEARS:
            years = min(self.savings_years, 5)
        return annual * years - self.grant_requested


class Score(models.Model):
    bid = models.ForeignKey(Bid, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="scores")
    scorer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="bid_scores"
    )
    points = models.PositiveSmallIntegerField()
    comment = models.TextField(blank=True)
    scored_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["bid", "criterion__position", "scorer"]
        constraints = [
            models.UniqueConstraint(
                fields=["bid", "criterion", "scorer"], name="score_once_per_scorer_criterion"
            )
        ]

    def __str__(self) -> str:
        return f"{self.points} for {self.criterion}"


class InterestDeclaration(models.Model):
    """A scorer's declared interest in a bid; it keeps them from scoring that bid."""

    bid = models.ForeignKey(Bid, on_delete=models.CASCADE, related_name="declarations")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    reason = models.CharField(max_length=300)
    declared_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["bid", "user"], name="declaration_once_per_bid")
        ]

    def __str__(self) -> str:
        return f"{self.user} declared an interest: {self.reason}"
