"""Pages for bidding rounds: the list, opening and re-opening a round, naming its
scorers, its ranked table with downloads, and the fund-in-rank-order plan."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.http import require_POST

from bids import selectors, services
from bids.forms import (
    FundingPlanForm,
    RankedFilterForm,
    RoundOpenForm,
    RoundReopenForm,
    RoundScorersForm,
    criterion_formset,
)
from bids.models import Bid, BiddingRound
from bids.permissions import can_read_whole_ranking
from partnership.exports import csv_response, xlsx_response
from partnership.form_errors import error_summary
from partnership.form_pages import button, form_page, posted
from partnership.object_pages import Openable
from partnership.page_cache import kept_until_records_change
from partnership.pagination import page_of
from partnership.sorting import sort_headers

from .access import may_manage, require, round_or_404

ROUNDS_PER_PAGE = 25


@login_required
@kept_until_records_change
def round_list(request: HttpRequest) -> HttpResponse:
    require(request.user.has_perm("bids.list_rounds"))
    # ?closing=soon: the home page's link to the rounds about to close.
    closing = request.GET.get("closing") == "soon"
    rounds = (
        selectors.rounds_closing_soon(request.user, timezone.localdate())
        if closing
        else selectors.rounds_with_money(request.user)
    )
    return render(
        request,
        "bids/biddinground_list.html",
        {
            "rounds": page_of(
                request, rounds.order_by("-opens_on", "name"), per_page=ROUNDS_PER_PAGE
            ),
            "closing": closing,
            "closing_within": selectors.CLOSING_WITHIN_DAYS,
            "may_open": request.user.has_perm("bids.add_biddinground"),
        },
    )


@login_required
def round_open(request: HttpRequest) -> HttpResponse:
    require(request.user.has_perm("bids.add_biddinground"))
    form = RoundOpenForm(
        request.POST or None, budget_lines=selectors.budget_lines_for_rounds(request.user)
    )
    criteria = criterion_formset(request.POST or None)

    def open_round(data):
        require(request.user.has_perm("programmes.change_budgetline", data["budget_line"]))
        return services.round_open(
            budget_line=data["budget_line"],
            name=data["name"],
            amount_available=data["amount_available"],
            opens_on=data["opens_on"],
            closes_on=data["closes_on"],
            guidance=data["guidance"],
            criteria=criteria.criteria(),
            minimum_points=data["minimum_points"],
            by=request.user,
        )

    return form_page(
        request,
        "bids/biddinground_form.html",
        {"criteria": criteria},
        form,
        criteria,
        act=open_round,
        done=lambda bidding_round: f"{bidding_round.name} is open for bids.",
    )


@login_required
def round_detail(request: HttpRequest, pk: int) -> HttpResponse:
    bidding_round = round_or_404(request, pk)
    accepts_changes = selectors.round_accepts_changes(bidding_round)
    manages = may_manage(request.user, bidding_round)
    return render(
        request,
        "bids/biddinground_detail.html",
        {
            "bidding_round": bidding_round,
            "overview": selectors.round_overview(bidding_round, user=request.user),
            "accepts_changes": accepts_changes,
            "may_bid": accepts_changes
            and bool(selectors.round_sponsors_for(request.user, bidding_round)),
            "may_manage": manages,
            "may_reopen": manages and bidding_round.closes_on < timezone.localdate(),
            "may_name_scorers": request.user.has_perm("bids.name_scorers", bidding_round),
            "scorers": selectors.people_with_councils(bidding_round.scorers.all(), bidding_round),
        },
    )


@login_required
def round_scorers(request: HttpRequest, pk: int) -> HttpResponse:
    bidding_round = round_or_404(request, pk)
    require(request.user.has_perm("bids.name_scorers", bidding_round))
    # Unticking everyone posts no scorers at all, which is still a submission.
    form = RoundScorersForm(posted(request), bidding_round=bidding_round)
    return form_page(
        request,
        "bids/biddinground_scorers.html",
        {"bidding_round": bidding_round},
        form,
        act=lambda data: services.round_scorers_set(
            bidding_round=bidding_round, scorers=list(data["scorers"]), by=request.user
        ),
        done=f"The scorers of {bidding_round.name} are saved.",
        next_url=bidding_round,
        otherwise="scorers",
    )


@login_required
def round_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    previous = round_or_404(request, pk)
    require(may_manage(request.user, previous))
    form = RoundReopenForm(
        request.POST or None,
        previous_round=previous,
        initial={"name": f"{previous.name}: further round"},
    )
    return form_page(
        request,
        "bids/biddinground_reopen.html",
        {
            "bidding_round": previous,
            "left": selectors.line_offers(
                previous.budget_line, timezone.localdate(), passing_on=previous
            ).free,
        },
        form,
        act=lambda data: services.round_reopen(
            previous_round=previous,
            name=data["name"],
            opens_on=data["opens_on"],
            closes_on=data["closes_on"],
            carry=list(data.get("carry", [])),
            by=request.user,
        ),
        done=lambda further: (
            f"{further.name} is open with £{further.amount_available:,.0f} to give."
        ),
    )


# The ranked table's columns, in the order the page and both downloads show them:
# (sort key or None, heading, numeric).
RANKED_COLUMNS = [
    ("number", "No.", True),
    ("points", "Points", True),
    ("sponsor", "Sponsoring authority", False),
    ("project", "Project", False),
    ("grant", "Grant requested", True),
    (None, "Savings as claimed", False),
    (None, "Partnership project", False),
    (None, "Builds on good practice", False),
    ("payback", "Payback (years)", True),
    ("status", "Status", False),
    (None, "Interests declared", False),
]
# Columns whose first click sorts the biggest first, as a ranking does.
DESCENDING_FIRST = {"points", "grant"}


def _ranked_row(bid: Bid) -> list:
    return [
        bid.number,
        bid.agreed_points,
        bid.sponsor.short_name or bid.sponsor.name,
        bid.title,
        bid.grant_requested,
        selectors.bid_savings_as_claimed(bid),
        bid.is_partnership,
        {True: "yes", False: "no", None: "not specified"}[bid.builds_on_good_practice],
        bid.payback_years,
        bid.get_status_display(),
        "; ".join(
            f"{declaration.user.get_username()}: {declaration.reason}"
            for declaration in bid.declarations.all()
        ),
    ]


def _ranked_table(request: HttpRequest, bidding_round: BiddingRound, *, whole: bool):
    form = RankedFilterForm(request.GET)
    table = selectors.round_ranked_table(
        bidding_round,
        user=request.user,
        whole=whole,
        sort=request.GET.get("sort", ""),
        **form.filters(),
    )
    form.offer_sponsors(table.sponsors)
    return form, table


@login_required
def round_ranked(request: HttpRequest, pk: int) -> HttpResponse:
    bidding_round = round_or_404(request, pk)
    ranking_open = can_read_whole_ranking(request.user, bidding_round)
    form, table = _ranked_table(request, bidding_round, whole=ranking_open)
    query = request.GET.urlencode()
    return render(
        request,
        "bids/biddinground_ranked.html",
        {
            "bidding_round": bidding_round,
            "money": selectors.round_money(bidding_round),
            "form": form,
            "errors": error_summary(form),
            "table": table,
            "headers": sort_headers(
                request.GET,
                RANKED_COLUMNS,
                table.sort or "-points",  # the rank order
                descending_first=DESCENDING_FIRST,
            ),
            "query": f"?{query}" if query else "",
            "is_filtered": any(form.filters().values()),
            # Once the ranking is open, readers see bids whose pages they cannot open.
            "openable": Openable(request.user, table.bids),
            "ranking_open": ranking_open,
            "may_publish": not ranking_open and may_manage(request.user, bidding_round),
        },
    )


@login_required
@require_POST
def round_ranking_publish(request: HttpRequest, pk: int) -> HttpResponse:
    bidding_round = round_or_404(request, pk)
    require(may_manage(request.user, bidding_round))
    return button(
        request,
        lambda: services.round_ranking_publish(bidding_round=bidding_round, by=request.user),
        done="The ranking is published: everyone who reads the round now sees every bid ranked.",
        next_url=reverse("bids:round-ranked", args=[bidding_round.pk]),
    )


# The ranked bids of one round, the table its page shows whole: a round's bids are a
# few hundred at most at national scale, so they are sent while the reader waits.
@login_required
def round_ranked_download(request: HttpRequest, pk: int, file_format: str) -> HttpResponse:
    bidding_round = round_or_404(request, pk)
    whole = can_read_whole_ranking(request.user, bidding_round)
    _form, table = _ranked_table(request, bidding_round, whole=whole)
    header = [heading for _key, heading, _numeric in RANKED_COLUMNS]
    rows = (_ranked_row(bid) for bid in table.bids)
    filename = f"{slugify(bidding_round.name)}-ranked-bids.{file_format}"
    if file_format == "csv":
        return csv_response(filename, header, rows)
    return xlsx_response(filename, header, rows, title="Ranked bids")


@login_required
def round_funding_plan(request: HttpRequest, pk: int) -> HttpResponse:
    bidding_round = round_or_404(request, pk)
    require(may_manage(request.user, bidding_round))
    data = request.POST if request.method == "POST" else request.GET
    form = FundingPlanForm(
        data if "minimum_points" in data else None,
        initial={"minimum_points": bidding_round.minimum_points},
    )
    minimum = bidding_round.minimum_points
    if form.is_valid():
        minimum = form.cleaned_data["minimum_points"]
    plan = selectors.round_funding_plan(bidding_round, minimum_points=minimum)
    return form_page(
        request,
        "bids/biddinground_funding_plan.html",
        {
            "bidding_round": bidding_round,
            "money": plan.money,
            "plan": plan,
            "minimum": minimum,
        },
        form,
        act=lambda data: services.round_recommend_funding_plan(
            bidding_round=bidding_round, minimum_points=data["minimum_points"], by=request.user
        ),
        done=lambda recommended: (
            f"{len(recommended)} bid{'s' if len(recommended) != 1 else ''} recommended for "
            "approval. Change any recommendation on the bid's page before the board decides."
        ),
        next_url=reverse("bids:round-ranked", args=[bidding_round.pk]),
    )
