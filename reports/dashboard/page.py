"""The dashboard page: what the filters put in view, the headline figures and charts
built from it, and where each figure's rows are listed."""

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property
from urllib.parse import urlencode

from django.db.models import QuerySet
from django.urls import reverse

from bids.models import BiddingRound
from partnership.models import Action, Meeting
from partnership.scopes import scope_of
from partnership.selectors import outstanding_actions
from partnership.templatetags.portal import gbp_short
from programmes.models import Programme
from programmes.selectors import ProgrammeBalance
from projects.models import Rag

from ..balances import ProgrammeBalanceRow, balance_totals
from .charts import (
    AMBER,
    BLUE,
    DARK_GREY,
    GREEN,
    LIGHT_BLUE,
    ORANGE,
    RED,
    Chart,
    Column,
    Row,
    Series,
    counted,
)
from .figures import (
    Filters,
    ForecastFigures,
    SavingsFigures,
    bids_by_status,
    forecast_figures,
    latest_report_rags,
    milestones_by_month,
    programme_money,
    project_status_counts,
    savings_figures,
    sub_region_rows,
)

ACTIONS_SHOWN = 10
RAG_COLOURS = {Rag.GREEN: GREEN, Rag.AMBER: AMBER, Rag.RED: RED}


# Where the rows behind each figure are listed -------------------------------------------


@dataclass(frozen=True)
class Lists:
    """Where each figure's rows are listed: the portal's own list pages, where they
    show exactly the rows counted, else None and the figure is shown without a link.
    The admin site's lists are no stand-in: board members are not staff, so it sends
    them to its sign-in page. Building a link costs no query."""

    filters: Filters
    programme_ids: list[int]
    round_ids: list[int]
    # The user reads this partnership's projects and no other's, so the projects list
    # unfiltered holds exactly the partnership's projects.
    reads_only_this_partnership: bool

    # The money figures are each the total of a column of the spend table, whose rows
    # link to the programmes' pages and their ledgers.
    money = "#spend-by-programme"

    def projects(self, status: str) -> str | None:
        url = reverse("projects:project-list")
        if len(self.programme_ids) == 1:
            return f"{url}?{urlencode({'programme': self.programme_ids[0], 'status': status})}"
        if self.reads_only_this_partnership and not self.filters.narrowed:
            return f"{url}?{urlencode({'status': status})}"
        return None  # the list filters by one programme at most

    def savings(self) -> str:
        params = {"partnership": self.filters.partnership.slug}
        if self.filters.financial_year is not None:
            params["year"] = self.filters.financial_year
        return f"{reverse('savings:summary')}?{urlencode(params)}"

    def targets(self) -> str:
        query = urlencode({"partnership": self.filters.partnership.slug})
        return f"{reverse('savings:targets')}?{query}"

    def bids(self, status: str) -> str | None:
        if len(self.round_ids) == 1:
            url = reverse("bids:round-ranked", kwargs={"pk": self.round_ids[0]})
            return f"{url}?{urlencode({'status': status})}"
        return None  # each round ranks its own bids; no page lists several rounds' bids

    def actions(self) -> str:
        return reverse(
            "partnership:outstanding-actions", kwargs={"slug": self.filters.partnership.slug}
        )


# What is in view, and the charts drawn from it ---------------------------------------


@dataclass(frozen=True)
class View:
    """What the filters put in view, with where its figures are listed. Figures used
    by more than one part of the page are read once."""

    filters: Filters
    programmes: QuerySet[Programme]
    lists: Lists
    today: datetime.date

    @cached_property
    def money(self) -> list[ProgrammeBalanceRow]:
        return programme_money(self.programmes)


def view_of(filters: Filters, *, user, today: datetime.date) -> View:
    """The programmes in view and the links to the lists behind the figures (two
    queries)."""
    programmes = filters.programmes()
    scope = scope_of(user)
    return View(
        filters=filters,
        programmes=programmes,
        lists=Lists(
            filters=filters,
            programme_ids=list(programmes.values_list("pk", flat=True)),
            round_ids=list(
                BiddingRound.objects.filter(budget_line__programme__in=programmes).values_list(
                    "pk", flat=True
                )
            ),
            reads_only_this_partnership=(
                not scope.is_administrator
                and scope.readable_partnership_ids == {filters.partnership.pk}
            ),
        ),
        today=today,
    )


def named(column: int, what: str) -> Callable[[list], str]:
    """A bar's figure that says which series it is (``£1.2m paid``), so that no reader
    has to tell the bars apart by colour."""
    return lambda values: f"{gbp_short(values[column])} {what}"


def sub_region_chart(view: View, slug: str) -> Chart:
    rows = sub_region_rows(view.filters, view.programmes)
    return Chart(
        slug=slug,
        title="Savings delivered and potential by sub-region",
        note=(
            "The bars show each sub-region's savings delivered and its total potential "
            "savings (delivered plus still forecast). The table also gives the grant "
            "allocated to the sub-region's programmes."
        ),
        columns=[
            Column("Sub-region"),
            Column("Grant allocation", "money"),
            Column("Delivered savings", "money"),
            Column("Total potential savings", "money"),
        ],
        rows=[
            Row(
                row.sub_region.name,
                row.sub_region.get_absolute_url(),
                [row.allocation, row.delivered, row.potential],
            )
            for row in rows
        ],
        series=[
            Series(1, "Delivered savings", GREEN, text=named(1, "delivered")),
            Series(2, "Total potential savings", LIGHT_BLUE, text=named(2, "potential")),
        ],
    )


def spend_chart(view: View, slug: str) -> Chart:
    return Chart(
        slug=slug,
        title="Spend against allocation by programme",
        note=(
            "The bars show the grant each programme was allocated (has received), how "
            "much of it is committed to projects and how much is paid out. The table "
            "also gives what remains: received and not yet committed."
        ),
        columns=[
            Column("Programme"),
            Column("Grant allocated", "money"),
            Column("Committed", "money"),
            Column("Paid", "money"),
            Column("Remaining", "money"),
        ],
        rows=[
            Row(
                row.programme.name,
                row.programme.get_absolute_url(),
                [
                    row.balance.funds_received,
                    row.balance.committed,
                    row.balance.paid,
                    row.balance.uncommitted,
                ],
            )
            for row in view.money
        ],
        series=[
            Series(0, "Grant allocated", DARK_GREY, text=named(0, "allocated")),
            Series(1, "Committed", BLUE, text=named(1, "committed")),
            Series(2, "Paid", ORANGE, text=named(2, "paid")),
        ],
    )


def rag_chart(view: View, slug: str) -> Chart:
    return Chart(
        slug=slug,
        title="RAG status in the latest progress reports",
        note=(
            "Each live project counted once, by the overall RAG status of its latest "
            "submitted quarterly progress report."
        ),
        columns=[Column("RAG status"), Column("Projects", "count")],
        # No portal page lists projects by the RAG of their latest report.
        rows=[
            Row(Rag(rag).label, None, [count], colour=RAG_COLOURS[rag])
            for rag, count in latest_report_rags(view.programmes).items()
        ],
        series=[Series(0, "Projects", BLUE, text=lambda values: counted(values[0], "project"))],
    )


def milestone_chart(view: View, slug: str) -> Chart:
    return Chart(
        slug=slug,
        title="Milestones overdue and due in the next six months",
        note=(
            "Milestones of live projects not yet achieved, by their forecast date, with "
            "the grant their verification releases."
        ),
        columns=[
            Column("Forecast"),
            Column("Milestones", "count"),
            Column("Grant released", "money"),
        ],
        # No portal page lists milestones by forecast month.
        rows=[
            Row(
                month.label,
                None,
                [month.count, month.payments],
                colour=RED if month.overdue else None,
            )
            for month in milestones_by_month(view.programmes, view.today)
        ],
        series=[
            Series(
                0,
                "Milestones",
                BLUE,
                text=lambda values: f"{counted(values[0], 'milestone')}, {gbp_short(values[1])}",
            )
        ],
    )


def bids_chart(view: View, slug: str) -> Chart:
    return Chart(
        slug=slug,
        title="Bids in the pipeline",
        note=(
            "Bids submitted to the bidding rounds of the programmes in view, by where "
            "they stand, with the grant they request."
        ),
        columns=[Column("Status"), Column("Bids", "count"), Column("Grant requested", "money")],
        rows=[
            Row(bid.label, view.lists.bids(bid.status), [bid.count, bid.requested])
            for bid in bids_by_status(view.programmes)
        ],
        series=[
            Series(
                0,
                "Bids",
                BLUE,
                text=lambda values: (
                    f"{counted(values[0], 'bid')}, {gbp_short(values[1])} requested"
                ),
            )
        ],
    )


# In the order the page shows them; the key is the chart's anchor and download name.
CHARTS: dict[str, Callable[[View, str], Chart]] = {
    "savings-by-sub-region": sub_region_chart,
    "spend-by-programme": spend_chart,
    "progress-report-rag": rag_chart,
    "milestones-by-month": milestone_chart,
    "bids-pipeline": bids_chart,
}


def dashboard_chart(view: View, slug: str) -> Chart | None:
    """One chart, for its download; None when there is no such chart."""
    build = CHARTS.get(slug)
    return build(view, slug) if build else None


# The page -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Figure:
    """A headline figure, linked to the list behind it where there is one."""

    label: str
    value: Decimal | int | None
    url: str | None
    hint: str = ""
    kind: str = "money"  # or count


def money_figures(view: View, money: ProgrammeBalance) -> list[Figure]:
    lists = view.lists
    return [
        Figure(
            "Grant allocated",
            money.funds_received,
            lists.money,
            f"{gbp_short(money.allocated)} of it allocated to budget lines",
        ),
        Figure(
            "Committed",
            money.committed,
            lists.money,
            "Grant approved for projects",
        ),
        Figure(
            "Paid",
            money.paid,
            lists.money,
            (
                f"{(money.paid * 100 / money.committed).quantize(Decimal('1'))}% of what is "
                "committed"
                if money.committed
                else "Nothing is committed yet"
            ),
        ),
        Figure(
            "Remaining",
            money.uncommitted,
            lists.money,
            f"{gbp_short(money.available)} on budget lines, "
            f"{gbp_short(money.unallocated)} not yet allocated to them",
        ),
    ]


def savings_headline(view: View, savings: SavingsFigures) -> list[Figure]:
    lists = view.lists
    if savings.target is not None:
        target_hint = f"Delivered savings are {savings.delivered_share_of_target}% of it"
    elif view.filters.programme or view.filters.sub_region:
        target_hint = "Targets are set for councils: choose all programmes and sub-regions"
    else:
        target_hint = "No targets set for the years in view"
    return [
        Figure(
            "Savings delivered",
            savings.delivered,
            lists.savings(),
            "From certified returns and programme reports",
        ),
        Figure(
            "Total potential savings",
            savings.potential,
            lists.savings(),
            "Delivered plus still forecast",
        ),
        Figure("Target", savings.target, lists.targets(), target_hint),
    ]


@dataclass(frozen=True)
class Dashboard:
    view: View
    money: list[Figure]
    savings: list[Figure]
    projects: list[Figure]
    charts: list[Chart]
    actions: list[Action]
    more_actions: bool
    forecasts: ForecastFigures


def dashboard_page(view: View) -> Dashboard:
    """Everything the dashboard shows, in a fixed number of queries."""
    actions = list(
        outstanding_actions(Meeting.objects.filter(partnership=view.filters.partnership))[
            : ACTIONS_SHOWN + 1
        ]
    )
    return Dashboard(
        view=view,
        money=money_figures(view, balance_totals(view.money)),
        savings=savings_headline(view, savings_figures(view.filters, view.programmes)),
        projects=[
            Figure(row.label, row.count, view.lists.projects(row.status), kind="count")
            for row in project_status_counts(view.programmes)
        ],
        charts=[build(view, slug) for slug, build in CHARTS.items()],
        actions=actions[:ACTIONS_SHOWN],
        more_actions=len(actions) > ACTIONS_SHOWN,
        forecasts=forecast_figures(view.filters, view.today),
    )
