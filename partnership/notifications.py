"""Notifications: telling the people who act next that a record has moved.

A service of a higher app that moves a record calls :func:`notify` with the event,
the record and the recipients its app's ``recipients.py`` selects. Each recipient gets
a notification on their notifications page and, once the service's transaction
commits, an e-mail as they chose for that kind of event: straight away (a Celery task
per event, :func:`notifications_email`), in the daily summary (Celery beat,
:func:`notifications_email_daily`) or not at all. E-mails carry the record's address
on the portal (``settings.PORTAL_URL``), in a plain-text and an HTML body.
"""

from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth.models import User
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import models, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from . import tasks, webhooks
from .errors import PortalError
from .models import Notification, NotificationPreference, Role

Event = Notification.Event
Delivery = Notification.Delivery


class NotificationError(PortalError):
    pass


# Who -------------------------------------------------------------------------------


def role_holders(roles: Q) -> models.QuerySet[User]:
    """The active users holding a role matched by ``roles`` (a filter on ``Role``, such
    as the programme managers of one partnership), each once. The apps' recipient
    selectors say which roles act next on each event."""
    return User.objects.filter(
        is_active=True, pk__in=Role.objects.filter(roles).values("user_id")
    ).order_by("pk")


# Telling ---------------------------------------------------------------------------


def notify(
    *,
    event: str,
    obj: models.Model,
    subject: str,
    recipients: Iterable[User],
    by: User | None,
) -> list[Notification]:
    """Record ``event`` on ``obj`` (named by ``subject``) for each recipient other than
    ``by``, who caused it, and e-mail those who chose straight away once the current
    transaction commits (nothing is sent if it rolls back). Three queries (the
    recipients, their choices, the notifications) and the task, however many
    recipients. The event also goes, whoever is told, to the webhooks of the record's
    partnerships that listen for it (``partnership.webhooks``): one query more, two
    when some listen."""
    webhooks.webhooks_raise(event=event, obj=obj)
    recipients = {user.pk: user for user in recipients if by is None or user.pk != by.pk}
    if not recipients:
        return []
    chosen = dict(
        NotificationPreference.objects.filter(user__in=recipients, event=event).values_list(
            "user_id", "delivery"
        )
    )
    person = f" by {by.get_full_name() or by.get_username()}" if by is not None else ""
    text = f"{Event(event).label}{person}: {subject}"
    notifications = Notification.objects.bulk_create(
        Notification(
            recipient=user,
            event=event,
            text=text[:300],
            url=obj.get_absolute_url(),
            delivery=chosen.get(pk, Delivery.IMMEDIATE),
        )
        for pk, user in recipients.items()
    )
    now_ids = [n.pk for n in notifications if n.delivery == Delivery.IMMEDIATE]
    if now_ids:
        # Robust: the change is saved by then, so a broker or mail server that cannot
        # be reached is logged, not shown as an error; the notifications stay listed
        # on each recipient's page.
        transaction.on_commit(lambda: tasks.email_notifications.delay(now_ids), robust=True)
    return notifications


# E-mailing -------------------------------------------------------------------------


def _link(notification: Notification) -> str:
    # E-mails are read away from the portal, so their links carry its address.
    return settings.PORTAL_URL.rstrip("/") + notification.url


def _email(user: User, subject: str, template: str, context: dict) -> EmailMultiAlternatives:
    portal_url = settings.PORTAL_URL.rstrip("/")
    context = {
        **context,
        "user": user,
        "settings_url": portal_url + reverse("notifications:settings"),
    }
    message = EmailMultiAlternatives(
        subject=f"Partnership Portal: {subject}",
        body=render_to_string(f"emails/{template}.txt", context),
        to=[user.email],
    )
    message.attach_alternative(render_to_string(f"emails/{template}.html", context), "text/html")
    return message


def _owed(delivery: str, ids: list[int] | None = None) -> list[Notification]:
    """The notifications still to be e-mailed, locked so that a task delivered twice
    sends them once."""
    owed = Notification.objects.select_for_update(of=("self",)).filter(
        delivery=delivery, emailed_at__isnull=True
    )
    if ids is not None:
        owed = owed.filter(pk__in=ids)
    return list(
        owed.exclude(recipient__email="")
        .filter(recipient__is_active=True)
        .select_related("recipient")
        .order_by("recipient_id", "created_at", "pk")
    )


def _send(messages: list, sent: list[Notification]) -> int:
    count = get_connection().send_messages(messages) or 0
    Notification.objects.filter(pk__in=[n.pk for n in sent]).update(emailed_at=timezone.now())
    return count


@transaction.atomic
def notifications_email(*, notification_ids: list[int]) -> int:
    """E-mail each of these notifications still owed straight away to its recipient;
    returns how many e-mails were sent. Three queries however many."""
    owed = _owed(Delivery.IMMEDIATE, notification_ids)
    messages = [
        _email(
            n.recipient,
            n.text,
            "notification",
            {"notification": n, "link": _link(n)},
        )
        for n in owed
    ]
    return _send(messages, owed)


@transaction.atomic
def notifications_email_daily() -> int:
    """E-mail each person who chose a daily summary one e-mail listing every such
    notification not yet e-mailed; returns how many e-mails were sent. Each
    notification is in one summary only. Three queries however many people."""
    owed = _owed(Delivery.DAILY)
    by_recipient: dict[int, list[Notification]] = {}
    for n in owed:
        by_recipient.setdefault(n.recipient_id, []).append(n)
    messages = []
    for notifications in by_recipient.values():
        count = len(notifications)
        messages.append(
            _email(
                notifications[0].recipient,
                f"{count} update{'' if count == 1 else 's'} on your work",
                "notification_digest",
                {"items": [(n, _link(n)) for n in notifications]},
            )
        )
    return _send(messages, owed)


# Reading ---------------------------------------------------------------------------


def notification_open(*, notification: Notification, by: User) -> Notification:
    """Mark the reader's own notification read (it stays read) and return it."""
    if notification.recipient_id != by.pk:
        raise NotificationError("This notification is someone else’s.")
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def notifications_mark_all_read(*, by: User) -> int:
    """Mark every unread notification of the reader read; returns how many."""
    return Notification.objects.of(by).unread().update(read_at=timezone.now())


# Choosing --------------------------------------------------------------------------


def notification_choices(user: User) -> dict[str, str]:
    """How the user is e-mailed about each kind of event, straight away unless they
    chose otherwise. One query."""
    chosen = dict(NotificationPreference.objects.filter(user=user).values_list("event", "delivery"))
    return {event: chosen.get(event, Delivery.IMMEDIATE) for event in Event.values}


@transaction.atomic
def notification_choices_set(*, choices: dict[str, str], by: User) -> dict[str, str]:
    """Keep how ``by`` wants to be e-mailed about each kind of event named in
    ``choices``."""
    for event, delivery in choices.items():
        if event not in Event.values or delivery not in Delivery.values:
            raise NotificationError("Choose how to be e-mailed about each kind of update.")
        NotificationPreference.objects.update_or_create(
            user=by, event=event, defaults={"delivery": delivery}
        )
    return notification_choices(by)
