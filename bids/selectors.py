"""Read-side figures for bidding rounds."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.models import User
from django.db.models import Count, F, Prefetch, Q, QuerySet, Sum
from django.utils import timezone

from partnership.models import Organisation, Role
from partnership.scopes import Kind, scope_of
from partnership.templatetags.portal import gbp
from programmes.models import BudgetLine
from programmes.selectors import budget_line_balance, budget_lines_with_balances

from .models import Bid, BiddingRound, Criterion, Score

ZERO = Decimal("0.00")
# As the board papers rank bids: agreed points, highest first (unscored last), then
# bid number.
RANK_ORDER = (F("agreed_points").desc(nulls_last=True), "number")


@dataclass(frozen=True)
class RoundMoney:
    available: Decimal
    approved: Decimal

    @property
    def remaining(self) -> Decimal:
        return self.available - self.approved


def round_money(bidding_round: BiddingRound) -> RoundMoney:
    """What the round had to give, what the board approved, and what is left."""
    approved = (
        BiddingRound.objects.filter(pk=bidding_round.pk)
        .with_approved()
        .values_list("approved", flat=True)
        .get()
    )
    return RoundMoney(available=bidding_round.amount_available, approved=approved)


@dataclass(frozen=True)
class LineOffers:
    """What a budget line has uncommitted, and how much of it rounds still deciding
    have offered but not yet approved."""

    uncommitted: Decimal
    offered: Decimal
    offered_by: list[str]

    @property
    def free(self) -> Decimal:
        return max(self.uncommitted - self.offered, ZERO)


def line_offers(
    budget_line: BudgetLine, today: datetime.date, *, passing_on: BiddingRound | None = None
) -> LineOffers:
    """The money a new round on the line may offer. A round is still deciding while it
    is open or any of its bids is undecided; what it offered and has not yet approved
    is promised to its bidders. ``passing_on`` is the round a further round takes over
    from: its remainder is what the further round offers, not a competing promise."""
    undecided = [Bid.Status.DRAFT, Bid.Status.SUBMITTED]
    rounds = (
        BiddingRound.objects.filter(budget_line=budget_line)
        .exclude(pk=passing_on.pk if passing_on else None)
        .with_approved()
        .annotate(undecided=Count("bids", filter=Q(bids__status__in=undecided)))
        .filter(Q(closes_on__gte=today) | Q(undecided__gt=0))
        .order_by("opens_on", "name")
    )
    offers = [(r.name, r.amount_available - r.approved) for r in rounds]
    offers = [(name, amount) for name, amount in offers if amount > 0]
    return LineOffers(
        uncommitted=budget_line_balance(budget_line).available,
        offered=sum((amount for _name, amount in offers), ZERO),
        offered_by=[name for name, _amount in offers],
    )


def round_grant_requested(bidding_round: BiddingRound, *, min_points: int | None = None) -> Decimal:
    """Total grant requested by the round's submitted bids (optionally those scoring at
    least ``min_points``)."""
    bids = Bid.objects.filter(bidding_round=bidding_round).submitted()
    if min_points is not None:
        bids = bids.filter(agreed_points__gte=min_points)
    return bids.aggregate(total=Sum("grant_requested"))["total"] or ZERO


def round_bids(bidding_round: BiddingRound, *, user) -> list[Bid]:
    """The round's bids the user may see, drafts included for their own council's
    officers, ranked. One query."""
    return list(
        Bid.objects.visible_to(user)
        .filter(bidding_round=bidding_round)
        .select_related("sponsor")
        .order_by(*RANK_ORDER)
    )


@dataclass(frozen=True)
class RoundOverview:
    criteria: list[Criterion]
    money: RoundMoney
    bids: list[Bid]


def round_overview(bidding_round: BiddingRound, *, user) -> RoundOverview:
    """The round page: its scoring criteria, its money and the ranked bids the user may
    see (three queries, however many bids)."""
    return RoundOverview(
        criteria=list(bidding_round.criteria.all()),
        money=round_money(bidding_round),
        bids=round_bids(bidding_round, user=user),
    )


def bid_scores(bid: Bid) -> list[Score]:
    """Each scorer's points on each criterion, in criterion order. One query."""
    return list(bid.scores.select_related("criterion", "scorer"))


def ranked_bids(bidding_round: BiddingRound, bids=None):
    """The round's submitted and decided bids, ranked, with their sponsors and
    decisions (one query). Callers prefetch whatever else they show."""
    bids = Bid.objects.all() if bids is None else bids
    return (
        bids.filter(bidding_round=bidding_round)
        .submitted()
        .select_related("sponsor", "decision__meeting")
        .order_by(*RANK_ORDER)
    )


@dataclass(frozen=True)
class PlannedBid:
    bid: Bid
    funded: bool
    reason: str
    cumulative: Decimal


@dataclass(frozen=True)
class FundingPlan:
    money: RoundMoney  # the plan spends what the round has remaining
    rows: list[PlannedBid]

    @property
    def funded_total(self) -> Decimal:
        return sum((row.bid.grant_requested for row in self.rows if row.funded), ZERO)

    @property
    def left(self) -> Decimal:
        return self.money.remaining - self.funded_total


def round_funding_plan(
    bidding_round: BiddingRound, *, minimum_points: int | None = None
) -> FundingPlan:
    """Draft a recommendation: fund bids best to worst while the pot lasts, skipping
    any below the minimum score and any that would overspend (a cheaper bid further
    down may still fit). The programme manager adjusts it before the board sees it."""
    minimum = minimum_points if minimum_points is not None else bidding_round.minimum_points
    money = round_money(bidding_round)
    available = money.remaining
    rows, cumulative = [], ZERO
    for bid in ranked_bids(bidding_round).filter(status=Bid.Status.SUBMITTED):
        points = bid.agreed_points
        if minimum is not None and (points is None or points < minimum):
            rows.append(PlannedBid(bid, False, f"Scored below {minimum}", cumulative))
        elif cumulative + bid.grant_requested > available:
            rows.append(PlannedBid(bid, False, "Not enough left in the round", cumulative))
        else:
            cumulative += bid.grant_requested
            rows.append(PlannedBid(bid, True, "", cumulative))
    return FundingPlan(money=money, rows=rows)


# Pages ------------------------------------------------------------------------------


def round_accepts_changes(
    bidding_round: BiddingRound, *, today: datetime.date | None = None
) -> bool:
    """Whether bids may be drafted, changed and submitted today. The services refuse
    outside these dates; pages ask this so as not to offer what would be refused."""
    today = today or timezone.localdate()
    return bidding_round.opens_on <= today <= bidding_round.closes_on


def rounds_with_money(user) -> QuerySet[BiddingRound]:
    """The rounds the user may see, each with ``approved`` (the grant the board
    allocated) and ``remaining``, in one query."""
    return (
        BiddingRound.objects.visible_to(user)
        .select_related("budget_line__programme__partnership")
        .with_approved()
        .annotate(remaining=F("amount_available") - F("approved"))
    )


# A round closing within this many days is on its programme manager's to-do list.
CLOSING_WITHIN_DAYS = 14


def closing_soon(rounds: QuerySet[BiddingRound], today: datetime.date) -> QuerySet[BiddingRound]:
    """Those of ``rounds`` open today and closing within ``CLOSING_WITHIN_DAYS``."""
    return rounds.filter(
        opens_on__lte=today,
        closes_on__range=(today, today + datetime.timedelta(days=CLOSING_WITHIN_DAYS)),
    )


def rounds_closing_soon(user, today: datetime.date) -> QuerySet[BiddingRound]:
    """The rounds the user may see that close soon, as the round list shows them."""
    return closing_soon(rounds_with_money(user), today)


def bid_savings_as_claimed(bid: Bid) -> str:
    """A bid's cashable savings claimed: the figure, written as every sum of money
    is, with its basis, where the bid gave one; else the bid's own words, labelled as
    the sponsor's; else "None specified"."""
    if bid.savings_claimed is None:
        if bid.savings_claimed_as_written:
            return f"No figure; the sponsor wrote “{bid.savings_claimed_as_written}”"
        return "None specified"
    figure = gbp(bid.savings_claimed)
    if bid.savings_claimed_high:
        figure += f" to {gbp(bid.savings_claimed_high)}"
    basis = {
        Bid.SavingsBasis.PER_ANNUM: "per annum",
        Bid.SavingsBasis.OVER_YEARS: f"over {bid.savings_years} years",
        Bid.SavingsBasis.ONE_OFF: "one-off",
    }.get(bid.savings_basis, "(period not specified)")
    return f"{figure} {basis}"


def _none_last(value, *, descending: bool):
    """A sort key that keeps empty values at the bottom whichever way the column sorts."""
    return (value is None) != descending, value if value is not None else 0


# The ranked table's sortable columns: the query-string key and the value it sorts by.
RANKED_SORTS = {
    "number": lambda bid: bid.number,
    "points": lambda bid: bid.agreed_points,
    "sponsor": lambda bid: (bid.sponsor.short_name or bid.sponsor.name).lower(),
    "project": lambda bid: bid.title.lower(),
    "grant": lambda bid: bid.grant_requested,
    "payback": lambda bid: bid.payback_years,
    "status": lambda bid: bid.get_status_display(),
}


@dataclass(frozen=True)
class RankedTable:
    bids: list[Bid]
    grant_requested: Decimal
    sponsors: list[Organisation]
    sort: str


def round_ranked_table(
    bidding_round: BiddingRound,
    *,
    user,
    whole: bool = False,
    status: str = "",
    min_points: int | None = None,
    sponsor_id: int | None = None,
    sort: str = "",
) -> RankedTable:
    """The round's ranked bids that the user may see (all of them when ``whole``:
    ``bids.permissions.can_read_whole_ranking``), filtered and sorted as asked
    (``sort`` is a key of :data:`RANKED_SORTS`, ``-`` first for descending; anything
    else keeps the rank order), with the total grant they request and the sponsors to
    filter by. A fixed number of queries, however many bids."""
    readable = Bid.objects if whole else Bid.objects.visible_to(user)
    visible = readable.filter(bidding_round=bidding_round).submitted()
    sponsors = Organisation.objects.filter(pk__in=visible.values("sponsor_id")).order_by("name")
    bids = ranked_bids(bidding_round, visible).prefetch_related("declarations__user")
    if status:
        bids = bids.filter(status=status)
    if min_points is not None:
        bids = bids.filter(agreed_points__gte=min_points)
    if sponsor_id is not None:
        bids = bids.filter(sponsor_id=sponsor_id)
    rows = list(bids)
    key = sort.removeprefix("-")
    if key in RANKED_SORTS:
        descending = sort.startswith("-")
        value = RANKED_SORTS[key]
        rows.sort(key=lambda bid: _none_last(value(bid), descending=descending), reverse=descending)
    else:
        sort = ""
    return RankedTable(
        bids=rows,
        grant_requested=sum((bid.grant_requested for bid in rows), ZERO),
        sponsors=list(sponsors),
        sort=sort,
    )


def bid_scorer_totals(scores: list[Score]) -> list[tuple[object, int]]:
    """Each scorer's total points, in the order they first scored, so the steering
    group can see where they differ before agreeing a total."""
    totals: dict = {}
    for score in scores:
        totals[score.scorer] = totals.get(score.scorer, 0) + score.points
    return list(totals.items())


def bid_status_history(bid: Bid) -> list:
    """When the bid was created and each change of its status, with who made it, from
    the audit history. One query."""
    return list(
        bid.history.filter(Q(history_type="+") | Q(history_change_reason__startswith="Status"))
        .select_related("history_user")
        .order_by("history_date", "history_id")
    )


def budget_lines_for_rounds(user) -> QuerySet[BudgetLine]:
    """The budget lines a user may open a round against (those of the partnerships
    they manage), each with its balances, so the form can say what each has left."""
    lines = BudgetLine.objects.select_related("programme").order_by(
        "programme__partnership__name", "programme__name", "position", "name"
    )
    scope = scope_of(user)
    if not scope.is_administrator:
        lines = lines.filter(programme__partnership__in=scope.managed_partnership_ids)
    return budget_lines_with_balances(lines)


def round_sponsors_for(user, bidding_round: BiddingRound) -> list[Organisation]:
    """The councils the user is an officer of that may bid in the round: members of
    its partnership. No query for a user who is nobody's officer."""
    officer_of = scope_of(user).officer_organisation_ids
    if not officer_of:
        return []
    return list(
        Organisation.objects.filter(
            pk__in=officer_of, partnerships=bidding_round.budget_line.programme.partnership_id
        ).order_by("name")
    )


def partner_choices(
    bidding_round: BiddingRound, sponsor: Organisation | None
) -> QuerySet[Organisation]:
    """The organisations a bid in the round may name as partners: the members of the
    round's partnership, less the bid's sponsor."""
    members = Organisation.objects.filter(
        partnerships=bidding_round.budget_line.programme.partnership_id
    ).order_by("name")
    return members.exclude(pk=sponsor.pk) if sponsor is not None else members


def people_with_councils(users, bidding_round: BiddingRound) -> list[User]:
    """The users, by name, each with ``label``: their name (or username) and the member
    organisations of the round's partnership they are an officer of. Two queries."""
    partnership_id = bidding_round.budget_line.programme.partnership_id
    officer_roles = Role.objects.filter(
        kind=Kind.OFFICER, organisation__partnerships=partnership_id
    ).select_related("organisation")
    people = list(
        users.prefetch_related(Prefetch("portal_roles", officer_roles, to_attr="officer_roles"))
    )
    for person in people:
        name = person.get_full_name() or person.get_username()
        councils = sorted(
            role.organisation.short_name or role.organisation.name for role in person.officer_roles
        )
        person.label = f"{name} ({', '.join(councils)})" if councils else name
    return sorted(people, key=lambda person: person.label.lower())
