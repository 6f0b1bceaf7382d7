"""A payment schedule too large to send at once: finance confirms, the file is written
in the background with its progress shown, and downloads holding exactly the rows of
the database, with the filters the reader chose. Failures say why and can be retried;
nobody else can open the file."""

import csv
import datetime
import io
from decimal import Decimal
from unittest import mock

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from partnership import downloads, exports
from partnership.jobs import NOT_SENT
from partnership.models import Download, Role
from projects.exports import HEADER, PAYMENT_SCHEDULE, payment_schedule_rows
from projects.models import GrantPayment
from tests.broker import broker_unreachable
from tests.downloads import ask_in_background, downloaded_file
from tests.factories import GrantPaymentFactory, user_with_role

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("tasks_run_here")]

CSV_URL = reverse("projects:payment-schedule-csv")
XLSX_URL = reverse("projects:payment-schedule-xlsx")


@pytest.fixture(autouse=True)
def large(settings, monkeypatch):
    """Every schedule of more than two payments counts as large here, and progress is
    told after every row, as it is every few thousand rows of a national table."""
    settings.DOWNLOAD_IN_BACKGROUND_OVER = 2
    monkeypatch.setattr(exports, "PROGRESS_EVERY", 1)


def _database_rows(payments) -> list[list[str]]:
    """The rows as a spreadsheet reads them back from CSV."""
    text = {None: ""}
    return [
        [text.get(value, str(value)) if value is not None else "" for value in row]
        for row in payment_schedule_rows(payments)
    ]


def test_a_large_schedule_is_confirmed_then_written_and_matches_the_database(
    client, schedule, django_capture_on_commit_callbacks
):
    client.force_login(schedule["finance"])
    confirm = client.get(CSV_URL)
    assert "This table has 4 rows" in confirm.content.decode()
    assert not Download.objects.exists()  # looking is not asking

    download = ask_in_background(client, CSV_URL, django_capture_on_commit_callbacks)
    assert (download.status, download.rows_total, download.rows_written) == ("done", 4, 4)
    page = client.get(download.get_absolute_url()).content.decode()
    assert "The file is ready" in page
    assert "Refresh" not in client.get(download.get_absolute_url()).headers

    rows = list(csv.reader(io.StringIO(downloaded_file(client, download).decode("utf-8-sig"))))
    assert rows[0] == HEADER
    payments = GrantPayment.objects.filter(project__programme__partnership=schedule["partnership"])
    assert rows[1:] == _database_rows(payments.order_by("due_on", "project__reference", "id"))
    paid = next(row for row in rows if row[8] == "Paid")
    assert paid[5:8] == ["1. Desk live", "2011-09-30", "40000.00"]
    assert paid[9:] == ["Pat Lee", "2011-09-30", "2011-10-14", "BACS-0001"]


def test_the_background_xlsx_has_dates_amounts_a_frozen_header_and_a_filter(
    client, schedule, django_capture_on_commit_callbacks
):
    client.force_login(schedule["finance"])
    download = ask_in_background(client, XLSX_URL, django_capture_on_commit_callbacks)
    sheet = load_workbook(io.BytesIO(downloaded_file(client, download))).active
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:M5"
    assert [cell.value for cell in sheet[1]] == HEADER
    first = list(sheet[2])
    assert first[6].value == datetime.datetime(2011, 9, 30)
    assert first[6].number_format == "dd/mm/yyyy"
    assert Decimal(str(first[7].value)) == Decimal("40000")
    assert first[7].number_format == "£#,##0.00"
    assert sheet.column_dimensions["E"].width >= len("Project title")
    assert sheet.max_row == 5


def test_the_file_holds_only_the_filtered_rows_and_says_which_filters(
    client, schedule, django_capture_on_commit_callbacks
):
    client.force_login(schedule["finance"])
    body = schedule["north_kesteven"]
    # Three of North Kesteven's payments: still large at this threshold.
    download = ask_in_background(
        client, CSV_URL, django_capture_on_commit_callbacks, accountable_body=body.pk
    )
    rows = list(csv.reader(io.StringIO(downloaded_file(client, download).decode("utf-8-sig"))))[1:]
    assert {row[0] for row in rows} == {"North Kesteven District Council"}
    assert len(rows) == 3
    page = client.get(download.get_absolute_url()).content.decode()
    assert "Accountable body: North Kesteven District Council" in page


def test_a_download_in_progress_shows_how_far_it_has_got(client, schedule):
    finance = schedule["finance"]
    download = Download.objects.create(
        export=PAYMENT_SCHEDULE.name,
        title=PAYMENT_SCHEDULE.title,
        file_format="csv",
        requested_by=finance,
        status=Download.Status.RUNNING,
        rows_total=200_000,
        rows_written=12_000,
    )
    client.force_login(finance)
    response = client.get(download.get_absolute_url())
    assert "12,000 of 200,000 rows written" in response.content.decode()
    assert response.headers["Refresh"] == "3"
    assert client.get(reverse("downloads:file", args=[download.pk])).status_code == 404


def test_nobody_but_the_requester_opens_the_download(
    client, schedule, django_capture_on_commit_callbacks
):
    client.force_login(schedule["finance"])
    download = ask_in_background(client, CSV_URL, django_capture_on_commit_callbacks)
    for other in (schedule["nk_finance"], schedule["manager"]):
        client.force_login(other)
        for name in ("downloads:detail", "downloads:file"):
            assert client.get(reverse(name, args=[download.pk])).status_code == 404
        assert client.post(reverse("downloads:retry", args=[download.pk])).status_code == 404
        assert download.title not in client.get(reverse("downloads:list")).content.decode()


def test_officers_cannot_ask_for_the_schedule_in_the_background(client, schedule):
    officer = user_with_role(Role.Kind.OFFICER, organisation=schedule["north_kesteven"])
    client.force_login(officer)
    assert client.post(CSV_URL).status_code == 403
    assert not Download.objects.exists()


def test_asking_twice_while_the_file_waits_queues_it_once(
    client, schedule, django_capture_on_commit_callbacks
):
    client.force_login(schedule["finance"])
    with django_capture_on_commit_callbacks(execute=False) as queued:
        client.post(CSV_URL)
        client.post(CSV_URL)
        client.post(XLSX_URL)
    assert Download.objects.count() == 2
    assert len(queued) == 2


def test_a_failed_file_says_why_and_can_be_tried_again(
    client, schedule, django_capture_on_commit_callbacks
):
    client.force_login(schedule["finance"])
    with mock.patch("partnership.downloads.write_csv", side_effect=RuntimeError("disk full")):
        download = ask_in_background(client, CSV_URL, django_capture_on_commit_callbacks)
    assert download.status == "failed"
    assert download.error == downloads.FAILURES.unexpected
    assert download.attempts == 4  # the first try and three retries
    page = client.get(download.get_absolute_url()).content.decode()
    assert "The file could not be written" in page
    assert "disk full" not in page
    assert "Try again" in page

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("downloads:retry", args=[download.pk]))
    assert response["Location"] == download.get_absolute_url()
    download.refresh_from_db()
    assert (download.status, download.attempts, download.error) == ("done", 5, "")


def test_with_the_broker_down_asking_for_a_file_says_it_was_not_sent_and_can_be_sent_again(
    client, schedule, django_capture_on_commit_callbacks
):
    client.force_login(schedule["finance"])
    with broker_unreachable():
        download = ask_in_background(client, CSV_URL, django_capture_on_commit_callbacks)
        assert (download.status, download.attempts) == ("failed", 0)
        page = client.get(download.get_absolute_url()).content.decode()
        assert "The file could not be written" in page
        assert NOT_SENT in page
        assert "Try again" in page

    # The broker answers again.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("downloads:retry", args=[download.pk]))
    download.refresh_from_db()
    assert (download.status, download.attempts) == ("done", 1)


def test_someone_who_lost_their_role_gets_a_refusal_not_thedownloaded_file(
    client, schedule, django_capture_on_commit_callbacks
):
    finance = schedule["finance"]
    client.force_login(finance)
    with django_capture_on_commit_callbacks(execute=False) as queued:
        client.post(CSV_URL)
    Role.objects.filter(user=finance).delete()
    queued[0]()
    download = Download.objects.get()
    assert (download.status, download.error) == ("failed", downloads.NO_LONGER_ALLOWED)
    assert download.attempts == 1  # a refusal is not retried
    assert not download.file


def test_only_a_failed_download_can_be_tried_again(
    client, schedule, django_capture_on_commit_callbacks
):
    client.force_login(schedule["finance"])
    download = ask_in_background(client, CSV_URL, django_capture_on_commit_callbacks)
    response = client.post(reverse("downloads:retry", args=[download.pk]), follow=True)
    assert "Only a download that failed can be tried again." in response.content.decode()
    download.refresh_from_db()
    assert download.status == "done"


def test_a_small_schedule_is_still_sent_at_once(client, schedule, settings):
    settings.DOWNLOAD_IN_BACKGROUND_OVER = 100
    client.force_login(schedule["finance"])
    response = client.get(CSV_URL)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert not Download.objects.exists()


def test_a_table_too_long_for_a_spreadsheet_is_offered_as_csv_only(
    client, schedule, monkeypatch, django_capture_on_commit_callbacks
):
    # Excel's sheets stop at 1,048,576 rows; here at three, beside the schedule's four.
    monkeypatch.setattr(downloads, "XLSX_MAX_ROWS", 3)
    client.force_login(schedule["finance"])

    looked = client.get(XLSX_URL)
    asked = client.post(XLSX_URL)

    refusal = "A spreadsheet holds at most 3 rows and this table has 4"
    assert (looked.status_code, asked.status_code) == (400, 400)
    assert refusal in looked.content.decode()
    assert "Prepare the file" not in looked.content.decode()
    assert not Download.objects.exists()
    assert ask_in_background(client, CSV_URL, django_capture_on_commit_callbacks).status == "done"


def test_a_spreadsheet_whose_table_outgrew_it_before_it_was_written_fails_saying_why(
    client, schedule, monkeypatch, django_capture_on_commit_callbacks
):
    client.force_login(schedule["finance"])
    monkeypatch.setattr(downloads, "XLSX_MAX_ROWS", 4)
    with django_capture_on_commit_callbacks(execute=False) as queued:
        client.post(XLSX_URL)
    GrantPaymentFactory(project=GrantPayment.objects.first().project)
    for build in queued:
        build()

    download = Download.objects.get()
    assert download.status == "failed"
    assert download.error.startswith("A spreadsheet holds at most 4 rows and this table has 5")
