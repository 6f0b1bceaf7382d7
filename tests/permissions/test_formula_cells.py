"""Every export, sent at once or written in the background, shows a name that looks
like a spreadsheet formula as text (CSV injection): the cell gains a leading quote, so
no spreadsheet program runs it."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from bids.models import Bid
from partnership.exports import FORMULA_STARTS
from partnership.models import Role
from tests.downloads import ask_in_background, downloaded_file
from tests.factories import (
    BiddingRoundFactory,
    BidFactory,
    GrantPaymentFactory,
    OrganisationFactory,
    PartnershipFactory,
    ProjectFactory,
    SavingsEntryFactory,
    SubRegionFactory,
    funded_budget_line,
    user_with_role,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("tasks_run_here")]

COUNCIL = '=HYPERLINK("https://example.org/steal","Open")'
PROJECT = "+cmd|' /C calc'!A0"
SUB_REGION = "@SUM(1+1)*cmd|' /C calc'!A0"
PROGRAMME = "-2+3+cmd|' /C calc'!A0"
BID = "\t=1+2"


@pytest.fixture
def hostile():
    """A partnership whose council, sub-region, programme, project and bid are named
    like formulas, with a payment, a saving and a submitted bid to export."""
    partnership = PartnershipFactory(short_name="EM IEP", slug="em-iep")
    council = OrganisationFactory(name=COUNCIL, gss_code="E07000139", partnership=partnership)
    SubRegionFactory(partnership=partnership, name=SUB_REGION).members.add(council)
    line = funded_budget_line(programme__partnership=partnership, programme__name=PROGRAMME)
    project = ProjectFactory(budget_line=line, lead_organisation=council, title=PROJECT)
    GrantPaymentFactory(project=project)
    SavingsEntryFactory(organisation=council)
    BidFactory(
        bidding_round=BiddingRoundFactory(budget_line=line),
        sponsor=council,
        title=BID,
        status=Bid.Status.SUBMITTED,
    )
    return {
        "finance": user_with_role(Role.Kind.FINANCE, partnership=partnership),
        "board": user_with_role(Role.Kind.BOARD_MEMBER, partnership=partnership),
        "round": Bid.objects.get().bidding_round,
    }


def csv_cells(content: bytes) -> list[str]:
    rows = csv.reader(io.StringIO(content.decode("utf-8-sig")))
    return [cell for row in rows for cell in row]


def xlsx_cells(content: bytes) -> list:
    sheet = load_workbook(io.BytesIO(content)).active
    return [cell for row in sheet.iter_rows(values_only=True) for cell in row]


def assert_shown_as_text(cells: list, *names: str) -> None:
    texts = [cell for cell in cells if isinstance(cell, str)]
    assert not [text for text in texts if text.startswith(FORMULA_STARTS)]
    for name in names:
        assert f"'{name}" in texts


def sent(client, url: str, **params) -> bytes:
    response = client.get(url, params)
    assert response.status_code == 200
    return b"".join(response.streaming_content)


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_the_payment_schedule_shows_formula_names_as_text(client, hostile, file_format):
    client.force_login(hostile["finance"])
    content = sent(client, reverse(f"projects:payment-schedule-{file_format}"))
    cells = csv_cells(content) if file_format == "csv" else xlsx_cells(content)
    assert_shown_as_text(cells, COUNCIL, PROGRAMME, PROJECT)


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_the_payment_schedule_written_in_the_background_shows_formula_names_as_text(
    client, hostile, file_format, settings, django_capture_on_commit_callbacks
):
    settings.DOWNLOAD_IN_BACKGROUND_OVER = 0
    client.force_login(hostile["finance"])
    url = reverse(f"projects:payment-schedule-{file_format}")
    download = ask_in_background(client, url, django_capture_on_commit_callbacks)
    content = downloaded_file(client, download)
    cells = csv_cells(content) if file_format == "csv" else xlsx_cells(content)
    assert_shown_as_text(cells, COUNCIL, PROGRAMME, PROJECT)


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_the_savings_entries_show_formula_names_as_text(client, hostile, file_format):
    client.force_login(hostile["finance"])
    content = sent(client, reverse(f"savings:entries-{file_format}"))
    cells = csv_cells(content) if file_format == "csv" else xlsx_cells(content)
    assert_shown_as_text(cells, COUNCIL)


def test_the_savings_entries_written_in_the_background_show_formula_names_as_text(
    client, hostile, settings, django_capture_on_commit_callbacks
):
    settings.DOWNLOAD_IN_BACKGROUND_OVER = 0
    client.force_login(hostile["finance"])
    url = reverse("savings:entries-csv")
    download = ask_in_background(client, url, django_capture_on_commit_callbacks)
    assert_shown_as_text(csv_cells(downloaded_file(client, download)), COUNCIL)


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_the_ranked_bids_show_formula_names_as_text(client, hostile, file_format):
    client.force_login(hostile["board"])
    url = reverse(f"bids:round-ranked-{file_format}", args=[hostile["round"].pk])
    content = sent(client, url)
    cells = csv_cells(content) if file_format == "csv" else xlsx_cells(content)
    assert_shown_as_text(cells, BID)


@pytest.mark.parametrize(
    ("table", "name"), [("organisations", COUNCIL), ("sub-regions", SUB_REGION)]
)
def test_the_savings_summary_tables_show_formula_names_as_text(client, hostile, table, name):
    client.force_login(hostile["board"])
    content = sent(client, reverse("savings:summary-download", args=[table]))
    assert_shown_as_text(csv_cells(content), name)


@pytest.mark.parametrize(
    ("chart", "name"), [("savings-by-sub-region", SUB_REGION), ("spend-by-programme", PROGRAMME)]
)
def test_the_dashboard_charts_show_formula_names_as_text(client, hostile, chart, name):
    client.force_login(hostile["board"])
    content = sent(client, reverse("reports:dashboard-download", args=[chart]))
    assert_shown_as_text(csv_cells(content), name)
