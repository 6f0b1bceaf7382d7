"""Webhooks: a partnership's managers register https:// endpoints for its events in the
admin; each event the services record (the same ``notify`` call that tells people)
is sent, signed, to every endpoint of the record's partnerships that listens for it,
after the change commits; a failing receiver is tried again and shown, and never stops
the change. The real Celery worker's run is in test_webhooks_worker.py."""

import datetime
import json
from decimal import Decimal

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from bids.services import bid_reject
from partnership.errors import DeliveryFailed
from partnership.models import Notification, Role, WebhookDelivery, WebhookEndpoint
from partnership.notifications import notify
from partnership.webhooks import (
    WebhookError,
    webhook_delivery_attempt,
    webhook_endpoint_register,
)
from projects.services import milestone_add, milestone_log_achieved
from savings.models import SavingsReturn
from tests.factories import (
    BiddingRoundFactory,
    BidFactory,
    OrganisationFactory,
    PartnershipFactory,
    committed_project,
    funded_budget_line,
    user_with_role,
)
from tests.webhook_receiver import Receiver

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("tasks_run_here")]
Event = Notification.Event
PORTAL = "https://portal.example.org"


@pytest.fixture(autouse=True)
def _local_receivers(settings):
    settings.PORTAL_URL = PORTAL
    settings.WEBHOOK_ALLOW_LOCAL_HTTP = True


@pytest.fixture
def em_iep():
    partnership = PartnershipFactory(short_name="EM IEP")
    north_kesteven = OrganisationFactory(
        name="North Kesteven District Council", partnership=partnership
    )
    project = committed_project(
        funded_budget_line(Decimal("750000"), programme__partnership=partnership),
        north_kesteven,
        reference="EMIEP-2011-01",
        title="Shared ICT",
        grant_awarded=Decimal("100000"),
    )
    milestone_add(
        project=project,
        title="Shared service desk live",
        due_on=datetime.date(2011, 9, 30),
        payment_amount=Decimal("60000"),
        by=None,
    )
    return {
        "partnership": partnership,
        "council": north_kesteven,
        "milestone": project.milestones.get(),
        "officer": user_with_role(Role.Kind.OFFICER, organisation=north_kesteven),
        "manager": user_with_role(Role.Kind.PROGRAMME_MANAGER, partnership=partnership),
    }


def register(partnership, url, *events, **fields) -> WebhookEndpoint:
    return webhook_endpoint_register(
        partnership=partnership, url=url, events=events or RECORD_EVENTS, by=None, **fields
    )


RECORD_EVENTS = [Event.MILESTONE_LOGGED, Event.MILESTONE_VERIFIED, Event.BID_DECIDED]


def raise_event(event, obj, callbacks):
    with callbacks(execute=True):
        notify(event=event, obj=obj, subject="x", recipients=[], by=None)


# Registering -------------------------------------------------------------------------


def test_an_endpoint_must_be_https_and_listen_for_something(em_iep, settings):
    settings.WEBHOOK_ALLOW_LOCAL_HTTP = False
    partnership = em_iep["partnership"]
    for url in (
        "http://finance.example.org/hooks",
        "ftp://finance.example.org",
        "http://127.0.0.1/",
    ):
        with pytest.raises(WebhookError, match="Enter an address starting https://"):
            register(partnership, url)
    with pytest.raises(WebhookError, match="Choose at least one event"):
        webhook_endpoint_register(
            partnership=partnership, url="https://finance.example.org/", events=[], by=None
        )
    with pytest.raises(WebhookError, match="Choose events from the list"):
        register(partnership, "https://finance.example.org/", "bid_submitted")

    endpoint = register(partnership, "https://finance.example.org/hooks")
    assert len(endpoint.secret) == 64
    assert endpoint.secret != register(partnership, "https://other.example.org/").secret


# Raising and sending -----------------------------------------------------------------


def test_a_logged_milestone_is_sent_signed_to_its_partnerships_endpoint(
    em_iep, django_capture_on_commit_callbacks
):
    with Receiver(200) as receiver:
        endpoint = register(em_iep["partnership"], receiver.url)
        receiver.secret = endpoint.secret
        milestone = em_iep["milestone"]

        with django_capture_on_commit_callbacks(execute=True):
            milestone_log_achieved(
                milestone=milestone,
                achieved_on=timezone.localdate(),
                delivered="The shared service desk went live",
                by=em_iep["officer"],
            )

    [received] = receiver.received
    assert received.signed_rightly
    assert received.headers["X-Portal-Event"] == "milestone_logged"
    body = json.loads(received.body)
    assert body["event"] == "milestone_logged"
    url = f"{PORTAL}/api/v1/milestones/{milestone.pk}/"
    assert body["record"] == {"id": milestone.pk, "url": url}
    delivery = WebhookDelivery.objects.get()
    assert received.headers["X-Portal-Delivery"] == str(delivery.pk)
    assert (delivery.attempts, delivery.last_status_code, delivery.last_error) == (1, 200, "")
    assert delivery.delivered_at is not None and delivery.next_attempt_at is None
    assert delivery.outcome == "Delivered"


def test_a_wrong_secret_does_not_match_the_signature(em_iep, django_capture_on_commit_callbacks):
    with Receiver(200, secret="not-the-secret") as receiver:
        register(em_iep["partnership"], receiver.url)
        raise_event(Event.MILESTONE_LOGGED, em_iep["milestone"], django_capture_on_commit_callbacks)
    assert not receiver.received[0].signed_rightly


def test_only_listening_active_endpoints_of_the_records_partnerships_hear_of_it(
    em_iep, django_capture_on_commit_callbacks
):
    elsewhere = PartnershipFactory()
    with (
        Receiver() as listening,
        Receiver() as deaf,
        Receiver() as paused,
        Receiver() as other_partnership,
    ):
        register(em_iep["partnership"], listening.url, Event.MILESTONE_VERIFIED)
        register(em_iep["partnership"], deaf.url, Event.PAYMENT_PAID)
        register(em_iep["partnership"], paused.url, Event.MILESTONE_VERIFIED, active=False)
        register(elsewhere, other_partnership.url, Event.MILESTONE_VERIFIED)

        raise_event(
            Event.MILESTONE_VERIFIED, em_iep["milestone"], django_capture_on_commit_callbacks
        )
        # Events not offered to webhooks are sent nowhere.
        raise_event(Event.BID_SUBMITTED, em_iep["milestone"], django_capture_on_commit_callbacks)

    assert len(listening.received) == 1
    assert deaf.received == paused.received == other_partnership.received == []


def test_bids_and_a_councils_returns_reach_the_partnerships_they_belong_to(
    em_iep, django_capture_on_commit_callbacks
):
    partnership, council = em_iep["partnership"], em_iep["council"]
    # The council is in a second partnership too: its returns go to both.
    second = PartnershipFactory()
    second.members.add(council)
    bid = BidFactory(
        bidding_round=BiddingRoundFactory(budget_line__programme__partnership=partnership),
        status="submitted",
    )
    savings_return = SavingsReturn.objects.create(
        organisation=council, financial_year=2011, quarter=1
    )
    with Receiver() as ours, Receiver() as theirs:
        register(partnership, ours.url, Event.BID_DECIDED, Event.RETURN_CERTIFIED)
        register(second, theirs.url, Event.BID_DECIDED, Event.RETURN_CERTIFIED)

        with django_capture_on_commit_callbacks(execute=True):
            bid_reject(bid=bid, decision=None, by=em_iep["manager"])
        raise_event(Event.RETURN_CERTIFIED, savings_return, django_capture_on_commit_callbacks)

    assert [json.loads(r.body)["record"]["url"] for r in ours.received] == [
        f"{PORTAL}/api/v1/bids/{bid.pk}/",
        f"{PORTAL}/api/v1/savings-returns/{savings_return.pk}/",
    ]
    assert [json.loads(r.body)["event"] for r in theirs.received] == ["return_certified"]


def test_nothing_is_sent_when_the_change_is_undone(em_iep, django_capture_on_commit_callbacks):
    with Receiver() as receiver:
        register(em_iep["partnership"], receiver.url)
        with (
            django_capture_on_commit_callbacks(execute=True),
            pytest.raises(RuntimeError),
            transaction.atomic(),
        ):
            notify(
                event=Event.MILESTONE_LOGGED,
                obj=em_iep["milestone"],
                subject="x",
                recipients=[],
                by=None,
            )
            raise RuntimeError("the service failed after the event")

    assert receiver.received == []
    assert not WebhookDelivery.objects.exists()


def test_a_failing_receiver_is_tried_again_and_its_answers_recorded(
    em_iep, django_capture_on_commit_callbacks
):
    with Receiver(500, 503, 200) as receiver:
        receiver.secret = register(em_iep["partnership"], receiver.url).secret
        raise_event(Event.MILESTONE_LOGGED, em_iep["milestone"], django_capture_on_commit_callbacks)

    assert len(receiver.received) == 3
    # The same delivery, signed afresh each time.
    assert {r.headers["X-Portal-Delivery"] for r in receiver.received} == {
        str(WebhookDelivery.objects.get().pk)
    }
    assert all(r.signed_rightly for r in receiver.received)
    delivery = WebhookDelivery.objects.get()
    assert (delivery.attempts, delivery.last_status_code, delivery.outcome) == (3, 200, "Delivered")


def test_a_receiver_that_never_answers_2xx_is_given_up_after_the_last_retry(
    em_iep, settings, django_capture_on_commit_callbacks
):
    with Receiver(500) as receiver:
        register(em_iep["partnership"], receiver.url)
        raise_event(Event.MILESTONE_LOGGED, em_iep["milestone"], django_capture_on_commit_callbacks)

    delivery = WebhookDelivery.objects.get()
    assert len(receiver.received) == delivery.attempts == settings.WEBHOOK_MAX_RETRIES + 1
    assert delivery.last_status_code == 500
    assert delivery.last_error == "Answered 500 Internal Server Error"
    assert delivery.delivered_at is None and delivery.next_attempt_at is None
    assert delivery.outcome == "Failed: no more attempts"


def test_a_receiver_that_is_down_never_stops_the_change(em_iep, django_capture_on_commit_callbacks):
    with Receiver() as receiver:
        url = receiver.url  # closed when the block ends: nobody is listening
    register(em_iep["partnership"], url)

    with django_capture_on_commit_callbacks(execute=True):
        milestone = milestone_log_achieved(
            milestone=em_iep["milestone"],
            achieved_on=timezone.localdate(),
            delivered="Live",
            by=em_iep["officer"],
        )

    assert milestone.status == "achieved"
    delivery = WebhookDelivery.objects.get()
    assert delivery.last_status_code is None
    assert delivery.last_error == "Not reached: ConnectionError"


def test_a_failed_attempt_says_when_the_next_one_is(em_iep, django_capture_on_commit_callbacks):
    with Receiver(500) as receiver:
        register(em_iep["partnership"], receiver.url)
        # Raised, not sent: this test makes the attempt itself.
        with django_capture_on_commit_callbacks(execute=False):
            notify(
                event=Event.MILESTONE_LOGGED,
                obj=em_iep["milestone"],
                subject="x",
                recipients=[],
                by=None,
            )
        delivery = WebhookDelivery.objects.get()
        before = timezone.now()
        with pytest.raises(DeliveryFailed):
            webhook_delivery_attempt(delivery_id=delivery.pk, retries_done=2)

    delivery.refresh_from_db()
    # 30 s doubled for each retry behind it.
    wait = delivery.next_attempt_at - before
    assert datetime.timedelta(seconds=119) < wait <= datetime.timedelta(seconds=121)
    assert delivery.outcome == "Failing, to be tried again"


# The admin ---------------------------------------------------------------------------


def test_a_manager_registers_an_endpoint_in_the_admin_and_sees_its_secret(client, em_iep):
    elsewhere = PartnershipFactory(short_name="Elsewhere")
    client.force_login(em_iep["manager"])
    add = reverse("admin:partnership_webhookendpoint_add")

    form = client.get(add).content.decode()
    assert "EM IEP" in form and "Elsewhere" not in form

    refused = client.post(
        add,
        {
            "partnership": elsewhere.pk,
            "url": "https://x.example.org/",
            "events": ["bid_decided"],
            "active": "on",
        },
    )
    assert refused.status_code == 200 and not WebhookEndpoint.objects.exists()

    response = client.post(
        add,
        {
            "partnership": em_iep["partnership"].pk,
            "url": "https://finance.example.org/hooks",
            "events": ["milestone_verified", "payment_paid"],
            "active": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    endpoint = WebhookEndpoint.objects.get()
    assert endpoint.events == ["milestone_verified", "payment_paid"]
    change = client.get(reverse("admin:partnership_webhookendpoint_change", args=[endpoint.pk]))
    assert endpoint.secret in change.content.decode()


def test_the_admin_refuses_an_address_that_is_not_https(client, em_iep, settings):
    settings.WEBHOOK_ALLOW_LOCAL_HTTP = False
    client.force_login(em_iep["manager"])
    response = client.post(
        reverse("admin:partnership_webhookendpoint_add"),
        {
            "partnership": em_iep["partnership"].pk,
            "url": "http://finance.example.org/hooks",
            "events": ["payment_paid"],
            "active": "on",
        },
    )
    assert response.status_code == 200
    assert "Enter an address starting https://" in response.content.decode()
    assert not WebhookEndpoint.objects.exists()


def test_deliveries_are_listed_with_their_answers_to_the_partnerships_managers_only(
    client, em_iep, django_capture_on_commit_callbacks, django_assert_num_queries
):
    with Receiver(500) as receiver:
        register(em_iep["partnership"], receiver.url)
        raise_event(Event.MILESTONE_LOGGED, em_iep["milestone"], django_capture_on_commit_callbacks)
    deliveries = reverse("admin:partnership_webhookdelivery_changelist")

    client.force_login(em_iep["manager"])
    page = client.get(deliveries).content.decode()
    assert "Failed: no more attempts" in page
    assert "Answered 500 Internal Server Error" in page
    assert ">500<" in page

    client.force_login(
        user_with_role(Role.Kind.PROGRAMME_MANAGER, partnership=PartnershipFactory())
    )
    assert "Answered 500" not in client.get(deliveries).content.decode()
    endpoint = WebhookEndpoint.objects.get()
    change = reverse("admin:partnership_webhookendpoint_change", args=[endpoint.pk])
    assert client.get(change).status_code == 404

    client.force_login(em_iep["officer"])
    assert client.get(deliveries).status_code == 302  # to the admin's sign-in


@pytest.mark.parametrize("rows", [5, 30])
def test_the_deliveries_list_takes_as_many_queries_for_30_as_for_5(
    client, em_iep, rows, django_assert_num_queries
):
    endpoint = register(em_iep["partnership"], "https://finance.example.org/hooks")
    WebhookDelivery.objects.bulk_create(
        WebhookDelivery(endpoint=endpoint, event=Event.MILESTONE_LOGGED, payload={})
        for _ in range(rows)
    )
    client.force_login(em_iep["manager"])

    # As tests/admin/test_admin.py counts changelists: signed in (session, user,
    # roles, Django's permissions of the user and of their groups), the endpoint
    # filter's choices, the two counts, and the rows with their endpoints.
    with django_assert_num_queries(5 + 1 + 3):
        page = client.get(reverse("admin:partnership_webhookdelivery_changelist"))
    assert len(page.context["cl"].result_list) == rows
