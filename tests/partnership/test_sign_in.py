"""Signing in (docs/adr/0016): two-factor codes for the roles that move money or run
the portal, recovery codes, the administrator's reset, lockout after wrong passwords,
sessions that end when left alone, and an e-mail when a new browser signs in. These
tests sign in through the pages, never with force_login."""

import datetime

import pytest
from axes.models import AccessAttempt
from django.contrib.admin.models import LogEntry
from django.contrib.sessions.models import Session
from django.core import mail
from django.core.cache import cache
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from partnership.models import Role
from partnership.page_cache import _page_key, records_version
from partnership.sign_in_middleware import LAST_TOUCHED
from partnership.two_factor import recovery_codes_renew
from tests.factories import OrganisationFactory, PartnershipFactory, UserFactory, user_with_role

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"
HOME = reverse("home")
SET_UP = reverse("two-factor-set-up")
VERIFY = reverse("two-factor-verify")


def _user(kind: str, **fields):
    if kind == Role.Kind.OFFICER:
        return user_with_role(kind, organisation=OrganisationFactory(), **fields)
    if kind == Role.Kind.ADMINISTRATOR:
        return user_with_role(kind, is_staff=True, **fields)
    return user_with_role(kind, partnership=PartnershipFactory(), **fields)


def _sign_in(client: Client, user, password: str = PASSWORD):
    return client.post(reverse("login"), {"username": user.username, "password": password})


def _app(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)


def _code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key):06d}"


@pytest.mark.parametrize(
    "kind", [Role.Kind.PROGRAMME_MANAGER, Role.Kind.FINANCE, Role.Kind.ADMINISTRATOR]
)
def test_managers_finance_and_administrators_set_up_an_app_before_any_page(client, kind):
    user = _user(kind)

    signed_in = _sign_in(client, user)

    assert signed_in["Location"].startswith(SET_UP)
    assert client.get(HOME)["Location"] == SET_UP
    assert client.get(reverse("projects:project-list"))["Location"] == SET_UP
    # Signing out is never in the way.
    client.post(reverse("logout"))
    assert client.get(HOME)["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("kind", [Role.Kind.OFFICER, Role.Kind.BOARD_MEMBER])
def test_officers_and_board_members_may_sign_in_with_a_password_alone(client, kind):
    user = _user(kind)

    assert _sign_in(client, user)["Location"] == HOME
    assert client.get(HOME).status_code == 200
    # ... and may set up an app if they choose.
    set_up = client.get(SET_UP)
    assert set_up.status_code == 200
    assert "Your role means" not in set_up.content.decode()


def test_without_the_setting_a_manager_signs_in_with_a_password_alone(client, settings):
    settings.PORTAL_REQUIRE_2FA = False
    _sign_in(client, _user(Role.Kind.PROGRAMME_MANAGER))

    assert client.get(HOME).status_code == 200


def test_setting_up_scans_a_qr_code_refuses_a_wrong_code_and_shows_recovery_codes_once(client):
    user = _user(Role.Kind.FINANCE)
    _sign_in(client, user)

    page = client.get(SET_UP)
    assert "Your role means you sign in with a password and a code" in page.content.decode()
    assert "<svg" in page.content.decode()
    assert "I cannot scan the QR code" in page.content.decode()
    device = TOTPDevice.objects.get(user=user, confirmed=False)

    wrong = client.post(SET_UP, {"token": "000000" if _code(device) != "000000" else "111111"})
    assert wrong.status_code == 400
    assert "The code is not right" in wrong.content.decode()
    assert client.get(HOME)["Location"] == SET_UP
    # django-otp makes each wrong code wait longer before the next is tried; waited.
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=0)

    done = client.post(SET_UP, {"token": _code(device)})
    assert done.status_code == 200
    assert "These codes are shown only once" in done.content.decode()
    codes = list(StaticToken.objects.filter(device__user=user).values_list("token", flat=True))
    assert len(codes) == 10
    assert all(code in done.content.decode() for code in codes)
    assert client.get(HOME).status_code == 200
    device.refresh_from_db()
    assert device.confirmed


def test_a_user_with_an_app_gives_its_code_at_sign_in_and_a_wrong_one_is_refused(client):
    user = _user(Role.Kind.PROGRAMME_MANAGER)
    device = _app(user)

    assert _sign_in(client, user)["Location"] == f"{VERIFY}?next=%2F"
    wrong = client.post(VERIFY, {"token": "12345"})
    assert wrong.status_code == 400
    assert "The code is not right" in wrong.content.decode()
    assert client.get(HOME)["Location"] == VERIFY
    too_soon = client.post(VERIFY, {"token": _code(device)})
    assert "Too many wrong codes: wait a minute" in too_soon.content.decode()
    # django-otp makes each wrong code wait longer before the next is tried; waited.
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=0)

    assert client.post(f"{VERIFY}?next=%2F", {"token": _code(device)})["Location"] == HOME
    assert client.get(HOME).status_code == 200


def test_an_officer_who_set_up_an_app_gives_its_code_too(client):
    user = _user(Role.Kind.OFFICER)
    _app(user)

    _sign_in(client, user)

    assert client.get(HOME)["Location"] == VERIFY


def test_a_password_alone_cannot_set_up_another_app(client):
    user = _user(Role.Kind.FINANCE)
    _app(user)
    _sign_in(client, user)

    assert client.get(SET_UP)["Location"] == VERIFY
    assert client.post(SET_UP, {"token": "123456"})["Location"] == VERIFY


def test_signing_in_through_the_admin_still_asks_for_the_code_of_the_app(client):
    user = _user(Role.Kind.PROGRAMME_MANAGER, is_staff=True)
    _app(user)

    client.post(reverse("admin:login"), {"username": user.username, "password": PASSWORD})

    assert client.get(reverse("admin:index"))["Location"] == SET_UP
    # ... where a password alone cannot set up another app.
    assert client.get(SET_UP)["Location"] == VERIFY


def test_a_recovery_code_signs_in_once(client):
    user = _user(Role.Kind.PROGRAMME_MANAGER)
    _app(user)
    code = recovery_codes_renew(user=user)[0]

    _sign_in(client, user)
    assert client.post(VERIFY, {"token": code.upper()})["Location"] == HOME
    client.post(reverse("logout"))

    _sign_in(client, user)
    refused = client.post(VERIFY, {"token": code})
    assert refused.status_code == 400
    assert client.get(HOME)["Location"] == VERIFY


def test_a_kept_page_is_never_served_to_a_session_that_owes_its_code(client):
    user = _user(Role.Kind.PROGRAMME_MANAGER)
    _app(user)
    _sign_in(client, user)
    client.get(HOME)  # sets the CSRF cookie a kept page is keyed by
    url = reverse("projects:project-list")
    # A page kept for this very session, address and CSRF cookie (as page_cache keeps it).
    reader = RequestFactory().get(url)
    reader.session = client.session
    reader.COOKIES = {name: morsel.value for name, morsel in client.cookies.items()}
    cache.set(_page_key(reader, records_version()), (b"kept page", "text/html"))

    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"] == VERIFY


def test_giving_the_code_starts_a_new_session_key(client):
    user = _user(Role.Kind.FINANCE)
    device = _app(user)
    _sign_in(client, user)
    before = client.session.session_key

    client.post(VERIFY, {"token": _code(device)})

    assert client.session.session_key != before


def test_an_administrator_resets_a_users_two_factor_and_it_is_recorded(admin_client, client):
    user = _user(Role.Kind.FINANCE)
    _app(user)
    recovery_codes_renew(user=user)

    response = admin_client.post(
        reverse("admin:auth_user_changelist"),
        {"action": "reset_two_factor", "_selected_action": [user.pk]},
        follow=True,
    )

    assert "Two-factor authentication reset for 1 user(s)" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=user).exists()
    assert not StaticToken.objects.filter(device__user=user).exists()
    entry = LogEntry.objects.get(object_id=str(user.pk))
    assert entry.get_change_message() == "Reset two-factor authentication"
    _sign_in(client, user)
    assert client.get(HOME)["Location"] == SET_UP


def test_the_reset_ends_the_sessions_that_gave_a_code_from_the_lost_app(admin_client):
    user = _user(Role.Kind.FINANCE)
    device = _app(user)
    phone, laptop, someone_else = Client(), Client(), Client()
    for browser in (phone, laptop):
        _sign_in(browser, user)
        browser.post(VERIFY, {"token": _code(device)})
        device.refresh_from_db()
        device.last_t -= 1  # a second browser in the same 30 seconds gives the same code
        device.save()
        assert browser.get(HOME).status_code == 200
    someone_else.force_login(_user(Role.Kind.OFFICER))

    admin_client.post(
        reverse("admin:auth_user_changelist"),
        {"action": "reset_two_factor", "_selected_action": [user.pk]},
    )

    for browser in (phone, laptop):
        assert browser.get(HOME)["Location"].startswith(reverse("login"))
    assert someone_else.get(HOME).status_code == 200
    assert admin_client.get(HOME).status_code == 200


def test_five_wrong_passwords_lock_the_username_for_15_minutes(client):
    user = _user(Role.Kind.OFFICER)
    for _ in range(4):
        assert _sign_in(client, user, "wrong-password").status_code == 200

    locked = _sign_in(client, user, "wrong-password")

    assert locked.status_code == 429
    assert "Sign-in locked for 15 minutes" in locked.content.decode()
    # The right password does not help, from this browser or another.
    assert _sign_in(Client(), user).status_code == 429
    assert _sign_in(Client(), _user(Role.Kind.OFFICER)).status_code == 302

    AccessAttempt.objects.update(attempt_time=timezone.now() - datetime.timedelta(minutes=16))
    assert _sign_in(client, user)["Location"] == HOME


def test_a_session_ends_after_30_minutes_without_a_request(client):
    _sign_in(client, _user(Role.Kind.BOARD_MEMBER))
    Session.objects.update(expire_date=timezone.now() - datetime.timedelta(seconds=1))

    assert client.get(HOME)["Location"].startswith(reverse("login"))


def test_a_request_moves_the_sessions_expiry_on(client):
    _sign_in(client, _user(Role.Kind.BOARD_MEMBER))
    session = client.session
    session[LAST_TOUCHED] = 0
    session.save()
    Session.objects.update(expire_date=timezone.now() + datetime.timedelta(minutes=5))

    client.get(HOME)

    expires = Session.objects.get().expire_date
    assert expires > timezone.now() + datetime.timedelta(minutes=29)


def test_a_new_browser_is_e_mailed_once(client):
    user = _user(Role.Kind.OFFICER, email="officer@north-kesteven.gov.uk")

    _sign_in(client, user)
    client.post(reverse("logout"))
    _sign_in(client, user)

    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["officer@north-kesteven.gov.uk"]
    assert mail.outbox[0].subject == "New sign-in to the Partnership Portal"
    assert "If it was not you, change your password" in mail.outbox[0].body

    _sign_in(Client(), user)
    assert len(mail.outbox) == 2


def test_a_wrong_password_sends_no_e_mail(client):
    _sign_in(client, _user(Role.Kind.OFFICER, email="officer@example.gov.uk"), "wrong-password")

    assert mail.outbox == []


def test_a_new_password_set_in_the_admin_must_pass_the_password_rules(admin_client):
    user = UserFactory()

    refused = admin_client.post(
        reverse("admin:auth_user_password_change", args=[user.pk]),
        {"password1": "password123", "password2": "password123"},
    )

    assert "This password is too common." in refused.content.decode()
