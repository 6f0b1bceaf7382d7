"""Every savings entry a reader may see, downloaded from the savings summary or a
council's savings page: sent at once when small, written in the background when
large, and either way equal to the database row for row, within the reader's scope
and filters."""

import csv
import datetime
import io
from decimal import Decimal
from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from partnership import financial_years
from partnership.models import Download, Role
from savings.exports import HEADER
from savings.models import SavingsEntry, SavingsReturn
from tests.downloads import ask_in_background, downloaded_file
from tests.factories import (
    OrganisationFactory,
    PartnershipFactory,
    ProgrammeFactory,
    ProjectFactory,
    SavingsCategoryFactory,
    SavingsEntryFactory,
    SubRegionFactory,
    UserFactory,
    user_with_role,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("tasks_run_here")]

D = Decimal
CSV_URL = reverse("savings:entries-csv")
XLSX_URL = reverse("savings:entries-xlsx")
SUBMITTED = timezone.make_aware(datetime.datetime(2010, 10, 12, 9, 30))
CERTIFIED = timezone.make_aware(datetime.datetime(2010, 10, 20, 16, 0))


@pytest.fixture
def savings():
    """EM IEP's savings: North Kesteven's certified return for 2010/11 Q2 (a project's
    cashable delivered saving and a non-cashable forecast one), its next return still
    awaiting sign-off, and Lincoln's saving recorded directly against the
    Lincolnshire programme; and a saving of another partnership's council that EM
    IEP's readers must never see."""
    partnership = PartnershipFactory(short_name="EM IEP", slug="em-iep")
    north_kesteven = OrganisationFactory(
        name="North Kesteven District Council", gss_code="E07000139", partnership=partnership
    )
    lincoln = OrganisationFactory(
        name="City of Lincoln Council", gss_code="E07000138", partnership=partnership
    )
    lincolnshire = SubRegionFactory(partnership=partnership, name="Lincolnshire")
    lincolnshire.members.add(north_kesteven)
    programme = ProgrammeFactory(
        partnership=partnership, sub_region=lincolnshire, name="Lincolnshire shared services"
    )
    project = ProjectFactory(
        reference="EM-0001", budget_line__programme=programme, lead_organisation=north_kesteven
    )
    procurement = SavingsCategoryFactory()
    assets = SavingsCategoryFactory(name="Asset management", slug="assets")
    finance = user_with_role(Role.Kind.FINANCE, organisation=north_kesteven)
    certified = SavingsReturn.objects.create(
        organisation=north_kesteven,
        financial_year=2010,
        quarter=2,
        status=SavingsReturn.Status.CERTIFIED,
        submitted_at=SUBMITTED,
        certified_by=finance,
        certified_at=CERTIFIED,
    )
    awaiting = SavingsReturn.objects.create(
        organisation=north_kesteven,
        financial_year=2010,
        quarter=3,
        submitted_at=SUBMITTED + datetime.timedelta(days=92),
    )
    entries = [
        SavingsEntryFactory(
            organisation=north_kesteven,
            project=project,
            programme=programme,
            savings_return=certified,
            category=procurement,
            quarter=2,
            amount=D("12500.50"),
            description='Joint contract for waste, with "quotes", and a comma',
        ),
        SavingsEntryFactory(
            organisation=north_kesteven,
            savings_return=certified,
            category=assets,
            quarter=2,
            amount=D("4000.00"),
            cashable=False,
            status=SavingsEntry.Status.FORECAST,
        ),
        SavingsEntryFactory(
            organisation=north_kesteven,
            savings_return=awaiting,
            category=procurement,
            quarter=3,
            amount=D("999.99"),
        ),
        SavingsEntryFactory(
            organisation=lincoln,
            programme=programme,
            category=procurement,
            financial_year=2011,
            amount=D("30000.00"),
        ),
    ]
    other = PartnershipFactory(short_name="WM IEP", slug="wm-iep")
    derby = OrganisationFactory(name="Derby City Council", partnership=other)
    SavingsEntryFactory(organisation=derby, amount=D("77777.00"))
    return {
        "partnership": partnership,
        "other": other,
        "north_kesteven": north_kesteven,
        "lincoln": lincoln,
        "lincolnshire": lincolnshire,
        "entries": entries,
        "manager": user_with_role(Role.Kind.PROGRAMME_MANAGER, partnership=partnership),
        "officer": user_with_role(Role.Kind.OFFICER, organisation=north_kesteven),
    }


def expected_row(entry: SavingsEntry) -> list[str]:
    """An entry as the download must show it, read straight from the database."""
    entry = SavingsEntry.objects.select_related(
        "organisation", "project", "programme", "category", "savings_return"
    ).get(pk=entry.pk)
    savings_return = entry.savings_return

    def day(moment):
        return timezone.localtime(moment).date().isoformat() if moment else ""

    return [
        entry.organisation.name,
        entry.organisation.gss_code,
        entry.project.reference if entry.project else "",
        entry.programme.name if entry.programme else "",
        financial_years.label(entry.financial_year),
        str(entry.quarter or ""),
        entry.category.name,
        entry.get_status_display(),
        "yes" if entry.cashable else "no",
        f"{entry.amount:.2f}",
        entry.description,
        f"{financial_years.label(savings_return.financial_year)} Q{savings_return.quarter} "
        f"version {savings_return.version}"
        if savings_return
        else "",
        savings_return.get_status_display() if savings_return else "",
        day(savings_return.submitted_at) if savings_return else "",
        day(savings_return.certified_at) if savings_return else "",
    ]


def expected_rows(entries) -> list[list[str]]:
    """The entries in the download's order: council, year, quarter (none first)."""
    ordered = sorted(
        entries,
        key=lambda e: (e.organisation.name, e.financial_year, e.quarter or 0, e.pk),
    )
    return [expected_row(entry) for entry in ordered]


def _table(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def download_now(client, url=CSV_URL, **filters) -> list[list[str]]:
    response = client.get(url, filters)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    return _table(b"".join(response.streaming_content))


def download_later(client, url, django_capture_on_commit_callbacks, **filters) -> bytes:
    download = ask_in_background(client, url, django_capture_on_commit_callbacks, **filters)
    assert download.status == Download.Status.DONE
    assert download.rows_written == download.rows_total
    return downloaded_file(client, download)


def _counted(savings) -> list[SavingsEntry]:
    """EM IEP's entries the summaries count: all but the one awaiting sign-off."""
    return [entry for entry in savings["entries"] if entry.quarter != 3]


def test_a_small_download_is_sent_at_once_and_matches_the_database(client, savings):
    client.force_login(savings["manager"])
    rows = download_now(client, partnership="em-iep")
    assert rows[0] == HEADER
    assert rows[1:] == expected_rows(_counted(savings))
    assert rows[1] == [
        "City of Lincoln Council",
        "E07000138",
        "",
        "Lincolnshire shared services",
        "2011/12",
        "",
        "Procurement",
        "Delivered",
        "yes",
        "30000.00",
        "",
        "",
        "",
        "",
        "",
    ]
    assert rows[2][9:] == [
        "12500.50",
        'Joint contract for waste, with "quotes", and a comma',
        "2010/11 Q2 version 1",
        "Certified",
        "2010-10-12",
        "2010-10-20",
    ]
    assert not Download.objects.exists()


def test_a_large_download_is_confirmed_then_written_and_matches_the_database(
    client, savings, settings, django_capture_on_commit_callbacks
):
    settings.DOWNLOAD_IN_BACKGROUND_OVER = 2
    client.force_login(savings["manager"])
    confirm = client.get(CSV_URL, {"partnership": "em-iep", "returns": "all"})
    assert "This table has 4 rows" in confirm.content.decode()
    assert not Download.objects.exists()  # looking is not asking

    content = download_later(
        client, CSV_URL, django_capture_on_commit_callbacks, partnership="em-iep", returns="all"
    )
    rows = _table(content)
    assert rows[0] == HEADER
    assert rows[1:] == expected_rows(savings["entries"])
    assert rows[-1][12] == "Awaiting sign-off"
    page = client.get(Download.objects.get().get_absolute_url()).content.decode()
    assert "The file is ready" in page
    assert "Returns: Every return, whatever its status" in page


def test_the_background_xlsx_has_dates_amounts_a_frozen_header_and_a_filter(
    client, savings, settings, django_capture_on_commit_callbacks
):
    settings.DOWNLOAD_IN_BACKGROUND_OVER = 2
    client.force_login(savings["manager"])
    content = download_later(client, XLSX_URL, django_capture_on_commit_callbacks)
    sheet = load_workbook(io.BytesIO(content)).active
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:O4"
    assert [cell.value for cell in sheet[1]] == HEADER
    assert all(cell.font.bold for cell in sheet[1])
    expected = expected_rows(_counted(savings))
    assert sheet.max_row == len(expected) + 1
    for cells, row in zip(sheet.iter_rows(min_row=2), expected, strict=True):
        values = [cell.value for cell in cells]
        assert [str(v) if v is not None else "" for v in values[:9]] == row[:9]
        assert Decimal(str(values[9])) == Decimal(row[9])
        assert cells[9].number_format == "£#,##0.00"
        assert [v or "" for v in values[10:13]] == row[10:13]
    certified = list(sheet[3])
    assert certified[13].value == datetime.datetime(2010, 10, 12)
    assert certified[14].value == datetime.datetime(2010, 10, 20)
    assert certified[13].number_format == "dd/mm/yyyy"
    assert sheet.column_dimensions["A"].width >= len("Organisation")


def test_the_filters_narrow_the_download(client, savings):
    client.force_login(savings["manager"])
    nk = savings["north_kesteven"]
    in_lincolnshire = download_now(client, sub_region=savings["lincolnshire"].pk)[1:]
    assert in_lincolnshire == expected_rows(_counted(savings))
    assert download_now(client, council=nk.pk, returns="all")[1:] == expected_rows(
        savings["entries"][:3]
    )
    assert download_now(client, year=2011)[1:] == expected_rows(savings["entries"][3:])
    assert download_now(client, status="forecast", quarter=2)[1:] == expected_rows(
        savings["entries"][1:2]
    )
    # The 2011/13 programmes' savings: none of North Kesteven's 2010/11 returns but
    # its project's saving, credited to the Lincolnshire programme.
    in_period = download_now(client, partnership="em-iep", period="2011/13", returns="all")
    assert in_period[1:] == expected_rows([savings["entries"][0], savings["entries"][3]])


def test_a_failed_file_says_why_and_can_be_tried_again(
    client, savings, settings, django_capture_on_commit_callbacks
):
    settings.DOWNLOAD_IN_BACKGROUND_OVER = 2
    client.force_login(savings["manager"])
    failing = mock.patch("partnership.downloads.write_csv", side_effect=RuntimeError("disk full"))
    with failing, django_capture_on_commit_callbacks(execute=True):
        client.post(CSV_URL)
    download = Download.objects.get()
    assert download.status == Download.Status.FAILED
    page = client.get(download.get_absolute_url()).content.decode()
    assert "The file could not be written" in page
    assert "disk full" not in page

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("downloads:retry", args=[download.pk]))
    rows = _table(downloaded_file(client, download))
    assert rows[1:] == expected_rows(_counted(savings))


def test_an_officer_gets_only_their_own_councils_entries(client, savings):
    client.force_login(savings["officer"])
    rows = download_now(client, returns="all")[1:]
    assert rows == expected_rows(savings["entries"][:3])
    assert download_now(client, partnership="em-iep")[1:] == expected_rows(savings["entries"][:2])
    # Another council of the partnership is not theirs to name.
    assert client.get(CSV_URL, {"council": savings["lincoln"].pk}).status_code == 403


def test_another_partnerships_entries_never_appear(client, savings):
    client.force_login(savings["manager"])
    rows = download_now(client, returns="all")
    assert "Derby City Council" not in {row[0] for row in rows}
    assert client.get(CSV_URL, {"partnership": "wm-iep"}).status_code == 403
    assert client.post(f"{CSV_URL}?partnership=wm-iep").status_code == 403
    assert not Download.objects.exists()


def test_someone_without_a_role_is_refused(client, savings):
    client.force_login(UserFactory())
    for url in (CSV_URL, XLSX_URL):
        assert client.get(url).status_code == 403
        assert client.post(url).status_code == 403
    assert not Download.objects.exists()


def test_an_unknown_filter_value_is_not_found_rather_than_ignored(client, savings):
    client.force_login(savings["manager"])
    assert client.get(CSV_URL, {"quarter": "5"}).status_code == 404


def test_the_summary_page_offers_the_download_with_its_filters(client, savings):
    client.force_login(savings["manager"])
    page = client.get(reverse("savings:summary"), {"partnership": "em-iep", "year": 2010})
    content = page.content.decode()
    assert f'href="{CSV_URL}?partnership=em-iep&amp;year=2010"' in content
    assert f'href="{XLSX_URL}?partnership=em-iep&amp;year=2010"' in content


def test_a_councils_page_offers_its_entries_from_every_return(client, savings):
    client.force_login(savings["officer"])
    nk = savings["north_kesteven"]
    content = client.get(reverse("savings:council", args=[nk.pk])).content.decode()
    assert f'href="{CSV_URL}?council={nk.pk}&amp;returns=all"' in content


def test_the_summary_page_costs_the_same_queries_however_many_entries(client, savings):
    client.force_login(savings["manager"])

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("savings:summary")).status_code == 200
        return len(captured)

    before = queries()
    for _ in range(30):
        SavingsEntryFactory(organisation=savings["lincoln"], amount=D("10.00"))
    assert queries() == before


def test_the_download_costs_the_same_queries_for_5_entries_as_for_50(client, savings):
    client.force_login(savings["manager"])

    def queries() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as captured:
            rows = download_now(client, partnership="em-iep", returns="all")
        return len(captured), len(rows) - 1

    small = queries()
    for _ in range(46):
        SavingsEntryFactory(organisation=savings["lincoln"], amount=D("10.00"))
    large = queries()
    assert (small[1], large[1]) == (4, 50)
    assert small[0] == large[0]
