"""Read-only pages for bidding rounds and bids."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from partnership.object_pages import viewable_object_or_404

from . import selectors
from .models import Bid, BiddingRound


@login_required
def round_detail(request: HttpRequest, pk: int) -> HttpResponse:
    bidding_round = viewable_object_or_404(
        request,
        BiddingRound.objects.visible_to(request.user).select_related(
            "budget_line__programme__partnership", "previous_round"
        ),
        pk=pk,
    )
    return render(
        request,
        "bids/biddinground_detail.html",
        {
            "bidding_round": bidding_round,
            "overview": selectors.round_overview(bidding_round, user=request.user),
        },
    )


@login_required
def bid_detail(request: HttpRequest, pk: int) -> HttpResponse:
    bid = viewable_object_or_404(
        request,
        Bid.objects.visible_to(request.user)
        .select_related(
            "bidding_round__budget_line__programme__partnership", "sponsor", "decision__meeting"
        )
        .prefetch_related("partners"),
        pk=pk,
    )
    scores = [
        score
        for score in selectors.bid_scores(bid)
        if request.user.has_perm("bids.view_score", score)
    ]
    return render(request, "bids/bid_detail.html", {"bid": bid, "scores": scores})
