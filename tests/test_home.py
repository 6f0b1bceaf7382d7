import pytest
from django.contrib.messages import constants, storage
from django.core.exceptions import PermissionDenied
from django.template.loader import render_to_string
from django.urls import reverse
from django.views import defaults

from partnership.models import Role
from tests.error_summary import lands_on_a_field, summary_links
from tests.factories import (
    OrganisationFactory,
    PartnershipFactory,
    UserFactory,
    user_with_role,
)

pytestmark = pytest.mark.django_db


def test_home_sends_a_visitor_who_has_not_signed_in_to_the_sign_in_page(client):
    response = client.get(reverse("home"))

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next=/"


def test_sign_in_page_uses_the_portal_template_without_gov_uk_branding(client):
    response = client.get(reverse("login"))

    assert response.status_code == 200
    page = response.content.decode()
    assert '<html lang="en-GB" class="govuk-template">' in page
    assert "<title>Sign in – Partnership Portal</title>" in page
    assert "Partnership Portal" in page
    assert "Skip to main content" in page
    assert "Beta" in page
    assert 'aria-label="GOV.UK"' not in page
    assert "govuk-header__logotype" not in page
    assert "Sign out" not in page


def test_signing_in_with_the_right_password_lands_on_the_home_page(client):
    user_with_role(
        Role.Kind.OFFICER,
        organisation=OrganisationFactory(name="North Kesteven District Council"),
        username="officer-north-kesteven",
    )

    response = client.post(
        reverse("login"),
        {"username": "officer-north-kesteven", "password": "correct-horse-battery"},
        follow=True,
    )

    assert response.redirect_chain == [(reverse("home"), 302)]
    assert "Work waiting for you" in response.content.decode()


def test_signing_in_with_a_wrong_password_shows_an_error_summary(client):
    UserFactory(username="manager")

    response = client.post(reverse("login"), {"username": "manager", "password": "wrong"})

    page = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: Sign in – Partnership Portal</title>" in page
    assert "There is a problem" in page
    assert 'href="#id_username"' in page
    assert "Please enter a correct username and password" in page
    assert "_auth_user_id" not in client.session


def test_signing_in_with_empty_fields_names_each_missing_field(client):
    response = client.post(reverse("login"), {"username": "", "password": ""})

    page = response.content.decode()
    assert 'href="#id_username">This field is required.' in page
    assert 'href="#id_password">This field is required.' in page


def test_signing_out_needs_a_post_and_returns_to_the_sign_in_page(client):
    client.force_login(UserFactory())

    assert client.get(reverse("logout")).status_code == 405
    response = client.post(reverse("logout"))

    assert response.status_code == 302
    assert response["Location"] == reverse("login")
    assert "_auth_user_id" not in client.session


def test_officer_sees_their_council_its_partnership_and_what_they_can_do_next(client):
    partnership = PartnershipFactory(name="East Midlands Improvement and Efficiency Partnership")
    council = OrganisationFactory(name="North Kesteven District Council", partnership=partnership)
    client.force_login(user_with_role(Role.Kind.OFFICER, organisation=council))

    page = client.get(reverse("home")).content.decode()

    assert "Officer" in page
    assert f'href="{council.get_absolute_url()}">North Kesteven District Council</a>' in page
    assert (
        f', a member of <a class="govuk-link" href="{partnership.get_absolute_url()}">'
        "East Midlands Improvement and Efficiency Partnership</a>"
    ) in page
    assert "submit your council's bids" in page
    assert "efficiency savings returns" in page
    assert "approve grant payments" not in page


def test_programme_manager_sees_their_partnership_and_what_they_can_do_next(client):
    partnership = PartnershipFactory(name="East Midlands Improvement and Efficiency Partnership")
    client.force_login(user_with_role(Role.Kind.PROGRAMME_MANAGER, partnership=partnership))

    page = client.get(reverse("home")).content.decode()

    assert "Programme manager" in page
    assert (
        f'href="{partnership.get_absolute_url()}">'
        "East Midlands Improvement and Efficiency Partnership</a>"
    ) in page
    for task in ("open bidding rounds", "verify milestones", "approve grant payments"):
        assert task in page
    assert "prepare board packs" in page


def test_board_member_sees_dashboards_ranked_bids_and_board_packs(client):
    client.force_login(user_with_role(Role.Kind.BOARD_MEMBER, partnership=PartnershipFactory()))

    page = client.get(reverse("home")).content.decode()

    assert "Board member" in page
    assert "read the dashboards" in page
    assert "bids ranked by their scores" in page
    assert "board packs" in page


def test_finance_sees_the_payment_schedule_and_recording_payments(client):
    client.force_login(
        user_with_role(Role.Kind.FINANCE, organisation=OrganisationFactory(name="Leicester City"))
    )

    page = client.get(reverse("home")).content.decode()

    assert "Finance" in page
    assert "Leicester City" in page
    assert "export the grant payment schedule" in page
    assert "record grant payments made" in page


def test_staff_administrator_is_pointed_to_the_admin_site(client):
    client.force_login(user_with_role(Role.Kind.ADMINISTRATOR, is_staff=True))

    page = client.get(reverse("home")).content.decode()

    assert "Administrator" in page
    assert f'href="{reverse("admin:index")}">admin site</a>' in page
    assert f'href="{reverse("admin:index")}">Admin</a>' in page


def test_officer_gets_no_link_to_the_admin_site(client):
    client.force_login(user_with_role(Role.Kind.OFFICER, organisation=OrganisationFactory()))

    page = client.get(reverse("home")).content.decode()

    assert reverse("admin:index") not in page


def test_user_with_several_roles_sees_each_of_them(client):
    partnership = PartnershipFactory()
    user = user_with_role(Role.Kind.BOARD_MEMBER, partnership=partnership)
    Role.objects.create(user=user, kind=Role.Kind.FINANCE, partnership=partnership)
    client.force_login(user)

    page = client.get(reverse("home")).content.decode()

    assert "Board member" in page
    assert "Finance" in page


def test_user_without_a_role_is_told_to_ask_for_one(client):
    client.force_login(UserFactory())

    page = client.get(reverse("home")).content.decode()

    assert "You do not have a role in the portal yet" in page


def test_home_page_reads_roles_in_a_fixed_number_of_queries(client, django_assert_num_queries):
    partnership = PartnershipFactory()
    user = user_with_role(Role.Kind.PROGRAMME_MANAGER, partnership=partnership)
    Role.objects.create(user=user, kind=Role.Kind.FINANCE, organisation=OrganisationFactory())
    Role.objects.create(user=user, kind=Role.Kind.BOARD_MEMBER, partnership=PartnershipFactory())
    client.force_login(user)

    # session, user, the user's roles, their partnerships, their organisations, the
    # partnerships those organisations belong to, and their unread notifications (7);
    # the work waiting for the programme manager (5: no projects, so no reports to
    # read), the finance officer (3) and the board member (2: no meeting, so no pack
    # to read). Each role's counts with data: tests/reports/test_home_to_do.py.
    with django_assert_num_queries(17):
        client.get(reverse("home"))


def test_a_missing_page_shows_page_not_found(client):
    client.force_login(UserFactory())

    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_a_refused_page_explains_that_the_role_does_not_allow_it(rf):
    request = rf.get("/projects/1/")
    request.user = UserFactory()

    response = defaults.permission_denied(request, PermissionDenied())

    assert response.status_code == 403
    assert "You cannot see this page" in response.content.decode()


def test_the_server_error_page_renders_without_a_request_context(rf):
    # Django renders 500.html with an empty context: no user, no context processors.
    response = defaults.server_error(rf.get("/"))

    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in response.content.decode()


def test_messages_show_as_notification_banners(rf):
    request = rf.get("/")
    request.user = UserFactory()
    request.session = {}
    messages = storage.default_storage(request)
    messages.add(constants.SUCCESS, "Bid 7 submitted")
    messages.add(constants.INFO, "The round closes on 3 May")

    page = render_to_string("includes/messages.html", {"messages": messages})

    assert "govuk-notification-banner--success" in page
    assert "Bid 7 submitted" in page
    assert "The round closes on 3 May" in page


def test_the_header_shows_the_signed_in_users_roles(client):
    partnership = PartnershipFactory()
    user = user_with_role(Role.Kind.PROGRAMME_MANAGER, partnership=partnership, username="manager")
    Role.objects.create(user=user, kind=Role.Kind.BOARD_MEMBER, partnership=partnership)
    client.force_login(user)
    page = client.get(reverse("home")).content.decode()
    assert "<strong>manager</strong> (Programme manager, Board member)" in page


def test_each_sign_in_error_in_the_summary_leads_to_its_box_on_the_page(client):
    UserFactory(username="manager")

    wrong = client.post(reverse("login"), {"username": "manager", "password": "wrong"})
    empty = client.post(reverse("login"), {"username": "", "password": ""})

    wrong_page, empty_page = wrong.content.decode(), empty.content.decode()
    assert "<title>Error: Sign in – Partnership Portal</title>" in wrong_page
    assert summary_links(wrong_page) == [
        (
            "#id_username",
            "Please enter a correct username and password. "
            "Note that both fields may be case-sensitive.",
        )
    ]
    assert summary_links(empty_page) == [
        ("#id_username", "This field is required."),
        ("#id_password", "This field is required."),
    ]
    for page in (wrong_page, empty_page):
        assert page.count("There is a problem") == 1
        assert all(lands_on_a_field(page, href) for href, _ in summary_links(page))
