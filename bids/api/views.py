from django.db.models import Prefetch

from bids.models import Bid, BiddingRound, Score
from bids.selectors import RANK_ORDER
from partnership.api.access import PortalViewSet

from . import filters, serializers


class BiddingRoundViewSet(PortalViewSet):
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


class BidViewSet(PortalViewSet):
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
