from django.db.models import Prefetch

from bids.models import Bid, BiddingRound, Criterion, Score
from bids.selectors import RANK_ORDER
from partnership.api.access import ReadOnlyViewSet

from . import filters, serializers


class BiddingRoundViewSet(ReadOnlyViewSet):
    """The rounds of the programmes the user may read, and those they are named to
    score."""

    serializer_class = serializers.BiddingRoundSerializer
    filterset_class = filters.BiddingRoundFilter
    ordering_fields = ["name", "opens_on", "closes_on"]

    def get_queryset(self):
        return (
            BiddingRound.objects.visible_to(self.request.user)
            .with_approved()
            .order_by("-opens_on", "name", "pk")
        )


class CriterionViewSet(ReadOnlyViewSet):
    """What the bids of the rounds the user may read are scored against."""

    serializer_class = serializers.CriterionSerializer
    filterset_class = filters.CriterionFilter
    ordering_fields = ["position", "name"]

    def get_queryset(self):
        return Criterion.objects.visible_to(self.request.user).order_by(
            "bidding_round", "position", "pk"
        )


class BidViewSet(ReadOnlyViewSet):
    """Bids as the bid pages show them: an officer's own council's, drafts included;
    every submitted bid for the partnership's programme managers and board, and for
    a round's named scorers. Ranked by agreed score within each round."""

    serializer_class = serializers.BidSerializer
    filterset_class = filters.BidFilter
    ordering_fields = ["number", "agreed_points", "grant_requested", "submitted_at"]

    def get_queryset(self):
        return (
            Bid.objects.visible_to(self.request.user)
            .prefetch_related(
                "partners",
                # The bid page shows every score to whoever may read the bid.
                Prefetch("scores", queryset=Score.objects.select_related("criterion", "scorer")),
            )
            .order_by("bidding_round", *RANK_ORDER, "pk")
        )
