import pytest
from playwright.sync_api import Page, expect

from partnership.models import Role
from tests.browser.two_factor import give_code_if_asked
from tests.factories import OrganisationFactory, PartnershipFactory, user_with_role

DEMO_PASSWORD = "partnership-demo"


def _demo_user(username: str, kind: str):
    if kind == Role.Kind.OFFICER:
        council = OrganisationFactory(name="North Kesteven District Council")
        return user_with_role(kind, organisation=council, username=username, password=DEMO_PASSWORD)
    if kind == Role.Kind.ADMINISTRATOR:
        return user_with_role(
            kind, username=username, password=DEMO_PASSWORD, is_staff=True, is_superuser=True
        )
    partnership = PartnershipFactory(name="East Midlands Improvement and Efficiency Partnership")
    return user_with_role(kind, partnership=partnership, username=username, password=DEMO_PASSWORD)


@pytest.mark.browser
@pytest.mark.parametrize(
    ("username", "kind", "role_name", "next_step"),
    [
        ("officer-north-kesteven", Role.Kind.OFFICER, "Officer", "submit your council's bids"),
        ("manager", Role.Kind.PROGRAMME_MANAGER, "Programme manager", "approve grant payments"),
        ("board", Role.Kind.BOARD_MEMBER, "Board member", "bids ranked by their scores"),
        ("finance", Role.Kind.FINANCE, "Finance", "export the grant payment schedule"),
        ("admin", Role.Kind.ADMINISTRATOR, "Administrator", "Manage partnerships, councils"),
    ],
)
def test_each_demo_role_signs_in_with_the_keyboard_sees_what_to_do_next_and_signs_out(
    live_server, page: Page, username, kind, role_name, next_step
):
    _demo_user(username, kind)

    page.goto(live_server.url)
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    page.get_by_label("Username").focus()
    page.keyboard.type(username)
    page.keyboard.press("Tab")
    page.keyboard.type(DEMO_PASSWORD)
    page.keyboard.press("Enter")
    give_code_if_asked(page, username)

    expect(page.get_by_role("heading", name="Work waiting for you")).to_be_visible()
    main = page.get_by_role("main")
    expect(main.get_by_role("heading", name=role_name)).to_be_visible()
    expect(main).to_contain_text(next_step)
    expect(page.get_by_role("navigation", name="Menu")).to_contain_text(username)

    page.get_by_role("button", name="Sign out").click()

    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    expect(page.get_by_role("button", name="Sign out")).to_have_count(0)
