"""Notifications: each workflow event tells the people who act next, on their
notifications page and by e-mail as each chose (straight away, in a daily summary, or
not at all), sent after the change commits and never to anyone who cannot see the
record."""

import datetime
import re
from decimal import Decimal

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from bids.services import bid_reject, bid_submit
from partnership.models import Notification, NotificationPreference, Role
from partnership.notifications import notifications_mark_all_read, notify
from partnership.tasks import email_daily_notifications
from projects.models import Milestone
from projects.services import milestone_add, milestone_log_achieved
from savings.return_files import SavingsRow
from savings.services import savings_return_certify, savings_return_submit
from tests.factories import (
    BiddingRoundFactory,
    BidFactory,
    OrganisationFactory,
    PartnershipFactory,
    SavingsCategoryFactory,
    committed_project,
    funded_budget_line,
    user_with_role,
)

# The e-mails are sent by Celery tasks: run here, even where a broker is configured.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("tasks_run_here")]
D = Decimal
PORTAL = "https://portal.example.org"
Event = Notification.Event


@pytest.fixture(autouse=True)
def _portal_url(settings):
    settings.PORTAL_URL = PORTAL


def person(kind, username, **scope):
    return user_with_role(kind, username=username, email=f"{username}@example.org", **scope)


@pytest.fixture
def em_iep():
    """North Kesteven's Shared ICT project in EM IEP, with a £60,000 first milestone,
    and the people around it: two North Kesteven officers (one wants no e-mail),
    North Kesteven's finance officer, EM IEP's manager and finance, an officer of the
    partner council and one of another council, and a manager of another partnership."""
    partnership = PartnershipFactory(short_name="EM IEP")
    north_kesteven = OrganisationFactory(
        name="North Kesteven District Council", partnership=partnership
    )
    rutland = OrganisationFactory(name="Rutland County Council", partnership=partnership)
    nottinghamshire = OrganisationFactory(
        name="Nottinghamshire County Council", partnership=partnership
    )
    line = funded_budget_line(D("750000"), programme__partnership=partnership)
    project = committed_project(
        line,
        north_kesteven,
        reference="EMIEP-2011-01",
        title="Shared ICT",
        grant_awarded=D("100000"),
    )
    project.partners.add(rutland)
    milestone_add(
        project=project,
        title="Shared service desk live",
        due_on=datetime.date(2011, 9, 30),
        payment_amount=D("60000"),
        by=None,
    )
    return {
        "project": project,
        "milestone": project.milestones.get(),
        "officer": person(Role.Kind.OFFICER, "officer-nk", organisation=north_kesteven),
        "quiet_officer": person(Role.Kind.OFFICER, "quiet-nk", organisation=north_kesteven),
        "council_finance": person(Role.Kind.FINANCE, "finance-nk", organisation=north_kesteven),
        "manager": person(Role.Kind.PROGRAMME_MANAGER, "manager", partnership=partnership),
        "finance": person(Role.Kind.FINANCE, "finance", partnership=partnership),
        "partner_officer": person(Role.Kind.OFFICER, "officer-rutland", organisation=rutland),
        "other_officer": person(Role.Kind.OFFICER, "officer-notts", organisation=nottinghamshire),
        "other_manager": person(
            Role.Kind.PROGRAMME_MANAGER, "manager-elsewhere", partnership=PartnershipFactory()
        ),
    }


def sent_to(messages) -> list[str]:
    return sorted(address for message in messages for address in message.to)


def html_of(message) -> str:
    [(html, kind)] = message.alternatives
    assert kind == "text/html"
    return html


def act(client, user, url, data, callbacks) -> list:
    """Post as ``user`` and return the e-mails sent once the change committed."""
    mail.outbox.clear()
    client.force_login(user)
    with callbacks(execute=True):
        response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    return list(mail.outbox)


def assert_links_to(message, obj) -> None:
    link = f"{PORTAL}{obj.get_absolute_url()}"
    assert link in message.body
    assert f'href="{link}"' in html_of(message)


def test_a_milestone_logged_to_paid_e_mails_who_acts_next_at_each_step(
    client, em_iep, django_capture_on_commit_callbacks
):
    milestone, today = em_iep["milestone"], timezone.localdate()
    day = {"_0": today.day, "_1": today.month, "_2": today.year}
    # The quiet officer chooses no e-mail of any kind on the settings page.
    client.force_login(em_iep["quiet_officer"])
    client.post(reverse("notifications:settings"), dict.fromkeys(Event.values, "none"))

    logged = act(
        client,
        em_iep["officer"],
        reverse("projects:milestone-log", args=[milestone.pk]),
        {
            **{f"achieved_on{k}": v for k, v in day.items()},
            "delivered": "The shared service desk went live",
            "files": SimpleUploadedFile("report.pdf", b"%PDF-1.4", "application/pdf"),
        },
        django_capture_on_commit_callbacks,
    )
    assert sent_to(logged) == ["manager@example.org"]
    assert logged[0].subject == (
        "Partnership Portal: Milestone logged as achieved by officer-nk: "
        "EMIEP-2011-01 Shared ICT, milestone 1: Shared service desk live"
    )
    assert_links_to(logged[0], milestone)

    verified = act(
        client,
        em_iep["manager"],
        reverse("projects:milestone-verify", args=[milestone.pk]),
        {},
        django_capture_on_commit_callbacks,
    )
    assert sent_to(verified) == ["officer-nk@example.org"]
    assert verified[0].subject.startswith("Partnership Portal: Milestone verified by manager:")
    assert_links_to(verified[0], milestone)

    payment = Milestone.objects.get(pk=milestone.pk).payment
    approved = act(
        client,
        em_iep["manager"],
        reverse("projects:payment-approve", args=[payment.pk]),
        {},
        django_capture_on_commit_callbacks,
    )
    assert sent_to(approved) == ["finance-nk@example.org", "finance@example.org"]
    assert approved[0].subject == (
        "Partnership Portal: Grant payment approved for release by manager: "
        "EMIEP-2011-01 Shared ICT, £60,000.00 to North Kesteven District Council"
    )
    assert_links_to(approved[0], payment)

    paid = act(
        client,
        em_iep["finance"],
        reverse("projects:payment-record", args=[payment.pk]),
        {**{f"paid_on{k}": v for k, v in day.items()}, "reference": "BACS-0001"},
        django_capture_on_commit_callbacks,
    )
    assert sent_to(paid) == ["finance-nk@example.org", "officer-nk@example.org"]
    assert paid[0].subject.startswith("Partnership Portal: Grant payment paid by finance:")
    assert_links_to(paid[0], payment)

    # The quiet officer was told on the portal only; nobody who cannot see the
    # project, nor its partner council, was told at all.
    quiet = Notification.objects.filter(recipient=em_iep["quiet_officer"])
    assert sorted(quiet.values_list("event", flat=True)) == ["milestone_verified", "payment_paid"]
    assert quiet.filter(emailed_at__isnull=False).count() == 0
    for outsider in ("partner_officer", "other_officer", "other_manager"):
        assert not Notification.objects.filter(recipient=em_iep[outsider]).exists()


def test_the_e_mail_waits_for_the_change_to_commit(em_iep, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        milestone_log_achieved(
            milestone=em_iep["milestone"],
            achieved_on=timezone.localdate(),
            delivered="Live",
            by=em_iep["officer"],
        )
    # The e-mail waits for the commit, which a rolled-back request never reaches.
    assert len(callbacks) == 1
    assert mail.outbox == []


def test_the_person_who_acts_is_not_told_of_their_own_change(em_iep):
    manager = em_iep["manager"]
    milestone_log_achieved(
        milestone=em_iep["milestone"], achieved_on=timezone.localdate(), delivered="x", by=manager
    )
    assert not Notification.objects.filter(recipient=manager).exists()


def log(em_iep, title: str):
    milestone = milestone_add(
        project=em_iep["project"], title=title, due_on=datetime.date(2012, 3, 31), by=None
    )
    milestone_log_achieved(
        milestone=milestone, achieved_on=timezone.localdate(), delivered="x", by=em_iep["officer"]
    )


def test_the_daily_summary_collects_a_days_notifications_and_sends_each_once(
    em_iep, django_capture_on_commit_callbacks
):
    NotificationPreference.objects.create(
        user=em_iep["manager"], event=Event.MILESTONE_LOGGED, delivery="daily"
    )
    with django_capture_on_commit_callbacks(execute=True):
        log(em_iep, "Data centre merged")
        log(em_iep, "Telephony merged")
    assert mail.outbox == []

    assert email_daily_notifications.delay().get() == 1
    assert email_daily_notifications.delay().get() == 0

    [summary] = mail.outbox
    assert summary.to == ["manager@example.org"]
    assert summary.subject == "Partnership Portal: 2 updates on your work"
    for title in ("Data centre merged", "Telephony merged"):
        assert title in summary.body
        assert title in html_of(summary)
    milestone = em_iep["project"].milestones.get(title="Telephony merged")
    assert_links_to(summary, milestone)


def test_bids_and_savings_returns_tell_who_acts_next(em_iep, django_capture_on_commit_callbacks):
    project, officer = em_iep["project"], em_iep["officer"]
    bidding_round = BiddingRoundFactory(
        budget_line=project.budget_line,
        opens_on=timezone.localdate(),
        closes_on=timezone.localdate() + datetime.timedelta(days=30),
    )
    bid = BidFactory(
        bidding_round=bidding_round,
        sponsor=project.lead_organisation,
        description="One ICT service",
        business_case=SimpleUploadedFile("case.pdf", b"%PDF-1.4"),
    )
    category = SavingsCategoryFactory()
    row = SavingsRow(
        organisation_id=project.lead_organisation_id,
        project_id=None,
        category_id=category.pk,
        financial_year=2011,
        quarter=1,
        cashable=True,
        status="delivered",
        amount=D("18000.00"),
        description="Stationery",
    )

    with django_capture_on_commit_callbacks(execute=True):
        bid = bid_submit(bid=bid, by=officer)
        bid_reject(bid=bid, decision=None, by=em_iep["manager"])
        savings_return = savings_return_submit(
            organisation=project.lead_organisation,
            financial_year=2011,
            quarter=1,
            rows=[row],
            by=officer,
        )
        savings_return_certify(savings_return=savings_return, by=em_iep["council_finance"])

    told = {
        (n.event, n.recipient.username)
        for n in Notification.objects.exclude(recipient=em_iep["quiet_officer"])
    }
    assert told == {
        ("bid_submitted", "manager"),
        ("bid_decided", "officer-nk"),
        ("return_submitted", "finance-nk"),
        ("return_submitted", "manager"),
        ("return_certified", "officer-nk"),
    }
    assert "(rejected)" in Notification.objects.get(event="bid_decided", recipient=officer).text
    assert len(mail.outbox) == 6  # the quiet officer has no choice saved: told of the bid


# The pages


@pytest.fixture
def told(em_iep):
    """The manager told of two milestones logged; the officer of none."""
    log(em_iep, "Data centre merged")
    log(em_iep, "Telephony merged")
    return list(Notification.objects.filter(recipient=em_iep["manager"]).order_by("pk"))


def test_the_notifications_page_lists_only_ones_own_unread_first_and_counts_them(
    client, em_iep, told
):
    first, second = told
    client.force_login(em_iep["manager"])

    opened = client.get(first.get_absolute_url())
    assert opened.status_code == 302
    assert (
        opened["Location"]
        == em_iep["project"].milestones.get(title="Data centre merged").get_absolute_url()
    )
    page = client.get(reverse("notifications:list")).content.decode()

    assert page.index("Telephony merged") < page.index("Data centre merged")
    assert page.count(">Unread<") == 1
    assert page.count(">Read<") == 1
    assert '1<span class="govuk-visually-hidden"> unread</span>' in page  # in the menu
    client.force_login(em_iep["officer"])
    assert "You have no notifications" in client.get(reverse("notifications:list")).content.decode()


def test_nobody_can_open_or_mark_read_anothers_notification(client, em_iep, told):
    client.force_login(em_iep["officer"])

    assert client.get(told[0].get_absolute_url()).status_code == 404
    client.post(reverse("notifications:mark-all-read"))

    assert Notification.objects.filter(recipient=em_iep["manager"], read_at=None).count() == 2


def test_mark_all_as_read_marks_the_readers_own(client, em_iep, told):
    client.force_login(em_iep["manager"])

    response = client.post(reverse("notifications:mark-all-read"), follow=True)

    assert "All your notifications are marked as read." in response.content.decode()
    assert not Notification.objects.filter(recipient=em_iep["manager"], read_at=None).exists()
    assert notifications_mark_all_read(by=em_iep["manager"]) == 0
    assert client.get(reverse("notifications:mark-all-read")).status_code == 405


def test_the_settings_page_offers_each_kind_as_radios_and_keeps_the_choice(client, em_iep):
    client.force_login(em_iep["manager"])

    page = client.get(reverse("notifications:settings")).content.decode()
    assert page.count('class="govuk-radios__input"') == 3 * len(Event.values)
    # straight away, unless chosen
    assert re.findall(r'value="(\w+)"\s+checked', page) == ["immediate"] * len(Event.values)
    choices = dict.fromkeys(Event.values, "immediate") | {"milestone_logged": "daily"}
    client.post(reverse("notifications:settings"), choices)
    refused = client.post(reverse("notifications:settings"), {"milestone_logged": "weekly"})

    assert refused.status_code == 400
    assert "Choose how to be told: bid submitted" in refused.content.decode()
    assert (
        NotificationPreference.objects.get(
            user=em_iep["manager"], event="milestone_logged"
        ).delivery
        == "daily"
    )


def test_the_notifications_page_takes_as_many_queries_for_25_as_for_2(
    client, em_iep, told, django_assert_num_queries
):
    for number in range(23):
        log(em_iep, f"Milestone {number}")
    client.force_login(em_iep["manager"])

    # session, user, the user's roles (the menu), the unread count, the page's count
    # and its rows
    with django_assert_num_queries(6):
        client.get(reverse("notifications:list"))


def test_signed_out_people_are_sent_to_sign_in(client):
    for name in ("notifications:list", "notifications:settings"):
        assert client.get(reverse(name))["Location"].startswith(reverse("login"))


def test_gov_uk_notify_sends_the_subject_and_plain_text_through_one_template(
    em_iep, settings, monkeypatch, django_capture_on_commit_callbacks
):
    template = "6f1b5c0e-3d5a-4c57-9a4e-0d6f7e3b2a10"
    settings.EMAIL_BACKEND = "django_gov_notify.backends.NotifyEmailBackend"
    settings.GOVUK_NOTIFY_API_KEY = "portal-" + "0" * 36 + "-" + "1" * 36
    settings.GOVUK_NOTIFY_PLAIN_EMAIL_TEMPLATE_ID = template
    sent = []
    monkeypatch.setattr(
        "notifications_python_client.notifications.NotificationsAPIClient.send_email_notification",
        lambda client, **message: sent.append(message),
    )

    with django_capture_on_commit_callbacks(execute=True):
        log(em_iep, "Data centre merged")

    [message] = sent
    assert message["email_address"] == "manager@example.org"
    assert message["template_id"] == template
    assert message["personalisation"]["subject"].startswith(
        "Partnership Portal: Milestone logged as achieved by officer-nk"
    )
    milestone = em_iep["project"].milestones.get(title="Data centre merged")
    assert f"{PORTAL}{milestone.get_absolute_url()}" in message["personalisation"]["body"]
    assert Notification.objects.get(recipient=em_iep["manager"]).emailed_at is not None


def test_notifying_costs_the_same_queries_for_1_recipient_as_for_6(
    em_iep, django_assert_num_queries
):
    milestone = em_iep["milestone"]
    one = [em_iep["manager"]]
    six = [em_iep[name] for name in ("manager", "finance", "officer", "quiet_officer")] + [
        em_iep["council_finance"],
        em_iep["partner_officer"],
    ]
    for recipients in (one, six):
        # The webhook endpoints listening (none), the recipients' choices and the
        # notifications, made in one statement.
        with django_assert_num_queries(3):
            notify(
                event=Event.MILESTONE_LOGGED,
                obj=milestone,
                subject="x",
                recipients=recipients,
                by=None,
            )
