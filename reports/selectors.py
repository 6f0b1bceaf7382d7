"""What a board pack shows. Every figure comes from the selector of the app that owns
it (the ledger's balances, the savings summaries, the ranked bids, the minutes); this
module only picks the records a meeting needs and lays them out as the board papers
of April 2011 do, adding nothing but the totals rows of its tables."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from bids.models import Bid, BiddingRound
from bids.selectors import RoundMoney, ranked_bids, round_grant_requested, round_money
from partnership.financial_years import financial_year_of
from partnership.models import AgendaItem, Meeting
from partnership.selectors import MeetingRecord, meeting_record
from programmes.models import BudgetLine, Programme
from programmes.selectors import ProgrammeBalance, budget_lines_with_balances
from savings.models import SavingsTotal
from savings.selectors import (
    ForecastCounts,
    SubRegionSavings,
    forecast_counts,
    savings_totals_by,
    sub_region_savings,
)

from .balances import ProgrammeBalanceRow, balance_rows, balance_totals
from .models import BoardPack

ZERO = Decimal("0.00")
Kind = BoardPack.Kind


def _totals(rows, **columns) -> dict[str, Decimal]:
    """A totals row: for each column name, the sum of ``read(row)`` over the rows."""
    return {name: sum((read(row) for row in rows), ZERO) for name, read in columns.items()}


def _a_year_before(day: datetime.date) -> datetime.date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


# Cover and agenda ---------------------------------------------------------------------


@dataclass(frozen=True)
class AgendaReport:
    items: list[AgendaItem]


def board_pack_agenda(meeting: Meeting) -> AgendaReport:
    return AgendaReport(items=list(meeting.agenda_items.all()))


# Minutes of the previous meeting --------------------------------------------------------


@dataclass(frozen=True)
class MinutesReport:
    meeting: Meeting | None
    record: MeetingRecord | None


def board_pack_minutes(meeting: Meeting) -> MinutesReport:
    """The minutes of the board's last meeting before this one, with its decisions
    and actions; none when this is the board's first recorded meeting."""
    previous = (
        Meeting.objects.filter(partnership_id=meeting.partnership_id, held_on__lt=meeting.held_on)
        .select_related("partnership")
        .order_by("-held_on")
        .first()
    )
    return MinutesReport(
        meeting=previous, record=meeting_record(previous) if previous is not None else None
    )


# Sub-regional programmes --------------------------------------------------------------


@dataclass(frozen=True)
class SubRegionalReport:
    savings: list[SubRegionSavings]
    savings_totals: dict[str, Decimal]
    balances: list[ProgrammeBalanceRow]
    balance_totals: ProgrammeBalance


def board_pack_sub_regional(meeting: Meeting) -> SubRegionalReport:
    """Per sub-region: its grant allocation, savings delivered and total potential
    savings (the table of item 6, April 2011), then the money left in each of the
    sub-regions' programmes that had started by the meeting, in a fixed number of
    queries."""
    programmes = list(
        Programme.objects.filter(
            partnership_id=meeting.partnership_id,
            sub_region__isnull=False,
            starts_on__lte=meeting.held_on,
        )
        .select_related("sub_region")
        .order_by("sub_region__name", "starts_on", "name")
    )
    savings = sub_region_savings(partnership=meeting.partnership, programmes=programmes)
    balances = balance_rows(programmes)
    return SubRegionalReport(
        savings=savings,
        savings_totals=_totals(
            savings,
            allocation=lambda row: row.allocation,
            delivered=lambda row: row.delivered,
            forecast=lambda row: row.forecast,
            potential=lambda row: row.potential,
        ),
        balances=balances,
        balance_totals=balance_totals(balances),
    )


# Regional programmes ------------------------------------------------------------------


@dataclass(frozen=True)
class RegionalProgrammeRow(ProgrammeBalanceRow):
    delivered: Decimal = ZERO
    anticipated: Decimal = ZERO


@dataclass(frozen=True)
class RegionalProgrammeReport:
    rows: list[RegionalProgrammeRow]
    balance_totals: ProgrammeBalance
    savings_totals: dict[str, Decimal]


def board_pack_regional_programmes(meeting: Meeting) -> RegionalProgrammeReport:
    """The partnership's own programmes (run by no sub-region) that had started by the
    meeting: the allocation each received, its balances, and the savings it has
    delivered and still anticipates."""
    programmes = list(
        Programme.objects.filter(
            partnership_id=meeting.partnership_id,
            sub_region__isnull=True,
            starts_on__lte=meeting.held_on,
        ).order_by("starts_on", "name")
    )
    savings = {
        row["name"]: row
        for row in savings_totals_by(
            "programme", savings=SavingsTotal.objects.filter(programme__in=programmes)
        )
    }
    rows = [
        RegionalProgrammeRow(
            programme=row.programme,
            balance=row.balance,
            delivered=savings.get(row.programme.pk, {}).get("delivered", ZERO),
            anticipated=savings.get(row.programme.pk, {}).get("forecast", ZERO),
        )
        for row in balance_rows(programmes)
    ]
    return RegionalProgrammeReport(
        rows=rows,
        balance_totals=balance_totals(rows),
        savings_totals=_totals(
            rows, delivered=lambda row: row.delivered, anticipated=lambda row: row.anticipated
        ),
    )


# Project bids -------------------------------------------------------------------------


@dataclass(frozen=True)
class RoundReport:
    bidding_round: BiddingRound
    money: RoundMoney
    grant_requested: Decimal
    bids: list[Bid] = field(default_factory=list)


@dataclass(frozen=True)
class BidsReport:
    rounds: list[RoundReport]


def board_pack_bids(meeting: Meeting) -> BidsReport:
    """The bids of each of the partnership's rounds that closed in the twelve months
    before the meeting, ranked as the steering group scored them, with what each
    round had to give and what the bids asked for."""
    rounds = (
        BiddingRound.objects.filter(
            budget_line__programme__partnership_id=meeting.partnership_id,
            closes_on__lt=meeting.held_on,
            closes_on__gte=_a_year_before(meeting.held_on),
        )
        .select_related("budget_line__programme")
        .order_by("closes_on", "name")
    )
    return BidsReport(
        rounds=[
            RoundReport(
                bidding_round=bidding_round,
                money=round_money(bidding_round),
                grant_requested=round_grant_requested(bidding_round),
                bids=list(ranked_bids(bidding_round)),
            )
            for bidding_round in rounds
        ]
    )


# Budget allocations -------------------------------------------------------------------


@dataclass(frozen=True)
class ProgrammeBudget:
    programme: Programme
    lines: list[BudgetLine]
    totals: dict[str, Decimal]


@dataclass(frozen=True)
class BudgetReport:
    programmes: list[ProgrammeBudget]


def board_pack_budget(meeting: Meeting) -> BudgetReport:
    """Each budget line of the partnership's programmes running on the day of the
    meeting, with what is allocated, committed, paid and still available (two
    queries)."""
    programmes = list(
        Programme.objects.filter(
            partnership_id=meeting.partnership_id,
            starts_on__lte=meeting.held_on,
            ends_on__gte=meeting.held_on,
        ).order_by("starts_on", "name")
    )
    lines = list(
        budget_lines_with_balances(
            BudgetLine.objects.filter(programme__in=programmes).order_by(
                "programme", "position", "name"
            )
        )
    )
    budgets = []
    for programme in programmes:
        own = [line for line in lines if line.programme_id == programme.pk]
        budgets.append(
            ProgrammeBudget(
                programme=programme,
                lines=own,
                totals=_totals(
                    own,
                    allocated=lambda line: line.allocated,
                    committed=lambda line: line.committed,
                    paid=lambda line: line.paid,
                    available=lambda line: line.available,
                ),
            )
        )
    return BudgetReport(programmes=budgets)


# Savings forecast returns -------------------------------------------------------------


def board_pack_forecasts(meeting: Meeting) -> ForecastCounts:
    """The members' forecast returns for the financial year of the meeting and the
    next: received, green, amber, red, received but not rated, and who made no
    return, for the partnership and each sub-region (five queries)."""
    year = financial_year_of(meeting.held_on)
    return forecast_counts(partnership=meeting.partnership, years=[year, year + 1])


# The pack -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Section:
    key: str  # the partial ``pdf/sections/<key>.html`` draws it; also its anchor
    title: str
    report: object


@dataclass(frozen=True)
class BoardPackContext:
    meeting: Meeting
    kind: str
    title: str
    sections: list[Section]

    @property
    def has_contents(self) -> bool:
        return len(self.sections) > 1


# In the order of the April 2011 agenda: minutes, then the reports.
SECTIONS = [
    ("agenda", "Agenda", board_pack_agenda),
    (Kind.MINUTES, "Minutes of the previous meeting", board_pack_minutes),
    (Kind.SUB_REGIONAL, "Progress report: sub-regional programmes", board_pack_sub_regional),
    (
        Kind.REGIONAL_PROGRAMME,
        "Progress report: regional programmes",
        board_pack_regional_programmes,
    ),
    (Kind.BIDS, "Project bids", board_pack_bids),
    (Kind.BUDGET, "Budget allocations", board_pack_budget),
    # In the full pack only: a pack of this report alone is no kind of its own.
    ("forecasts", "Savings forecast returns", board_pack_forecasts),
]


def board_pack_context(meeting: Meeting, kind: str) -> BoardPackContext:
    """Everything the pack of ``kind`` for ``meeting`` prints: every section for a full
    pack, the one report otherwise. Queries grow with the number of programmes and
    rounds reported on, never with the number of bids, lines or ledger entries."""
    kind = Kind(kind)
    return BoardPackContext(
        meeting=meeting,
        kind=kind,
        title=kind.label,
        sections=[
            Section(key=str(key), title=title, report=build(meeting))
            for key, title, build in SECTIONS
            if kind == Kind.FULL or key == kind
        ],
    )


def published_packs(meetings: Iterable[Meeting]) -> dict[int, BoardPack]:
    """Each meeting's latest finished full board pack, by meeting id, in one query."""
    packs = BoardPack.objects.filter(
        meeting__in=[meeting.pk for meeting in meetings],
        kind=BoardPack.Kind.FULL,
        status=BoardPack.Status.DONE,
    ).order_by("finished_at", "pk")
    return {pack.meeting_id: pack for pack in packs}
