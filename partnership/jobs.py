"""The one way a background job moves: asked for by a person, produced by a Celery
task, finished with its file or failed with a reason, and tried again by a person.
Board packs (``reports.services``) and large downloads (``partnership.downloads``)
both go through here.

Every change of a job's status goes through :func:`_move`, which refuses the moves the
job's ``LIFECYCLE`` does not allow. The work itself happens outside any transaction: a
job's row is locked only to change its status, never for the minutes a job can take.
"""

import logging
from dataclasses import dataclass

from celery.exceptions import SoftTimeLimitExceeded
from django.contrib.auth.models import User
from django.core.files import File
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerUnreachable

from .errors import PortalError
from .models import BackgroundJob

logger = logging.getLogger(__name__)

Status = BackgroundJob.Status

NOT_SENT = (
    "The portal could not reach the service that produces files in the background, so "
    "this one was not started. Try again in a few minutes."
)


class JobError(PortalError):
    pass


@dataclass(frozen=True)
class Failures:
    """What a job's reader is told when it fails, in words about that job."""

    unexpected: str
    too_slow: str
    not_sent: str = NOT_SENT

    def reason(self, error: Exception) -> str:
        if isinstance(error, PortalError):
            return error.message
        if isinstance(error, SoftTimeLimitExceeded):
            return self.too_slow
        if isinstance(error, BrokerUnreachable):
            return self.not_sent
        return self.unexpected


def _move(job: BackgroundJob, status: str, *, fields: list[str], by: User | None = None) -> None:
    job.LIFECYCLE.move(job, status, by=by, error=JobError)
    job.save(update_fields=["status", *fields])


def _locked(jobs: QuerySet, pk: int) -> BackgroundJob:
    return jobs.select_for_update(of=("self",)).get(pk=pk)


def enqueue(job: BackgroundJob, task, jobs: QuerySet, failures: Failures) -> None:
    """Send ``task`` the job's id once the current transaction commits."""
    pk = job.pk

    def send() -> None:
        try:
            task.delay(pk)
        except BrokerUnreachable as error:
            fail(jobs, pk, error, failures)

    # Robust: without a broker (local use) the task runs here, at commit. A failure is
    # recorded on the job for the user to see; it must not also fail the request.
    transaction.on_commit(send, robust=True)


@transaction.atomic
def retry(job: BackgroundJob, *, by: User | None, task, jobs: QuerySet, failures: Failures):
    """Queue a failed job again. Its attempts keep counting."""
    job = _locked(jobs, job.pk)
    job.started_at = job.finished_at = None
    job.error = ""
    _move(job, Status.QUEUED, fields=["started_at", "finished_at", "error"], by=by)
    enqueue(job, task, jobs, failures)
    return job


@transaction.atomic
def start(jobs: QuerySet, pk: int) -> BackgroundJob:
    """Mark the job running; a job already done is returned as it is, so a task
    delivered twice does the work once."""
    job = _locked(jobs, pk)
    if job.status == Status.DONE:
        return job
    job.attempts += 1
    job.started_at = timezone.now()
    job.finished_at = None
    job.error = ""
    _move(job, Status.RUNNING, fields=["attempts", "started_at", "finished_at", "error"])
    return job


@transaction.atomic
def fail(jobs: QuerySet, pk: int, error: Exception, failures: Failures) -> None:
    logger.error("%s %s failed", jobs.model.__name__, pk, exc_info=error)
    job = _locked(jobs, pk)
    if job.status == Status.DONE:  # another delivery of the task finished it meanwhile
        return
    job.error = failures.reason(error)
    job.finished_at = timezone.now()
    _move(job, Status.FAILED, fields=["error", "finished_at"])


@transaction.atomic
def finish(jobs: QuerySet, pk: int, name: str, content: File) -> BackgroundJob:
    job = _locked(jobs, pk)
    if job.status == Status.DONE:  # another delivery of the task finished it meanwhile
        return job
    job.file.save(name, content, save=False)
    job.finished_at = timezone.now()
    _move(job, Status.DONE, fields=["file", "finished_at"])
    return job
