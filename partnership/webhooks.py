"""Webhooks (docs/adr/0022): a partnership's managers register https:// addresses of
their own systems, each listening for some events; when a service records one of
those events (the same ``notify`` call that tells people), each endpoint is sent a
signed JSON message by a Celery task, tried again with a growing wait while it fails.
An endpoint that fails never stops the change that raised the event: nothing is sent
until the change is committed, and then by a worker.

A message's body is ``{"event", "occurred_at", "record": {"id", "url"}}``, the URL
being the record's address on the API. Headers: ``X-Portal-Event``,
``X-Portal-Delivery`` (the delivery's id, the same on every attempt),
``X-Portal-Timestamp`` (seconds since 1970, when sent) and ``X-Portal-Signature``:
``sha256=`` and the hex HMAC-SHA256, keyed with the endpoint's secret, of the
timestamp, a full stop and the body (README, "Webhooks").
"""

import datetime
import hashlib
import hmac
import json
import secrets
import time
from collections.abc import Iterable
from urllib.parse import urlsplit

import requests
from celery.utils.time import get_exponential_backoff_interval
from django.conf import settings
from django.contrib.auth.models import User
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone

from . import tasks
from .errors import DeliveryFailed, PortalError
from .models import Notification, Partnership, WebhookDelivery, WebhookEndpoint

Event = Notification.Event

# The events sent to webhooks: for each, the record's API endpoint (by URL name) and
# the path from the record to the partnerships whose endpoints hear of it. Named, not
# imported: this root app knows the apps above it only by name, as the menu does.
_PROJECT = "project__programme__partnership"
_RETURN = "organisation__partnerships"  # a council's return, in each of its partnerships
_BID = "bidding_round__budget_line__programme__partnership"
RECORDS = {
    Event.MILESTONE_LOGGED: ("milestones", _PROJECT),
    Event.MILESTONE_VERIFIED: ("milestones", _PROJECT),
    Event.PAYMENT_APPROVED: ("grant-payments", _PROJECT),
    Event.PAYMENT_PAID: ("grant-payments", _PROJECT),
    Event.RETURN_SUBMITTED: ("savings-returns", _RETURN),
    Event.RETURN_CERTIFIED: ("savings-returns", _RETURN),
    Event.BID_DECIDED: ("bids", _BID),
}
EVENT_CHOICES = [(event.value, event.label) for event in RECORDS]
LOCAL_HOSTS = {"127.0.0.1", "localhost"}


class WebhookError(PortalError):
    pass


# Registering -----------------------------------------------------------------------


def _checked(url: str, events: Iterable[str]) -> tuple[str, list[str]]:
    parts = urlsplit(url.strip())
    local = settings.WEBHOOK_ALLOW_LOCAL_HTTP and parts.hostname in LOCAL_HOSTS
    if parts.scheme != "https" and not (parts.scheme == "http" and local):
        raise WebhookError("Enter an address starting https://", field="url")
    events = sorted(set(events))
    if not events:
        raise WebhookError("Choose at least one event to send", field="events")
    if set(events) - {value for value, _ in EVENT_CHOICES}:
        raise WebhookError("Choose events from the list", field="events")
    return parts.geturl(), events


@transaction.atomic
def webhook_endpoint_register(
    *,
    partnership: Partnership,
    url: str,
    events: Iterable[str],
    active: bool = True,
    by: User | None,
) -> WebhookEndpoint:
    """Register an endpoint for ``partnership``'s events, with a new random secret
    that its receiver uses to check each message's signature."""
    url, events = _checked(url, events)
    return WebhookEndpoint.objects.create(
        partnership=partnership,
        url=url,
        events=events,
        active=active,
        secret=secrets.token_hex(32),
        created_by=by,
    )


@transaction.atomic
def webhook_endpoint_update(
    *, endpoint: WebhookEndpoint, url: str, events: Iterable[str], active: bool, by: User | None
) -> WebhookEndpoint:
    """Change where an endpoint is, what it hears, or pause it (inactive); its
    partnership and secret stay."""
    endpoint.url, endpoint.events = _checked(url, events)
    endpoint.active = active
    endpoint.save(update_fields=["url", "events", "active"])
    return endpoint


# Raising ---------------------------------------------------------------------------


def webhooks_raise(*, event: str, obj: models.Model) -> list[WebhookDelivery]:
    """Record a delivery of ``event`` on ``obj`` for each active endpoint of the
    record's partnerships that listens for it, and send each once the current
    transaction commits. One query when no endpoint listens, two when some do."""
    if event not in RECORDS:
        return []
    api_name, to_partnership = RECORDS[event]
    partnerships = type(obj)._default_manager.filter(pk=obj.pk).values(to_partnership)
    endpoints = [
        endpoint
        for endpoint in WebhookEndpoint.objects.filter(active=True, partnership__in=partnerships)
        if event in endpoint.events
    ]
    if not endpoints:
        return []
    now = timezone.now()
    payload = {
        "event": event,
        "occurred_at": now.isoformat(),
        "record": {
            "id": obj.pk,
            "url": settings.PORTAL_URL.rstrip("/")
            + reverse(f"api:{api_name}-detail", kwargs={"pk": obj.pk}),
        },
    }
    deliveries = WebhookDelivery.objects.bulk_create(
        WebhookDelivery(endpoint=endpoint, event=event, payload=payload, next_attempt_at=now)
        for endpoint in endpoints
    )
    ids = [delivery.pk for delivery in deliveries]
    # Robust: a broker that cannot be reached is logged and never undoes the change;
    # the deliveries stay listed, never attempted.
    transaction.on_commit(lambda: [tasks.deliver_webhook.delay(pk) for pk in ids], robust=True)
    return deliveries


# Sending ---------------------------------------------------------------------------


def signature(secret: str, timestamp: str, body: bytes) -> str:
    """The X-Portal-Signature header's value for a body sent at ``timestamp``."""
    signed = timestamp.encode() + b"." + body
    return "sha256=" + hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()


def webhook_delivery_attempt(*, delivery_id: int, retries_done: int) -> WebhookDelivery:
    """Send one delivery and record the attempt: its response code or error and, if
    it failed and will be tried again, when (``retries_done`` retries are behind
    it). Raises DeliveryFailed when it failed, for the task to retry. A delivery
    already made, or to an endpoint since paused, is not sent."""
    delivery = WebhookDelivery.objects.select_related("endpoint").get(pk=delivery_id)
    if delivery.delivered_at is not None or not delivery.endpoint.active:
        return delivery
    body = json.dumps(delivery.payload, separators=(",", ":"), sort_keys=True).encode()
    timestamp = str(int(time.time()))
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "Partnership-Portal-Webhooks/1",
        "X-Portal-Event": delivery.event,
        "X-Portal-Delivery": str(delivery.pk),
        "X-Portal-Timestamp": timestamp,
        "X-Portal-Signature": signature(delivery.endpoint.secret, timestamp, body),
    }
    status, error = None, ""
    try:
        # No redirects: the endpoint registered is the one address sent to.
        response = requests.post(
            delivery.endpoint.url,
            data=body,
            headers=headers,
            timeout=settings.WEBHOOK_TIMEOUT,
            allow_redirects=False,
        )
        status = response.status_code
        if not 200 <= status < 300:
            error = f"Answered {status} {response.reason}"
    except requests.RequestException as failure:
        error = f"Not reached: {type(failure).__name__}"
    now = timezone.now()
    delivery.attempts += 1
    delivery.last_status_code = status
    delivery.last_error = error[:300]
    if error:
        delivery.next_attempt_at = _next_attempt(now, retries_done)
    else:
        delivery.delivered_at, delivery.next_attempt_at = now, None
    delivery.save(
        update_fields=[
            "attempts",
            "last_status_code",
            "last_error",
            "delivered_at",
            "next_attempt_at",
        ]
    )
    if error:
        raise DeliveryFailed(error)
    return delivery


def _next_attempt(now, retries_done: int):
    """When the task's retry will run: Celery's own backoff for the task's settings
    (without jitter, so it can be told), or None after the last."""
    if retries_done >= settings.WEBHOOK_MAX_RETRIES:
        return None
    wait = get_exponential_backoff_interval(
        factor=settings.WEBHOOK_RETRY_BACKOFF,
        retries=retries_done,
        maximum=settings.WEBHOOK_RETRY_BACKOFF_MAX,
        full_jitter=False,
    )
    return now + datetime.timedelta(seconds=wait)
