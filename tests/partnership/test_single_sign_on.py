"""Single sign-on through a council's OpenID Connect provider (docs/adr/0017), with
the provider mocked at mozilla-django-oidc's backend: the token exchange, the ID
token's check and the user info. The portal's own rules are what is tested: an
existing user found by e-mail whatever its case, nobody made, the portal's code still
asked for where it is required."""

from urllib.parse import parse_qs, urlparse

import pytest
from django.contrib.auth import get_user_model
from django.contrib.messages import get_messages
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from partnership.models import Role
from partnership.single_sign_on import ExistingUserBackend
from tests.factories import OrganisationFactory, PartnershipFactory, user_with_role

pytestmark = pytest.mark.django_db

START = reverse("oidc_authentication_init")
CALLBACK = reverse("oidc_authentication_callback")
HOME = reverse("home")


@pytest.fixture
def single_sign_on(settings, monkeypatch):
    """Single sign-on on, as the OIDC_* variables turn it on, against a provider whose
    answers the test sets in ``claims``."""
    settings.PORTAL_SINGLE_SIGN_ON = True
    settings.OIDC_RP_CLIENT_ID = "portal"
    settings.OIDC_RP_CLIENT_SECRET = "secret"
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = "https://login.example.org/authorize"
    settings.OIDC_OP_TOKEN_ENDPOINT = "https://login.example.org/token"
    settings.OIDC_OP_USER_ENDPOINT = "https://login.example.org/userinfo"
    settings.OIDC_OP_JWKS_ENDPOINT = "https://login.example.org/keys"
    settings.OIDC_RP_SIGN_ALGO = "RS256"
    settings.OIDC_USE_PKCE = True
    settings.AUTHENTICATION_BACKENDS = [
        *settings.AUTHENTICATION_BACKENDS,
        "partnership.single_sign_on.ExistingUserBackend",
    ]
    claims = {}
    monkeypatch.setattr(
        ExistingUserBackend,
        "get_token",
        lambda self, payload: {"id_token": "i", "access_token": "a"},
    )
    monkeypatch.setattr(ExistingUserBackend, "verify_token", lambda self, token, **kw: {"sub": "1"})
    monkeypatch.setattr(
        ExistingUserBackend, "get_userinfo", lambda self, access, id_token, payload: claims
    )
    return claims


def _sign_on(client, *, next_url: str = ""):
    """Off to the provider and back, as the browser is sent."""
    to_provider = client.get(START + (f"?next={next_url}" if next_url else ""))
    assert to_provider["Location"].startswith("https://login.example.org/authorize?")
    state = parse_qs(urlparse(to_provider["Location"]).query)["state"][0]
    return client.get(CALLBACK, {"code": "from-the-provider", "state": state})


def test_an_officer_signs_on_with_their_councils_account_whatever_the_case_of_the_address(
    client, single_sign_on
):
    council = OrganisationFactory(name="North Kesteven District Council")
    officer = user_with_role(
        Role.Kind.OFFICER, organisation=council, email="Officer@North-Kesteven.gov.uk"
    )
    single_sign_on["email"] = "officer@north-kesteven.gov.uk"

    response = _sign_on(client, next_url="/projects/mine/")

    assert response["Location"] == "/projects/mine/"
    assert client.get(HOME).context["user"] == officer


def test_a_manager_still_gives_the_portals_own_code_after_signing_on(client, single_sign_on):
    manager = user_with_role(
        Role.Kind.PROGRAMME_MANAGER, partnership=PartnershipFactory(), email="pm@example.gov.uk"
    )
    TOTPDevice.objects.create(user=manager, name="Authenticator app", confirmed=True)
    single_sign_on["email"] = "pm@example.gov.uk"

    response = _sign_on(client)

    assert response["Location"].startswith(reverse("two-factor-verify"))
    assert client.get(HOME)["Location"].startswith(reverse("two-factor-verify"))


def test_an_unknown_address_is_refused_with_a_clear_message_and_no_user_is_made(
    client, single_sign_on
):
    single_sign_on["email"] = "stranger@example.gov.uk"
    users = get_user_model().objects.count()

    response = _sign_on(client)

    assert response["Location"] == reverse("login")
    [message] = [str(message) for message in get_messages(response.wsgi_request)]
    assert message.startswith("You cannot sign in with stranger@example.gov.uk: no one on")
    assert get_user_model().objects.count() == users
    assert client.get(HOME)["Location"].startswith(reverse("login"))


@pytest.mark.parametrize(
    "claims",
    [{"email": "pm@example.gov.uk", "email_verified": False}, {"sub": "no e-mail"}],
)
def test_an_address_the_provider_does_not_vouch_for_signs_no_one_in(client, single_sign_on, claims):
    user_with_role(
        Role.Kind.BOARD_MEMBER, partnership=PartnershipFactory(), email="pm@example.gov.uk"
    )
    single_sign_on.update(claims)

    response = _sign_on(client)

    assert response["Location"] == reverse("login")
    assert client.get(HOME)["Location"].startswith(reverse("login"))


def test_an_inactive_user_is_refused(client, single_sign_on):
    user_with_role(
        Role.Kind.OFFICER,
        organisation=OrganisationFactory(),
        email="left@example.gov.uk",
        is_active=False,
    )
    single_sign_on["email"] = "left@example.gov.uk"

    response = _sign_on(client)

    assert response["Location"] == reverse("login")
    assert client.get(HOME)["Location"].startswith(reverse("login"))


def test_the_sign_in_page_offers_single_sign_on_only_when_it_is_set_up(client, settings):
    assert "council account" not in client.get(reverse("login")).content.decode()
    assert client.get(START).status_code == 404
    assert client.get(CALLBACK).status_code == 404

    settings.PORTAL_SINGLE_SIGN_ON = True
    page = client.get(reverse("login")).content.decode()

    assert f'href="{START}"' in page
    assert "Sign in with your council account" in page


def test_refused_sign_ons_lock_no_one_out_of_single_sign_on(client, single_sign_on):
    # The lockout after five wrong passwords is by username, which single sign-on has
    # none of: refusals of strangers must not lock out the council's users.
    officer = user_with_role(
        Role.Kind.OFFICER, organisation=OrganisationFactory(), email="officer@example.gov.uk"
    )
    single_sign_on["email"] = "stranger@example.gov.uk"
    for _ in range(6):
        _sign_on(client)

    single_sign_on["email"] = "officer@example.gov.uk"
    _sign_on(client)

    assert client.get(HOME).context["user"] == officer
