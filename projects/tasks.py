"""Background jobs of the projects app: thin wrappers that call one service."""

import datetime

from celery import shared_task
from django.utils import timezone

from .services import reminders_send


@shared_task(acks_late=True, soft_time_limit=240, time_limit=300)
def send_delivery_reminders(today: str | None = None) -> int:
    """E-mail officers and programme managers what is due on their projects (run by
    Celery beat each Monday morning). ``today`` (``2011-09-20``) replaces the date, so
    a missed run can be replayed and tests fix the day; returns the e-mails sent."""
    day = datetime.date.fromisoformat(today) if today else timezone.localdate()
    return reminders_send(today=day)
