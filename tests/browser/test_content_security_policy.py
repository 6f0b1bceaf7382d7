"""The portal's Content-Security-Policy (docs/adr/0017) is on in every browser test,
and tests/browser/conftest.py fails any test in which Chromium refuses a script or
style under it. These show the refusals are seen, and that the pages whose scripts
matter most still work: GOV.UK Frontend's components, the two-factor QR code (also
reached from the account page), the admin's own scripts and the API's Swagger UI."""

import pytest
from playwright.sync_api import Page, expect

from partnership.models import Role
from tests.browser.test_projects import PASSWORD
from tests.browser.two_factor import give_code_if_asked
from tests.factories import OrganisationFactory, user_with_role

pytestmark = pytest.mark.browser


def test_a_script_written_into_the_page_is_refused_and_reported(
    live_server, page: Page, csp_refusals
):
    page.goto(live_server.url)
    page.evaluate(
        """() => {
          const script = document.createElement("script");
          script.textContent = "document.body.dataset.injected = 'yes'";
          document.body.append(script);
        }"""
    )

    expect(page.locator("body")).not_to_have_attribute("data-injected", "yes")
    assert any("script-src" in refusal for refusal in csp_refusals), csp_refusals
    csp_refusals.clear()  # seen: this test is about seeing it


def test_govuk_frontend_starts_under_the_policy(live_server, page: Page):
    response = page.goto(live_server.url)

    policy = response.headers["content-security-policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    expect(page.locator("body")).to_have_class(
        "govuk-template__body js-enabled govuk-frontend-supported"
    )
    page.get_by_role("button", name="Sign in").click()
    # GOV.UK Frontend's error summary moves focus to itself when its script starts.
    expect(page.locator(".govuk-error-summary")).to_be_focused()


@pytest.fixture
def administrator():
    return user_with_role(
        Role.Kind.ADMINISTRATOR,
        username="admin",
        password=PASSWORD,
        is_staff=True,
        is_superuser=True,
    )


def _sign_in(page: Page, live_server, username: str) -> None:
    page.goto(live_server.url)
    page.get_by_label("Username").fill(username)
    page.get_by_role("textbox", name="Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_the_two_factor_qr_code_is_drawn_under_the_policy(live_server, page: Page, administrator):
    _sign_in(page, live_server, "admin")

    qr_code = page.locator("svg").first
    expect(qr_code).to_be_visible()
    assert qr_code.bounding_box()["width"] > 100
    give_code_if_asked(page, "admin")
    expect(page.get_by_role("heading", name="Work waiting for you")).to_be_visible()


def test_the_admin_scripts_run_under_the_policy(live_server, page: Page, administrator):
    _sign_in(page, live_server, "admin")
    give_code_if_asked(page, "admin")

    page.goto(f"{live_server.url}/admin/partnership/meeting/add/")

    # The admin's date shortcuts are added by its own script.
    expect(page.get_by_role("link", name="Today").first).to_be_visible()


def test_the_api_docs_draw_swagger_ui_under_the_policy(live_server, page: Page, administrator):
    _sign_in(page, live_server, "admin")
    give_code_if_asked(page, "admin")

    response = page.goto(f"{live_server.url}/api/v1/docs/")

    assert "img-src 'self' data:" in response.headers["content-security-policy"]
    expect(page.get_by_role("heading", name="Partnership Portal API")).to_be_visible()
    expect(page.get_by_text("/api/v1/projects/", exact=True).first).to_be_visible()


def test_an_officer_sets_up_an_app_from_their_account_page(live_server, page: Page):
    council = OrganisationFactory(name="North Kesteven District Council")
    user_with_role(Role.Kind.OFFICER, organisation=council, username="officer", password=PASSWORD)
    _sign_in(page, live_server, "officer")
    expect(page.get_by_role("heading", name="Work waiting for you")).to_be_visible()

    menu = page.get_by_role("navigation", name="Menu")
    menu.get_by_role("link", name="Account", exact=True).click()
    main = page.get_by_role("main")
    expect(main).to_contain_text("Officer, North Kesteven District Council")
    expect(main).to_contain_text("It is optional for your roles")
    main.get_by_role("link", name="Set up an authenticator app").click()
    expect(page.locator("main svg").first).to_be_visible()
    give_code_if_asked(page, "officer")
    menu.get_by_role("link", name="Account", exact=True).click()

    expect(main).to_contain_text("Set up: you enter a code from it each time you sign in")
    expect(main).to_contain_text("10 of 10 left")
