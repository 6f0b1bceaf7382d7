"""Uploaded and generated files are private: each is sent only by a view that checks
its reader may see the record it belongs to, as a download the browser saves and
never sniffs, and nothing serves them at a public address. Uploads are checked by
content and size, zip bombs refused before anything is unpacked."""

import io
import zipfile

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from bids.models import Bid
from partnership.models import AgendaItem, Download, Role
from projects.models import MilestoneEvidence
from reports.models import BoardPack
from savings.models import SavingsReturn
from tests.factories import (
    BidFactory,
    MeetingFactory,
    MilestoneFactory,
    OrganisationFactory,
    PartnershipFactory,
    ProjectFactory,
    SavingsCategoryFactory,
    funded_budget_line,
    user_with_role,
)

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4 a board paper"


@pytest.fixture
def files():
    """North Kesteven's milestone evidence, bid business case and download, and an
    agenda report and board pack of its partnership's meeting; and an officer of a
    council in another partnership."""
    partnership = PartnershipFactory(short_name="EM IEP")
    council = OrganisationFactory(name="North Kesteven District Council", partnership=partnership)
    officer = user_with_role(Role.Kind.OFFICER, organisation=council)
    board = user_with_role(Role.Kind.BOARD_MEMBER, partnership=partnership)
    elsewhere = OrganisationFactory(name="Lancaster City Council", partnership=PartnershipFactory())
    line = funded_budget_line(programme__partnership=partnership)
    milestone = MilestoneFactory(
        project=ProjectFactory(budget_line=line, lead_organisation=council)
    )
    evidence = MilestoneEvidence.objects.create(
        milestone=milestone, file=ContentFile(PDF, name="go-live.pdf"), added_by=officer
    )
    bid = BidFactory(
        bidding_round__budget_line=line,
        sponsor=council,
        status=Bid.Status.SUBMITTED,
        business_case=ContentFile(PDF, name="business-case.pdf"),
    )
    meeting = MeetingFactory(partnership=partnership)
    item = AgendaItem.objects.create(
        meeting=meeting, number=1, title="Budget", report=ContentFile(PDF, name="budget.pdf")
    )
    pack = BoardPack.objects.create(
        meeting=meeting,
        requested_by=board,
        status=BoardPack.Status.DONE,
        finished_at=timezone.now(),
        file=ContentFile(PDF, name="pack.pdf"),
    )
    download = Download.objects.create(
        requested_by=officer,
        export="projects.payment_schedule",
        title="Grant payment schedule",
        file_format=Download.Format.CSV,
        status=Download.Status.DONE,
        finished_at=timezone.now(),
        file=ContentFile(b"Council\nNorth Kesteven\n", name="schedule.csv"),
    )
    return {
        "officer": officer,
        "board": board,
        "stranger": user_with_role(Role.Kind.OFFICER, organisation=elsewhere),
        # Each file's address, and someone who may read it.
        "urls": {
            "evidence": (evidence.file.url, officer),
            "business case": (bid.business_case.url, officer),
            "agenda report": (item.report.url, officer),
            "board pack": (pack.file.url, board),
            "download": (download.file.url, officer),
        },
    }


KINDS = ["evidence", "business case", "agenda report", "board pack", "download"]


@pytest.mark.parametrize("kind", KINDS)
def test_each_file_is_a_download_its_reader_saves_and_no_browser_sniffs(client, files, kind):
    url, reader = files["urls"][kind]
    client.force_login(reader)

    response = client.get(url)

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment; filename=")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert not url.startswith("/media/")


@pytest.mark.parametrize("kind", KINDS)
def test_another_councils_officer_gets_404_for_each_file(client, files, kind):
    url, _reader = files["urls"][kind]
    client.force_login(files["stranger"])

    assert client.get(url).status_code == 404


@pytest.mark.parametrize("kind", KINDS)
def test_no_file_is_sent_to_someone_signed_out(client, files, kind):
    url, _reader = files["urls"][kind]

    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_nothing_serves_the_stored_files_at_a_public_address(client, files):
    stored = AgendaItem.objects.get().report.name
    client.force_login(files["officer"])

    assert client.get(f"/media/{stored}").status_code == 404
    assert client.get(f"/static/{stored}").status_code == 404
    with pytest.raises(ValueError, match="private"):
        default_storage.url(stored)
    root = settings.PRIVATE_STORAGE_ROOT.resolve()
    assert (root / stored).exists()
    assert not root.is_relative_to(settings.STATIC_ROOT.resolve())
    assert not any(root.is_relative_to(path.resolve()) for path in settings.STATICFILES_DIRS)


def test_the_meeting_page_links_its_report_through_the_checked_view(client, files):
    item = AgendaItem.objects.get()
    client.force_login(files["officer"])

    page = client.get(item.meeting.get_absolute_url()).content.decode()

    link = reverse("partnership:agenda-item-report", args=[item.pk])
    assert f'href="{link}">Report for item 1 (PDF)</a>' in page
    assert b"".join(client.get(link).streaming_content) == PDF


def zip_bomb(member: str, *, unpacked_mb: int) -> bytes:
    """A small zip whose directory says ``member`` unpacks to ``unpacked_mb`` MB."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive,
        archive.open(member, "w", force_zip64=True) as inside,
    ):
        for _ in range(unpacked_mb):
            inside.write(b"\x00" * (1024 * 1024))
    return out.getvalue()


@pytest.fixture
def returns(files):
    SavingsCategoryFactory(name="Procurement", slug="procurement")
    council = files["officer"].portal_roles.get().organisation
    return reverse("savings:return-upload", kwargs={"pk": council.pk})


def upload_return(client, url, name: str, content: bytes):
    return client.post(
        url,
        {"financial_year": 2010, "quarter": 4, "file": SimpleUploadedFile(name, content)},
    )


def test_an_xlsx_zip_bomb_is_refused_before_it_is_read_and_nothing_is_saved(client, files, returns):
    bomb = zip_bomb("xl/workbook.xml", unpacked_mb=120)
    assert len(bomb) < 2 * 1024 * 1024
    client.force_login(files["officer"])

    response = upload_return(client, returns, "return.xlsx", bomb)

    assert response.status_code == 400
    assert "unpacks to 120 MB, more than the 100 MB a real document needs" in (
        response.content.decode()
    )
    assert not SavingsReturn.objects.exists()


def test_an_oversized_return_is_refused_with_its_limit_and_nothing_is_saved(client, files, returns):
    client.force_login(files["officer"])

    response = upload_return(client, returns, "return.csv", b"x" * (2 * 1024 * 1024 + 1))

    assert response.status_code == 400
    assert "The file is larger than 2 MB." in response.content.decode()
    assert not SavingsReturn.objects.exists()


def test_a_return_named_xlsx_that_is_not_a_workbook_is_refused(client, files, returns):
    client.force_login(files["officer"])

    response = upload_return(client, returns, "return.xlsx", b"PK\x03\x04 not a workbook")

    assert response.status_code == 400
    assert "The file is not a readable XLSX spreadsheet." in response.content.decode()


def test_a_docx_zip_bomb_is_refused_as_evidence_and_nothing_is_stored(client, files):
    milestone = MilestoneEvidence.objects.get().milestone
    stored_before = sorted(settings.PRIVATE_STORAGE_ROOT.rglob("*"))
    client.force_login(files["officer"])

    response = client.post(
        reverse("projects:milestone-log", args=[milestone.pk]),
        {
            "achieved_on_0": "30",
            "achieved_on_1": "9",
            "achieved_on_2": "2011",
            "delivered": "Live",
            "files": SimpleUploadedFile(
                "report.docx", zip_bomb("word/document.xml", unpacked_mb=120)
            ),
        },
    )

    assert response.status_code == 400
    assert "report.docx unpacks to 120 MB" in response.content.decode()
    assert MilestoneEvidence.objects.count() == 1
    assert sorted(settings.PRIVATE_STORAGE_ROOT.rglob("*")) == stored_before


def test_an_agenda_report_that_is_not_a_real_pdf_or_is_too_large_is_refused(client, files):
    manager = user_with_role(
        Role.Kind.PROGRAMME_MANAGER, partnership=AgendaItem.objects.get().meeting.partnership
    )
    meeting = AgendaItem.objects.get().meeting
    client.force_login(manager)
    url = reverse("partnership:agenda-item-add", args=[meeting.pk])

    for name, content, message in (
        ("budget.pdf", b"MZ a program", "The report must be a PDF."),
        (
            "budget.pdf",
            b"%PDF-" + b"0" * (20 * 1024 * 1024),
            "The report must be smaller than 20 MB.",
        ),
    ):
        response = client.post(
            url, {"number": 2, "title": "Budget", "report": SimpleUploadedFile(name, content)}
        )
        assert response.status_code == 400
        assert message in response.content.decode()
    assert AgendaItem.objects.count() == 1


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("report.pdf", b"MZ a program", "report.pdf is not a real PDF file"),
        ("plan.docx", zip_bomb("word/document.xml", unpacked_mb=120), "plan.docx unpacks to 120"),
    ],
)
def test_a_file_reaching_a_model_without_a_pages_form_is_checked_by_content_too(
    files, name, content, message
):
    """The admin's inlines save through the model's validation, not the pages' forms."""
    evidence = MilestoneEvidence(
        milestone=MilestoneEvidence.objects.get().milestone,
        file=SimpleUploadedFile(name, content),
        added_by=files["officer"],
    )

    with pytest.raises(ValidationError, match=message):
        evidence.full_clean()
