from django.contrib import admin
from django.contrib.admin import RelatedOnlyFieldListFilter

from partnership.admin_base import PortalAdmin, PortalInline, money, service_form

from . import services
from .models import Bid, BiddingRound, Criterion, InterestDeclaration, Score

PARTNERSHIP = "budget_line__programme__partnership"


class CriterionInline(PortalInline):
    model = Criterion
    fields = ["position", "name", "max_points"]


@admin.register(BiddingRound)
class BiddingRoundAdmin(PortalAdmin):
    list_display = [
        "name",
        "budget_line",
        money("amount_available"),
        "opens_on",
        "closes_on",
        "minimum_points",
    ]
    list_select_related = ["budget_line__programme"]
    list_filter = [
        (PARTNERSHIP, RelatedOnlyFieldListFilter),
        ("budget_line__programme", RelatedOnlyFieldListFilter),
    ]
    search_fields = ["name", "budget_line__name", "budget_line__programme__name"]
    date_hierarchy = "opens_on"
    autocomplete_fields = ["budget_line", "previous_round"]
    # Opening a round checks what its budget line still has to offer (bids.services
    # round_open); the round's pages do that, so the admin adds none and keeps the
    # money and the line it came from as they were opened.
    addable = False
    readonly_fields = ["budget_line", "previous_round", "amount_available"]
    inlines = [CriterionInline]


@admin.register(Criterion)
class CriterionAdmin(PortalAdmin):
    visible_via = "bidding_round"
    list_display = ["name", "bidding_round", "max_points", "position"]
    list_select_related = ["bidding_round"]
    list_filter = [
        (f"bidding_round__{PARTNERSHIP}", RelatedOnlyFieldListFilter),
        ("bidding_round", RelatedOnlyFieldListFilter),
    ]
    search_fields = ["name", "bidding_round__name"]
    autocomplete_fields = ["bidding_round"]


# Scores and declarations of interest are recorded on the round's scoring pages,
# whose services check the scorer is named for the round and has declared no
# interest in the bid; here they are read.
class ScoreInline(PortalInline):
    model = Score
    fields = ["criterion", "points", "comment", "scorer", "scored_at"]
    readonly_fields = fields
    editable = False


class InterestDeclarationInline(PortalInline):
    model = InterestDeclaration
    fields = ["reason", "user", "declared_at"]
    readonly_fields = fields
    editable = False
    show_change_link = False


@admin.display(description="payback (years)")
def payback_years(bid: Bid):
    return bid.payback_years


DERIVED = [
    money("annual_saving", "cashable saving a year", sortable=False),
    payback_years,
    money("five_year_return", "five-year return", sortable=False),
]


@admin.register(Bid)
class BidAdmin(PortalAdmin):
    list_display = [
        "number",
        "title",
        "sponsor",
        "bidding_round",
        money("grant_requested"),
        money("savings_claimed"),
        "savings_basis",
        *DERIVED,
        "status",
        money("grant_allocated"),
    ]
    list_select_related = ["bidding_round", "sponsor"]
    list_filter = [
        "status",
        (f"bidding_round__{PARTNERSHIP}", RelatedOnlyFieldListFilter),
        ("bidding_round__budget_line__programme", RelatedOnlyFieldListFilter),
        ("bidding_round", RelatedOnlyFieldListFilter),
        "savings_basis",
        "is_partnership",
    ]
    search_fields = ["title", "sponsor__name", "sponsor__short_name"]
    autocomplete_fields = ["bidding_round", "sponsor", "partners"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "bidding_round",
                    "number",
                    "title",
                    "description",
                    "sponsor",
                    "partners",
                    "is_partnership",
                    "builds_on_good_practice",
                    "business_case",
                ]
            },
        ),
        (
            "Grant and savings claimed",
            {
                "fields": [
                    "grant_requested",
                    "savings_claimed",
                    "savings_claimed_high",
                    "savings_claimed_as_written",
                    "savings_basis",
                    "savings_years",
                    "expected_breakeven",
                    *DERIVED,
                ]
            },
        ),
        ("Assessment", {"fields": ["agreed_points", "recommendation", "recommendation_note"]}),
        (
            "Decision",
            {
                "description": "Set by the bid's lifecycle: submission and the board's decision.",
                "fields": [
                    "status",
                    "grant_allocated",
                    "decision",
                    "submitted_at",
                    "created_by",
                    "version",
                ],
            },
        ),
    ]
    # Status, assessment and allocation move only through bids.services, which
    # commit the grant in the ledger and refuse moves the lifecycle does not allow.
    # A bid once submitted is the sponsor's record of what it asked for.
    readonly_fields = [
        *DERIVED,
        "number",
        "savings_claimed_as_written",
        "agreed_points",
        "recommendation",
        "recommendation_note",
        "status",
        "grant_allocated",
        "decision",
        "submitted_at",
        "created_by",
        "version",
    ]
    # A draft is started and changed by the same services as on the round's pages,
    # which number it, keep its sponsor out of its partners, refuse it outside the
    # round's dates and count its version, so a portal form opened before is refused.
    form = service_form(
        services.bid_create,
        ["bidding_round", "sponsor", "partners", "version", *services.BID_FIELDS],
        change=services.bid_update,
        row="bid",
    )
    fixed_after_creation = ("bidding_round", "sponsor")
    inlines = [ScoreInline, InterestDeclarationInline]

    def is_settled(self, bid):
        return bid.status != Bid.Status.DRAFT


class BidChildAdmin(PortalAdmin):
    visible_via = "bid"
    list_filter = [
        (f"bid__bidding_round__{PARTNERSHIP}", RelatedOnlyFieldListFilter),
        ("bid__bidding_round", RelatedOnlyFieldListFilter),
    ]
    autocomplete_fields = ["bid"]


@admin.register(Score)
class ScoreAdmin(BidChildAdmin):
    list_display = ["bid", "criterion", "points", "scorer", "scored_at"]
    list_select_related = ["bid__sponsor", "criterion", "scorer"]
    search_fields = ["bid__title", "criterion__name", "comment"]
    editable = False


@admin.register(InterestDeclaration)
class InterestDeclarationAdmin(BidChildAdmin):
    list_display = ["bid", "user", "reason", "declared_at"]
    list_select_related = ["bid__sponsor", "user"]
    search_fields = ["bid__title", "reason"]
    editable = False
