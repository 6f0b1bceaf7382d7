"""Signed in as each demo role, axe-core finds no accessibility violations on any kind
of page the crawl reaches: one page of each kind, walked as tests/pages/test_crawl.py
walks them, checked in Chromium with the page's own styles and scripts."""

from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client
from playwright.sync_api import Page, expect

from tests.browser.test_projects import sign_in
from tests.pages.test_crawl import ROLES, crawl

pytestmark = pytest.mark.browser

# axe-core vendored from npm (MPL-2.0) so the check needs no network.
AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
RUN_AXE = "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"


def known_govuk_false_positive(rule: dict, node: dict) -> bool:
    """GOV.UK Frontend's radios script marks a radio that reveals a question with
    aria-expanded, which ARIA allows only on other roles. The Design System keeps it
    because screen readers announce it (alphagov/govuk-frontend#979, listed as a known
    axe issue in #1280), so only that attribute on those radios is let through."""
    return (
        rule["id"] == "aria-allowed-attr"
        and "govuk-radios__input" in node["html"]
        and {
            attribute.split("=")[0]
            for check in node["all"]
            for attribute in check["data"]["values"]
        }
        == {"aria-expanded"}
    )


def violations(page: Page) -> list[str]:
    """Each violation axe finds on the open page: rule, where and why."""
    # Evaluated by the test, not added as a <script> the page's Content-Security-Policy
    # would refuse (docs/adr/0017): axe is the test's, not the page's.
    page.evaluate(AXE.read_text())
    return [
        f"{rule['id']} at {node['target']}: {rule['help']}"
        for rule in page.evaluate(RUN_AXE)
        for node in rule["nodes"]
        if not known_govuk_false_positive(rule, node)
    ]


@pytest.mark.parametrize("role", ROLES)
def test_axe_finds_no_violations_on_any_page_a_demo_role_reaches(
    live_server, page: Page, demo, role
):
    client = Client()
    client.force_login(get_user_model().objects.get(username=role))
    failures, pages = crawl(client, role, per_pattern=1)
    assert not failures, "\n".join(failures)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )

    found = []
    for url in pages:
        page.goto(live_server.url + url)
        found += [f"{url}: {violation}" for violation in violations(page)]
    assert not found, f"{role}:\n" + "\n".join(found)


def test_axe_finds_no_violations_on_the_sign_in_page(live_server, page: Page):
    page.goto(live_server.url)
    found = violations(page)
    assert not found, "\n".join(found)


def test_axe_finds_no_violations_on_a_form_sent_back_with_errors(live_server, page: Page, demo):
    # The crawl opens forms empty; their error summary and messages come from the
    # shared form page, checked here once.
    sign_in(page, live_server, "manager")
    page.goto(f"{live_server.url}/partnerships/em-iep/meetings/add/")
    page.locator("main form [type=submit]").first.click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    found = violations(page)
    assert not found, "\n".join(found)
