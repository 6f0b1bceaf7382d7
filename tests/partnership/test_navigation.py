import pytest
from django.urls import reverse

from tests.factories import OrganisationFactory, PartnershipFactory, user_with_role

pytestmark = pytest.mark.django_db


def menu_of(client, user) -> list[str]:
    client.force_login(user)
    return [item.label for item in client.get(reverse("home")).context["portal_menu"]]


def test_each_role_is_offered_the_pages_it_works_in(client):
    partnership, council = PartnershipFactory(), OrganisationFactory()
    assert menu_of(client, user_with_role("officer", organisation=council)) == [
        "Home",
        "Bidding rounds",
        "My projects",
        "Our savings",
    ]
    assert menu_of(client, user_with_role("board_member", partnership=partnership)) == [
        "Home",
        "Dashboard",
        "Bidding rounds",
        "Projects",
        "Savings",
    ]
    assert menu_of(client, user_with_role("finance", partnership=partnership)) == [
        "Home",
        "Projects",
        "Payment schedule",
        "Savings",
    ]
    # A council's finance officer follows their council, not whole partnerships: the
    # project list is not theirs to open, their council's savings are.
    assert menu_of(client, user_with_role("finance", organisation=council)) == [
        "Home",
        "Payment schedule",
        "Our savings",
        "Returns to sign off",
    ]
    # An administrator holds no council of their own.
    assert menu_of(client, user_with_role("administrator")) == [
        "Home",
        "Dashboard",
        "Bidding rounds",
        "Projects",
        "Payment schedule",
        "Savings",
        "Returns to sign off",
    ]


@pytest.mark.parametrize(
    "kind, where",
    [
        ("officer", "organisation"),
        ("programme_manager", "partnership"),
        ("board_member", "partnership"),
        ("finance", "partnership"),
        ("finance", "organisation"),
        ("administrator", None),
    ],
)
def test_every_entry_in_a_roles_menu_opens(client, kind, where):
    partnership = PartnershipFactory()
    council = OrganisationFactory(partnership=partnership)
    held = {"partnership": partnership, "organisation": council}
    user = user_with_role(kind, **({where: held[where]} if where else {}))

    client.force_login(user)
    for item in client.get(reverse("home")).context["portal_menu"]:
        response = client.get(item.url, follow=True)
        assert response.status_code == 200, f"{item.label} ({item.url}) refused {kind}"


def test_the_current_page_is_marked_in_the_menu(client):
    user = user_with_role("board_member", partnership=PartnershipFactory())
    client.force_login(user)
    page = client.get(reverse("reports:dashboard")).content.decode()
    assert (
        'aria-current="page"><strong class="govuk-service-navigation__active-fallback">Dashboard'
        in page
    )
