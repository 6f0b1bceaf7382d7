"""From the home page to the work waiting, in one click, as each demo role: each count
on the home page is the number of rows the link opens."""

import datetime
import re
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.utils import timezone
from playwright.sync_api import Page, expect

from partnership.models import Partnership
from partnership.services import meeting_schedule
from projects.models import Milestone
from projects.services import milestone_log_achieved, milestone_verify, payment_approve
from savings.models import SavingsCategory
from savings.return_files import SavingsRow
from savings.services import savings_return_submit
from tests.browser.test_projects import sign_in

pytestmark = pytest.mark.browser


def waiting_work(page: Page) -> list[tuple[str, int]]:
    """Each task on the home page: its link's name and its count."""
    tasks = page.locator(".govuk-task-list__item")
    return [
        (
            tasks.nth(index).get_by_role("link").inner_text(),
            int(tasks.nth(index).locator(".govuk-tag").inner_text()),
        )
        for index in range(tasks.count())
    ]


@pytest.fixture
def work_waiting(demo):
    """Work for every role beside the demo's own: North Kesteven's officer logs two
    milestones and submits a savings return; the manager verifies one and approves its
    payment; the board meets next month."""
    user = User.objects.get
    officer, manager = user(username="officer-north-kesteven"), user(username="manager")
    today = timezone.localdate()
    logged = Milestone.objects.filter(
        project__lead_organisation__name="North Kesteven District Council"
    )
    for milestone in logged.order_by("forecast_on")[:2]:
        milestone_log_achieved(milestone=milestone, achieved_on=today, delivered="Done", by=officer)
    verified = milestone_verify(milestone=logged.filter(status="achieved").first(), by=manager)
    payment_approve(payment=verified.payment, by=manager)
    row = SavingsRow(
        organisation_id=logged.first().project.lead_organisation_id,
        financial_year=2011,
        quarter=1,
        project_id=None,
        category_id=SavingsCategory.objects.first().pk,
        cashable=True,
        status="delivered",
        amount=Decimal("18000.00"),
        description="Shared procurement of stationery",
    )
    savings_return_submit(
        organisation=logged.first().project.lead_organisation,
        financial_year=2011,
        quarter=1,
        rows=[row],
        by=officer,
    )
    meeting_schedule(
        partnership=Partnership.objects.get(slug="em-iep"),
        title="Board meeting",
        held_on=today + datetime.timedelta(days=30),
        by=manager,
    )


@pytest.mark.parametrize(
    "username, first_task",
    [
        ("manager", "Milestones to verify"),
        ("officer-north-kesteven", "Milestones due"),
        ("finance", "Payments to pay this week"),
        ("finance-north-kesteven", "Savings returns to sign off"),
    ],
)
def test_each_piece_of_waiting_work_is_one_click_from_the_home_page(
    live_server, page: Page, work_waiting, username, first_task
):
    sign_in(page, live_server, username)
    tasks = waiting_work(page)
    assert first_task in dict(tasks)

    for label, count in tasks:
        page.goto(live_server.url)
        page.get_by_role("link", name=label, exact=True).click()

        expect(page.get_by_role("heading", level=1)).to_be_visible()
        rows = page.locator("table tbody tr")
        if page.get_by_role("navigation", name=re.compile("pages$")).count():
            assert rows.count() > 0, label  # the first page of a longer list
        else:
            expect(rows).to_have_count(count)


def test_the_board_member_reaches_the_next_meeting_and_the_actions_outstanding(
    live_server, page: Page, work_waiting
):
    sign_in(page, live_server, "board")
    waiting = page.locator(".govuk-summary-list")
    outstanding = int(
        waiting.get_by_role("link", name=re.compile("actions outstanding")).inner_text().split()[0]
    )

    waiting.get_by_role("link", name=re.compile("Board meeting")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Board meeting")

    page.goto(live_server.url)
    page.get_by_role("link", name=re.compile("actions outstanding")).click()
    expect(page.locator("table tbody tr")).to_have_count(outstanding)
