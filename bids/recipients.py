"""Who is told when a bid moves (``partnership.notifications``): one query each."""

from django.contrib.auth.models import User
from django.db.models import Q, QuerySet

from partnership.notifications import role_holders
from partnership.scopes import Kind

from .models import Bid


def bid_submitted_recipients(bid: Bid) -> QuerySet[User]:
    """The programme managers of the round's partnership, who take it to scoring."""
    partnership_id = bid.bidding_round.budget_line.programme.partnership_id
    return role_holders(Q(kind=Kind.PROGRAMME_MANAGER, partnership_id=partnership_id))


def bid_decided_recipients(bid: Bid) -> QuerySet[User]:
    """The sponsoring council's officers, who deliver it, rework it or drop it."""
    return role_holders(Q(kind=Kind.OFFICER, organisation_id=bid.sponsor_id))
