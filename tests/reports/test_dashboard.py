"""The dashboard: a partnership's money, savings, projects, bids and board actions for
its programme managers and board members, each figure linked to its list, each chart
with its table and CSV, in the same number of queries however much data there is."""

import csv
import datetime
import html
import io
import re
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from bids.models import Bid
from partnership.models import Action, Partnership, Role
from programmes.models import LedgerEntry, Programme
from projects.models import Milestone, ProgressReport, Project
from savings.models import SavingsEntry
from savings.services import savings_totals_rebuild
from tests.factories import (
    BiddingRoundFactory,
    BidFactory,
    GrantPaymentFactory,
    MeetingFactory,
    MilestoneFactory,
    OrganisationFactory,
    PartnershipFactory,
    ProgrammeFactory,
    ProjectFactory,
    SavingsCategoryFactory,
    SavingsEntryFactory,
    SubRegionFactory,
    funded_budget_line,
    programme_agreement,
    user_with_role,
)

pytestmark = pytest.mark.django_db

D = Decimal
DASHBOARD = reverse("reports:dashboard")
CHARTS = [
    "savings-by-sub-region",
    "spend-by-programme",
    "progress-report-rag",
    "milestones-by-month",
    "bids-pipeline",
]


class Tables(HTMLParser):
    """Every table of a page as rows of cell texts, keyed by the id of the section it
    sits in, with the first link of each row."""

    def __init__(self, page: str):
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self.links: dict[str, list[str]] = {}
        self.section = ""
        self.row: list[str] | None = None
        self.cell: list[str] | None = None
        self.feed(page)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "section":
            self.section = attrs.get("id", "")
        elif tag == "table":
            self.tables[self.section] = []
            self.links[self.section] = []
        elif tag == "tr":
            self.row = []
        elif tag in ("td", "th") and self.row is not None:
            self.cell = []
        elif tag == "a" and self.cell is not None and not self.row:
            self.links[self.section].append(attrs["href"])

    def handle_data(self, data):
        if self.cell is not None:
            self.cell.append(data)

    def handle_endtag(self, tag):
        if tag == "section":
            self.section = ""
        elif tag in ("td", "th") and self.cell is not None:
            self.row.append(" ".join("".join(self.cell).split()))
            self.cell = None
        elif tag == "tr" and self.row is not None:
            self.tables[self.section].append(self.row)
            self.row = None


def error_summary(page: str) -> list[tuple[str, str]]:
    """The GOV.UK error summary's items: (link, message)."""
    if "govuk-error-summary__list" not in page:
        return []
    summary = page[page.index("govuk-error-summary__list") :]
    summary = summary[: summary.index("</ul>")]
    return [
        (href, html.unescape(message))
        for href, message in re.findall(r'<a href="([^"]*)">([^<]*)</a>', summary)
    ]


def tables(response) -> Tables:
    assert response.status_code == 200
    return Tables(response.content.decode())


def download(client, chart: str, **params) -> list[list[str]]:
    response = client.get(reverse("reports:dashboard-download", args=[chart]), params)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    content = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(content)))


def ledger(programme, kind: str, amount: str, line=None, **fields) -> LedgerEntry:
    return LedgerEntry.objects.create(
        programme=programme,
        kind=kind,
        amount=D(amount),
        occurred_on=datetime.date(2011, 6, 1),
        budget_line=line,
        **fields,
    )


@pytest.fixture
def em_iep():
    """A partnership with a funded projects line of £750k, £320k of it committed and
    £40k paid, and three projects; a sub-region running a programme of its own."""
    partnership = PartnershipFactory(name="East Midlands IEP", short_name="EM IEP", slug="em-iep")
    line = funded_budget_line(
        D("750000.00"),
        name="Projects",
        programme__partnership=partnership,
        programme__name="Improvement and Efficiency Programme 2011/13",
    )
    ledger(line.programme, "commitment", "320000.00", line)
    ledger(line.programme, "payment", "40000.00", line)
    for status in ("approved", "approved", "in_delivery"):
        ProjectFactory(budget_line=line, status=status)
    derbyshire = SubRegionFactory(partnership=partnership, name="Derbyshire")
    srp = funded_budget_line(
        D("3890000.00"),
        programme__partnership=partnership,
        programme__sub_region=derbyshire,
        programme__name="Derbyshire SRP Programme 2008/11",
        programme__starts_on=datetime.date(2008, 4, 1),
        programme__ends_on=datetime.date(2011, 3, 31),
    ).programme
    return {
        "partnership": partnership,
        "line": line,
        "programme": line.programme,
        "derbyshire": derbyshire,
        "srp": srp,
        "board": user_with_role(Role.Kind.BOARD_MEMBER, partnership=partnership),
        "manager": user_with_role(Role.Kind.PROGRAMME_MANAGER, partnership=partnership),
    }


# Who sees it -------------------------------------------------------------------------


def test_a_board_member_reads_the_money_and_projects_of_their_partnership(client, em_iep):
    client.force_login(em_iep["board"])

    page = client.get(DASHBOARD)

    assert page.status_code == 200
    text = page.content.decode()
    assert "EM IEP" in text
    money = {figure.label: figure.value for figure in page.context["dashboard"].money}
    assert money == {
        "Grant allocated": D("4640000.00"),
        "Committed": D("320000.00"),
        "Paid": D("40000.00"),
        "Remaining": D("4320000.00"),
    }
    projects = {figure.label: figure.value for figure in page.context["dashboard"].projects}
    assert projects["Approved"] == 2 and projects["In delivery"] == 1
    assert projects["Closed"] == 0


@pytest.mark.parametrize("kind", [Role.Kind.OFFICER, Role.Kind.FINANCE])
def test_officers_and_finance_officers_are_refused_the_dashboard(client, em_iep, kind):
    council = OrganisationFactory(partnership=em_iep["partnership"])
    client.force_login(user_with_role(kind, organisation=council))

    assert client.get(DASHBOARD).status_code == 403
    assert client.get(reverse("reports:dashboard-download", args=[CHARTS[0]])).status_code == 403
    assert "Dashboard" not in client.get(reverse("home")).content.decode()


def test_a_finance_officer_of_the_partnership_is_refused_too(client, em_iep):
    client.force_login(user_with_role(Role.Kind.FINANCE, partnership=em_iep["partnership"]))

    assert client.get(DASHBOARD).status_code == 403


def test_an_officer_who_also_sits_on_the_board_reads_the_dashboard(client, em_iep):
    council = OrganisationFactory(partnership=em_iep["partnership"])
    officer = user_with_role(Role.Kind.OFFICER, organisation=council)
    Role.objects.create(
        user=officer, kind=Role.Kind.BOARD_MEMBER, partnership=em_iep["partnership"]
    )
    client.force_login(officer)

    assert client.get(DASHBOARD).status_code == 200
    assert f'href="{DASHBOARD}"' in client.get(reverse("home")).content.decode()


def test_a_board_member_asking_for_another_partnership_finds_nothing(client, em_iep):
    other = PartnershipFactory(slug="team-lancashire")
    funded_budget_line(programme__partnership=other)
    client.force_login(em_iep["board"])

    assert client.get(DASHBOARD, {"partnership": "team-lancashire"}).status_code == 404
    assert client.get(DASHBOARD, {"partnership": "no-such-partnership"}).status_code == 404
    csv_url = reverse("reports:dashboard-download", args=[CHARTS[1]])
    assert client.get(csv_url, {"partnership": "team-lancashire"}).status_code == 404


def test_an_administrator_chooses_among_every_partnership(client, em_iep):
    other = PartnershipFactory(short_name="Team Lancashire", slug="team-lancashire")
    funded_budget_line(D("100000.00"), programme__partnership=other)
    client.force_login(user_with_role(Role.Kind.ADMINISTRATOR))

    page = client.get(DASHBOARD, {"partnership": "team-lancashire"})

    assert page.status_code == 200
    money = {figure.label: figure.value for figure in page.context["dashboard"].money}
    assert money["Grant allocated"] == D("100000.00")
    choices = [text for _value, text in page.context["form"].fields["partnership"].choices]
    assert choices == ["EM IEP", "Team Lancashire"]


def test_signing_in_is_asked_for_first(client):
    page = client.get(DASHBOARD)

    assert page.status_code == 302
    assert page["Location"].startswith(reverse("login"))


# Filters -----------------------------------------------------------------------------


def test_a_sub_region_shows_only_the_programmes_it_runs(client, em_iep):
    client.force_login(em_iep["manager"])

    page = client.get(DASHBOARD, {"sub_region": em_iep["derbyshire"].pk})

    spend = tables(page).tables["spend-by-programme"]
    assert [row[0] for row in spend[1:]] == ["Derbyshire SRP Programme 2008/11", "Total"]
    assert spend[1][1] == "£3,890,000"
    sub_regions = tables(page).tables["savings-by-sub-region"]
    assert [row[0] for row in sub_regions[1:]] == ["Derbyshire", "Total"]


def test_a_financial_year_shows_the_programmes_running_in_it(client, em_iep):
    client.force_login(em_iep["manager"])

    page = client.get(DASHBOARD, {"year": 2010})

    spend = tables(page).tables["spend-by-programme"]
    assert [row[0] for row in spend[1:]] == ["Derbyshire SRP Programme 2008/11", "Total"]
    assert "running in 2010/11" in page.content.decode()


def test_a_programme_links_its_projects_to_the_projects_list(client, em_iep):
    client.force_login(em_iep["board"])

    page = client.get(DASHBOARD, {"programme": em_iep["programme"].pk})

    approved = next(f for f in page.context["dashboard"].projects if f.label == "Approved")
    assert approved.url == (
        f"{reverse('projects:project-list')}?programme={em_iep['programme'].pk}&status=approved"
    )
    listed = client.get(approved.url).content.decode()
    assert listed.count("/projects/") >= 2


def test_a_programme_of_another_partnership_is_reported_and_left_out(client, em_iep):
    elsewhere = ProgrammeFactory()
    client.force_login(em_iep["board"])

    page = client.get(DASHBOARD, {"programme": elsewhere.pk})

    assert page.status_code == 200
    text = page.content.decode()
    assert "There is a problem" in text
    assert error_summary(text) == [("#id_programme", "Choose one of the partnership's programmes")]
    assert 'id="id_programme"' in text  # where the link puts the cursor
    assert page.context["filters"].programme is None
    assert len(tables(page).tables["spend-by-programme"]) == 4  # heading, 2 programmes, total


def test_each_filter_in_error_is_listed_in_the_summary_in_the_forms_order(client, em_iep):
    client.force_login(em_iep["manager"])

    page = client.get(DASHBOARD, {"year": 1990, "sub_region": SubRegionFactory().pk})

    text = page.content.decode()
    assert "<title>Error: Dashboard" in text
    assert error_summary(text) == [
        ("#id_sub_region", "Choose one of the partnership's sub-regions"),
        ("#id_year", "Choose a year the partnership's programmes run in"),
    ]
    assert 'id="id_sub_region"' in text and 'id="id_year"' in text


def test_the_filters_carry_into_the_downloads(client, em_iep):
    client.force_login(em_iep["manager"])

    rows = download(client, "spend-by-programme", sub_region=em_iep["derbyshire"].pk)

    assert rows == [
        ["Programme", "Grant allocated", "Committed", "Paid", "Remaining"],
        ["Derbyshire SRP Programme 2008/11", "3890000.00", "0.00", "0.00", "3890000.00"],
        ["Total", "3890000.00", "0.00", "0.00", "3890000.00"],
    ]


def test_an_unknown_chart_cannot_be_downloaded(client, em_iep):
    client.force_login(em_iep["board"])

    assert client.get(reverse("reports:dashboard-download", args=["nothing"])).status_code == 404


# Charts ------------------------------------------------------------------------------


def test_each_chart_is_an_image_described_in_words_with_its_table(client, em_iep):
    client.force_login(em_iep["board"])

    page = client.get(DASHBOARD).content.decode()

    spend = page[page.index('id="spend-by-programme"') :]
    spend = spend[: spend.index("</section>")]
    assert 'role="img"' in spend
    assert '<title id="spend-by-programme-title">Spend against allocation by programme' in spend
    assert "Improvement and Efficiency Programme 2011/13: grant allocated £750k" in spend
    assert "Show as a table" in spend
    assert "Download the table as CSV" in spend


def chart_section(page: str, slug: str) -> str:
    part = page[page.index(f'id="{slug}"') :]
    return html.unescape(part[: part.index("</section>")])


def legend(chart: str) -> list[tuple[str, str]]:
    return re.findall(r'fill="(#[0-9a-f]{6})"/></svg>([^<]+)</li>', chart)


def test_each_chart_says_what_its_bars_draw_in_colours_told_apart(client, em_iep):
    council = OrganisationFactory(partnership=em_iep["partnership"])
    em_iep["derbyshire"].members.add(council)
    SavingsEntryFactory(organisation=council, programme=em_iep["srp"], amount=D("30000.00"))
    client.force_login(em_iep["board"])

    page = client.get(DASHBOARD).content.decode()

    spend = chart_section(page, "spend-by-programme")
    assert "The bars show the grant each programme was allocated (has received), how " in spend
    assert legend(spend) == [
        ("#505a5f", "Grant allocated"),
        ("#1d70b8", "Committed"),
        ("#f47738", "Paid"),
    ]
    assert ">£750k allocated</text>" in spend  # each bar's figure names its series
    assert ">£40k paid</text>" in spend
    sub_regions = chart_section(page, "savings-by-sub-region")
    assert "The bars show each sub-region's savings delivered and its total potential" in (
        sub_regions
    )
    assert "The table also gives the grant allocated" in sub_regions
    assert legend(sub_regions) == [
        ("#00703c", "Delivered savings"),
        ("#5694ca", "Total potential savings"),
    ]
    assert ">£30k delivered</text>" in sub_regions


def test_the_progress_chart_counts_each_live_projects_latest_submitted_report(client, em_iep):
    line = em_iep["line"]
    improving, slipping, drafting, closed = (
        ProjectFactory(budget_line=line, status="in_delivery") for _ in range(4)
    )

    def report(project, quarter, rag, status="submitted", version=1):
        ProgressReport.objects.create(
            project=project,
            financial_year=2011,
            quarter=quarter,
            rag=rag,
            status=status,
            version=version,
        )

    report(improving, 1, "red")
    report(improving, 2, "amber", status="superseded")
    report(improving, 2, "green", version=2)
    report(slipping, 1, "green")
    report(slipping, 2, "amber")
    report(drafting, 1, "amber")
    report(drafting, 2, "red", status="draft")
    closed.status = "closed"
    closed.save()
    report(closed, 1, "red")
    client.force_login(em_iep["board"])

    rows = tables(client.get(DASHBOARD)).tables["progress-report-rag"]

    assert rows[1:] == [["Green", "1"], ["Amber", "2"], ["Red", "0"], ["Total", "3"]]


def test_the_milestone_chart_shows_overdue_and_the_next_six_months(client, em_iep):
    today = timezone.localdate()
    project = ProjectFactory(budget_line=em_iep["line"], status="in_delivery")
    late = today - datetime.timedelta(days=40)
    next_month = (today.replace(day=1) + datetime.timedelta(days=32)).replace(day=15)
    for due_on, amount in ((late, "10000.00"), (next_month, "20000.00"), (next_month, "5000.00")):
        GrantPaymentFactory(
            project=project,
            milestone=MilestoneFactory(project=project, due_on=due_on),
            amount=D(amount),
            due_on=due_on,
        )
    # A cancelled payment releases nothing.
    GrantPaymentFactory(
        project=project,
        milestone=MilestoneFactory(project=project, due_on=next_month),
        status="cancelled",
        due_on=next_month,
    )
    MilestoneFactory(
        project=project, due_on=late, status="verified", achieved_on=late, verified_on=late
    )
    MilestoneFactory(project=project, due_on=today + datetime.timedelta(days=400))
    client.force_login(em_iep["board"])

    rows = tables(client.get(DASHBOARD)).tables["milestones-by-month"]

    assert rows[1] == ["Overdue", "1", "£10,000"]
    assert rows[2][0] == f"{today:%B %Y}"
    assert rows[3] == [f"{next_month:%B %Y}", "3", "£25,000"]
    assert len(rows) == 1 + 1 + 6 + 1  # heading, overdue, six months, total
    assert rows[-1] == ["Total", "4", "£35,000"]


def test_the_bids_chart_counts_submitted_and_decided_bids_with_their_requests(client, em_iep):
    bidding_round = BiddingRoundFactory(budget_line=em_iep["line"])
    for status in ("submitted", "submitted", "approved", "referred_back", "draft", "withdrawn"):
        BidFactory(
            bidding_round=bidding_round,
            status=status,
            grant_allocated=D("80000.00") if status == "approved" else None,
        )
    client.force_login(em_iep["board"])

    page = tables(client.get(DASHBOARD))

    assert page.tables["bids-pipeline"][1:] == [
        ["Submitted", "2", "£200,000"],
        ["Approved", "1", "£100,000"],
        ["Referred back", "1", "£100,000"],
        ["Rejected", "0", "£0"],
        ["Total", "4", "£400,000"],
    ]
    ranked = reverse("bids:round-ranked", args=[bidding_round.pk])
    assert page.links["bids-pipeline"][0] == f"{ranked}?status=submitted"


def test_savings_are_shown_against_the_members_targets(client, em_iep):
    council = OrganisationFactory(partnership=em_iep["partnership"])
    em_iep["derbyshire"].members.add(council)
    for status, amount in (("delivered", "30000.00"), ("forecast", "50000.00")):
        SavingsEntryFactory(
            organisation=council,
            programme=em_iep["srp"],
            financial_year=2010,
            status=status,
            amount=D(amount),
        )
    council.savings_targets.create(
        agreement=programme_agreement(council),
        financial_year=2010,
        basis="amount",
        amount=D("120000.00"),
    )
    client.force_login(em_iep["board"])

    page = client.get(DASHBOARD)

    savings = {figure.label: figure for figure in page.context["dashboard"].savings}
    assert savings["Savings delivered"].value == D("30000.00")
    assert savings["Total potential savings"].value == D("80000.00")
    assert savings["Target"].value == D("120000.00")
    assert savings["Target"].hint == "Delivered savings are 25.0% of it"
    assert tables(page).tables["savings-by-sub-region"][1] == [
        "Derbyshire",
        "£3,890,000",
        "£30,000",
        "£80,000",
    ]


# Outstanding actions -----------------------------------------------------------------


def test_the_boards_outstanding_actions_are_listed_with_owner_and_due_date(client, em_iep):
    meeting = MeetingFactory(partnership=em_iep["partnership"])
    Action.objects.create(
        meeting=meeting,
        text="Extend SRP delivery by six months",
        owner="Director, EM IEP",
        due_on=datetime.date(2011, 6, 30),
    )
    Action.objects.create(
        meeting=meeting,
        text="Close the Benefits Task Force project",
        owner="Director, EM IEP",
        done_on=datetime.date(2011, 5, 1),
    )
    Action.objects.create(
        meeting=MeetingFactory(),
        text="Another board's action",
        owner="Chair",
    )
    client.force_login(em_iep["board"])

    page = client.get(DASHBOARD).content.decode()

    actions = page[page.index('id="outstanding-actions"') :]
    assert "Extend SRP delivery by six months" in actions
    assert "Director, EM IEP" in actions
    assert "30 Jun 2011" in actions
    assert "Close the Benefits Task Force project" not in actions
    assert "Another board" not in actions
    assert reverse("partnership:outstanding-actions", args=["em-iep"]) in actions


# Every figure links to its list ------------------------------------------------------


@pytest.mark.parametrize("boards", [1, 2])
def test_every_link_on_the_dashboard_opens_for_a_board_member(client, em_iep, boards):
    """Board members are not staff, so a link to the admin site would send them to
    its sign-in page. On two boards, the projects are across partnerships and the
    bids across rounds."""
    board = em_iep["board"]
    for _ in range(boards - 1):
        other = PartnershipFactory()
        funded_budget_line(programme__partnership=other)
        Role.objects.create(user=board, kind=Role.Kind.BOARD_MEMBER, partnership=other)
    for _ in range(boards):
        bidding_round = BiddingRoundFactory(budget_line=em_iep["line"])
        BidFactory(bidding_round=bidding_round, status="submitted")
    assert not board.is_staff
    client.force_login(board)
    page = client.get(DASHBOARD).content.decode()
    main = page[page.index("<main") : page.index("</main>")]
    links = {href.replace("&amp;", "&") for href in re.findall(r'<a [^>]*href="([^"#]+)"', main)}

    opened = {href: client.get(href).status_code for href in links}

    # Downloads, sub-region and programme pages, savings; and with one board, the
    # projects list and the round's ranked bids.
    assert len(links) >= 9
    if boards == 1:
        projects_list = reverse("projects:project-list") + "?"
        # One link per project status.
        assert len([href for href in links if href.startswith(projects_list)]) == len(
            Project.Status
        )
        assert len([href for href in links if "/ranked/" in href]) == 4
    assert set(opened.values()) == {200}, opened


def test_a_status_links_to_the_projects_list_holding_the_projects_counted(client, em_iep):
    other = PartnershipFactory()
    elsewhere = ProjectFactory(
        budget_line=funded_budget_line(programme__partnership=other), status="approved"
    )
    client.force_login(em_iep["board"])

    page = client.get(DASHBOARD)

    approved = next(f for f in page.context["dashboard"].projects if f.label == "Approved")
    assert approved.url == f"{reverse('projects:project-list')}?status=approved"
    listed = client.get(approved.url).content.decode()
    counted = Project.objects.filter(programme=em_iep["programme"], status="approved")
    assert len(counted) == approved.value == 2
    assert all(project.reference in listed for project in counted)
    assert elsewhere.reference not in listed
    in_delivery = Project.objects.get(programme=em_iep["programme"], status="in_delivery")
    assert in_delivery.reference not in listed


def test_figures_no_portal_list_shows_exactly_are_not_links(client, em_iep):
    """A board member of two partnerships: the projects list would mix both, and the
    bids are in two rounds. No page lists progress reports by RAG or milestones by
    month."""
    board = em_iep["board"]
    Role.objects.create(user=board, kind=Role.Kind.BOARD_MEMBER, partnership=PartnershipFactory())
    for _ in range(2):
        BidFactory(bidding_round=BiddingRoundFactory(budget_line=em_iep["line"]))
    client.force_login(board)

    page = client.get(DASHBOARD)

    text = page.content.decode()
    counts = text[text.index("portal-dashboard-counts") :]
    counts = counts[: counts.index("</ul>")]
    assert '<span class="portal-dashboard-counts__number">2</span> approved' in counts
    assert "<a " not in counts
    links = tables(page).links
    assert links["progress-report-rag"] == []
    assert links["milestones-by-month"] == []
    assert links["bids-pipeline"] == []
    assert links["spend-by-programme"]  # each programme still links to its page


def test_the_money_figures_lead_to_the_spend_table_they_total(client, em_iep):
    client.force_login(em_iep["board"])

    page = client.get(DASHBOARD)

    money = {figure.label: figure.url for figure in page.context["dashboard"].money}
    assert set(money.values()) == {"#spend-by-programme"}
    spend = tables(page).tables["spend-by-programme"]
    assert spend[-1] == ["Total", "£4,640,000", "£320,000", "£40,000", "£4,320,000"]


# Queries -----------------------------------------------------------------------------


def _add_projects(partnership, line, council, bidding_round, count: int, start: int) -> None:
    """``count`` projects with two milestones, a submitted report, a bid, a commitment
    and a savings entry each, written in bulk."""
    projects = Project.objects.bulk_create(
        Project(
            reference=f"BULK-{number:05d}",
            title=f"Project {number}",
            programme=line.programme,
            budget_line=line,
            lead_organisation=council,
            grant_awarded=D("1000.00"),
            status=("approved", "in_delivery", "completed")[number % 3],
        )
        for number in range(start, start + count)
    )
    today = timezone.localdate()
    Milestone.objects.bulk_create(
        Milestone(
            project=project,
            position=position,
            title="Outcome",
            due_on=today + datetime.timedelta(days=30 * position - 45),
            forecast_on=today + datetime.timedelta(days=30 * position - 45),
        )
        for project in projects
        for position in (1, 2)
    )
    ProgressReport.objects.bulk_create(
        ProgressReport(
            project=project,
            financial_year=2011,
            quarter=1,
            rag=("green", "amber", "red")[index % 3],
            status="submitted",
        )
        for index, project in enumerate(projects)
    )
    Bid.objects.bulk_create(
        Bid(
            bidding_round=bidding_round,
            number=start + index,
            title=f"Bid {start + index}",
            sponsor=council,
            grant_requested=D("1000.00"),
            status="submitted",
        )
        for index in range(count)
    )
    LedgerEntry.objects.bulk_create(
        LedgerEntry(
            programme=line.programme,
            kind="commitment",
            amount=D("1000.00"),
            occurred_on=datetime.date(2011, 6, 1),
            budget_line=line,
        )
        for _ in projects
    )
    category = SavingsCategoryFactory()
    SavingsEntry.objects.bulk_create(
        SavingsEntry(
            organisation=council,
            programme=line.programme,
            project=project,
            category=category,
            financial_year=2011,
            amount=D("100.00"),
            status="delivered",
        )
        for project in projects
    )
    savings_totals_rebuild()  # the entries were written past the services
    meeting = MeetingFactory(
        partnership=partnership, held_on=datetime.date(2011, 1, start % 28 + 1)
    )
    Action.objects.bulk_create(
        Action(meeting=meeting, text=f"Action {number}", owner="Director")
        for number in range(count)
    )


def test_the_dashboard_costs_the_same_queries_for_1000_projects_as_for_10(client, em_iep):
    partnership, line = em_iep["partnership"], em_iep["line"]
    council = OrganisationFactory(partnership=partnership)
    bidding_round = BiddingRoundFactory(budget_line=line)
    client.force_login(em_iep["board"])

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(DASHBOARD)
        assert response.status_code == 200
        return len(captured)

    _add_projects(partnership, line, council, bidding_round, 10, start=1)
    with_10 = queries()
    _add_projects(partnership, line, council, bidding_round, 990, start=11)
    with_1000 = queries()

    assert Project.objects.count() == 1003
    assert with_10 == with_1000
    # Session, user, roles; the partnerships, programmes and sub-regions to choose
    # from; the programmes and rounds in view; the outstanding actions; balances (the
    # programmes' ids, the ledger's sums, the programmes); projects by status; savings
    # against target (members, their savings, their targets); savings by sub-region
    # (allocations, savings, sub-regions); progress reports; milestones; bids; forecast
    # returns (members, their returns); the menu's unread notifications.
    assert with_1000 == 25


def test_a_chart_download_costs_the_same_queries_for_1000_projects_as_for_10(client, em_iep):
    partnership, line = em_iep["partnership"], em_iep["line"]
    council = OrganisationFactory(partnership=partnership)
    bidding_round = BiddingRoundFactory(budget_line=line)
    client.force_login(em_iep["manager"])

    def queries(chart) -> int:
        with CaptureQueriesContext(connection) as captured:
            rows = download(client, chart)
        assert rows
        return len(captured)

    _add_projects(partnership, line, council, bidding_round, 10, start=1)
    with_10 = [queries(chart) for chart in CHARTS]
    _add_projects(partnership, line, council, bidding_round, 990, start=11)

    assert [queries(chart) for chart in CHARTS] == with_10


# With the demo data ------------------------------------------------------------------


@pytest.fixture
def demo(client):
    call_command("load_demo", stdout=io.StringIO())
    partnership = Partnership.objects.get(short_name="EM IEP")
    client.force_login(user_with_role(Role.Kind.BOARD_MEMBER, partnership=partnership))
    return partnership


def test_the_em_iep_dashboard_shows_the_board_papers_figures(client, demo):
    page = tables(client.get(DASHBOARD))

    sub_regions = page.tables["savings-by-sub-region"]
    assert sub_regions[0] == [
        "Sub-region",
        "Grant allocation",
        "Delivered savings",
        "Total potential savings",
    ]
    assert len(sub_regions) == 1 + 5 + 1
    assert sub_regions[-1] == ["Total", "£19,385,000", "£42,002,000", "£138,889,000"]
    bids = page.tables["bids-pipeline"]
    assert bids[-1] == ["Total", "26", "£2,103,290"]
    assert (
        Programme.objects.filter(partnership=demo).count()
        == len(page.tables["spend-by-programme"]) - 2
    )


def test_the_em_iep_chart_downloads_hold_the_tables_rows(client, demo):
    page = tables(client.get(DASHBOARD))

    for chart in CHARTS:
        rows = download(client, chart, partnership=demo.slug)
        table = page.tables[chart]
        assert rows[0] == table[0]
        assert [row[0] for row in rows[1:]] == [row[0] for row in table[1:]]
        for row in rows[1:]:
            assert all(D(value) >= 0 for value in row[1:])
    totals = download(client, "savings-by-sub-region")[-1]
    assert totals == ["Total", "19385000.00", "42002000.00", "138889000.00"]
    assert download(client, "bids-pipeline")[-1] == ["Total", "26", "2103290.00"]
