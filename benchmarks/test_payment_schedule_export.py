"""The grant payment schedule streams: 100,000 payments export as CSV with memory that
does not grow with the rows (budget: a peak under 64 MB of Python allocations while
the file is read, measured with tracemalloc; about 10 MB was seen on SQLite)."""

import datetime
import time
import tracemalloc
from decimal import Decimal

import pytest
from django.urls import reverse

from projects.models import GrantPayment
from tests.factories import ProjectFactory, user_with_role

ROWS = 100_000
PEAK_BUDGET = 64 * 1024 * 1024
TIME_BUDGET_SECONDS = 120


@pytest.mark.django_db
def test_100000_payments_export_as_csv_in_bounded_memory(client, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
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
    client.force_login(user_with_role("administrator"))

    tracemalloc.start()
    started = time.monotonic()
    response = client.get(reverse("projects:payment-schedule-csv"))
    lines = sum(chunk.count(b"\n") for chunk in response.streaming_content)
    elapsed = time.monotonic() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    assert lines == ROWS + 1  # the header, then one line a payment
    assert peak < PEAK_BUDGET, f"peak {peak / 1024 / 1024:.1f} MB"
    assert elapsed < TIME_BUDGET_SECONDS, f"{elapsed:.1f} s"
    print(f"\n{ROWS} rows: peak {peak / 1024 / 1024:.1f} MB, {elapsed:.1f} s")
