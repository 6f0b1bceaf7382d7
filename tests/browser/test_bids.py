"""A bid's journey in the browser: an officer drafts it, fixes what the form says is
wrong, attaches the business case and submits it; the programme manager scores it."""

import datetime
from decimal import Decimal

import pytest
from playwright.sync_api import Page, expect

from bids.services import round_open
from partnership.models import Role
from tests.browser.two_factor import give_code_if_asked
from tests.factories import (
    OrganisationFactory,
    PartnershipFactory,
    funded_budget_line,
    user_with_role,
)

PASSWORD = "partnership-demo"
TODAY = datetime.date.today()


def sign_in(page: Page, live_server, username: str) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_role("textbox", name="Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    give_code_if_asked(page, username)
    expect(page.get_by_role("navigation", name="Menu")).to_contain_text(username)


def sign_out(page: Page) -> None:
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()


@pytest.fixture
def open_round(db):
    partnership = PartnershipFactory(
        name="East Midlands Improvement and Efficiency Partnership", short_name="EM IEP"
    )
    north_kesteven = OrganisationFactory(
        name="North Kesteven District Council", partnership=partnership
    )
    OrganisationFactory(name="Lincolnshire County Council", partnership=partnership)
    OrganisationFactory(name="Lincoln City Council", partnership=partnership)
    user_with_role(
        Role.Kind.OFFICER,
        organisation=north_kesteven,
        username="officer-north-kesteven",
        password=PASSWORD,
    )
    user_with_role(
        Role.Kind.PROGRAMME_MANAGER, partnership=partnership, username="manager", password=PASSWORD
    )
    return round_open(
        budget_line=funded_budget_line(Decimal("750000"), programme__partnership=partnership),
        name="Efficiency projects",
        amount_available=Decimal("750000"),
        opens_on=TODAY - datetime.timedelta(days=7),
        closes_on=TODAY + datetime.timedelta(days=21),
        by=None,
    )


@pytest.mark.browser
def test_an_officer_drafts_fixes_and_submits_a_bid_and_the_programme_manager_scores_it(
    live_server, page: Page, open_round
):
    sign_in(page, live_server, "officer-north-kesteven")
    page.goto(f"{live_server.url}{open_round.get_absolute_url()}")
    page.get_by_role("link", name="Start a new bid").click()

    # A first try without a title, claiming savings over years without saying how many.
    expect(page.get_by_text("Sponsoring council: North Kesteven District Council")).to_be_visible()
    page.get_by_label("Describe the project").fill(
        "One ICT service for the district councils of Lincolnshire."
    )
    page.get_by_label("Grant requested").fill("100,000")
    page.get_by_label("Cashable savings claimed").fill("2,137,416")
    page.get_by_label("Over a number of years").check()
    page.get_by_role("button", name="Save as draft").click()

    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link")).to_have_text(
        ["Enter the project title", "Enter the number of years the savings are claimed over"]
    )
    expect(page).to_have_title("Error: New bid: Efficiency projects – Partnership Portal")
    summary.get_by_role("link", name="Enter the number of years").click()
    expect(page.get_by_role("textbox", name="Number of years")).to_be_focused()

    page.keyboard.type("5")
    page.get_by_label("Project title").fill("Shared ICT")
    partners = page.get_by_role("group", name="Partner organisations")
    # The partnership's members only, never the sponsor itself.
    expect(partners.get_by_label("North Kesteven District Council")).to_have_count(0)
    partners.get_by_label("Lincolnshire County Council").check()
    page.get_by_label("Outline business case").set_input_files(
        {"name": "shared-ict.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4\n%%EOF\n"}
    )
    page.get_by_role("button", name="Save as draft").click()

    expect(page.get_by_role("heading", name="Shared ICT")).to_be_visible()
    expect(page.get_by_text("Bid 1 is saved as a draft.")).to_be_visible()
    expect(page.get_by_text("£2,137,416 over 5 years")).to_be_visible()
    expect(page.get_by_text("0.23 years")).to_be_visible()

    page.get_by_role("link", name="Check and submit the bid").click()
    expect(page.get_by_role("link", name="Lincolnshire County Council")).to_be_visible()
    page.get_by_role("button", name="Submit the bid").click()
    expect(page.get_by_text("Bid 1 is submitted.")).to_be_visible()
    expect(page.locator(".govuk-tag", has_text="Submitted")).to_be_visible()
    expect(page.get_by_role("link", name="Change the bid")).to_have_count(0)
    sign_out(page)

    sign_in(page, live_server, "manager")
    page.goto(f"{live_server.url}{open_round.get_absolute_url()}")
    page.get_by_role("link", name="Shared ICT").click()
    page.get_by_role("link", name="Score this bid").click()
    for criterion, points, comment in [
        ("Involves other councils", "3", "All seven Lincolnshire districts"),
        ("Generates cashable savings and breaks even within 2 years", "2", "Pays back in months"),
        ("Proven track record", "3", ""),
    ]:
        group = page.get_by_role("group", name=criterion)
        group.get_by_label("Points").fill(points)
        group.get_by_label("Comment").fill(comment)
    page.get_by_role("button", name="Save my scores").click()

    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "The points for “Proven track record” must be 2 or fewer"
    )
    page.get_by_role("group", name="Proven track record").get_by_label("Points").fill("2")
    page.get_by_role("button", name="Save my scores").click()

    expect(page.get_by_text("Your scores for bid 1 are saved.")).to_be_visible()
    scores = page.get_by_role("table", name="Scores")
    expect(scores).to_contain_text("All seven Lincolnshire districts")
    expect(page.get_by_role("table", name="Total by scorer")).to_contain_text("manager 7")
