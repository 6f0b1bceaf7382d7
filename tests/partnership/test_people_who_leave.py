"""People who leave (docs/adr/0018): an administrator anonymises them in the admin's
users list; what they did keeps the role they did it in. And the privacy notice and
accessibility statement that say so, readable by anyone."""

import datetime
import os

import pytest
from axes.models import AccessAttempt, AccessLog
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import User
from django.contrib.sessions.models import Session
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from partnership.models import Download, Notification, NotificationPreference, Role
from partnership.services import PersonError, user_anonymise
from partnership.two_factor import recovery_codes_renew
from projects.models import Milestone
from tests.concurrency import needs_postgres, run_together
from tests.factories import MilestoneFactory, PartnershipFactory, UserFactory, user_with_role

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"
CHANGELIST = reverse("admin:auth_user_changelist")
FORMER = "Former user (Programme manager, EM IEP)"


@pytest.fixture
def em_iep():
    return PartnershipFactory(short_name="EM IEP")


@pytest.fixture
def leaver(em_iep):
    return user_with_role(
        Role.Kind.PROGRAMME_MANAGER,
        partnership=em_iep,
        first_name="Alex",
        last_name="Example",
        email="alex.example@example.org",
    )


@pytest.fixture
def administrator():
    return user_with_role(Role.Kind.ADMINISTRATOR, is_staff=True)


def test_anonymising_removes_the_name_e_mail_roles_and_sign_in(leaver, administrator, client):
    username = leaver.username

    user_anonymise(user=leaver, by=administrator)

    leaver.refresh_from_db()
    assert leaver.username == f"former-user-{leaver.pk}"
    assert leaver.get_full_name() == FORMER
    assert leaver.email == ""
    assert not leaver.has_usable_password()
    assert not leaver.is_active
    assert not leaver.portal_roles.exists()
    for tried in (username, leaver.username):
        client.post(reverse("login"), {"username": tried, "password": PASSWORD})
        assert "_auth_user_id" not in client.session
    # The removal of the role is in the role's history, with who removed it.
    removed = Role.history.get(user_id=leaver.pk, history_type="-")
    assert removed.history_user == administrator
    entry = LogEntry.objects.get(object_id=str(leaver.pk))
    assert entry.get_change_message() == "Anonymised: this person has left"
    assert entry.object_repr == leaver.username


def test_anonymising_deletes_what_was_theirs_alone(
    leaver, administrator, client, django_capture_on_commit_callbacks
):
    TOTPDevice.objects.create(user=leaver, name="Authenticator app", confirmed=True)
    recovery_codes_renew(user=leaver)
    NotificationPreference.objects.create(
        user=leaver, event=Notification.Event.BID_SUBMITTED, delivery="daily"
    )
    Notification.objects.create(
        recipient=leaver,
        event=Notification.Event.BID_SUBMITTED,
        text="Bid 4 submitted",
        url="/bids/4/",
        delivery="daily",
    )
    download = Download.objects.create(
        requested_by=leaver,
        export="payments",
        title="Payments",
        file_format="csv",
        status=Download.Status.DONE,
        finished_at=timezone.now(),
        file=ContentFile(b"amount\n1", name="payments.csv"),
    )
    AccessLog.objects.create(username=leaver.username, ip_address="192.0.2.1", user_agent="x")
    AccessAttempt.objects.create(
        username=leaver.username, ip_address="192.0.2.1", user_agent="x", failures_since_start=1
    )
    username = leaver.username
    client.force_login(leaver)
    colleague = UserFactory()
    Client().force_login(colleague)

    with django_capture_on_commit_callbacks(execute=True):
        user_anonymise(user=leaver, by=administrator)

    assert not TOTPDevice.objects.filter(user=leaver).exists()
    assert not StaticDevice.objects.filter(user=leaver).exists()
    assert not NotificationPreference.objects.filter(user=leaver).exists()
    assert not Notification.objects.filter(recipient=leaver).exists()
    assert not Download.objects.filter(requested_by=leaver).exists()
    assert not os.path.exists(download.file.path)
    assert not AccessLog.objects.filter(username=username).exists()
    assert not AccessAttempt.objects.filter(username=username).exists()
    assert AccessLog.objects.filter(username=colleague.username).exists()
    signed_in = [session.get_decoded()["_auth_user_id"] for session in Session.objects.all()]
    assert signed_in == [str(colleague.pk)]
    assert client.get(reverse("home"))["Location"].startswith(reverse("login"))


def test_who_verified_a_milestone_still_shows_their_role_and_partnership(
    leaver, administrator, em_iep, client
):
    milestone = MilestoneFactory(
        project__budget_line__programme__partnership=em_iep,
        status=Milestone.Status.VERIFIED,
        achieved_on=datetime.date(2011, 9, 1),
        verified_on=datetime.date(2011, 9, 20),
        verified_by=leaver,
    )
    Milestone.history.filter(id=milestone.pk).update(history_user=leaver)
    client.force_login(user_with_role(Role.Kind.PROGRAMME_MANAGER, partnership=em_iep))

    user_anonymise(user=leaver, by=administrator)

    page = client.get(milestone.get_absolute_url()).content.decode()
    assert f"20 September 2011 by {FORMER}" in page
    assert "Alex" not in page
    history = client.get(reverse("projects:project-history", args=[milestone.project_id]))
    assert FORMER in history.content.decode()


def test_nobody_anonymises_themselves(administrator):
    other_administrator = user_with_role(Role.Kind.ADMINISTRATOR)

    with pytest.raises(PersonError, match="You cannot anonymise yourself"):
        user_anonymise(user=administrator, by=administrator)

    administrator.refresh_from_db()
    assert administrator.is_active and other_administrator.is_active


def test_the_last_active_administrator_is_not_anonymised(administrator, leaver):
    UserFactory(is_superuser=True, is_active=False)  # an administrator who has left

    with pytest.raises(PersonError, match="is the last active administrator: make someone else"):
        user_anonymise(user=administrator, by=leaver)

    administrator.refresh_from_db()
    assert administrator.is_active and administrator.portal_roles.exists()


def test_an_administrator_is_anonymised_while_another_remains(administrator, leaver):
    superuser = UserFactory(is_superuser=True)

    user_anonymise(user=administrator, by=superuser)

    assert not User.objects.get(pk=administrator.pk).is_active


def test_someone_already_anonymised_is_refused(leaver, administrator):
    user_anonymise(user=leaver, by=administrator)

    with pytest.raises(PersonError, match=r"Former user \(Programme manager, EM IEP\) is already"):
        user_anonymise(user=leaver, by=administrator)


@needs_postgres
@pytest.mark.django_db(transaction=True)
def test_two_administrators_anonymising_each_other_at_once_leave_one():
    first, second = (user_with_role(Role.Kind.ADMINISTRATOR) for _ in range(2))

    outcomes = run_together(
        lambda: user_anonymise(user=first, by=second),
        lambda: user_anonymise(user=second, by=first),
    )

    refused = [outcome for outcome in outcomes if isinstance(outcome, PersonError)]
    assert len(refused) == 1 and "last active administrator" in refused[0].message
    assert User.objects.filter(is_active=True).count() == 1


# The admin's users list ---------------------------------------------------------------


def test_the_admin_asks_before_anonymising_and_then_anonymises(admin_client, leaver):
    chosen = {"action": "anonymise", "_selected_action": [leaver.pk]}

    confirm = admin_client.post(CHANGELIST, chosen)

    page = confirm.content.decode()
    assert "Anonymise people who have left" in page
    assert "Alex Example (" in page and "This cannot be undone" in page
    assert User.objects.get(pk=leaver.pk).is_active

    done = admin_client.post(CHANGELIST, {**chosen, "post": "yes"}, follow=True)

    assert "Anonymised 1 person." in done.content.decode()
    assert User.objects.get(pk=leaver.pk).get_full_name() == FORMER


def test_the_admin_says_why_it_refused(admin_client, leaver):
    me = User.objects.get(username="admin")

    response = admin_client.post(
        CHANGELIST,
        {"action": "anonymise", "_selected_action": [leaver.pk, me.pk], "post": "yes"},
        follow=True,
    )

    page = response.content.decode()
    assert "You cannot anonymise yourself: ask another administrator." in page
    assert "Anonymised 1 person." in page
    assert User.objects.get(pk=me.pk).is_active


def test_only_administrators_may_anonymise(leaver, administrator, em_iep):
    manager = user_with_role(Role.Kind.PROGRAMME_MANAGER, partnership=em_iep, is_staff=True)

    assert administrator.has_perm("auth.anonymise_user", leaver)
    assert not manager.has_perm("auth.anonymise_user", leaver)


# The privacy notice and accessibility statement -----------------------------------


@pytest.mark.parametrize(
    ("name", "heading"),
    [
        ("privacy-notice", "Privacy notice"),
        ("accessibility-statement", "Accessibility statement for the Partnership Portal"),
    ],
)
def test_the_statements_are_read_without_signing_in(client, name, heading, em_iep):
    page = client.get(reverse(name))

    assert page.status_code == 200
    assert f'<h1 class="govuk-heading-xl">{heading}</h1>' in page.content.decode()


def test_the_privacy_notice_names_the_partnerships_and_what_is_held(client, em_iep):
    page = client.get(reverse("privacy-notice")).content.decode()

    assert em_iep.name in page
    for said in ("work e-mail address", "public task", "How long we keep it", "Your rights"):
        assert said in page


def test_every_page_links_to_the_statements_in_its_footer(client, leaver):
    signed_out = client.get(reverse("login")).content.decode()
    client.force_login(leaver)
    signed_in = client.get(reverse("home")).content.decode()

    for page in (signed_out, signed_in):
        footer = page[page.index('<footer class="govuk-footer">') :]
        assert f'href="{reverse("accessibility-statement")}">Accessibility statement</a>' in footer
        assert f'href="{reverse("privacy-notice")}">Privacy notice</a>' in footer


def test_a_session_owing_its_two_factor_code_may_read_the_privacy_notice(client, leaver):
    client.post(reverse("login"), {"username": leaver.username, "password": PASSWORD})

    assert client.get(reverse("home")).status_code == 302
    assert client.get(reverse("privacy-notice")).status_code == 200
