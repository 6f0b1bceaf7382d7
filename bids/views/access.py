"""What every bidding page asks first: may this user see the round or bid, and may
they do what the page offers?"""

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from bids import selectors
from bids.models import Bid, BiddingRound
from partnership.object_pages import viewable_object_or_404


def round_or_404(request: HttpRequest, pk: int) -> BiddingRound:
    return viewable_object_or_404(
        request,
        BiddingRound.objects.visible_to(request.user).select_related(
            "budget_line__programme__partnership", "previous_round"
        ),
        pk=pk,
    )


def bid_or_404(request: HttpRequest, pk: int) -> Bid:
    return viewable_object_or_404(
        request,
        Bid.objects.visible_to(request.user)
        .select_related(
            "bidding_round__budget_line__programme__partnership",
            "sponsor",
            "decision__meeting",
            "submitted_by",
            "decided_by",
        )
        .prefetch_related("partners"),
        pk=pk,
    )


def require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def may_manage(user, bidding_round: BiddingRound) -> bool:
    return user.has_perm("bids.change_biddinground", bidding_round)


def is_editable(user, bid: Bid) -> bool:
    """Whether the page offers to change and submit the bid: the services refuse the
    same things, so this only keeps the page from offering what would be refused."""
    return (
        bid.status == Bid.Status.DRAFT
        and selectors.round_accepts_changes(bid.bidding_round)
        and user.has_perm("bids.change_bid", bid)
    )


def may_withdraw(user, bid: Bid) -> bool:
    return Bid.LIFECYCLE.allows(bid, Bid.Status.WITHDRAWN) and user.has_perm(
        "bids.withdraw_bid", bid
    )
