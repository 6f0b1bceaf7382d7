"""Rounds and bids as the bid pages show them, and the writes those pages make: a
council's officer drafts a bid in an open round, changes it and submits it."""

from django.db.models import Prefetch
from rest_framework import serializers as fields
from rest_framework import status
from rest_framework.response import Response

from bids import selectors, services
from bids.forms import BidForm
from bids.models import Bid, BiddingRound, Criterion, Score
from bids.permissions import can_change_bid
from bids.selectors import RANK_ORDER
from bids.views.access import require
from partnership.api.access import PortalViewSet
from partnership.api.writes import allowed, bind, cleaned, form_serializer, write

from . import filters, serializers

SPONSOR = fields.IntegerField(
    required=False,
    min_value=1,
    help_text="The sponsoring council, where the user is an officer of more than one member",
)
BidDraft = form_serializer(BidForm, "BidDraft", leave_out=("sponsor", "version"), sponsor=SPONSOR)
BidChange = form_serializer(
    BidForm,
    "BidChange",
    leave_out=("sponsor", "version"),
    version=fields.IntegerField(
        min_value=0, help_text="The bid's version as read: a change since is refused"
    ),
)


def _bids(user):
    return (
        Bid.objects.visible_to(user)
        .prefetch_related(
            "partners",
            # The bid page shows every score to whoever may read the bid.
            Prefetch("scores", queryset=Score.objects.select_related("criterion", "scorer")),
        )
        .order_by("bidding_round", *RANK_ORDER, "pk")
    )


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

    @write(
        summary="Draft a bid in the round for the user's council (its officers)",
        request=BidDraft,
        response=serializers.BidSerializer,
        status_code=status.HTTP_201_CREATED,
        files=True,
        url_path="bids",
    )
    def draft_bid(self, request, pk=None):
        bidding_round = self.get_object()
        sponsors = selectors.round_sponsors_for(request.user, bidding_round)
        # As on the page: only an officer of a member council drafts a bid.
        require(bool(sponsors))
        form = bind(BidForm, request, bidding_round=bidding_round, sponsors=sponsors)
        data = cleaned(form)
        bid = services.bid_create(
            bidding_round=bidding_round,
            sponsor=data.get("sponsor") or form.fixed_sponsor,
            by=request.user,
            **form.bid_fields(),
        )
        drafted = _bids(request.user).get(pk=bid.pk)
        return Response(serializers.BidSerializer(drafted).data, status=status.HTTP_201_CREATED)


class CriterionViewSet(PortalViewSet):
    """What the bids of the rounds the user may read are scored against."""

    serializer_class = serializers.CriterionSerializer
    filterset_class = filters.CriterionFilter
    ordering_fields = ["position", "name"]

    def get_queryset(self):
        return Criterion.objects.visible_to(self.request.user).order_by(
            "bidding_round", "position", "pk"
        )


class BidViewSet(PortalViewSet):
    """Bids as the bid pages show them: an officer's own council's, drafts included;
    every submitted bid for the partnership's programme managers and board, and for
    a round's named scorers. Ranked by agreed score within each round."""

    serializer_class = serializers.BidSerializer
    filterset_class = filters.BidFilter
    ordering_fields = ["number", "agreed_points", "grant_requested", "submitted_at"]

    def get_queryset(self):
        return _bids(self.request.user)

    @write(
        summary="Change the draft bid (the sponsoring council's officers)",
        request=BidChange,
        response=serializers.BidSerializer,
        files=True,
    )
    def change(self, request, pk=None):
        bid = self.get_object()
        allowed(request.user, bid, can_change_bid)
        form = bind(BidForm, request, bidding_round=bid.bidding_round, bid=bid)
        data = cleaned(form)
        changed = services.bid_update(
            bid=bid, version=data["version"] or 0, by=request.user, **form.bid_fields()
        )
        return self.answer(changed)

    @write(
        summary="Submit the draft bid to the programme manager (its officers)",
        response=serializers.BidSerializer,
    )
    def submit(self, request, pk=None):
        bid = self.get_object()
        allowed(request.user, bid, can_change_bid)
        return self.answer(services.bid_submit(bid=bid, by=request.user))
