"""Personal API tokens: made, listed and revoked on the account's API tokens page, the
key shown once and kept only as a digest; the API answers a token as its user, refuses
a read-only token any write, a revoked or wrong one with 401, and makes an address
that keeps sending wrong tokens wait (429)."""

import datetime
import hashlib
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from partnership.api_tokens import ApiTokenError, api_token_create
from partnership.models import ApiToken, Role
from tests.factories import OrganisationFactory, PartnershipFactory, user_with_role

pytestmark = pytest.mark.django_db

LIST = reverse("api-tokens:list")
CREATE = reverse("api-tokens:create")
PARTNERSHIPS = "/api/v1/partnerships/"


@pytest.fixture
def officer():
    em_iep, lancashire = PartnershipFactory(short_name="EM IEP"), PartnershipFactory()
    OrganisationFactory(partnership=lancashire)
    council = OrganisationFactory(name="North Kesteven District Council", partnership=em_iep)
    return user_with_role(Role.Kind.OFFICER, organisation=council, username="officer-nk")


def made(user, scope=ApiToken.Scope.READ, name="Finance system") -> str:
    """A new token's key."""
    return api_token_create(name=name, scope=scope, by=user)[1]


def bearer(key: str, **extra) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {key}", **extra}


# The pages ---------------------------------------------------------------------------


def test_a_token_made_on_the_page_is_shown_once_and_kept_only_as_a_digest(client, officer):
    client.force_login(officer)

    response = client.post(CREATE, {"name": "Finance system", "scope": "read"})

    assert response.status_code == 200
    page = response.content.decode()
    [key] = re.findall(r'value="(pp_[^"]+)"', page)
    assert "It is shown only once" in page
    token = ApiToken.objects.get(user=officer)
    assert (token.name, token.scope) == ("Finance system", "read")
    assert token.key_digest == hashlib.sha256(key.encode()).hexdigest()
    assert key.startswith(token.prefix) and len(token.prefix) < len(key)
    assert response["Cache-Control"].startswith("max-age=0")

    listed = client.get(LIST).content.decode()
    assert "Finance system" in listed
    assert token.prefix in listed
    assert "Read only" in listed
    assert "Never" in listed  # not used yet
    assert key not in listed


def test_the_list_shows_when_a_token_was_last_used(client, officer):
    key = made(officer)
    client.get(PARTNERSHIPS, **bearer(key))
    used = timezone.localtime(ApiToken.objects.get().last_used_at)

    client.force_login(officer)
    page = client.get(LIST).content.decode()

    assert used.strftime("%-d %b %Y, %H:%M") in page
    assert "Never" not in page


def test_a_token_needs_a_name_and_a_scope(client, officer):
    client.force_login(officer)

    response = client.post(CREATE, {"name": "  ", "scope": ""})

    assert response.status_code == 400
    page = response.content.decode()
    assert "Enter a name for the token" in page
    assert "Choose what the token may do" in page
    assert not ApiToken.objects.exists()


def test_someone_whose_role_requires_two_factor_sets_it_up_before_making_a_token(client):
    manager = user_with_role(Role.Kind.PROGRAMME_MANAGER, partnership=PartnershipFactory())

    with pytest.raises(ApiTokenError, match="Set up two-factor authentication"):
        made(manager)

    # The page refuses it too, should a session reach it without an app set up.
    client.force_login(manager)
    response = client.post(CREATE, {"name": "Board papers", "scope": "read"})
    assert response.status_code == 400
    assert "Set up two-factor authentication before" in response.content.decode()

    TOTPDevice.objects.create(user=manager, name="Authenticator app", confirmed=True)
    assert made(manager).startswith("pp_")


def test_a_session_that_owes_its_code_is_sent_to_give_it_before_the_page(client):
    manager = user_with_role(Role.Kind.PROGRAMME_MANAGER, partnership=PartnershipFactory())
    password = {"username": manager.username, "password": "correct-horse-battery"}
    client.post(reverse("login"), password)

    response = client.get(CREATE)

    assert response.status_code == 302
    assert response["Location"] == reverse("two-factor-set-up")


def test_revoking_asks_first_then_the_api_refuses_the_token(client, officer):
    key = made(officer)
    token = ApiToken.objects.get()
    revoke = reverse("api-tokens:revoke", args=[token.pk])
    client.force_login(officer)

    page = client.get(revoke).content.decode()
    assert "Are you sure you want to revoke “Finance system”?" in page
    assert ApiToken.objects.live().exists()

    response = client.post(revoke, follow=True)

    assert response.redirect_chain[-1][0] == LIST
    assert "The token “Finance system” is revoked" in response.content.decode()
    assert "Finance system</td>" not in response.content.decode()
    token.refresh_from_db()
    assert token.revoked_at is not None
    refused = client.get(PARTNERSHIPS, **bearer(key))
    assert refused.status_code == 401
    assert "it may have been revoked" in refused.json()["detail"]


def test_nobody_sees_or_revokes_anothers_token(client, officer):
    made(officer, name="Officer's own")
    token = ApiToken.objects.get()
    someone = user_with_role(Role.Kind.OFFICER, organisation=OrganisationFactory())
    client.force_login(someone)

    assert "Officer&#x27;s own" not in client.get(LIST).content.decode()
    assert client.get(reverse("api-tokens:revoke", args=[token.pk])).status_code == 404
    assert client.post(reverse("api-tokens:revoke", args=[token.pk])).status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_signed_out_people_are_sent_to_sign_in(client, officer):
    made(officer)
    for url in (LIST, CREATE, reverse("api-tokens:revoke", args=[ApiToken.objects.get().pk])):
        assert client.get(url)["Location"].startswith(reverse("login"))


def test_the_list_takes_as_many_queries_for_five_tokens_as_for_one(
    client, officer, django_assert_num_queries
):
    client.force_login(officer)
    for count in (1, 5):
        while ApiToken.objects.count() < count:
            made(officer)
        # session, user, the user's roles (the menu), the unread count, the tokens
        with django_assert_num_queries(5):
            assert client.get(LIST).status_code == 200


# The API -----------------------------------------------------------------------------


def test_a_token_reads_what_its_user_sees_without_a_session(client, officer):
    key = made(officer)

    response = client.get(PARTNERSHIPS, **bearer(key))

    assert response.status_code == 200
    assert [row["short_name"] for row in response.json()["results"]] == ["EM IEP"]


def test_a_read_only_token_is_refused_any_write_with_a_message(client, officer):
    read_only, read_write = made(officer), made(officer, scope=ApiToken.Scope.READ_WRITE)

    refused = client.post(PARTNERSHIPS, {}, **bearer(read_only))

    assert refused.status_code == 403
    assert refused.json()["detail"].startswith("This token may only read.")
    for method in (client.put, client.patch, client.delete):
        assert method(PARTNERSHIPS + "1/", **bearer(read_only)).status_code == 403
    # A read and write token is signed in, needing no CSRF token: the list itself
    # takes no POST.
    assert client.post(PARTNERSHIPS, {}, **bearer(read_write)).status_code == 405


def test_a_wrong_token_or_one_of_an_inactive_user_is_answered_401(client, officer):
    key = made(officer)

    wrong = client.get(PARTNERSHIPS, **bearer(key + "x"))
    assert wrong.status_code == 401
    assert wrong["WWW-Authenticate"] == "Bearer"
    assert client.get(PARTNERSHIPS, HTTP_AUTHORIZATION="Bearer").status_code == 401

    officer.is_active = False
    officer.save()
    assert client.get(PARTNERSHIPS, **bearer(key)).status_code == 401


def test_last_use_is_recorded_at_most_once_a_minute(client, officer, django_assert_num_queries):
    key = made(officer)
    token = ApiToken.objects.get()

    client.get(PARTNERSHIPS, **bearer(key))
    token.refresh_from_db()
    first = token.last_used_at
    assert first is not None

    # the token with its user, the user's roles, the count, the page and its
    # members: no write
    with django_assert_num_queries(5):
        client.get(PARTNERSHIPS, **bearer(key))
    token.refresh_from_db()
    assert token.last_used_at == first

    a_minute_ago = timezone.now() - datetime.timedelta(seconds=61)
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=a_minute_ago)
    client.get(PARTNERSHIPS, **bearer(key))
    token.refresh_from_db()
    assert token.last_used_at > a_minute_ago + datetime.timedelta(seconds=60)


def test_an_address_sending_wrong_tokens_is_made_to_wait(client, officer):
    key = made(officer)
    there = {"REMOTE_ADDR": "203.0.113.7"}
    for _ in range(10):
        assert client.get(PARTNERSHIPS, **bearer("pp_guess", **there)).status_code == 401

    # Refused even with a good token, until the failures age out; the session path
    # is untouched.
    waiting = client.get(PARTNERSHIPS, **bearer(key, **there))
    assert waiting.status_code == 429
    assert waiting.json()["detail"].startswith("Too many requests with a wrong or revoked token")
    assert int(waiting["Retry-After"]) > 0
    # Another address is not held up.
    elsewhere = client.get(PARTNERSHIPS, **bearer(key, REMOTE_ADDR="198.51.100.4"))
    assert elsewhere.status_code == 200


def test_good_tokens_never_count_towards_the_wait(client, officer):
    key = made(officer)
    for _ in range(12):
        assert client.get(PARTNERSHIPS, **bearer(key)).status_code == 200
