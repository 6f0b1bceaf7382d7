"""The April 2011 EM IEP board pack, drawn from the demo data: the papers the portal
was built to produce."""

import datetime
import io
import re

import pytest
from django.core.management import call_command
from pypdf import PdfReader

from bids.models import Bid
from partnership.models import Meeting
from reports.models import BoardPack
from reports.services import board_pack_request

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("tasks_run_here")]


@pytest.fixture
def april_2011_pack(django_capture_on_commit_callbacks):
    call_command("load_demo", "--no-users", stdout=io.StringIO())
    meeting = Meeting.objects.get(
        partnership__short_name="EM IEP", held_on=datetime.date(2011, 4, 12)
    )
    with django_capture_on_commit_callbacks(execute=True):
        pack = board_pack_request(meeting=meeting, kind=BoardPack.Kind.FULL, by=None)
    pack.refresh_from_db()
    assert pack.status == BoardPack.Status.DONE, pack.error
    with pack.file.open("rb") as pdf:
        return [page.extract_text() for page in PdfReader(io.BytesIO(pdf.read())).pages]


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"(?<=\w-)\n", "", text))


def test_the_april_2011_pack_holds_the_sub_regional_table_with_the_papers_totals(april_2011_pack):
    text = flat(" ".join(april_2011_pack))
    assert "£19,385,000 £42,002,000 £138,889,000" in text
    for srp in ("Derbyshire", "Lincolnshire", "Northamptonshire", "Nottinghamshire"):
        assert srp in text


def test_the_april_2011_pack_lists_all_26_bids(april_2011_pack):
    text = flat(" ".join(april_2011_pack))
    titles = list(
        Bid.objects.filter(bidding_round__name__contains="2011/13").values_list("title", flat=True)
    )
    assert len(titles) == 26
    missing = [title for title in titles if flat(title) not in text]
    assert missing == []


def test_the_april_2011_pack_numbers_its_pages_out_of_the_real_count(april_2011_pack):
    total = len(april_2011_pack)
    for number, page in enumerate(april_2011_pack, start=1):
        assert f"Page {number} of {total}" in page


def test_the_april_2011_pack_heads_each_page_after_the_cover_with_the_meeting(april_2011_pack):
    meeting = Meeting.objects.get(
        partnership__short_name="EM IEP", held_on=datetime.date(2011, 4, 12)
    )
    # The running header is the line above the page number at the foot of the text.
    headed = [
        number
        for number, page in enumerate(april_2011_pack, start=1)
        if page.splitlines()[-2].startswith(str(meeting))
    ]
    assert headed == list(range(2, len(april_2011_pack) + 1))


BIDS_HEADINGS = (
    "Points Sponsoring authority Project Grant requested Cashable savings claimed "
    "Partnership project Builds on good practice Payback Recommendation and decision"
)


def test_the_april_2011_pack_repeats_the_bids_headings_on_each_page_of_the_table(
    april_2011_pack,
):
    pages = [flat(page) for page in april_2011_pack]
    first = next(i for i, page in enumerate(pages) if "Bids ranked by the points" in page)
    last = next(i for i, page in enumerate(pages) if "Total grant requests" in page)
    spanned = pages[first : last + 1]
    assert len(spanned) > 1  # else there is nothing to repeat
    assert [BIDS_HEADINGS in page for page in spanned] == [True] * len(spanned)
