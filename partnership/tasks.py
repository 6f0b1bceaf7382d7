"""Background jobs of the partnership app. Each takes ids (JSON-serialisable) and calls
one service; the service holds the logic and records the outcome."""

from celery import shared_task

from . import downloads, held_uploads
from .errors import PortalError
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


@shared_task(acks_late=True)
def sweep_held_uploads() -> int:
    """Delete files held for forms abandoned more than a day ago."""
    return held_uploads.held_uploads_sweep()
