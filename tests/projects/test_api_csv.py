"""``GET /api/v1/grant-payments/?format=csv`` is the grant payment schedule as its
page downloads it: the same file for the same filters, for those who approve or
record payments only, and written in the background when large."""

import csv
import io

import pytest
from django.urls import reverse

from partnership.models import Download, Role
from projects.exports import HEADER
from tests.downloads import downloaded_file
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db

PAYMENTS = "/api/v1/grant-payments/"
PAGE_CSV = reverse("projects:payment-schedule-csv")


def _content(response) -> str:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return body.decode("utf-8-sig")


def test_finance_gets_the_same_schedule_as_the_pages_download(client, schedule):
    client.force_login(schedule["finance"])

    response = client.get(PAYMENTS, {"format": "csv"})

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "grant-payment-schedule-" in response["Content-Disposition"]
    text = _content(response)
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == HEADER
    assert len(rows) == 1 + 4  # EM IEP's four payments, not the other partnership's
    assert text == _content(client.get(PAGE_CSV))


def test_the_csv_narrows_with_the_schedules_filters(client, schedule):
    client.force_login(schedule["finance"])

    text = _content(client.get(PAYMENTS, {"format": "csv", "status": "paid"}))

    rows = list(csv.reader(io.StringIO(text)))
    assert [row[8] for row in rows[1:]] == ["Paid"]
    assert text == _content(client.get(PAGE_CSV, {"status": "paid"}))


def test_a_filter_the_schedule_page_lacks_is_refused_with_the_reason(client, schedule):
    client.force_login(schedule["finance"])

    response = client.get(PAYMENTS, {"format": "csv", "due_on_after": "2012-01-01"})

    assert response.status_code == 400
    assert "The CSV takes the payment schedule page’s filters only." in response.content.decode()


def test_an_officer_who_reads_payments_cannot_download_the_schedule(client, schedule):
    officer = user_with_role(Role.Kind.OFFICER, organisation=schedule["north_kesteven"])
    client.force_login(officer)

    assert client.get(PAYMENTS).status_code == 200
    assert client.get(PAYMENTS, {"format": "csv"}).status_code == 403
    assert client.get(PAGE_CSV).status_code == 403
    assert client.get(PAYMENTS, {"format": "csv"}, HTTP_ACCEPT="text/csv").status_code == 403


def test_anonymous_readers_are_refused_the_csv(client, schedule):
    assert client.get(PAYMENTS, {"format": "csv"}).status_code == 401


@pytest.mark.usefixtures("tasks_run_here")
def test_a_large_schedule_is_written_in_the_background_like_the_pages(
    client, schedule, settings, django_capture_on_commit_callbacks
):
    settings.DOWNLOAD_IN_BACKGROUND_OVER = 2
    client.force_login(schedule["finance"])

    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(PAYMENTS, {"format": "csv", "page_size": "10"})
        again = client.get(PAYMENTS, {"format": "csv"})

    download = Download.objects.get()
    assert response.status_code == 202
    assert response["Location"] == f"http://testserver{download.get_absolute_url()}"
    assert response.json()["download"] == response["Location"]
    assert again["Location"] == response["Location"]  # asking twice queues one file
    download.refresh_from_db()
    assert (download.status, download.filters, download.rows_total) == ("done", {}, 4)
    rows = list(csv.reader(io.StringIO(downloaded_file(client, download).decode("utf-8-sig"))))
    assert rows[0] == HEADER
    assert len(rows) == 1 + 4


def test_a_payment_opens_as_json_only(client, schedule):
    client.force_login(schedule["finance"])

    assert (
        client.get(f"{PAYMENTS}{schedule['elsewhere'].pk}/", {"format": "csv"}).status_code == 404
    )
