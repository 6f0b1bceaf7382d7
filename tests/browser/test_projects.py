"""Project delivery in a real browser: an officer logs a milestone with an evidence file,
and finance filters the grant payment schedule and downloads it."""

import csv
import datetime
from decimal import Decimal

import pytest
from playwright.sync_api import Page, expect

from partnership.models import Role
from projects.models import GrantPayment, Milestone, MilestoneEvidence
from projects.services import milestone_add
from tests.browser.two_factor import give_code_if_asked
from tests.factories import (
    GrantPaymentFactory,
    OrganisationFactory,
    PartnershipFactory,
    ProjectFactory,
    funded_budget_line,
    user_with_role,
)

PASSWORD = "partnership-demo"
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"


def sign_in(page: Page, live_server, username: str) -> None:
    page.goto(live_server.url)
    page.get_by_label("Username").fill(username)
    page.get_by_role("textbox", name="Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    give_code_if_asked(page, username)
    expect(page.get_by_role("heading", name="Work waiting for you")).to_be_visible()


@pytest.fixture
def em_iep():
    partnership = PartnershipFactory(short_name="EM IEP")
    north_kesteven = OrganisationFactory(
        name="North Kesteven District Council", gss_code="E07000139", partnership=partnership
    )
    nottinghamshire = OrganisationFactory(
        name="Nottinghamshire County Council", gss_code="E10000024", partnership=partnership
    )
    line = funded_budget_line(programme__partnership=partnership)
    return {
        "partnership": partnership,
        "north_kesteven": north_kesteven,
        "nottinghamshire": nottinghamshire,
        "line": line,
    }


@pytest.mark.browser
def test_an_officer_logs_a_milestone_with_an_evidence_file(
    live_server, page: Page, em_iep, tmp_path
):
    user_with_role(
        Role.Kind.OFFICER,
        organisation=em_iep["north_kesteven"],
        username="officer-north-kesteven",
        password=PASSWORD,
    )
    project = ProjectFactory(
        reference="EMIEP-2011-01",
        title="Shared ICT",
        budget_line=em_iep["line"],
        lead_organisation=em_iep["north_kesteven"],
    )
    milestone_add(
        project=project,
        title="Shared service desk live",
        due_on=datetime.date(2011, 9, 30),
        payment_amount=Decimal("40000"),
        by=None,
    )
    evidence = tmp_path / "go-live-report.pdf"
    evidence.write_bytes(PDF)
    sign_in(page, live_server, "officer-north-kesteven")

    page.goto(f"{live_server.url}/projects/mine/")
    page.get_by_role("link", name="EMIEP-2011-01 Shared ICT").click()
    page.get_by_role("link", name="Shared service desk live").click()
    page.get_by_role("link", name="Log as achieved").click()
    expect(page.get_by_role("heading", name="Log milestone 1 as achieved")).to_be_visible()
    page.get_by_label("Day").fill("30")
    page.get_by_label("Month").fill("9")
    page.get_by_label("Year").fill("2011")
    page.get_by_label("What was delivered").fill("The shared service desk went live.")
    page.get_by_label("Evidence files").set_input_files(str(evidence))
    page.get_by_role("button", name="Log as achieved").click()

    expect(page.get_by_role("alert")).to_contain_text("Milestone 1 is logged as achieved")
    expect(page.get_by_text("Achieved, awaiting verification").first).to_be_visible()
    expect(page.get_by_role("link", name="go-live-report.pdf")).to_be_visible()
    milestone = Milestone.objects.get()
    assert milestone.status == Milestone.Status.ACHIEVED
    assert MilestoneEvidence.objects.get().file.read() == PDF


@pytest.mark.browser
def test_finance_filters_the_payment_schedule_and_downloads_it(live_server, page: Page, em_iep):
    user_with_role(
        Role.Kind.FINANCE, partnership=em_iep["partnership"], username="finance", password=PASSWORD
    )
    for lead, reference, amounts in (
        (em_iep["north_kesteven"], "EMIEP-2011-01", ["40000.00", "30000.00"]),
        (em_iep["nottinghamshire"], "EMIEP-2011-02", ["38000.00"]),
    ):
        project = ProjectFactory(
            reference=reference, budget_line=em_iep["line"], lead_organisation=lead
        )
        for month, amount in enumerate(amounts, start=9):
            GrantPaymentFactory(
                project=project,
                amount=Decimal(amount),
                due_on=datetime.date(2011, month, 30),
                status=GrantPayment.Status.DUE,
            )
    sign_in(page, live_server, "finance")

    page.goto(f"{live_server.url}/projects/payments/schedule/")
    expect(page.get_by_role("heading", name="Grant payment schedule")).to_be_visible()
    page.get_by_text("Filter the payments").click()
    page.get_by_label("Accountable body").select_option(label="North Kesteven District Council")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.get_by_text("2 payments, soonest due first")).to_be_visible()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="CSV").click()
    download = download_info.value

    assert download.suggested_filename.startswith("grant-payment-schedule-")
    with open(download.path(), encoding="utf-8-sig", newline="") as file:
        rows = list(csv.DictReader(file))
    assert [(row["Project reference"], row["Amount"], row["Status"]) for row in rows] == [
        ("EMIEP-2011-01", "40000.00", "Due"),
        ("EMIEP-2011-01", "30000.00", "Due"),
    ]
    assert {row["GSS code"] for row in rows} == {"E07000139"}

    # On a 390 pixel phone the table scrolls inside its region, not the whole page.
    page.set_viewport_size({"width": 390, "height": 844})
    region = page.get_by_role("region", name="Grant payments")
    expect(region).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert region.evaluate("region => region.scrollWidth > region.clientWidth")
    region.focus()
    page.keyboard.press("ArrowRight")
    expect(region).to_be_focused()


@pytest.mark.browser
def test_an_officer_reprofiles_payments_and_the_manager_approves(live_server, page: Page, em_iep):
    for role, where, username in (
        (Role.Kind.OFFICER, {"organisation": em_iep["north_kesteven"]}, "officer-north-kesteven"),
        (Role.Kind.PROGRAMME_MANAGER, {"partnership": em_iep["partnership"]}, "manager"),
    ):
        user_with_role(role, username=username, password=PASSWORD, **where)
    project = ProjectFactory(
        reference="EMIEP-2011-01",
        title="Shared ICT",
        budget_line=em_iep["line"],
        lead_organisation=em_iep["north_kesteven"],
        grant_awarded=Decimal("100000"),
    )
    for title, due_on, amount in (
        ("Shared service desk live", datetime.date(2011, 9, 30), "60000"),
        ("Data centre merged", datetime.date(2012, 3, 31), "40000"),
    ):
        milestone_add(
            project=project, title=title, due_on=due_on, payment_amount=Decimal(amount), by=None
        )
    sign_in(page, live_server, "officer-north-kesteven")

    page.goto(f"{live_server.url}{project.get_absolute_url()}")
    page.get_by_role("link", name="Ask for a change").click()
    page.get_by_label("Re-profile payments").check()
    desk = page.get_by_role("group", name="Milestone 1. Shared service desk live")
    desk.get_by_label("New amount").fill("50,000")
    desk.get_by_label("Month").fill("12")
    desk.get_by_label("Day").fill("31")
    page.get_by_role("group", name="Milestone 2. Data centre merged").get_by_label(
        "New amount"
    ).fill("50000")
    page.get_by_label("Why the change is needed").fill("The desk slipped a quarter.")
    page.get_by_role("button", name="Send request").click()
    expect(page.get_by_role("alert")).to_contain_text("Your change request is sent")

    page.context.clear_cookies()
    sign_in(page, live_server, "manager")
    page.goto(f"{live_server.url}{project.get_absolute_url()}#change-requests")
    page.get_by_role("link", name="Re-profile payments").click()
    page.get_by_role("link", name="Decide on this request").click()
    page.get_by_label("Approve the change").check()
    page.get_by_role("button", name="Record decision").click()

    expect(page.get_by_role("alert")).to_contain_text("The change request is approved")
    table = page.get_by_role("table", name="Payments re-profiled")
    expect(table).to_contain_text("£60,000.00 due 30 September 2011")
    expect(table).to_contain_text("£50,000.00 due 31 December 2011")
    payments = project.payments.order_by("milestone__position")
    assert [(p.amount, p.due_on) for p in payments] == [
        (Decimal("50000.00"), datetime.date(2011, 12, 31)),
        (Decimal("50000.00"), datetime.date(2012, 3, 31)),
    ]
