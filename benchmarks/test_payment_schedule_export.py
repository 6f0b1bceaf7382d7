"""The grant payment schedule of 100,000 payments is written in the background, as
CSV and as XLSX, with memory that does not grow with the rows (budget: a peak under
64 MB of Python allocations while the file is written, measured with tracemalloc)."""

import datetime
import time
import tracemalloc
from decimal import Decimal

import pytest
from django.http import QueryDict

from partnership.downloads import download_build, download_request
from projects.exports import PAYMENT_SCHEDULE
from projects.models import GrantPayment
from tests.factories import ProjectFactory, user_with_role

ROWS = 100_000
PEAK_BUDGET = 64 * 1024 * 1024
TIME_BUDGET_SECONDS = 120


@pytest.mark.django_db
@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_100000_payments_are_written_in_bounded_memory(
    file_format, django_capture_on_commit_callbacks
):
    projects = [ProjectFactory(grant_awarded=Decimal("10000000")) for _ in range(50)]
    GrantPayment.objects.bulk_create(
        (
            GrantPayment(
                project=projects[number % len(projects)],
                amount=Decimal("100.00"),
                due_on=datetime.date(2011, 4, 1) + datetime.timedelta(days=number % 700),
            )
            for number in range(ROWS)
        ),
        batch_size=5000,
    )
    with django_capture_on_commit_callbacks(execute=False):  # built below, measured
        download = download_request(
            export=PAYMENT_SCHEDULE,
            file_format=file_format,
            filters=QueryDict(),
            by=user_with_role("administrator"),
        )

    tracemalloc.start()
    started = time.monotonic()
    download = download_build(download_id=download.pk)
    elapsed = time.monotonic() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    assert (download.status, download.rows_total, download.rows_written) == ("done", ROWS, ROWS)
    assert peak < PEAK_BUDGET, f"peak {peak / 1024 / 1024:.1f} MB"
    assert elapsed < TIME_BUDGET_SECONDS, f"{elapsed:.1f} s"
    print(f"\n{ROWS} rows as {file_format}: peak {peak / 1024 / 1024:.1f} MB, {elapsed:.1f} s")
