import pytest

from bids.models import Bid
from bids.services import interest_declare
from tests.factories import (
    BiddingRoundFactory,
    BidFactory,
    OrganisationFactory,
    PartnershipFactory,
    user_with_role,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def bidding_round():
    partnership = PartnershipFactory()
    return BiddingRoundFactory(budget_line__programme__partnership=partnership)


def partnership_of(bidding_round):
    return bidding_round.budget_line.programme.partnership


def test_an_officer_of_another_council_cannot_see_a_draft_bid(bidding_round):
    derby, melton = OrganisationFactory(name="Derby City Council"), OrganisationFactory()
    draft = BidFactory(bidding_round=bidding_round, sponsor=derby)
    own = user_with_role("officer", organisation=derby)
    other = user_with_role("officer", organisation=melton)
    assert own.has_perm("bids.view_bid", draft)
    assert own.has_perm("bids.change_bid", draft)
    assert not other.has_perm("bids.view_bid", draft)
    assert not other.has_perm("bids.change_bid", draft)
    assert not Bid.objects.visible_to(other).exists()


def test_board_members_see_submitted_bids_but_not_drafts(bidding_round):
    board = user_with_role("board_member", partnership=partnership_of(bidding_round))
    draft = BidFactory(bidding_round=bidding_round)
    submitted = BidFactory(bidding_round=bidding_round, status="submitted")
    assert list(Bid.objects.visible_to(board)) == [submitted]
    assert board.has_perm("bids.view_bid", submitted)
    assert not board.has_perm("bids.view_bid", draft)
    assert not board.has_perm("bids.change_bid", submitted)
    assert not board.has_perm("bids.change_score")


def test_programme_managers_score_submitted_bids_of_their_partnership(bidding_round):
    manager = user_with_role("programme_manager", partnership=partnership_of(bidding_round))
    submitted = BidFactory(bidding_round=bidding_round, status="submitted")
    elsewhere = BidFactory(status="submitted")
    assert manager.has_perm("bids.change_bid", submitted)
    assert not manager.has_perm("bids.view_bid", elsewhere)
    assert manager.has_perm("bids.change_biddinground", bidding_round)
    assert not manager.has_perm("bids.change_biddinground", elsewhere.bidding_round)


def test_a_named_scorer_sees_and_scores_the_rounds_bids_unless_they_declared_an_interest(
    bidding_round,
):
    scorer = user_with_role("officer", organisation=OrganisationFactory())
    bidding_round.scorers.add(scorer)
    submitted = BidFactory(bidding_round=bidding_round, status="submitted")
    conflicted = BidFactory(bidding_round=bidding_round, status="submitted")
    draft = BidFactory(bidding_round=bidding_round)
    assert set(Bid.objects.visible_to(scorer)) == {submitted, conflicted}
    assert scorer.has_perm("bids.score_bid", submitted)
    assert not scorer.has_perm("bids.view_bid", draft)
    interest_declare(bid=conflicted, user=scorer, reason="My council is a partner")
    assert not scorer.has_perm("bids.score_bid", conflicted)
    assert not scorer.has_perm("bids.score_bid", BidFactory(status="submitted"))
