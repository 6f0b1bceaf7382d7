"""Every change of a bid's status goes through :func:`bid_set_status`, which refuses
moves the lifecycle does not allow; board decisions that commit money go through
:func:`bid_approve`, which never lets a round or its budget line go below zero."""

import datetime

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from partnership.errors import PortalError
from partnership.models import Decision
from programmes.models import LedgerEntry
from programmes.services import ledger_record

from .models import Bid, BiddingRound
from .selectors import round_money

Status = Bid.Status

ALLOWED_TRANSITIONS: dict[str, set[str]] = {
    Status.DRAFT: {Status.SUBMITTED, Status.WITHDRAWN},
    Status.SUBMITTED: {Status.APPROVED, Status.REFERRED_BACK, Status.REJECTED, Status.WITHDRAWN},
    Status.REFERRED_BACK: {Status.WITHDRAWN},
    Status.APPROVED: set(),
    Status.REJECTED: set(),
    Status.WITHDRAWN: set(),
}


class BidError(PortalError):
    pass


def _locked(bid: Bid) -> Bid:
    return Bid.objects.select_for_update().select_related("bidding_round").get(pk=bid.pk)


def bid_set_status(*, bid: Bid, status: str, by: User | None) -> Bid:
    """Move a bid along its lifecycle (the caller holds the bid's row lock)."""
    if status not in ALLOWED_TRANSITIONS[bid.status]:
        raise BidError(
            f"A bid that is {bid.get_status_display().lower()} cannot become "
            f"{Status(status).label.lower()}."
        )
    bid.status = status
    bid.version += 1
    bid._change_reason = f"Status changed to {Status(status).label}"
    bid._history_user = by
    return bid


@transaction.atomic
def bid_approve(
    *,
    bid: Bid,
    grant_allocated,
    decision: Decision | None,
    by: User | None,
    decided_on: datetime.date | None = None,
) -> Bid:
    """Record the board's approval of a bid with the grant it allocated, and commit
    that grant against the round's budget line in the ledger.

    Refused when the allocation is not above zero or is above the request, when the
    round has less left than the allocation, or when the budget line has less
    available. The round is locked first, so two approvals at the same moment are
    checked one after the other.
    """
    bidding_round = BiddingRound.objects.select_for_update().get(pk=bid.bidding_round_id)
    bid = _locked(bid)
    if grant_allocated <= 0:
        raise BidError("The grant allocated must be more than zero.", field="grant_allocated")
    if grant_allocated > bid.grant_requested:
        raise BidError(
            f"The grant allocated cannot be more than the £{bid.grant_requested:,.2f} requested.",
            field="grant_allocated",
        )
    remaining = round_money(bidding_round).remaining
    if grant_allocated > remaining:
        raise BidError(
            f"{bidding_round.name} has only £{remaining:,.2f} left; "
            f"£{grant_allocated:,.2f} cannot be approved.",
            field="grant_allocated",
        )
    bid_set_status(bid=bid, status=Status.APPROVED, by=by)
    bid.grant_allocated = grant_allocated
    bid.decision = decision
    if not bid.recommendation:
        bid.recommendation = Bid.Recommendation.APPROVE
    bid.save()
    budget_line = bidding_round.budget_line
    ledger_record(
        programme=budget_line.programme,
        kind=LedgerEntry.Kind.COMMITMENT,
        amount=grant_allocated,
        occurred_on=decided_on or (decision.meeting.held_on if decision else timezone.localdate()),
        budget_line=budget_line,
        subject=bid,
        memo=f"Bid {bid.number} approved: {bid.title}",
        by=by,
    )
    return bid


@transaction.atomic
def bid_refer_back(*, bid: Bid, note: str, decision: Decision | None, by: User | None) -> Bid:
    """Send a bid back to its sponsor for more work; it may return in a further round."""
    if not note.strip():
        raise BidError("Say what further work the bid needs.", field="recommendation_note")
    bid = _locked(bid)
    bid_set_status(bid=bid, status=Status.REFERRED_BACK, by=by)
    bid.recommendation = Bid.Recommendation.REFER_BACK
    bid.recommendation_note = note
    bid.decision = decision
    bid.save()
    return bid


@transaction.atomic
def bid_reject(*, bid: Bid, decision: Decision | None, by: User | None) -> Bid:
    bid = _locked(bid)
    bid_set_status(bid=bid, status=Status.REJECTED, by=by)
    bid.decision = decision
    bid.save()
    return bid
