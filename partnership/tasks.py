"""Background jobs of the partnership app. Each takes ids (JSON-serialisable) and calls
one service; the service holds the logic and records the outcome."""

from celery import shared_task
from django.conf import settings

from . import downloads, held_uploads, notifications, webhooks
from .errors import DeliveryFailed, PortalError
from .models import Download


@shared_task(
    bind=True,
    acks_late=True,
    # A national table takes minutes to write as a spreadsheet: longer than other jobs.
    soft_time_limit=30 * 60,
    time_limit=31 * 60,
    max_retries=3,
)
def build_download(self, download_id: int) -> None:
    """Write a large download's file, retrying a failure after 10, 20 and 40 seconds;
    a refusal (the table is no longer offered, or no longer the requester's to see)
    is recorded and not retried."""
    try:
        downloads.download_build(download_id=download_id)
    except (Download.DoesNotExist, PortalError):
        return
    except Exception as error:
        raise self.retry(exc=error, countdown=2**self.request.retries * 10) from error


# A mail server or provider that cannot be reached (OSError, which SMTPException is) is
# tried again after 10, 20, 40... seconds.
@shared_task(
    acks_late=True,
    soft_time_limit=60,
    time_limit=90,
    autoretry_for=(OSError,),
    retry_backoff=10,
    max_retries=5,
)
def email_notifications(notification_ids: list[int]) -> int:
    """E-mail the notifications of one event that their recipients want straight away;
    each is e-mailed once however often the task runs."""
    return notifications.notifications_email(notification_ids=notification_ids)


@shared_task(acks_late=True, soft_time_limit=240, time_limit=300)
def email_daily_notifications() -> int:
    """Send each person who chose it the daily summary of their notifications (Celery
    beat, each morning)."""
    return notifications.notifications_email_daily()


@shared_task(acks_late=True)
def sweep_held_uploads() -> int:
    """Delete files held for forms abandoned more than a day ago."""
    return held_uploads.held_uploads_sweep()


# A receiver that is down or answers an error is tried again after 30 s, 1, 2, 4...
# minutes (settings.WEBHOOK_*); each attempt is recorded on the delivery. No jitter,
# so the delivery can say when its next attempt is.
@shared_task(
    bind=True,
    acks_late=True,
    soft_time_limit=60,
    time_limit=90,
    autoretry_for=(DeliveryFailed,),
    retry_backoff=settings.WEBHOOK_RETRY_BACKOFF,
    retry_backoff_max=settings.WEBHOOK_RETRY_BACKOFF_MAX,
    retry_jitter=False,
    max_retries=settings.WEBHOOK_MAX_RETRIES,
)
def deliver_webhook(self, delivery_id: int) -> None:
    """Send one webhook delivery, signed, to its endpoint."""
    webhooks.webhook_delivery_attempt(delivery_id=delivery_id, retries_done=self.request.retries)
