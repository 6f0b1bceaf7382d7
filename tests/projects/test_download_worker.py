"""A large download whose worker is killed while it writes the file is written by the
next worker (tests/celery_worker.py says where these tests run)."""

import csv
import io

from django.urls import reverse

from partnership.models import Download
from tests.celery_worker import needs_a_worker, wait_until, wait_until_finished
from tests.downloads import ask_in_background, downloaded_file

pytestmark = needs_a_worker


def test_a_download_whose_worker_was_killed_is_written_when_another_worker_starts(
    start_worker, schedule, client, settings, django_capture_on_commit_callbacks
):
    settings.DOWNLOAD_IN_BACKGROUND_OVER = 2  # the schedule's four payments go to a worker
    # Redis gives a task no worker acknowledged to another worker once this long has
    # passed since it was taken (in production, longer than any task runs).
    redelivered_after = {"CELERY_VISIBILITY_TIMEOUT": "1"}
    slow = start_worker("tests.slow_worker", **redelivered_after)
    client.force_login(schedule["finance"])

    download = ask_in_background(
        client, reverse("projects:payment-schedule-csv"), django_capture_on_commit_callbacks
    )
    download = wait_until(download, slow, Download.Status.RUNNING)
    slow.kill()  # SIGKILL: no chance to tell the broker or the database
    slow.wait()
    download.refresh_from_db()
    assert (download.status, download.attempts) == (Download.Status.RUNNING, 1)

    again = start_worker(**redelivered_after)
    download = wait_until_finished(download, again)
    assert download.status == Download.Status.DONE, download.error
    assert download.attempts == 2
    rows = list(csv.reader(io.StringIO(downloaded_file(client, download).decode("utf-8-sig"))))
    assert len(rows) == 1 + 4  # the header and the partnership's four payments
