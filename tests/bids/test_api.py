"""The bids API shows each reader the bids the bid pages show them: an officer their
own council's, drafts included; the partnership's programme managers and board every
submitted bid with its agreed score; nobody another council's draft."""

import datetime
from decimal import Decimal

import pytest

from bids.models import Bid, Score
from partnership.models import Role
from tests.api import listed, listed_ids, read
from tests.factories import (
    BiddingRoundFactory,
    BidFactory,
    CriterionFactory,
    OrganisationFactory,
    PartnershipFactory,
    user_with_role,
)

pytestmark = pytest.mark.django_db

BIDS = "/api/v1/bids/"
ROUNDS = "/api/v1/bidding-rounds/"


@pytest.fixture
def bidding():
    partnership = PartnershipFactory()
    north_kesteven = OrganisationFactory(partnership=partnership)
    leicester = OrganisationFactory(partnership=partnership)
    bidding_round = BiddingRoundFactory(budget_line__programme__partnership=partnership)
    scored = BidFactory(
        bidding_round=bidding_round,
        sponsor=north_kesteven,
        status=Bid.Status.SUBMITTED,
        agreed_points=7,
        grant_requested=Decimal("120000.00"),
        savings_claimed=Decimal("40000.00"),
    )
    board = user_with_role(Role.Kind.BOARD_MEMBER, partnership=partnership, username="board")
    Score.objects.create(
        bid=scored,
        criterion=CriterionFactory(bidding_round=bidding_round, name="Involves other councils"),
        scorer=board,
        points=3,
        comment="Four districts",
    )
    draft = BidFactory(bidding_round=bidding_round, sponsor=leicester)
    other_round = BiddingRoundFactory()
    return {
        "round": bidding_round,
        "other_round": other_round,
        "scored": scored,
        "draft": draft,
        "elsewhere": BidFactory(bidding_round=other_round, status=Bid.Status.SUBMITTED),
        "nk_officer": user_with_role(Role.Kind.OFFICER, organisation=north_kesteven),
        "leicester_officer": user_with_role(Role.Kind.OFFICER, organisation=leicester),
        "board": board,
    }


def test_the_board_reads_submitted_bids_with_their_scores_and_payback(client, bidding):
    rows = listed(client, bidding["board"], BIDS)

    assert [row["id"] for row in rows] == [bidding["scored"].pk]
    assert rows[0]["status"] == "submitted"
    assert rows[0]["agreed_points"] == 7
    assert rows[0]["scores"] == [
        {
            "criterion": bidding["scored"].scores.get().criterion_id,
            "scorer": "board",
            "points": 3,
            "comment": "Four districts",
        }
    ]
    assert rows[0]["grant_requested"] == "120000.00"
    assert rows[0]["annual_saving"] == "40000.00"
    assert rows[0]["payback_years"] == "3.00"


def test_an_officer_reads_their_councils_draft_but_not_another_councils(client, bidding):
    draft = bidding["draft"]

    assert listed_ids(client, bidding["leicester_officer"], BIDS) == {draft.pk}
    assert listed_ids(client, bidding["nk_officer"], BIDS) == {bidding["scored"].pk}
    assert read(client, bidding["nk_officer"], f"{BIDS}{draft.pk}/").status_code == 404


def test_nobody_reads_another_partnerships_bids_or_rounds(client, bidding):
    elsewhere = bidding["elsewhere"]

    assert read(client, bidding["board"], f"{BIDS}{elsewhere.pk}/").status_code == 404
    assert listed_ids(client, bidding["board"], ROUNDS) == {bidding["round"].pk}
    other_round = f"{ROUNDS}{bidding['other_round'].pk}/"
    assert read(client, bidding["nk_officer"], other_round).status_code == 404


def test_anonymous_readers_are_refused(client, bidding):
    assert read(client, None, BIDS).status_code == 401
    assert read(client, None, ROUNDS).status_code == 401


def test_bid_filters_narrow_the_list(client, bidding):
    officer = bidding["leicester_officer"]

    assert listed_ids(client, officer, BIDS, status="draft") == {bidding["draft"].pk}
    assert listed_ids(client, officer, BIDS, status="submitted") == set()
    assert listed_ids(client, officer, BIDS, bidding_round=bidding["other_round"].pk) == set()


def test_bids_narrow_by_when_they_were_submitted_whatever_the_offset_given(client, bidding):
    scored = bidding["scored"]
    scored.submitted_at = datetime.datetime(2011, 3, 1, 12, tzinfo=datetime.UTC)
    scored.save(update_fields=["submitted_at"])
    board = bidding["board"]

    # ISO 8601 allows offsets PostgreSQL does not: they are compared in UTC.
    assert listed_ids(client, board, BIDS, submitted_at_after="2011-03-02T00:00:00+23:30") == {
        scored.pk
    }
    assert listed_ids(client, board, BIDS, submitted_at_before="2011-02-28T12:00:00Z") == set()
    assert listed_ids(client, board, BIDS, submitted_at_after="0001-01-01T00:00:00+23:00") == {
        scored.pk
    }


def test_a_round_shows_what_its_approved_bids_were_allocated(client, bidding):
    BidFactory(
        bidding_round=bidding["round"],
        status=Bid.Status.APPROVED,
        grant_allocated=Decimal("80000.00"),
    )

    row = read(client, bidding["board"], f"{ROUNDS}{bidding['round'].pk}/").json()

    assert row["amount_available"] == "750000.00"
    assert row["approved"] == "80000.00"
    assert row["opens_on"] == "2011-01-10"


def test_the_bids_list_answers_in_the_same_number_of_queries_however_many_rows(
    client, bidding, django_assert_num_queries
):
    for _ in range(5):
        bid = BidFactory(bidding_round=bidding["round"], status=Bid.Status.SUBMITTED)
        bid.partners.add(bidding["draft"].sponsor)
    client.force_login(bidding["board"])
    # session, user, the user's roles, the count, the page, its partners and its scores
    with django_assert_num_queries(7):
        assert len(client.get(BIDS).json()["results"]) == 6


CRITERIA = "/api/v1/criteria/"


def test_a_rounds_criteria_are_read_by_whoever_reads_the_round(client, bidding):
    criterion = bidding["scored"].scores.get().criterion
    elsewhere = CriterionFactory(bidding_round=bidding["other_round"], name="Proven elsewhere")

    assert listed(client, bidding["nk_officer"], CRITERIA) == [
        {
            "id": criterion.pk,
            "bidding_round": bidding["round"].pk,
            "name": "Involves other councils",
            "max_points": 3,
            "position": 0,
        }
    ]
    assert read(client, bidding["board"], f"{CRITERIA}{elsewhere.pk}/").status_code == 404
    assert read(client, None, CRITERIA).status_code == 401


def test_a_named_scorer_reads_the_criteria_of_the_round_they_score(client, bidding):
    elsewhere = CriterionFactory(bidding_round=bidding["other_round"])
    scorer = user_with_role(Role.Kind.OFFICER, organisation=OrganisationFactory())
    bidding["other_round"].scorers.add(scorer)

    assert listed_ids(client, scorer, CRITERIA) == {elsewhere.pk}


def test_criteria_narrow_by_round_and_sort_by_position(client, bidding):
    first = bidding["scored"].scores.get().criterion
    second = CriterionFactory(bidding_round=bidding["round"], position=2)
    CriterionFactory(bidding_round=BiddingRoundFactory(budget_line=bidding["round"].budget_line))
    board = bidding["board"]

    rows = listed(client, board, CRITERIA, bidding_round=bidding["round"].pk, ordering="-position")
    assert [row["id"] for row in rows] == [second.pk, first.pk]


def test_criteria_answer_in_the_same_number_of_queries_however_many_rows(
    client, bidding, django_assert_num_queries
):
    for _ in range(5):
        CriterionFactory(bidding_round=bidding["round"])
    client.force_login(bidding["board"])
    # session, user, the user's roles, the count, the page
    with django_assert_num_queries(5):
        assert len(client.get(CRITERIA).json()["results"]) == 6
