"""Read-side figures for bidding rounds."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import F, Sum

from .models import Bid, BiddingRound, Criterion, Score

ZERO = Decimal("0.00")
# As the board papers rank bids: agreed points, highest first (unscored last), then
# bid number.
RANK_ORDER = (F("agreed_points").desc(nulls_last=True), "number")


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
    """The round's bids the user may see, drafts included for their own council's
    officers, ranked. One query."""
    return list(
        Bid.objects.visible_to(user)
        .filter(bidding_round=bidding_round)
        .select_related("sponsor")
        .order_by(*RANK_ORDER)
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


def ranked_bids(bidding_round: BiddingRound, bids=None):
    """The round's submitted and decided bids, ranked. Sponsor, partners, scores and
    declarations come in a fixed number of queries."""
    bids = Bid.objects.all() if bids is None else bids
    return (
        bids.filter(bidding_round=bidding_round)
        .submitted()
        .select_related("sponsor", "decision__meeting")
        .prefetch_related("partners", "scores__criterion", "declarations")
        .order_by(*RANK_ORDER)
    )


@dataclass(frozen=True)
class PlannedBid:
    bid: Bid
    funded: bool
    reason: str
    cumulative: Decimal


@dataclass(frozen=True)
class FundingPlan:
    available: Decimal
    rows: list[PlannedBid]

    @property
    def funded_total(self) -> Decimal:
        return sum((row.bid.grant_requested for row in self.rows if row.funded), ZERO)

    @property
    def left(self) -> Decimal:
        return self.available - self.funded_total


def round_funding_plan(
    bidding_round: BiddingRound, *, minimum_points: int | None = None
) -> FundingPlan:
    """Draft a recommendation: fund bids best to worst while the pot lasts, skipping
    any below the minimum score and any that would overspend (a cheaper bid further
    down may still fit). The programme manager adjusts it before the board sees it."""
    minimum = minimum_points if minimum_points is not None else bidding_round.minimum_points
    available = round_money(bidding_round).remaining
    rows, cumulative = [], ZERO
    for bid in ranked_bids(bidding_round).filter(status=Bid.Status.SUBMITTED):
        points = bid.agreed_points
        if minimum is not None and (points is None or points < minimum):
            rows.append(PlannedBid(bid, False, f"Scored below {minimum}", cumulative))
        elif cumulative + bid.grant_requested > available:
            rows.append(PlannedBid(bid, False, "Not enough left in the round", cumulative))
        else:
            cumulative += bid.grant_requested
            rows.append(PlannedBid(bid, True, "", cumulative))
    return FundingPlan(available=available, rows=rows)
