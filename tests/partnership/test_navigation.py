import pytest
from django.urls import reverse

from partnership.models import Role
from tests.factories import OrganisationFactory, PartnershipFactory, user_with_role

pytestmark = pytest.mark.django_db


def menu_of(client, user) -> list[str]:
    """The menu's entries before Notifications and API tokens, which every signed-in
    reader has."""
    client.force_login(user)
    labels = [item.label for item in client.get(reverse("home")).context["portal_menu"]]
    assert labels[-2:] == ["Notifications", "API tokens"]
    return labels[:-2]


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
        "Meetings",
        "Bidding rounds",
        "Projects",
        "Savings",
    ]
    assert menu_of(client, user_with_role("finance", partnership=partnership)) == [
        "Home",
        "Meetings",
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
        "Meetings",
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


def test_only_the_longest_matching_entry_is_current(client):
    partnership = PartnershipFactory()
    user = user_with_role("officer", organisation=OrganisationFactory(partnership=partnership))
    Role.objects.create(user=user, kind=Role.Kind.PROGRAMME_MANAGER, partnership=partnership)
    client.force_login(user)

    menu = client.get(reverse("projects:my-projects")).context["portal_menu"]

    assert [item.label for item in menu if item.is_current] == ["My projects"]


def test_home_is_current_only_on_the_home_page(client):
    client.force_login(user_with_role("board_member", partnership=PartnershipFactory()))

    home = client.get(reverse("home")).context["portal_menu"]
    dashboard = client.get(reverse("reports:dashboard")).context["portal_menu"]

    assert [item.label for item in home if item.is_current] == ["Home"]
    assert [item.label for item in dashboard if item.is_current] == ["Dashboard"]


def test_meetings_leads_a_reader_of_one_partnership_to_its_meetings(client):
    partnership = PartnershipFactory()
    client.force_login(user_with_role("board_member", partnership=partnership))

    response = client.get(reverse("partnership:meetings"))

    assert response.status_code == 302
    assert response["Location"] == reverse("partnership:meeting-list", args=[partnership.slug])


def test_meetings_offers_a_choice_of_partnership_to_a_reader_of_several(client):
    first, second = PartnershipFactory(name="Team Lancashire"), PartnershipFactory(name="EM IEP")
    user = user_with_role("board_member", partnership=first)
    Role.objects.create(user=user, kind=Role.Kind.BOARD_MEMBER, partnership=second)
    client.force_login(user)

    page = client.get(reverse("partnership:meetings")).content.decode()

    assert page.index("EM IEP") < page.index("Team Lancashire")
    assert reverse("partnership:meeting-list", args=[second.slug]) in page


def test_meetings_refuses_an_officer_whom_the_menu_does_not_offer_it(client):
    client.force_login(user_with_role("officer", organisation=OrganisationFactory()))

    assert client.get(reverse("partnership:meetings")).status_code == 403


def test_the_notifications_entry_is_current_on_its_own_page_and_counts_the_unread(client):
    user = user_with_role("board_member", partnership=PartnershipFactory())
    client.force_login(user)
    user.notifications.create(event="milestone_logged", text="Milestone logged", url="/")

    menu = client.get(reverse("notifications:list")).context["portal_menu"]

    assert [item.label for item in menu if item.is_current] == ["Notifications"]
    assert [item.unread() for item in menu if item.unread] == [1]
