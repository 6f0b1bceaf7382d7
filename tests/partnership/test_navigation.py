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
    ]
    assert menu_of(client, user_with_role("finance", organisation=council)) == [
        "Home",
        "Projects",
        "Payment schedule",
        "Returns to sign off",
    ]


def test_the_current_page_is_marked_in_the_menu(client):
    user = user_with_role("board_member", partnership=PartnershipFactory())
    client.force_login(user)
    page = client.get(reverse("reports:dashboard")).content.decode()
    assert (
        'aria-current="page"><strong class="govuk-service-navigation__active-fallback">Dashboard'
        in page
    )
