"""Rounds, bids, scores and decisions on bids.

Every change of a bid's status goes through :func:`bid_set_status`, which refuses
moves ``Bid.LIFECYCLE`` does not allow; board decisions that commit money go through
:func:`bid_approve`, which never lets a round or its budget line go below zero.
"""

import datetime
from decimal import Decimal

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from partnership.errors import PortalError
from partnership.models import Decision, Notification, Organisation
from partnership.notifications import notify
from programmes.models import BudgetLine, LedgerEntry
from programmes.services import ledger_record

from .models import Bid, BiddingRound, Criterion, InterestDeclaration, Score
from .permissions import eligible_scorers
from .recipients import bid_decided_recipients, bid_submitted_recipients
from .selectors import line_offers, partner_choices, round_funding_plan, round_money

# The April 2011 EM IEP criteria (item 11, para 2.4). The paper scores bids 0-7 but
# does not split the points; 3 + 2 + 2 is this portal's default, for the manager to change.
DEFAULT_CRITERIA = [
    ("Involves other councils", 3),
    ("Generates cashable savings and breaks even within 2 years", 2),
    ("Proven track record", 2),
]

# What an officer may type into a bid; everything else is set by the process.
BID_FIELDS = (
    "title",
    "description",
    "grant_requested",
    "savings_claimed",
    "savings_claimed_high",
    "savings_basis",
    "savings_years",
    "is_partnership",
    "builds_on_good_practice",
    "expected_breakeven",
    "business_case",
)

Status = Bid.Status


class BidError(PortalError):
    pass


def _save_valid(record, **save_kwargs) -> None:
    try:
        record.full_clean()
    except ValidationError as error:
        field = next(iter(error.message_dict), None) if hasattr(error, "error_dict") else None
        raise BidError(" ".join(error.messages), field=field) from error
    record.save(**save_kwargs)


# Rounds -----------------------------------------------------------------------------


@transaction.atomic
def round_open(
    *,
    budget_line: BudgetLine,
    name: str,
    amount_available: Decimal,
    opens_on: datetime.date,
    closes_on: datetime.date,
    guidance: str = "",
    criteria: list[tuple[str, int]] | None = None,
    previous_round: BiddingRound | None = None,
    minimum_points: int | None = None,
    by: User | None,
) -> BiddingRound:
    """Open a call for bids against a budget line. The amount available can be no
    more than the line has uncommitted, less what rounds still deciding on the same
    line have offered and not yet approved (a further round takes over what its
    previous round has left)."""
    BudgetLine.objects.select_for_update().get(pk=budget_line.pk)
    offers = line_offers(budget_line, timezone.localdate(), passing_on=previous_round)
    if amount_available > offers.uncommitted:
        raise BidError(
            f"{budget_line.name} has only £{offers.uncommitted:,.2f} uncommitted.",
            field="amount_available",
        )
    if amount_available > offers.free:
        raise BidError(
            f"{budget_line.name} has £{offers.uncommitted:,.2f} uncommitted, but "
            f"£{offers.offered:,.2f} of it is offered by {' and '.join(offers.offered_by)}, "
            f"still deciding: this round can offer at most £{offers.free:,.2f}.",
            field="amount_available",
        )
    bidding_round = BiddingRound(
        budget_line=budget_line,
        name=name,
        amount_available=amount_available,
        opens_on=opens_on,
        closes_on=closes_on,
        guidance=guidance,
        previous_round=previous_round,
        minimum_points=minimum_points,
    )
    bidding_round._history_user = by
    _save_valid(bidding_round)
    for position, (criterion, max_points) in enumerate(criteria or DEFAULT_CRITERIA, start=1):
        Criterion.objects.create(
            bidding_round=bidding_round, name=criterion, max_points=max_points, position=position
        )
    return bidding_round


@transaction.atomic
def round_reopen(
    *,
    previous_round: BiddingRound,
    name: str,
    opens_on: datetime.date,
    closes_on: datetime.date,
    carry: list[Bid] = (),
    by: User | None,
) -> BiddingRound:
    """Open a further round for what is left of the budget line, carrying the chosen
    referred-back bids into it as drafts their councils can rework and resubmit."""
    if opens_on <= previous_round.closes_on:
        raise BidError("A further round opens after the previous one closed.", field="opens_on")
    further = round_open(
        budget_line=previous_round.budget_line,
        name=name,
        amount_available=line_offers(
            previous_round.budget_line, timezone.localdate(), passing_on=previous_round
        ).free,
        opens_on=opens_on,
        closes_on=closes_on,
        guidance=previous_round.guidance,
        criteria=list(previous_round.criteria.values_list("name", "max_points")),
        previous_round=previous_round,
        minimum_points=previous_round.minimum_points,
        by=by,
    )
    carried_bids = list(
        Bid.objects.filter(
            pk__in=[bid.pk for bid in carry],
            bidding_round=previous_round,
            status=Status.REFERRED_BACK,
        ).prefetch_related("partners")
    )
    if len(carried_bids) != len(carry):
        raise BidError(f"Only referred-back bids of {previous_round} can be carried.")
    for number, bid in enumerate(carried_bids, start=1):
        carried = Bid(
            bidding_round=further,
            number=number,
            sponsor_id=bid.sponsor_id,
            carried_from=bid,
            created_by=by,
            **{field: getattr(bid, field) for field in BID_FIELDS},
        )
        _save_valid(carried)
        carried.partners.set(bid.partners.all())
    return further


def _person(user: User) -> str:
    return user.get_full_name() or user.get_username()


@transaction.atomic
def round_ranking_publish(*, bidding_round: BiddingRound, by: User | None) -> BiddingRound:
    """Show the ranking of all the round's bids to everyone who reads the round, before
    the board decides them (``bids.permissions.can_read_whole_ranking``)."""
    bidding_round = BiddingRound.objects.select_for_update().get(pk=bidding_round.pk)
    if bidding_round.ranking_published:
        raise BidError(f"The ranking of {bidding_round.name} is already published.")
    bidding_round.ranking_published = True
    bidding_round._history_user = by
    bidding_round.save(update_fields=["ranking_published"])
    return bidding_round


@transaction.atomic
def round_scorers_set(
    *, bidding_round: BiddingRound, scorers: list[User], by: User | None
) -> BiddingRound:
    """Make ``scorers`` the round's named scorers, adding and removing as needed.

    Only the partnership's steering group can be newly named (see
    :func:`bids.permissions.eligible_scorers`); someone already named who has since
    lost their role may stay until removed. Scores already given by a removed scorer
    are kept. The round's history keeps the scorers of each version, with who changed
    them and how.
    """
    bidding_round = BiddingRound.objects.select_for_update().get(pk=bidding_round.pk)
    current = {user.pk: user for user in bidding_round.scorers.all()}
    wanted = {user.pk: user for user in scorers}
    added = [user for pk, user in wanted.items() if pk not in current]
    removed = [user for pk, user in current.items() if pk not in wanted]
    eligible = set(
        eligible_scorers(bidding_round)
        .filter(pk__in=[user.pk for user in added])
        .values_list("pk", flat=True)
    )
    refused = sorted(_person(user) for user in added if user.pk not in eligible)
    if refused:
        partnership = bidding_round.budget_line.programme.partnership
        raise BidError(
            f"{', '.join(refused)} cannot be named to score: only programme managers and "
            f"board members of {partnership.short_name}, and officers of its member "
            "organisations, can score its bids.",
            field="scorers",
        )
    # Each removal and addition writes a version of the round with its scorers.
    bidding_round._history_user = by
    bidding_round._change_reason = _scorers_change_reason(added, removed)
    if removed:
        bidding_round.scorers.remove(*removed)
    if added:
        bidding_round.scorers.add(*added)
    return bidding_round


def _scorers_change_reason(added: list[User], removed: list[User]) -> str:
    """Who was named and removed, in the 100 characters the history keeps; past that,
    how many."""
    named = ", ".join(sorted(_person(user) for user in added))
    gone = ", ".join(sorted(_person(user) for user in removed))
    changes = [f"named {named}" if added else "", f"removed {gone}" if removed else ""]
    reason = "Scorers changed: " + "; ".join(change for change in changes if change)
    if len(reason) <= 100:
        return reason
    return f"Scorers changed: {len(added)} named, {len(removed)} removed"


# Bids -------------------------------------------------------------------------------


def _refuse_after_close(bidding_round: BiddingRound, today: datetime.date | None = None) -> None:
    today = today or timezone.localdate()
    if today > bidding_round.closes_on:
        raise BidError(f"The round closed on {bidding_round.closes_on:%-d %B %Y}.")
    if today < bidding_round.opens_on:
        raise BidError(f"The round opens on {bidding_round.opens_on:%-d %B %Y}.")


@transaction.atomic
def bid_create(
    *,
    bidding_round: BiddingRound,
    sponsor: Organisation,
    partners: list[Organisation] = (),
    by: User | None,
    **fields,
) -> Bid:
    """Start a draft bid for the sponsoring council while the round is open."""
    bidding_round = BiddingRound.objects.select_for_update().get(pk=bidding_round.pk)
    _refuse_after_close(bidding_round)
    number = (
        bidding_round.bids.order_by("-number").values_list("number", flat=True).first() or 0
    ) + 1
    bid = Bid(
        bidding_round=bidding_round,
        number=number,
        sponsor=sponsor,
        created_by=by,
        **{field: value for field, value in fields.items() if field in BID_FIELDS},
    )
    bid._history_user = by
    _save_valid(bid)
    bid.partners.set(_partners(bidding_round, sponsor, partners))
    return bid


@transaction.atomic
def bid_update(
    *, bid: Bid, version: int, partners: list[Organisation] | None = None, by: User | None, **fields
) -> Bid:
    """Change a draft bid. ``version`` is the one the officer's form was built from:
    if someone saved the bid since, the change is refused rather than overwriting."""
    bid = _locked(bid)
    if bid.version != version:
        raise BidError(
            "Someone else changed this bid since you opened it. Reload it to see their "
            "changes, then make yours again."
        )
    if bid.status != Status.DRAFT:
        raise BidError(f"A {bid.get_status_display().lower()} bid cannot be changed.")
    _refuse_after_close(bid.bidding_round)
    for field, value in fields.items():
        if field in BID_FIELDS:
            setattr(bid, field, value)
    bid.version += 1
    bid._history_user = by
    _save_valid(bid)
    if partners is not None:
        bid.partners.set(_partners(bid.bidding_round, bid.sponsor, partners))
    return bid


def _partners(bidding_round: BiddingRound, sponsor: Organisation, partners) -> list[Organisation]:
    """The partners named, refused where one is the sponsor itself or is not a member
    of the round's partnership (the choices ``partner_choices`` offers)."""
    partners = list(partners)
    if any(partner.pk == sponsor.pk for partner in partners):
        raise BidError(
            f"{sponsor.name} sponsors the bid, so it cannot also be one of its partners.",
            field="partners",
        )
    allowed = set(
        partner_choices(bidding_round, sponsor)
        .filter(pk__in=[partner.pk for partner in partners])
        .values_list("pk", flat=True)
    )
    outside = [partner.name for partner in partners if partner.pk not in allowed]
    if outside:
        raise BidError(
            f"{', '.join(outside)} {'is' if len(outside) == 1 else 'are'} not a member of "
            f"the partnership that runs {bidding_round.name}; partners are chosen from its "
            "members.",
            field="partners",
        )
    return partners


@transaction.atomic
def bid_submit(*, bid: Bid, by: User | None) -> Bid:
    """Send a draft to the programme manager. It needs a description and an outline
    business case, and the round must still be open."""
    bid = _locked(bid)
    _refuse_after_close(bid.bidding_round)
    if not bid.description.strip():
        raise BidError("Describe the project before submitting the bid.", field="description")
    if not bid.business_case:
        raise BidError("Attach the outline business case.", field="business_case")
    bid_set_status(bid=bid, status=Status.SUBMITTED, by=by)
    bid.submitted_at = timezone.now()
    bid.submitted_by = by
    bid.save()
    notify(
        event=Notification.Event.BID_SUBMITTED,
        obj=bid,
        subject=_bid_named(bid),
        recipients=bid_submitted_recipients(bid),
        by=by,
    )
    return bid


@transaction.atomic
def bid_withdraw(*, bid: Bid, by: User | None) -> Bid:
    """The sponsor withdraws its bid; allowed until the board decides it."""
    bid = _locked(bid)
    bid_set_status(bid=bid, status=Status.WITHDRAWN, by=by)
    bid.save()
    return bid


# Scores -----------------------------------------------------------------------------


@transaction.atomic
def interest_declare(*, bid: Bid, user: User, reason: str) -> InterestDeclaration:
    """A scorer declares an interest (their council sponsors the bid, say); from then
    on they cannot score it, and the declaration shows on the ranked table."""
    if not reason.strip():
        raise BidError("Say what the interest is.", field="reason")
    declaration, _ = InterestDeclaration.objects.get_or_create(
        bid=bid, user=user, defaults={"reason": reason}
    )
    Score.objects.filter(bid=bid, scorer=user).delete()
    return declaration


@transaction.atomic
def score_record(
    *, bid: Bid, criterion: Criterion, scorer: User, points: int, comment: str = ""
) -> Score:
    """Record (or change) one scorer's points for one criterion of a submitted bid."""
    bid = _locked(bid)
    if bid.status != Status.SUBMITTED:
        raise BidError(f"A {bid.get_status_display().lower()} bid cannot be scored.")
    if criterion.bidding_round_id != bid.bidding_round_id:
        raise BidError("That criterion belongs to another round.")
    if InterestDeclaration.objects.filter(bid=bid, user=scorer).exists():
        raise BidError("You declared an interest in this bid, so you cannot score it.")
    if criterion.max_points is not None and not 0 <= points <= criterion.max_points:
        raise BidError(
            f"Give between 0 and {criterion.max_points} points for “{criterion.name}”.",
            field="points",
        )
    score, _ = Score.objects.update_or_create(
        bid=bid,
        criterion=criterion,
        scorer=scorer,
        defaults={"points": points, "comment": comment},
    )
    return score


@transaction.atomic
def bid_agree_points(*, bid: Bid, points: int, by: User | None) -> Bid:
    """The steering group's agreed total, which ranks the bid."""
    bid = _locked(bid)
    if bid.status != Status.SUBMITTED:
        raise BidError("Only a submitted bid can be given an agreed total.")
    maximum = sum(
        bid.bidding_round.criteria.values_list("max_points", flat=True).exclude(max_points=None)
    )
    if points < 0 or (maximum and points > maximum):
        raise BidError(f"The agreed total is between 0 and {maximum} points.", field="points")
    bid.agreed_points = points
    bid._history_user = by
    bid.save(update_fields=["agreed_points"])
    return bid


@transaction.atomic
def bid_recommend(*, bid: Bid, recommendation: str, note: str = "", by: User | None) -> Bid:
    """The steering group's recommendation to the board (approve / refer back with
    the work needed / reject)."""
    bid = _locked(bid)
    if bid.status != Status.SUBMITTED:
        raise BidError("Only a submitted bid can be recommended.")
    if recommendation == Bid.Recommendation.REFER_BACK and not note.strip():
        raise BidError("Say what further work the bid needs.", field="recommendation_note")
    bid.recommendation = recommendation
    bid.recommendation_note = note
    bid._history_user = by
    bid.save(update_fields=["recommendation", "recommendation_note"])
    return bid


def _bid_named(bid: Bid) -> str:
    return f"{bid.bidding_round}, bid {bid.number}: {bid}"


def _notify_decided(bid: Bid, by: User | None) -> None:
    notify(
        event=Notification.Event.BID_DECIDED,
        obj=bid,
        subject=f"{_bid_named(bid)} ({bid.get_status_display().lower()})",
        recipients=bid_decided_recipients(bid),
        by=by,
    )


def _locked(bid: Bid) -> Bid:
    return Bid.objects.select_for_update().select_related("bidding_round").get(pk=bid.pk)


def bid_set_status(*, bid: Bid, status: str, by: User | None) -> Bid:
    """Move a bid along its lifecycle (the caller holds the bid's row lock)."""
    Bid.LIFECYCLE.move(bid, status, by=by, error=BidError)
    bid.version += 1
    return bid


def _decide(bid: Bid, status: str, by: User | None) -> None:
    """Record the board's decision on the bid, and who recorded it."""
    bid_set_status(bid=bid, status=status, by=by)
    bid.decided_at = timezone.now()
    bid.decided_by = by


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
    _decide(bid, Status.APPROVED, by)
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
        decision=decision,
        by=by,
    )
    _notify_decided(bid, by)
    return bid


@transaction.atomic
def bid_refer_back(*, bid: Bid, note: str, decision: Decision | None, by: User | None) -> Bid:
    """Send a bid back to its sponsor for more work; it may return in a further round."""
    if not note.strip():
        raise BidError("Say what further work the bid needs.", field="recommendation_note")
    bid = _locked(bid)
    _decide(bid, Status.REFERRED_BACK, by)
    bid.recommendation = Bid.Recommendation.REFER_BACK
    bid.recommendation_note = note
    bid.decision = decision
    bid.save()
    _notify_decided(bid, by)
    return bid


@transaction.atomic
def bid_reject(*, bid: Bid, decision: Decision | None, by: User | None) -> Bid:
    bid = _locked(bid)
    _decide(bid, Status.REJECTED, by)
    bid.decision = decision
    bid.save()
    _notify_decided(bid, by)
    return bid


@transaction.atomic
def scores_record(
    *, bid: Bid, scorer: User, scores: list[tuple[Criterion, int, str]]
) -> list[Score]:
    """Record one scorer's points and comment on each criterion from one form: every
    score is kept, or none is."""
    return [
        score_record(bid=bid, criterion=criterion, scorer=scorer, points=points, comment=comment)
        for criterion, points, comment in scores
    ]


@transaction.atomic
def round_recommend_funding_plan(
    *, bidding_round: BiddingRound, minimum_points: int | None = None, by: User | None
) -> list[Bid]:
    """Recommend for approval every bid the fund-in-rank-order plan would fund, keeping
    any note already written on them, for the programme manager to adjust before the
    board decides. Returns the bids recommended."""
    BiddingRound.objects.select_for_update().get(pk=bidding_round.pk)
    plan = round_funding_plan(bidding_round, minimum_points=minimum_points)
    return [
        bid_recommend(
            bid=row.bid,
            recommendation=Bid.Recommendation.APPROVE,
            note=row.bid.recommendation_note,
            by=by,
        )
        for row in plan.rows
        if row.funded
    ]
