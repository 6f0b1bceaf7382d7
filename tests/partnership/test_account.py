"""The account page: every signed-in user's name, roles and how they sign in, with
the way to set up an authenticator app (issue 15, docs/adr/0016 and 0017)."""

import pytest
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from partnership.models import Role
from partnership.two_factor import recovery_codes_renew
from tests.factories import OrganisationFactory, PartnershipFactory, user_with_role

pytestmark = pytest.mark.django_db

ACCOUNT = reverse("account")


def test_an_officer_sees_their_name_roles_and_that_an_app_is_optional(client):
    council = OrganisationFactory(name="North Kesteven District Council")
    user = user_with_role(
        Role.Kind.OFFICER, organisation=council, first_name="Pat", last_name="Example"
    )
    client.force_login(user)

    page = client.get(ACCOUNT).content.decode()

    assert "Pat Example" in page
    assert "Officer, North Kesteven District Council" in page
    assert "It is optional for your roles" in page
    assert f'href="{reverse("two-factor-set-up")}">Set up an authenticator app<' in page
    assert "Recovery codes" not in page
    assert f'href="{reverse("api-tokens:list")}">Make, see and revoke your API tokens<' in page


def test_a_manager_with_an_app_sees_how_many_recovery_codes_are_left(
    client, django_assert_max_num_queries
):
    partnership = PartnershipFactory(name="East Midlands Improvement and Efficiency Partnership")
    user = user_with_role(Role.Kind.PROGRAMME_MANAGER, partnership=partnership)
    TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)
    recovery_codes_renew(user=user)
    StaticToken.objects.filter(device__user=user).first().delete()  # one used
    client.force_login(user)

    with django_assert_max_num_queries(12):
        page = client.get(ACCOUNT).content.decode()

    assert "Programme manager, East Midlands Improvement and Efficiency Partnership" in page
    assert "Set up: you enter a code from it each time you sign in" in page
    assert "9 of 10 left" in page
    assert "Set up a new app" in page


def test_the_account_page_is_in_every_signed_in_users_menu(client):
    user = user_with_role(Role.Kind.BOARD_MEMBER, partnership=PartnershipFactory())
    client.force_login(user)

    menu = client.get(ACCOUNT).context["portal_menu"]

    assert [(item.label, item.url) for item in menu if item.is_current] == [("Account", ACCOUNT)]


def test_the_account_page_asks_a_visitor_to_sign_in(client):
    response = client.get(ACCOUNT)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_a_user_sees_only_their_own_account(client):
    partnership = PartnershipFactory()
    someone_else = user_with_role(
        Role.Kind.FINANCE, partnership=partnership, first_name="Sam", last_name="Other"
    )
    TOTPDevice.objects.create(user=someone_else, name="Authenticator app", confirmed=True)
    client.force_login(user_with_role(Role.Kind.BOARD_MEMBER, partnership=partnership))

    page = client.get(ACCOUNT).content.decode()

    assert "Sam Other" not in page
    assert "Finance" not in page
    assert "Board member" in page
    assert "Not set up" in page
