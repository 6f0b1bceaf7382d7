"""A real Celery worker, fed through the broker, sends the webhooks of a verified
milestone: a receiver gets it signed, and a failing one (500) is tried again, with
a fast backoff, and shown failing on the admin's list of deliveries.

Runs only on PostgreSQL with a broker (tests/celery_worker.py), for example::

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_tokens \\
    CELERY_BROKER_URL=redis://127.0.0.1:6379/8 \\
    .venv/bin/pytest tests/partnership/test_webhooks_worker.py
"""

import datetime
import json
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from partnership.models import Notification, Role, WebhookDelivery
from partnership.webhooks import webhook_endpoint_register
from projects.services import milestone_add, milestone_log_achieved, milestone_verify
from tests.celery_worker import needs_a_worker, wait_for
from tests.factories import (
    OrganisationFactory,
    PartnershipFactory,
    committed_project,
    funded_budget_line,
    user_with_role,
)
from tests.webhook_receiver import Receiver

pytestmark = needs_a_worker
RETRIES = 2


@pytest.fixture
def worker(start_worker, settings):
    settings.WEBHOOK_ALLOW_LOCAL_HTTP = True
    # Retried after 1 s, then 2 s, twice at most: the settings the worker reads.
    return start_worker(WEBHOOK_RETRY_BACKOFF="1", WEBHOOK_MAX_RETRIES=str(RETRIES))


def test_a_worker_sends_signed_deliveries_and_retries_a_failing_receiver(client, worker):
    partnership = PartnershipFactory(short_name="EM IEP")
    council = OrganisationFactory(name="North Kesteven District Council", partnership=partnership)
    project = committed_project(
        funded_budget_line(Decimal("750000"), programme__partnership=partnership),
        council,
        grant_awarded=Decimal("100000"),
    )
    milestone = milestone_add(
        project=project,
        title="Shared service desk live",
        due_on=datetime.date(2011, 9, 30),
        payment_amount=Decimal("60000"),
        by=None,
    )
    officer = user_with_role(Role.Kind.OFFICER, organisation=council)
    manager = user_with_role(Role.Kind.PROGRAMME_MANAGER, partnership=partnership)
    verified = [Notification.Event.MILESTONE_VERIFIED]

    with Receiver(200) as working, Receiver(500) as failing:
        for receiver in (working, failing):
            receiver.secret = webhook_endpoint_register(
                partnership=partnership, url=receiver.url, events=verified, by=manager
            ).secret
        milestone_log_achieved(
            milestone=milestone,
            achieved_on=timezone.localdate(),
            delivered="The shared service desk went live",
            by=officer,
        )
        milestone_verify(milestone=milestone, by=manager)

        wait_for(
            lambda: len(working.received) == 1 and len(failing.received) == RETRIES + 1,
            worker,
            "one delivery, and a failing one tried again",
        )
        wait_for(
            lambda: (
                WebhookDelivery.objects.filter(attempts__gt=0, next_attempt_at=None).count() == 2
            ),
            worker,
            "both deliveries' last attempts recorded",
        )

    [received] = working.received
    assert received.signed_rightly
    assert json.loads(received.body)["record"]["id"] == milestone.pk
    assert all(attempt.signed_rightly for attempt in failing.received)
    delivered = WebhookDelivery.objects.get(endpoint__url=working.url)
    assert (delivered.attempts, delivered.last_status_code) == (1, 200)
    failed = WebhookDelivery.objects.get(endpoint__url=failing.url)
    assert (failed.attempts, failed.last_status_code) == (RETRIES + 1, 500)
    assert failed.delivered_at is None
    log = worker.log.read_text()
    assert "Task partnership.tasks.deliver_webhook[" in log
    assert "Retry in 1s" in log and "Retry in 2s" in log

    client.force_login(manager)
    page = client.get(reverse("admin:partnership_webhookdelivery_changelist")).content.decode()
    assert "Failed: no more attempts" in page
    assert "Answered 500 Internal Server Error" in page
    assert "Delivered" in page
