import datetime
from decimal import Decimal

import pytest

from bids.models import Bid
from bids.selectors import round_grant_requested, round_money
from bids.services import BidError, bid_agree_points, bid_approve, bid_refer_back, bid_reject
from programmes.selectors import budget_line_balance
from tests.concurrency import needs_postgres, run_together
from tests.factories import BiddingRoundFactory, BidFactory, UserFactory, funded_budget_line

D = Decimal
ON = datetime.date(2011, 4, 12)


@pytest.fixture
def bidding_round(db):
    return BiddingRoundFactory(budget_line=funded_budget_line(D("750000")))


def submitted(bidding_round, grant, **fields):
    return BidFactory(
        bidding_round=bidding_round, grant_requested=D(grant), status="submitted", **fields
    )


@pytest.mark.django_db
def test_approving_bids_commits_their_grant_and_the_round_shows_what_remains(bidding_round):
    for grant in ("100000", "95000", "125000"):
        bid_approve(
            bid=submitted(bidding_round, grant),
            grant_allocated=D(grant),
            decision=None,
            by=None,
            decided_on=ON,
        )
    money = round_money(bidding_round)
    assert money.approved == D("320000.00")
    assert money.remaining == D("430000.00")
    assert budget_line_balance(bidding_round.budget_line).available == D("430000.00")


@pytest.mark.django_db
def test_an_approval_may_allocate_less_than_requested_but_never_more(bidding_round):
    bid = submitted(bidding_round, "150000")
    with pytest.raises(BidError, match="cannot be more than the £150,000.00 requested"):
        bid_approve(bid=bid, grant_allocated=D("150000.01"), decision=None, by=None)
    bid = bid_approve(bid=bid, grant_allocated=D("120000"), decision=None, by=None)
    assert bid.status == Bid.Status.APPROVED
    assert bid.grant_allocated == D("120000")


@pytest.mark.django_db
def test_an_approval_over_what_the_round_has_left_is_refused(bidding_round):
    bid_approve(
        bid=submitted(bidding_round, "700000"),
        grant_allocated=D("700000"),
        decision=None,
        by=None,
    )
    late = submitted(bidding_round, "60000")
    with pytest.raises(BidError, match="has only £50,000.00 left"):
        bid_approve(bid=late, grant_allocated=D("60000"), decision=None, by=None)
    late.refresh_from_db()
    assert late.status == Bid.Status.SUBMITTED
    assert round_money(bidding_round).remaining == D("50000.00")


@pytest.mark.django_db
@pytest.mark.parametrize("decide", ["approve", "refer_back", "reject"])
def test_each_decision_on_a_bid_records_who_recorded_it_and_when(bidding_round, decide):
    manager = UserFactory(first_name="Programme", last_name="Manager")
    bid = submitted(bidding_round, "10000")
    if decide == "approve":
        bid_approve(bid=bid, grant_allocated=D("10000"), decision=None, by=manager)
    elif decide == "refer_back":
        bid_refer_back(bid=bid, note="Firm up the savings", decision=None, by=manager)
    else:
        bid_reject(bid=bid, decision=None, by=manager)
    bid.refresh_from_db()
    assert bid.decided_by == manager
    assert bid.decided_at is not None


@pytest.mark.django_db
def test_a_decided_bid_cannot_be_decided_again(bidding_round):
    bid = submitted(bidding_round, "10000")
    bid_reject(bid=bid, decision=None, by=None)
    with pytest.raises(BidError, match="A bid that is rejected cannot become approved"):
        bid_approve(bid=bid, grant_allocated=D("10000"), decision=None, by=None)
    draft = BidFactory(bidding_round=bidding_round)
    with pytest.raises(BidError, match="draft cannot become referred back"):
        bid_refer_back(bid=draft, note="More work", decision=None, by=None)


@pytest.mark.django_db
@pytest.mark.parametrize("status", ["draft", "withdrawn", "approved", "referred_back", "rejected"])
def test_only_a_submitted_bid_can_be_given_an_agreed_total(bidding_round, status):
    allocated = D("100000") if status == "approved" else None
    bid = BidFactory(
        bidding_round=bidding_round, status=status, agreed_points=5, grant_allocated=allocated
    )
    with pytest.raises(BidError, match="Only a submitted bid can be given an agreed total"):
        bid_agree_points(bid=bid, points=2, by=None)
    bid.refresh_from_db()
    assert bid.agreed_points == 5


@pytest.mark.django_db
def test_referring_back_needs_the_further_work_to_be_named(bidding_round):
    bid = submitted(bidding_round, "10000")
    with pytest.raises(BidError, match="Say what further work"):
        bid_refer_back(bid=bid, note=" ", decision=None, by=None)
    bid = bid_refer_back(bid=bid, note="Firm up the savings", decision=None, by=None)
    assert bid.status == Bid.Status.REFERRED_BACK
    assert bid.history.first().history_change_reason == "Status changed to Referred back"


@pytest.mark.django_db
def test_the_grant_requested_counts_submitted_bids_and_filters_by_score(bidding_round):
    submitted(bidding_round, "100000", agreed_points=7)
    submitted(bidding_round, "22000", agreed_points=5)
    submitted(bidding_round, "7000", agreed_points=1)
    BidFactory(bidding_round=bidding_round, grant_requested=D("999"))  # a draft
    assert round_grant_requested(bidding_round) == D("129000.00")
    assert round_grant_requested(bidding_round, min_points=5) == D("122000.00")


@needs_postgres
@pytest.mark.django_db(transaction=True)
def test_two_approvals_at_the_same_moment_cannot_overspend_the_round():
    bidding_round = BiddingRoundFactory(
        budget_line=funded_budget_line(D("100000")), amount_available=D("100000")
    )
    first, second = submitted(bidding_round, "60000"), submitted(bidding_round, "60000")
    outcomes = run_together(
        lambda: bid_approve(bid=first, grant_allocated=D("60000"), decision=None, by=None),
        lambda: bid_approve(bid=second, grant_allocated=D("60000"), decision=None, by=None),
    )
    assert sum(isinstance(outcome, Bid) for outcome in outcomes) == 1
    assert sum(isinstance(outcome, BidError) for outcome in outcomes) == 1
    assert round_money(bidding_round).remaining == D("40000.00")
    assert budget_line_balance(bidding_round.budget_line).available == D("40000.00")
