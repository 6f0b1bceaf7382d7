"""Pages for bids: drafting, changing, submitting and withdrawing them, their business
case, scoring, declared interests, the agreed total and the recommendation."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from bids import selectors, services
from bids.forms import (
    AgreedPointsForm,
    BidForm,
    InterestForm,
    RecommendationForm,
    ScoreForm,
)
from bids.models import Bid
from bids.permissions import can_assess_bid
from partnership.form_pages import button, confirm_page, form_page
from partnership.private_files import private_file_response

from .access import (
    bid_or_404,
    is_editable,
    may_withdraw,
    require,
    round_or_404,
)


@login_required
def bid_create(request: HttpRequest, round_pk: int) -> HttpResponse:
    bidding_round = round_or_404(request, round_pk)
    sponsors = selectors.round_sponsors_for(request.user, bidding_round)
    require(bool(sponsors))
    if not selectors.round_accepts_changes(bidding_round):
        messages.error(request, "This round is not open for bids.")
        return redirect(bidding_round)
    form = BidForm(
        request.POST or None,
        request.FILES or None,
        bidding_round=bidding_round,
        sponsors=sponsors,
    )
    return form_page(
        request,
        "bids/bid_form.html",
        {"bidding_round": bidding_round},
        form,
        act=lambda data: services.bid_create(
            bidding_round=bidding_round,
            sponsor=data.get("sponsor") or form.fixed_sponsor,
            by=request.user,
            **form.bid_fields(),
        ),
        done=lambda bid: (
            f"Bid {bid.number} is saved as a draft. Submit it before the round closes on "
            f"{bidding_round.closes_on:%-d %B %Y}."
        ),
    )


@login_required
def bid_detail(request: HttpRequest, pk: int) -> HttpResponse:
    bid = bid_or_404(request, pk)
    user = request.user
    # Every score is of this bid, which bid_or_404 has shown the user may see.
    scores = selectors.bid_scores(bid)
    editable = is_editable(user, bid)
    return render(
        request,
        "bids/bid_detail.html",
        {
            "bid": bid,
            "scores": scores,
            "scorer_totals": selectors.bid_scorer_totals(scores),
            "declarations": bid.declarations.select_related("user"),
            "history": selectors.bid_status_history(bid),
            "may_edit": editable,
            "may_withdraw": may_withdraw(user, bid),
            "may_score": user.has_perm("bids.score_bid", bid),
            "may_assess": can_assess_bid(user, bid),
            "accepts_changes": selectors.round_accepts_changes(bid.bidding_round),
        },
    )


@login_required
def bid_update(request: HttpRequest, pk: int) -> HttpResponse:
    bid = bid_or_404(request, pk)
    require(request.user.has_perm("bids.change_bid", bid))
    if request.method == "GET" and not is_editable(request.user, bid):
        messages.error(request, _not_editable(bid))
        return redirect(bid)
    form = BidForm(
        request.POST or None, request.FILES or None, bidding_round=bid.bidding_round, bid=bid
    )
    return form_page(
        request,
        "bids/bid_form.html",
        {"bidding_round": bid.bidding_round, "bid": bid},
        form,
        act=lambda data: services.bid_update(
            bid=bid, version=data["version"] or 0, by=request.user, **form.bid_fields()
        ),
        done=lambda bid: f"Bid {bid.number} is saved.",
    )


def _not_editable(bid: Bid) -> str:
    if bid.status != Bid.Status.DRAFT:
        return f"A {bid.get_status_display().lower()} bid cannot be changed."
    if selectors.round_accepts_changes(bid.bidding_round):
        return "You cannot change this bid."
    return (
        f"{bid.bidding_round.name} is open from {bid.bidding_round.opens_on:%-d %B %Y} to "
        f"{bid.bidding_round.closes_on:%-d %B %Y}; bids cannot be changed outside those dates."
    )


@login_required
def bid_submit(request: HttpRequest, pk: int) -> HttpResponse:
    """Check the bid, then submit it to the programme manager."""
    bid = bid_or_404(request, pk)
    require(request.user.has_perm("bids.change_bid", bid))
    if not is_editable(request.user, bid):
        messages.error(request, _not_editable(bid))
        return redirect(bid)
    edit_page = reverse("bids:bid-update", args=[bid.pk])
    return confirm_page(
        request,
        "bids/bid_submit.html",
        {"bid": bid},
        act=lambda: services.bid_submit(bid=bid, by=request.user),
        done=(
            f"Bid {bid.number} is submitted. The programme manager will score it with the "
            "other bids once the round closes."
        ),
        next_url=bid,
        # This page has no inputs: the link goes to the field on the edit page.
        link=lambda error: edit_page + (f"#id_{error.field}" if error.field else ""),
    )


@login_required
def bid_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    bid = bid_or_404(request, pk)
    require(may_withdraw(request.user, bid))
    if request.method == "POST":
        return button(
            request,
            lambda: services.bid_withdraw(bid=bid, by=request.user),
            done=f"Bid {bid.number} is withdrawn.",
            next_url=bid,
        )
    return render(request, "bids/bid_withdraw.html", {"bid": bid})


@login_required
def bid_business_case(request: HttpRequest, pk: int) -> FileResponse:
    """The outline business case, to those who may see the bid (never a public link)."""
    bid = bid_or_404(request, pk)
    if not bid.business_case:
        raise Http404("This bid has no business case.")
    return private_file_response(bid.business_case)


# Scores, recommendation -------------------------------------------------------------


@login_required
def bid_score(request: HttpRequest, pk: int) -> HttpResponse:
    bid = bid_or_404(request, pk)
    require(request.user.has_perm("bids.score_bid", bid))
    criteria = list(bid.bidding_round.criteria.all())
    mine = {score.criterion_id: score for score in bid.scores.filter(scorer=request.user)}
    form = ScoreForm(request.POST or None, criteria=criteria, scores=mine)
    return form_page(
        request,
        "bids/bid_score.html",
        {"bid": bid, "criteria": criteria},
        form,
        act=lambda _data: services.scores_record(
            bid=bid, scorer=request.user, scores=form.scores()
        ),
        done=f"Your scores for bid {bid.number} are saved.",
        next_url=bid,
    )


@login_required
def bid_declare_interest(request: HttpRequest, pk: int) -> HttpResponse:
    bid = bid_or_404(request, pk)
    require(request.user.has_perm("bids.score_bid", bid))
    form = InterestForm(request.POST or None)
    return form_page(
        request,
        "bids/bid_interest.html",
        {"bid": bid},
        form,
        act=lambda data: services.interest_declare(
            bid=bid, user=request.user, reason=data["reason"]
        ),
        done=f"Your interest in bid {bid.number} is recorded. You will not score it.",
        next_url=bid,
    )


@login_required
def bid_agree_points(request: HttpRequest, pk: int) -> HttpResponse:
    bid = bid_or_404(request, pk)
    require(can_assess_bid(request.user, bid))
    maximum = sum(
        criterion.max_points
        for criterion in bid.bidding_round.criteria.all()
        if criterion.max_points
    )
    form = AgreedPointsForm(
        request.POST or None, maximum=maximum, initial={"points": bid.agreed_points}
    )
    scores = selectors.bid_scores(bid)
    return form_page(
        request,
        "bids/bid_agree_points.html",
        {"bid": bid, "scorer_totals": selectors.bid_scorer_totals(scores)},
        form,
        act=lambda data: services.bid_agree_points(bid=bid, points=data["points"], by=request.user),
        done=f"The agreed total for bid {bid.number} is recorded.",
        next_url=bid,
    )


@login_required
def bid_recommend(request: HttpRequest, pk: int) -> HttpResponse:
    bid = bid_or_404(request, pk)
    require(can_assess_bid(request.user, bid))
    form = RecommendationForm(
        request.POST or None,
        initial={
            "recommendation": bid.recommendation,
            "recommendation_note": bid.recommendation_note,
        },
    )
    return form_page(
        request,
        "bids/bid_recommend.html",
        {"bid": bid},
        form,
        act=lambda data: services.bid_recommend(
            bid=bid,
            recommendation=data["recommendation"],
            note=data["recommendation_note"],
            by=request.user,
        ),
        done=f"The recommendation on bid {bid.number} is recorded.",
        next_url=bid,
    )
