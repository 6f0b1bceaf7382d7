"""Read-side figures for bidding rounds."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import F, Sum

from .models import Bid, BiddingRound, Criterion, Score

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class RoundMoney:
    available: Decimal
    approved: Decimal

    @property
    def remaining(self) -> Decimal:
        return self.available - self.approved


def round_money(bidding_round: BiddingRound) -> RoundMoney:
    """What the round had to give, what the board approved, and what is left."""
    approved = Bid.objects.filter(
        bidding_round=bidding_round, status=Bid.Status.APPROVED
    ).aggregate(total=Sum("grant_allocated"))["total"]
    return RoundMoney(available=bidding_round.amount_available, approved=approved or ZERO)


def round_grant_requested(bidding_round: BiddingRound, *, min_points: int | None = None) -> Decimal:
    """Total grant requested by the round's submitted bids (optionally those scoring at
    least ``min_points``)."""
    bids = Bid.objects.filter(bidding_round=bidding_round).submitted()
    if min_points is not None:
        bids = bids.filter(agreed_points__gte=min_points)
    return bids.aggregate(total=Sum("grant_requested"))["total"] or ZERO


def round_bids(bidding_round: BiddingRound, *, user) -> list[Bid]:
    """The round's bids the user may see, ranked as the board papers rank them:
    agreed points, highest first (unscored last), then bid number. One query."""
    return list(
        Bid.objects.visible_to(user)
        .filter(bidding_round=bidding_round)
        .select_related("sponsor")
        .order_by(F("agreed_points").desc(nulls_last=True), "number")
    )


@dataclass(frozen=True)
class RoundOverview:
    criteria: list[Criterion]
    money: RoundMoney
    bids: list[Bid]


def round_overview(bidding_round: BiddingRound, *, user) -> RoundOverview:
    """The round page: its scoring criteria, its money and the ranked bids the user may
    see (three queries, however many bids)."""
    return RoundOverview(
        criteria=list(bidding_round.criteria.all()),
        money=round_money(bidding_round),
        bids=round_bids(bidding_round, user=user),
    )


def bid_scores(bid: Bid) -> list[Score]:
    """Each scorer's points on each criterion, in criterion order. One query."""
    return list(bid.scores.select_related("criterion", "scorer"))
