import rules
from django.contrib.auth.models import User
from django.db.models import Count, Q, QuerySet

from partnership.models import Role
from partnership.permissions import (
    holds_role_in_organisation,
    holds_role_in_partnership,
    is_administrator,
    register,
    via,
)
from partnership.scopes import Kind
from programmes.permissions import can_change_programme, can_view_programme

from .models import Bid, BiddingRound


def _partnership_id(bid: Bid) -> int:
    return bid.bidding_round.budget_line.programme.partnership_id


def can_view_round(user, bidding_round: BiddingRound | None = None) -> bool:
    """Whoever may read the programme, and the round's named scorers."""
    if (
        bidding_round is not None
        and user.is_authenticated
        and bidding_round.scorers.filter(pk=user.pk).exists()
    ):
        return True
    return can_view_programme(user, bidding_round.budget_line.programme if bidding_round else None)


def can_change_round(user, bidding_round: BiddingRound | None = None) -> bool:
    return can_change_programme(
        user, bidding_round.budget_line.programme if bidding_round else None
    )


def can_name_scorers(user, bidding_round: BiddingRound | None = None) -> bool:
    """The partnership's programme managers (and administrators) name a round's
    scorers."""
    return can_change_round(user, bidding_round)


def eligible_scorers(bidding_round: BiddingRound) -> QuerySet[User]:
    """Who may be named to score the round's bids: the steering group of its
    partnership, that is its programme managers and board members and the officers of
    its member organisations (active accounts only). Naming is what lets them score:
    see :func:`can_score_bid`."""
    partnership_id = bidding_round.budget_line.programme.partnership_id
    roles = Role.objects.filter(
        Q(kind__in=[Kind.PROGRAMME_MANAGER, Kind.BOARD_MEMBER], partnership_id=partnership_id)
        | Q(kind=Kind.OFFICER, organisation__partnerships=partnership_id)
    )
    return User.objects.filter(is_active=True, pk__in=roles.values("user_id"))


def _is_scorer(user, bid: Bid) -> bool:
    return user.is_authenticated and bid.bidding_round.scorers.filter(pk=user.pk).exists()


def can_view_bid(user, bid: Bid | None = None) -> bool:
    """Officers see their own council's bids; the partnership's programme managers and
    board members, and the round's named scorers, see every bid once it is submitted."""
    if bid is None:
        return holds_role_in_organisation(user, None, Kind.OFFICER) or holds_role_in_partnership(
            user, None, Kind.PROGRAMME_MANAGER, Kind.BOARD_MEMBER
        )
    if holds_role_in_organisation(user, bid.sponsor_id, Kind.OFFICER):
        return True
    if bid.status == Bid.Status.DRAFT:
        return is_administrator(user)
    return holds_role_in_partnership(
        user, _partnership_id(bid), Kind.PROGRAMME_MANAGER, Kind.BOARD_MEMBER
    ) or _is_scorer(user, bid)


def can_change_bid(user, bid: Bid | None = None) -> bool:
    """The sponsoring council's officers edit their bid; programme managers record
    recommendations and decisions on it."""
    if bid is None:
        return holds_role_in_organisation(user, None, Kind.OFFICER) or holds_role_in_partnership(
            user, None, Kind.PROGRAMME_MANAGER
        )
    return holds_role_in_organisation(
        user, bid.sponsor_id, Kind.OFFICER
    ) or holds_role_in_partnership(user, _partnership_id(bid), Kind.PROGRAMME_MANAGER)


def can_withdraw_bid(user, bid: Bid | None = None) -> bool:
    """Only the sponsoring council withdraws its bid."""
    return holds_role_in_organisation(user, bid.sponsor_id if bid else None, Kind.OFFICER)


def can_score_bid(user, bid: Bid | None = None) -> bool:
    """Programme managers and the round's named scorers score submitted bids, except
    where they have declared an interest."""
    if bid is None:
        return holds_role_in_partnership(user, None, Kind.PROGRAMME_MANAGER) or (
            user.is_authenticated and user.rounds_to_score.exists()
        )
    if bid.status != Bid.Status.SUBMITTED:
        return False
    if bid.declarations.filter(user_id=user.pk).exists():
        return False
    return holds_role_in_partnership(
        user, _partnership_id(bid), Kind.PROGRAMME_MANAGER
    ) or _is_scorer(user, bid)


def can_assess_bid(user, bid: Bid | None = None) -> bool:
    """The partnership's programme managers record the agreed total and the
    recommendation on a submitted bid (the services refuse any other status)."""
    if bid is None:
        return can_change_round(user, None)
    return bid.status == Bid.Status.SUBMITTED and can_change_round(user, bid.bidding_round)


def can_read_whole_ranking(user, bidding_round: BiddingRound) -> bool:
    """The ranking of all the round's bids, with their points, is for the steering
    group (who see every submitted bid anyway) and, once the board has decided every
    bid or the partnership has published it, for everyone who reads the round.
    Until then an officer sees only its own council's bids ranked."""
    if not bidding_round.ranking_published:
        bids = Bid.objects.filter(bidding_round=bidding_round).submitted()
        count = bids.aggregate(
            decided=Count("pk", filter=~Q(status=Bid.Status.SUBMITTED)),
            waiting=Count("pk", filter=Q(status=Bid.Status.SUBMITTED)),
        )
        if not count["decided"] or count["waiting"]:
            return False
    return can_view_round(user, bidding_round)


def can_list_rounds(user, obj=None) -> bool:
    """The bidding rounds are for those who bid, run the rounds or decide on the bids:
    officers, programme managers and board members."""
    return can_view_bid(user)


register("bids", "biddinground", view=can_view_round, change=can_change_round)
of_round = lambda obj: obj.bidding_round  # noqa: E731
register(
    "bids",
    "criterion",
    view=via(can_view_round, of_round),
    change=via(can_change_round, of_round),
)
register("bids", "bid", view=can_view_bid, change=can_change_bid)
of_bid = lambda obj: obj.bid  # noqa: E731
register("bids", "score", view=via(can_view_bid, of_bid), change=via(can_score_bid, of_bid))
register(
    "bids",
    "interestdeclaration",
    view=via(can_view_bid, of_bid),
    change=via(can_view_bid, of_bid),
)
rules.set_perm("bids.score_bid", rules.predicate(can_score_bid))
rules.set_perm("bids.withdraw_bid", rules.predicate(can_withdraw_bid))
rules.set_perm("bids.name_scorers", rules.predicate(can_name_scorers))
rules.set_perm("bids.list_rounds", rules.predicate(can_list_rounds))
