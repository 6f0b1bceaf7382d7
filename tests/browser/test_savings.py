"""A council's quarterly savings return in the browser: uploaded with a mistake, the
mistake seen and fixed, the return checked and submitted, then certified by the
council's finance officer; or typed, saved as a draft, carried on with after signing
out, and discarded."""

import pytest
from playwright.sync_api import Page, expect

from partnership.models import Role
from savings.models import SavingsReturn
from savings.return_files import COLUMNS
from tests.browser.two_factor import give_code_if_asked
from tests.factories import (
    OrganisationFactory,
    PartnershipFactory,
    SavingsCategoryFactory,
    user_with_role,
)

PASSWORD = "partnership-demo"
HEADER = ",".join(COLUMNS)
ROW = "E07000139,2010/11,4,,Procurement,yes,delivered,{amount},Joint stationery contract"


def sign_in(page: Page, url: str, username: str) -> None:
    page.goto(url)
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    page.get_by_label("Username").fill(username)
    page.get_by_role("textbox", name="Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    give_code_if_asked(page, username)


def sign_out(page: Page) -> None:
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()


def choose_file(page: Page, amount: str) -> None:
    page.get_by_label("Upload the filled-in template").set_input_files(
        {
            "name": "savings-return.csv",
            "mimeType": "text/csv",
            "buffer": f"{HEADER}\n{ROW.format(amount=amount)}\n".encode(),
        }
    )


@pytest.mark.browser
def test_an_officer_fixes_an_uploaded_return_submits_it_and_the_finance_officer_certifies_it(
    live_server, page: Page
):
    partnership = PartnershipFactory(name="East Midlands Improvement and Efficiency Partnership")
    council = OrganisationFactory(
        name="North Kesteven District Council", gss_code="E07000139", partnership=partnership
    )
    SavingsCategoryFactory(name="Procurement", slug="procurement")
    user_with_role(
        Role.Kind.OFFICER,
        organisation=council,
        username="officer-north-kesteven",
        password=PASSWORD,
    )
    user_with_role(
        Role.Kind.FINANCE,
        organisation=council,
        username="finance-north-kesteven",
        password=PASSWORD,
    )

    sign_in(page, f"{live_server.url}/savings/our/", "officer-north-kesteven")
    expect(page.get_by_role("heading", name="Our savings")).to_be_visible()
    page.get_by_role("link", name="Upload the return").click()
    expect(page.get_by_role("heading", name="Upload your savings return")).to_be_visible()
    expect(page.get_by_role("link", name="CSV")).to_have_attribute(
        "href", "/savings/returns/template.csv"
    )

    choose_file(page, "twelve thousand")
    page.get_by_role("button", name="Upload and check").click()

    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("There is a problem")
    expect(summary.get_by_role("link")).to_have_text(
        ["Row 2, column “amount”: “twelve thousand” is not an amount of money."]
    )
    assert not SavingsReturn.objects.exists()

    choose_file(page, "12500.00")
    page.get_by_role("button", name="Upload and check").click()

    expect(
        page.get_by_role("heading", name="Check your savings return before submitting it")
    ).to_be_visible()
    expect(page.get_by_role("table", name="Totals, each summed apart")).to_contain_text(
        "Delivered £12,500.00"
    )
    expect(page.get_by_role("table", name="Savings in this return")).to_contain_text(
        "Joint stationery contract"
    )
    assert not SavingsReturn.objects.made().exists()  # a draft, until submitted
    page.get_by_role("button", name="Submit return").click()

    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "awaiting sign-off by your finance officer"
    )
    expect(page.locator("main .govuk-tag").first).to_have_text("Awaiting sign-off")
    savings_return = SavingsReturn.objects.get()
    assert savings_return.status == SavingsReturn.Status.AWAITING_SIGN_OFF
    sign_out(page)

    sign_in(page, f"{live_server.url}/savings/our/", "finance-north-kesteven")
    page.get_by_role("link", name="Sign off the return for").click()
    expect(page.get_by_role("heading", name="Sign off the savings return")).to_be_visible()
    page.get_by_label("Certify the return").check()
    page.get_by_role("button", name="Confirm").click()

    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "Return certified: its savings now count."
    )
    expect(page.locator("main .govuk-tag").first).to_have_text("Certified")
    savings_return.refresh_from_db()
    assert savings_return.status == SavingsReturn.Status.CERTIFIED


@pytest.mark.browser
def test_the_totals_so_far_follow_what_the_officer_types_on_the_enter_page(live_server, page: Page):
    council = OrganisationFactory(name="North Kesteven District Council", gss_code="E07000139")
    SavingsCategoryFactory(name="Procurement", slug="procurement")
    user_with_role(
        Role.Kind.OFFICER,
        organisation=council,
        username="officer-north-kesteven",
        password=PASSWORD,
    )

    sign_in(
        page,
        f"{live_server.url}/savings/councils/{council.pk}/returns/new/",
        "officer-north-kesteven",
    )
    expect(page.get_by_role("heading", name="Enter your savings return")).to_be_visible()
    totals = page.locator("#running-totals")
    expect(totals).to_be_visible()
    expect(totals.locator("[data-total='delivered_cashable']")).to_have_text("£0.00")

    page.get_by_label("Amount in pounds").fill("£1,250.50")
    page.get_by_label("Cashable", exact=True).check()
    page.get_by_label("Delivered", exact=True).check()

    expect(totals.locator("[data-total='delivered_cashable']")).to_have_text("£1,250.50")
    expect(totals.locator("[data-total='forecast_cashable']")).to_have_text("£0.00")
    expect(totals.locator("[data-total='delivered_non_cashable']")).to_have_text("£0.00")

    page.get_by_label("Forecast", exact=True).check()

    expect(totals.locator("[data-total='delivered_cashable']")).to_have_text("£0.00")
    expect(totals.locator("[data-total='forecast_cashable']")).to_have_text("£1,250.50")
    assert not SavingsReturn.objects.exists()


@pytest.mark.browser
def test_an_officer_saves_a_typed_return_signs_out_and_carries_on_with_it(live_server, page: Page):
    council = OrganisationFactory(name="North Kesteven District Council", gss_code="E07000139")
    SavingsCategoryFactory(name="Procurement", slug="procurement")
    user_with_role(
        Role.Kind.OFFICER,
        organisation=council,
        username="officer-north-kesteven",
        password=PASSWORD,
    )
    sign_in(
        page,
        f"{live_server.url}/savings/councils/{council.pk}/returns/new/?year=2010&quarter=4",
        "officer-north-kesteven",
    )
    page.get_by_label("Category").select_option(label="Procurement")
    page.get_by_label("Amount in pounds").fill("1250.50")
    page.get_by_label("Cashable", exact=True).check()
    page.get_by_label("Delivered", exact=True).check()
    page.get_by_role("button", name="Save as a draft and come back later").click()

    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Draft saved")
    sign_out(page)
    sign_in(page, f"{live_server.url}/savings/councils/{council.pk}/", "officer-north-kesteven")
    page.get_by_role("link", name="Carry on with the draft return for 2010/11 quarter 4").click()

    expect(page.get_by_label("Amount in pounds")).to_have_value("1250.50")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("table", name="Totals, each summed apart")).to_contain_text(
        "Delivered £1,250.50"
    )
    page.get_by_role("link", name="discard the draft").click()
    expect(
        page.get_by_role("heading", name="Discard the draft return for 2010/11 quarter 4?")
    ).to_be_visible()
    page.get_by_role("button", name="Discard the draft").click()

    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("discarded")
    assert not SavingsReturn.objects.exists()
