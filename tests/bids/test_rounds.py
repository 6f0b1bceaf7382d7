"""Running a round: opening it, drafting and submitting bids, scoring, ranking and
the further round."""

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from bids.models import Bid
from bids.selectors import partner_choices, ranked_bids, round_funding_plan
from bids.services import (
    BidError,
    bid_agree_points,
    bid_approve,
    bid_create,
    bid_refer_back,
    bid_submit,
    bid_update,
    bid_withdraw,
    interest_declare,
    round_open,
    round_reopen,
    score_record,
)
from tests.factories import (
    BiddingRoundFactory,
    BidFactory,
    OrganisationFactory,
    UserFactory,
    funded_budget_line,
)

pytestmark = pytest.mark.django_db
D = Decimal
TODAY = datetime.date.today()


def business_case():
    return SimpleUploadedFile("case.pdf", b"%PDF-1.4 outline business case", "application/pdf")


@pytest.fixture
def open_round():
    return round_open(
        budget_line=funded_budget_line(D("750000"), name="Projects"),
        name="Efficiency projects 2011/13",
        amount_available=D("750000"),
        opens_on=TODAY - datetime.timedelta(days=10),
        closes_on=TODAY + datetime.timedelta(days=10),
        by=None,
    )


def test_a_round_comes_with_the_default_criteria_and_cannot_promise_more_than_the_line(
    open_round,
):
    assert list(open_round.criteria.values_list("name", "max_points")) == [
        ("Involves other councils", 3),
        ("Generates cashable savings and breaks even within 2 years", 2),
        ("Proven track record", 2),
    ]
    with pytest.raises(BidError, match="has only £750,000.00 uncommitted"):
        round_open(
            budget_line=open_round.budget_line,
            name="Too big",
            amount_available=D("750000.01"),
            opens_on=TODAY,
            closes_on=TODAY,
            by=None,
        )


def test_a_bids_partners_are_members_of_the_rounds_partnership_other_than_its_sponsor(
    open_round,
):
    partnership = open_round.budget_line.programme.partnership
    sponsor, partner = (OrganisationFactory(partnership=partnership) for _ in range(2))
    outsider = OrganisationFactory(name="Cheshire East Council")
    fields = {"title": "Shared ICT", "grant_requested": D("100000"), "by": None}

    with pytest.raises(BidError, match="sponsors the bid, so it cannot also be one of its"):
        bid_create(bidding_round=open_round, sponsor=sponsor, partners=[sponsor], **fields)
    with pytest.raises(BidError, match="Cheshire East Council is not a member of the partn"):
        bid_create(bidding_round=open_round, sponsor=sponsor, partners=[outsider], **fields)
    bid = bid_create(bidding_round=open_round, sponsor=sponsor, partners=[partner], **fields)
    with pytest.raises(BidError, match="Cheshire East Council is not a member"):
        bid_update(bid=bid, version=bid.version, partners=[partner, outsider], by=None)

    assert list(bid.partners.all()) == [partner]
    assert list(partner_choices(open_round, sponsor)) == [partner]


def test_an_officer_drafts_and_submits_a_bid_with_its_business_case(open_round):
    partnership = open_round.budget_line.programme.partnership
    sponsor, partner = (OrganisationFactory(partnership=partnership) for _ in range(2))
    bid = bid_create(
        bidding_round=open_round,
        sponsor=sponsor,
        partners=[partner],
        by=None,
        title="Shared ICT",
        grant_requested=D("100000"),
        savings_claimed=D("2137416"),
        savings_basis="over_years",
        savings_years=5,
    )
    assert list(bid.partners.all()) == [partner]
    with pytest.raises(BidError, match="Describe the project"):
        bid_submit(bid=bid, by=None)
    bid = bid_update(
        bid=bid,
        version=bid.version,
        description="One ICT service",
        business_case=business_case(),
        by=None,
    )
    bid = bid_submit(bid=bid, by=None)
    assert bid.status == Bid.Status.SUBMITTED
    assert bid.submitted_at is not None


def test_a_bid_cannot_be_changed_or_submitted_after_the_round_closes():
    bidding_round = BiddingRoundFactory(
        opens_on=TODAY - datetime.timedelta(days=30), closes_on=TODAY - datetime.timedelta(days=1)
    )
    bid = BidFactory(bidding_round=bidding_round, description="x", business_case=business_case())
    with pytest.raises(BidError, match="The round closed on"):
        bid_update(bid=bid, version=bid.version, title="Changed", by=None)
    with pytest.raises(BidError, match="The round closed on"):
        bid_submit(bid=bid, by=None)
    with pytest.raises(BidError, match="The round closed on"):
        bid_create(
            bidding_round=bidding_round,
            sponsor=OrganisationFactory(),
            by=None,
            title="Late",
            grant_requested=D("1000"),
            savings_basis="none",
        )
    bid.refresh_from_db()
    assert bid.title != "Changed"
    assert bid_withdraw(bid=bid, by=None).status == Bid.Status.WITHDRAWN


def test_a_stale_form_cannot_overwrite_a_newer_save(open_round):
    bid = BidFactory(bidding_round=open_round)
    stale_version = bid.version
    bid_update(bid=bid, version=stale_version, title="First officer's title", by=None)
    with pytest.raises(BidError, match="Someone else changed this bid"):
        bid_update(bid=bid, version=stale_version, title="Second officer's title", by=None)
    bid.refresh_from_db()
    assert bid.title == "First officer's title"


def test_scores_stay_within_each_criterion_and_a_declared_interest_stops_scoring(open_round):
    bid = BidFactory(bidding_round=open_round, status="submitted")
    first, second, third = open_round.criteria.all()
    scorer, conflicted = UserFactory(), UserFactory()
    score_record(bid=bid, criterion=first, scorer=scorer, points=3, comment="Five councils")
    with pytest.raises(BidError, match="between 0 and 2 points"):
        score_record(bid=bid, criterion=second, scorer=scorer, points=3)
    score_record(bid=bid, criterion=first, scorer=conflicted, points=3)
    interest_declare(bid=bid, user=conflicted, reason="My council sponsors this bid")
    with pytest.raises(BidError, match="declared an interest"):
        score_record(bid=bid, criterion=second, scorer=conflicted, points=1)
    assert list(bid.scores.values_list("scorer", flat=True)) == [scorer.pk]
    with pytest.raises(BidError, match="between 0 and 7"):
        bid_agree_points(bid=bid, points=8, by=None)
    assert bid_agree_points(bid=bid, points=7, by=None).agreed_points == 7


def test_a_draft_cannot_be_scored(open_round):
    bid = BidFactory(bidding_round=open_round)
    with pytest.raises(BidError, match="draft bid cannot be scored"):
        score_record(bid=bid, criterion=open_round.criteria.first(), scorer=UserFactory(), points=1)


def test_bids_rank_by_points_and_fund_in_rank_order_until_the_pot_runs_out(open_round):
    def bid(points, grant):
        return BidFactory(
            bidding_round=open_round,
            status="submitted",
            agreed_points=points,
            grant_requested=D(grant),
        )

    shared_ict, network, fleet = bid(7, "100000"), bid(7, "125000"), bid(6, "500000")
    schools, gritting = bid(5, "22000"), bid(3, "32000")
    BidFactory(bidding_round=open_round, agreed_points=7)  # a draft is not ranked
    assert list(ranked_bids(open_round)) == [shared_ict, network, fleet, schools, gritting]

    plan = round_funding_plan(open_round, minimum_points=5)
    funded = {row.bid for row in plan.rows if row.funded}
    assert funded == {shared_ict, network, fleet, schools}
    assert plan.funded_total == D("747000.00")
    assert plan.left == D("3000.00")
    assert [row.reason for row in plan.rows if not row.funded] == ["Scored below 5"]

    plan = round_funding_plan(open_round, minimum_points=0)
    skipped = [row for row in plan.rows if not row.funded]
    assert [(row.bid, row.reason) for row in skipped] == [
        (gritting, "Not enough left in the round")
    ]


def test_a_further_round_offers_what_is_left_and_carries_referred_back_bids(open_round):
    approved = BidFactory(bidding_round=open_round, status="submitted", grant_requested=D("320000"))
    referred = BidFactory(bidding_round=open_round, status="submitted", title="Mobile Framework")
    bid_approve(bid=approved, grant_allocated=D("320000"), decision=None, by=None)
    bid_refer_back(bid=referred, note="Show the savings", decision=None, by=None)

    further = round_reopen(
        previous_round=open_round,
        name="June 2011 round",
        opens_on=open_round.closes_on + datetime.timedelta(days=1),
        closes_on=open_round.closes_on + datetime.timedelta(days=40),
        carry=[referred],
        by=None,
    )
    assert further.amount_available == D("430000.00")
    assert further.criteria.count() == 3
    carried = further.bids.get()
    assert (carried.title, carried.status, carried.carried_from) == (
        "Mobile Framework",
        Bid.Status.DRAFT,
        referred,
    )
    with pytest.raises(BidError, match="Only referred-back bids"):
        round_reopen(
            previous_round=open_round,
            name="Again",
            opens_on=open_round.closes_on + datetime.timedelta(days=1),
            closes_on=open_round.closes_on + datetime.timedelta(days=40),
            carry=[approved],
            by=None,
        )


def test_a_round_cannot_offer_what_a_round_still_deciding_has_offered(open_round):
    line = open_round.budget_line
    approved = BidFactory(bidding_round=open_round, status="submitted", grant_requested=D("320000"))
    bid_approve(bid=approved, grant_allocated=D("320000"), decision=None, by=None)
    # £430,000 is uncommitted, but the open round still offers it to its bidders.
    with pytest.raises(BidError, match="£430,000.00 of it is offered by Efficiency projects"):
        round_open(
            budget_line=line,
            name="Second call",
            amount_available=D("1"),
            opens_on=TODAY,
            closes_on=TODAY + datetime.timedelta(days=30),
            by=None,
        )
    # Once the round has closed and decided every bid, what it left is free again.
    open_round.closes_on = open_round.opens_on
    open_round.save()
    second = round_open(
        budget_line=line,
        name="Second call",
        amount_available=D("430000"),
        opens_on=TODAY,
        closes_on=TODAY + datetime.timedelta(days=30),
        by=None,
    )
    assert second.amount_available == D("430000.00")


def test_a_closed_round_with_bids_still_undecided_keeps_its_offer():
    line = funded_budget_line(D("500000"))
    deciding = BiddingRoundFactory(
        budget_line=line,
        amount_available=D("300000"),
        opens_on=TODAY - datetime.timedelta(days=60),
        closes_on=TODAY - datetime.timedelta(days=30),
    )
    BidFactory(bidding_round=deciding, status="submitted")
    with pytest.raises(BidError, match="at most £200,000.00"):
        round_open(
            budget_line=line,
            name="Next",
            amount_available=D("250000"),
            opens_on=TODAY,
            closes_on=TODAY,
            by=None,
        )
    assert round_open(
        budget_line=line,
        name="Next",
        amount_available=D("200000"),
        opens_on=TODAY,
        closes_on=TODAY,
        by=None,
    ).amount_available == D("200000.00")
