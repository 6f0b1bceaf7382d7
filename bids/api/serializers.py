from rest_framework import serializers

from bids.models import Bid, BiddingRound, Criterion, Score
from partnership.api.fields import derived_amount


class BiddingRoundSerializer(serializers.ModelSerializer):
    approved = derived_amount("Grant allocated to the round's approved bids")

    class Meta:
        model = BiddingRound
        fields = [
            "id",
            "budget_line",
            "name",
            "amount_available",
            "approved",
            "opens_on",
            "closes_on",
            "guidance",
            "previous_round",
            "minimum_points",
        ]


class CriterionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Criterion
        fields = ["id", "bidding_round", "name", "max_points", "position"]


class ScoreSerializer(serializers.ModelSerializer):
    scorer = serializers.CharField(source="scorer.get_username", read_only=True)

    class Meta:
        model = Score
        fields = ["criterion", "scorer", "points", "comment"]


class BidSerializer(serializers.ModelSerializer):
    """A bid as its page shows it to the reader: each scorer's points, the steering
    group's agreed score and recommendation once given, and the figures derived from
    its claim."""

    scores = ScoreSerializer(many=True, read_only=True)

    annual_saving = derived_amount(
        "Cashable saving a year, where the basis gives one", allow_null=True
    )
    payback_years = derived_amount(
        "Years of saving that repay the grant requested", allow_null=True
    )

    class Meta:
        model = Bid
        fields = [
            "id",
            "bidding_round",
            "number",
            "title",
            "description",
            "sponsor",
            "partners",
            "status",
            "grant_requested",
            "savings_claimed",
            "savings_claimed_high",
            "savings_basis",
            "savings_years",
            "annual_saving",
            "payback_years",
            "is_partnership",
            "builds_on_good_practice",
            "expected_breakeven",
            "submitted_at",
            "scores",
            "agreed_points",
            "recommendation",
            "recommendation_note",
            "grant_allocated",
            "decision",
        ]
