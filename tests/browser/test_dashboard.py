"""A board member reads the partnership's dashboard in the browser and follows a figure
to the list behind it."""

import csv
import datetime
from decimal import Decimal

import pytest
from playwright.sync_api import Page, expect

from partnership.models import Role
from programmes.models import LedgerEntry
from tests.browser.two_factor import give_code_if_asked
from tests.factories import (
    OrganisationFactory,
    PartnershipFactory,
    ProjectFactory,
    SubRegionFactory,
    funded_budget_line,
    user_with_role,
)

PASSWORD = "partnership-demo"


def sign_in(page: Page, url: str, username: str) -> None:
    page.goto(url)
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    page.get_by_label("Username").fill(username)
    page.get_by_role("textbox", name="Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    give_code_if_asked(page, username)


@pytest.mark.browser
def test_a_board_member_reads_the_dashboard_and_follows_a_figure_to_its_list(
    live_server, page: Page
):
    partnership = PartnershipFactory(
        name="East Midlands Improvement and Efficiency Partnership", short_name="EM IEP"
    )
    line = funded_budget_line(
        Decimal("750000.00"),
        programme__partnership=partnership,
        programme__name="Improvement and Efficiency Programme 2011/13",
        programme__sub_region=SubRegionFactory(partnership=partnership, name="Derbyshire"),
    )
    LedgerEntry.objects.create(
        programme=line.programme,
        kind="commitment",
        amount=Decimal("320000.00"),
        occurred_on=datetime.date(2011, 4, 12),
        budget_line=line,
    )
    council = OrganisationFactory(name="North Kesteven District Council")
    for reference, title in (("EMIEP-2011-01", "Shared ICT"), ("EMIEP-2011-03", "EM PSN")):
        ProjectFactory(
            reference=reference, title=title, budget_line=line, lead_organisation=council
        )
    ProjectFactory(reference="EMIEP-2011-02", budget_line=line, status="in_delivery")
    user_with_role(
        Role.Kind.BOARD_MEMBER, partnership=partnership, username="board", password=PASSWORD
    )

    sign_in(page, live_server.url, "board")
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Dashboard").click()

    expect(page.get_by_role("heading", name="Dashboard", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="£750k grant allocated")).to_be_visible()
    expect(page.get_by_role("link", name="£320k committed")).to_be_visible()
    chart = page.get_by_role("img", name="Spend against allocation by programme")
    expect(chart).to_be_visible()
    page.get_by_text("Show as a table").first.click()
    sub_regions = page.get_by_role("table", name="Savings delivered and potential by sub-region")
    expect(sub_regions.get_by_role("row", name="Derbyshire")).to_contain_text("£750,000")

    with page.expect_download() as download_info:
        page.locator("#spend-by-programme").get_by_role("link", name="Download the table").click()
    with open(download_info.value.path(), encoding="utf-8-sig", newline="") as file:
        rows = list(csv.reader(file))
    assert rows[1] == [
        "Improvement and Efficiency Programme 2011/13",
        "750000.00",
        "320000.00",
        "0.00",
        "430000.00",
    ]

    page.get_by_role("link", name="2 approved").click()

    expect(page.get_by_role("heading", name="Projects")).to_be_visible()
    expect(page.get_by_role("link", name="EMIEP-2011-01")).to_be_visible()
    expect(page.get_by_role("link", name="EMIEP-2011-03")).to_be_visible()
    expect(page.get_by_role("link", name="EMIEP-2011-02")).to_have_count(0)
