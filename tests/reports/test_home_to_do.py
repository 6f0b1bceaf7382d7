"""The home page as each role's to-do list: each count is the number of rows on the
list its link opens, and a role sees only its own work."""

import datetime
import html
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from partnership.models import Action, Role
from projects.models import ChangeRequest, GrantPayment, Milestone, Repayment
from reports.models import BoardPack
from savings.models import SavingsReturn
from tests.factories import (
    BiddingRoundFactory,
    GrantPaymentFactory,
    MeetingFactory,
    MilestoneFactory,
    OrganisationFactory,
    PartnershipFactory,
    ProjectFactory,
    user_with_role,
)

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)
TASK = re.compile(
    r'<a class="govuk-link govuk-task-list__link" href="([^"]+)"[^>]*>([^<]+)</a>'
    r'.*?<strong class="govuk-tag govuk-tag--blue">(\d+)</strong>',
    re.DOTALL,
)


def tasks_on(page: str) -> dict[str, tuple[int, str]]:
    """Each task on the home page: its label, count and link."""
    return {label: (int(count), html.unescape(url)) for url, label, count in TASK.findall(page)}


def rows_on(page: str) -> int:
    """Rows in the bodies of the page's tables."""
    return sum(body.count("<tr") for body in re.findall(r"<tbody.*?</tbody>", page, re.DOTALL))


def home(client, user) -> str:
    client.force_login(user)
    return client.get(reverse("home")).content.decode()


def assert_each_count_is_the_rows_behind_its_link(client, tasks):
    for label, (count, url) in tasks.items():
        response = client.get(url)
        assert response.status_code == 200, label
        assert rows_on(response.content.decode()) == count, label


@pytest.fixture
def partnership():
    return PartnershipFactory()


@pytest.fixture
def council(partnership):
    return OrganisationFactory(partnership=partnership)


def project_of(partnership, council, **fields):
    return ProjectFactory(
        budget_line__programme__partnership=partnership,
        lead_organisation=council,
        starts_on=TODAY - 200 * DAY,
        ends_on=TODAY + 365 * DAY,
        **fields,
    )


def test_programme_manager_sees_the_work_waiting_with_counts_that_match_the_lists(
    client, partnership, council
):
    project = project_of(partnership, council)
    elsewhere = project_of(PartnershipFactory(), OrganisationFactory())
    for milestone_project in (project, project, elsewhere):
        MilestoneFactory(
            project=milestone_project, status=Milestone.Status.ACHIEVED, achieved_on=TODAY
        )
    GrantPaymentFactory(project=project, status=GrantPayment.Status.DUE)
    GrantPaymentFactory(project=project, status=GrantPayment.Status.SCHEDULED)
    GrantPaymentFactory(project=elsewhere, status=GrantPayment.Status.DUE)
    officer = user_with_role(Role.Kind.OFFICER, organisation=council)
    ChangeRequest.objects.create(
        project=project, kind="scope", reason="More councils", requested_by=officer
    )
    line = project.budget_line
    BiddingRoundFactory(budget_line=line, opens_on=TODAY - 10 * DAY, closes_on=TODAY + 5 * DAY)
    BiddingRoundFactory(budget_line=line, opens_on=TODAY - 10 * DAY, closes_on=TODAY + 30 * DAY)
    manager = user_with_role(Role.Kind.PROGRAMME_MANAGER, partnership=partnership)

    tasks = tasks_on(home(client, manager))

    assert {label: count for label, (count, _) in tasks.items()} == {
        "Milestones to verify": 2,
        "Payments to approve for release": 1,
        "Change requests to decide": 1,
        "Late progress reports to chase": 2,
        "Bidding rounds closing soon": 1,
    }
    assert_each_count_is_the_rows_behind_its_link(client, tasks)


def test_finance_sees_payments_to_pay_this_week_and_overdue_repayments(
    client, partnership, council
):
    project = project_of(partnership, council, invest_to_save=True)
    approved = {"project": project, "status": "approved", "approved_on": TODAY}
    GrantPaymentFactory(**approved, due_on=TODAY - 3 * DAY)
    GrantPaymentFactory(**approved, due_on=TODAY + (6 - TODAY.weekday()) * DAY)
    GrantPaymentFactory(**approved, due_on=TODAY + 8 * DAY)
    GrantPaymentFactory(project=project, status=GrantPayment.Status.DUE, due_on=TODAY)
    Repayment.objects.create(project=project, due_on=TODAY - 30 * DAY, amount=Decimal("5000"))
    Repayment.objects.create(project=project, due_on=TODAY + 30 * DAY, amount=Decimal("5000"))
    finance = user_with_role(Role.Kind.FINANCE, partnership=partnership)

    tasks = tasks_on(home(client, finance))

    assert {label: count for label, (count, _) in tasks.items()} == {
        "Payments to pay this week": 2,
        "Overdue repayments": 1,
    }
    assert_each_count_is_the_rows_behind_its_link(client, tasks)


def test_a_councils_finance_officer_is_led_to_the_returns_to_sign_off(client, council):
    s151 = user_with_role(Role.Kind.FINANCE, organisation=council)
    for quarter in (1, 2):
        SavingsReturn.objects.create(organisation=council, financial_year=2010, quarter=quarter)
    SavingsReturn.objects.create(
        organisation=council,
        financial_year=2010,
        quarter=3,
        status="certified",
        certified_by=s151,
        certified_at=timezone.now(),
    )
    SavingsReturn.objects.create(organisation=OrganisationFactory(), financial_year=2010, quarter=1)

    page = home(client, s151)
    tasks = tasks_on(page)

    assert list(tasks) == ["Savings returns to sign off"]
    assert tasks["Savings returns to sign off"][0] == 2
    assert_each_count_is_the_rows_behind_its_link(client, tasks)


def test_officer_sees_milestones_reports_and_returns_due_and_what_was_returned(
    client, partnership, council
):
    project = project_of(partnership, council)
    for forecast_on in (TODAY - 3 * DAY, TODAY + 5 * DAY, TODAY + 60 * DAY):
        MilestoneFactory(project=project, due_on=forecast_on)
    MilestoneFactory(project=project, due_on=TODAY + 90 * DAY, status=Milestone.Status.RETURNED)
    MilestoneFactory(
        project=project, due_on=TODAY, status=Milestone.Status.ACHIEVED, achieved_on=TODAY
    )
    # A partner council's officer reads the project but does not log its milestones.
    MilestoneFactory(project=project_of(partnership, OrganisationFactory()), due_on=TODAY)
    officer = user_with_role(Role.Kind.OFFICER, organisation=council)

    tasks = tasks_on(home(client, officer))

    assert {label: count for label, (count, _) in tasks.items()} == {
        "Milestones returned to you": 1,
        "Milestones due": 2,
        "Progress reports due": 2,
        "Savings returns due": 1,
    }
    assert_each_count_is_the_rows_behind_its_link(client, tasks)


def test_a_savings_return_sent_back_is_still_due_and_says_so(client, council):
    today = TODAY
    year = today.year if today.month > 3 else today.year - 1
    quarter = (today.month - 4) // 3 + 1 if today.month > 3 else 4
    year, quarter = (year - 1, 4) if quarter == 1 else (year, quarter - 1)
    sent_back = SavingsReturn.objects.create(
        organisation=council, financial_year=year, quarter=quarter, status="returned"
    )
    client.force_login(user_with_role(Role.Kind.OFFICER, organisation=council))

    page = client.get(reverse("savings:returns-due")).content.decode()

    assert rows_on(page) == 1
    assert sent_back.get_absolute_url() in page
    assert "Changes requested" in page


def test_board_member_sees_the_next_meeting_its_pack_and_actions_outstanding(client, partnership):
    MeetingFactory(partnership=partnership, held_on=TODAY - 30 * DAY, title="Last meeting")
    last = partnership.meetings.get()
    Action.objects.create(meeting=last, text="Report on shared services", owner="PM")
    Action.objects.create(meeting=last, text="Circulate the budget", owner="PM")
    Action.objects.create(meeting=last, text="Done already", owner="PM", done_on=TODAY)
    following = MeetingFactory(
        partnership=partnership, held_on=TODAY + 20 * DAY, title="Later meeting"
    )
    upcoming = MeetingFactory(partnership=partnership, held_on=TODAY + 10 * DAY, title="Board")
    pack = BoardPack.objects.create(
        meeting=upcoming, status="done", file="board_packs/pack.pdf", finished_at=timezone.now()
    )
    BoardPack.objects.create(
        meeting=following, status="done", file="x.pdf", finished_at=timezone.now()
    )
    board = user_with_role(Role.Kind.BOARD_MEMBER, partnership=partnership)

    page = home(client, board)

    assert f'href="{upcoming.get_absolute_url()}">Board, ' in page
    assert f'href="{pack.get_absolute_url()}">Read the board pack' in page
    actions = reverse("partnership:outstanding-actions", args=[partnership.slug])
    assert f'href="{actions}">2<' in page
    assert rows_on(client.get(actions).content.decode()) == 2
    assert tasks_on(page) == {}


def test_board_member_is_told_when_no_meeting_or_pack_is_ready(client, partnership):
    board = user_with_role(Role.Kind.BOARD_MEMBER, partnership=partnership)
    meeting = MeetingFactory(partnership=partnership, held_on=TODAY + 10 * DAY)
    BoardPack.objects.create(meeting=meeting)  # still being produced

    assert "Not published yet" in home(client, board)
    meeting.delete()
    assert "None scheduled" in home(client, board)


def test_nothing_waiting_says_so(client, partnership):
    page = home(client, user_with_role(Role.Kind.FINANCE, partnership=partnership))

    assert tasks_on(page) == {}
    assert "Nothing is waiting for you." in page


def test_each_role_sees_only_its_own_work(client, partnership, council):
    project = project_of(partnership, council, invest_to_save=True)
    MilestoneFactory(project=project, status=Milestone.Status.ACHIEVED, achieved_on=TODAY)
    MilestoneFactory(project=project, due_on=TODAY)
    MilestoneFactory(project=project, due_on=TODAY + 60 * DAY, status=Milestone.Status.RETURNED)
    GrantPaymentFactory(project=project, status=GrantPayment.Status.DUE)
    GrantPaymentFactory(project=project, status="approved", approved_on=TODAY, due_on=TODAY)
    Repayment.objects.create(project=project, due_on=TODAY - DAY, amount=Decimal("5000"))
    SavingsReturn.objects.create(organisation=council, financial_year=2010, quarter=1)
    manager_work = {
        "Milestones to verify",
        "Payments to approve for release",
        "Late progress reports to chase",
    }
    finance_work = {"Payments to pay this week", "Overdue repayments"}
    officer_work = {
        "Milestones due",
        "Milestones returned to you",
        "Progress reports due",
        "Savings returns due",
    }
    roles = {
        (Role.Kind.PROGRAMME_MANAGER, "partnership"): manager_work,
        (Role.Kind.FINANCE, "partnership"): finance_work,
        (Role.Kind.FINANCE, "organisation"): finance_work | {"Savings returns to sign off"},
        (Role.Kind.OFFICER, "organisation"): officer_work,
        (Role.Kind.BOARD_MEMBER, "partnership"): set(),
    }
    held = {"partnership": partnership, "organisation": council}

    for (kind, where), work in roles.items():
        page = home(client, user_with_role(kind, **{where: held[where]}))
        assert set(tasks_on(page)) == work, (kind, where)


# (role, where) -> queries: session, user, roles, the menu's unread notifications, then
# the role's partnerships (5), or its organisations and their partnerships (6); then
# each role's counts.
QUERIES = {
    # milestones, payments, change requests, late reports (counted), rounds
    (Role.Kind.PROGRAMME_MANAGER, "partnership"): 5 + 5,
    # payments to pay, repayments
    (Role.Kind.FINANCE, "partnership"): 5 + 2,
    # returns to sign off, payments to pay, repayments
    (Role.Kind.FINANCE, "organisation"): 6 + 3,
    # milestones returned, milestones due, reports due (counted), the councils for
    # returns due and their returns
    (Role.Kind.OFFICER, "organisation"): 6 + 5,
    # next meetings, their packs, actions outstanding
    (Role.Kind.BOARD_MEMBER, "partnership"): 5 + 3,
}


@pytest.mark.parametrize("kind, where", list(QUERIES))
def test_home_page_reads_each_roles_work_in_a_fixed_number_of_queries(
    client, django_assert_num_queries, partnership, council, kind, where
):
    for days in range(1, 4):
        project = project_of(partnership, council)
        MilestoneFactory(project=project, status=Milestone.Status.ACHIEVED, achieved_on=TODAY)
        MilestoneFactory(project=project, due_on=TODAY)
        MeetingFactory(partnership=partnership, held_on=TODAY + days * DAY)
    held = {"partnership": partnership, "organisation": council}
    user = user_with_role(kind, **{where: held[where]})
    client.force_login(user)

    with django_assert_num_queries(QUERIES[kind, where]):
        client.get(reverse("home"))


@pytest.mark.parametrize(
    "url_name, kind, where",
    [
        ("projects:milestones-due", Role.Kind.PROGRAMME_MANAGER, "partnership"),
        ("projects:milestones-returned", Role.Kind.FINANCE, "organisation"),
        ("projects:progress-reports-due", Role.Kind.BOARD_MEMBER, "partnership"),
        ("projects:repayments-overdue", Role.Kind.OFFICER, "organisation"),
        ("savings:returns-due", Role.Kind.FINANCE, "organisation"),
        ("partnership:meetings", Role.Kind.OFFICER, "organisation"),
    ],
)
def test_the_lists_behind_the_home_page_refuse_other_roles(
    client, partnership, council, url_name, kind, where
):
    held = {"partnership": partnership, "organisation": council}
    client.force_login(user_with_role(kind, **{where: held[where]}))

    assert client.get(reverse(url_name)).status_code == 403


# url name, role, where -> queries: session, user, roles, the menu's unread
# notifications (4), then the list.
LIST_QUERIES = {
    # the milestones with their projects, leads and payments; the count for the pages
    ("projects:milestones-due", Role.Kind.OFFICER, "organisation"): 4 + 2,
    ("projects:milestones-returned", Role.Kind.OFFICER, "organisation"): 4 + 2,
    # the count for the pages; the page's projects, their reports
    ("projects:progress-reports-due", Role.Kind.OFFICER, "organisation"): 4 + 3,
    # the repayments with their projects and leads; the count for the pages
    ("projects:repayments-overdue", Role.Kind.FINANCE, "partnership"): 4 + 2,
    # the councils, their returns
    ("savings:returns-due", Role.Kind.OFFICER, "organisation"): 4 + 2,
}


@pytest.mark.parametrize("url_name, kind, where", list(LIST_QUERIES))
def test_the_lists_behind_the_home_page_read_in_a_fixed_number_of_queries(
    client, django_assert_num_queries, partnership, council, url_name, kind, where
):
    for _ in range(3):
        project = project_of(partnership, council, invest_to_save=True)
        MilestoneFactory(project=project, due_on=TODAY)
        MilestoneFactory(project=project, due_on=TODAY, status=Milestone.Status.RETURNED)
        Repayment.objects.create(project=project, due_on=TODAY - DAY, amount=Decimal("5000"))
    held = {"partnership": partnership, "organisation": council}
    client.force_login(user_with_role(kind, **{where: held[where]}))

    with django_assert_num_queries(LIST_QUERIES[url_name, kind, where]):
        assert client.get(reverse(url_name)).status_code == 200
