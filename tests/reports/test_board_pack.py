"""Board packs: a programme manager asks for a meeting's pack, it is drawn in the
background, and board members read the PDF. Tasks run in this process here, whatever
the environment says (``tests/reports/test_celery_worker.py`` runs a real worker)."""

import datetime
import io
import re
import time
from decimal import Decimal
from unittest import mock

import pytest
from celery.exceptions import Retry, SoftTimeLimitExceeded
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pypdf import PdfReader

from bids.models import BiddingRound
from bids.selectors import ranked_bids
from partnership.jobs import NOT_SENT
from partnership.models import Action, AgendaItem, Attendance, Decision, Meeting
from programmes.models import LedgerEntry
from programmes.services import ledger_record
from reports.models import BoardPack
from reports.selectors import board_pack_context
from reports.services import (
    TOO_SLOW,
    UNEXPECTED_FAILURE,
    BoardPackError,
    board_pack_render,
    board_pack_request,
    board_pack_retry,
)
from reports.tasks import render_board_pack
from savings.models import SavingsEntry
from tests.broker import broker_unreachable
from tests.factories import (
    BiddingRoundFactory,
    BidFactory,
    BudgetLineFactory,
    FundingSourceFactory,
    MeetingFactory,
    OrganisationFactory,
    PartnershipFactory,
    ProgrammeFactory,
    SavingsEntryFactory,
    SubRegionFactory,
    user_with_role,
)

D = Decimal
MEETING_DAY = datetime.date(2011, 4, 12)
STARTS_2008 = datetime.date(2008, 4, 1)
ENDS_2011 = datetime.date(2011, 3, 31)

# Item 6 of the EM IEP board pack of 12 April 2011: grant allocation, delivered
# savings and total potential savings per Sub Regional Partnership.
SUB_REGIONS = [
    ("Derbyshire", "3890000", "3648000", "22337000"),
    ("Leicestershire, Leicester & Rutland", "4237000", "1344000", "5738000"),
    ("Lincolnshire", "3982000", "340000", "35330000"),
    ("Northamptonshire", "3545000", "1608000", "15561000"),
    ("Nottinghamshire", "3731000", "35062000", "59923000"),
]

# Item 11: points, sponsor, project, grant requested, savings claimed and basis,
# partnership project, builds on previous good practice (None: not specified).
BIDS = [
    (7, "North Kesteven DC", "Shared ICT", "100000", "2137416", "over_years", 5, True, True),
    (7, "Nottinghamshire CC", "Business Intelligence and e-sourcing", "95000", "301500",
     "over_years", 2, True, True),
    (7, "Leicester City", "EM Public Sector Network", "125000", "10000000", "per_annum", None,
     True, True),
    (6, "Nottinghamshire CC", "Fleet Management", "50000", "589701", "over_years", 5, False,
     True),
    (5, "Derby City Council", "Carbon Reduction In Schools", "22000", "24000", "per_annum", None,
     True, True),
    (4, "Northampton BC", "Mobile Framework", "88000", "200000", "unspecified_period", None,
     True, False),
    (2, "Northamptonshire CC", "Drugs & Alcohol Arrest Referral Service", "300000", None,
     "none", None, True, True),
    (0, "High Peak BC", "Optimum Value from existing shared supplier arrangements", "40000",
     None, "none", None, True, None),
]  # fmt: skip

# The savings column as the bids table printed it, where it was not a plain figure.
AS_WRITTEN = {
    "EM Public Sector Network": "10m per annum",
    "Drugs & Alcohol Arrest Referral Service": "None Specified",
}

SECTION_TITLES = [
    "Agenda",
    "Minutes of the previous meeting",
    "Progress report: sub-regional programmes",
    "Progress report: regional programmes",
    "Project bids",
    "Budget allocations",
    "Savings forecast returns",
]


pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("tasks_run_here")]


def _fund(programme, amount: str, on: datetime.date) -> None:
    ledger_record(
        programme=programme,
        kind=LedgerEntry.Kind.FUNDING,
        amount=D(amount),
        occurred_on=on,
        funding_source=FundingSourceFactory(programme=programme),
        by=None,
    )


def _allocate(line, amount: str) -> None:
    ledger_record(
        programme=line.programme,
        kind=LedgerEntry.Kind.ALLOCATION,
        amount=D(amount),
        occurred_on=datetime.date(2011, 4, 1),
        budget_line=line,
        by=None,
    )


def _savings(programme, organisation, delivered: str, forecast: str) -> None:
    for status, amount in (("delivered", delivered), ("forecast", forecast)):
        SavingsEntryFactory(
            programme=programme,
            organisation=organisation,
            financial_year=2010,
            status=status,
            amount=D(amount),
        )


@pytest.fixture
def em_iep():
    """EM IEP at its meeting of 12 April 2011: five SRPs with their 2008/11
    programmes and savings, the regional programmes, the legacy programme's budget
    lines, the April round's bids, and the minutes of 26 November 2010."""
    partnership = PartnershipFactory(
        name="East Midlands Improvement and Efficiency Partnership",
        short_name="EM IEP",
        slug="em-iep",
    )
    for name, allocation, delivered, potential in SUB_REGIONS:
        body = OrganisationFactory(name=f"{name} accountable body", partnership=partnership)
        sub_region = SubRegionFactory(partnership=partnership, name=name, accountable_body=body)
        programme = ProgrammeFactory(
            partnership=partnership,
            sub_region=sub_region,
            name=f"{name} SRP Programme 2008/11",
            starts_on=STARTS_2008,
            ends_on=ENDS_2011,
        )
        _fund(programme, allocation, STARTS_2008)
        _savings(programme, body, delivered, str(D(potential) - D(delivered)))

    regional = ProgrammeFactory(
        partnership=partnership,
        name="Regional Programmes 2008/11",
        starts_on=STARTS_2008,
        ends_on=ENDS_2011,
    )
    _fund(regional, "3000000", STARTS_2008)
    _savings(regional, OrganisationFactory(partnership=partnership), "1250000", "500000")

    legacy = ProgrammeFactory(
        partnership=partnership,
        name="Improvement and Efficiency Programme 2011/13",
        starts_on=datetime.date(2011, 4, 1),
        ends_on=datetime.date(2013, 3, 31),
    )
    _fund(legacy, "1300000", datetime.date(2011, 4, 1))
    projects = BudgetLineFactory(programme=legacy, name="Projects", position=4)
    _allocate(projects, "750000")
    _allocate(BudgetLineFactory(programme=legacy, name="Care Services", position=1), "400000")

    april_round = BiddingRoundFactory(
        budget_line=projects,
        name="Project bids 2011/13",
        amount_available=D("750000"),
        opens_on=datetime.date(2011, 1, 10),
        closes_on=datetime.date(2011, 3, 4),
    )
    sponsors = {}
    for number, row in enumerate(BIDS, start=1):
        points, sponsor, title, grant, savings, basis, years, partnership_project, builds = row
        if sponsor not in sponsors:
            sponsors[sponsor] = OrganisationFactory(
                name=f"{sponsor} (council)", short_name=sponsor, partnership=partnership
            )
        approved = points == 7
        BidFactory(
            bidding_round=april_round,
            number=number,
            title=title,
            sponsor=sponsors[sponsor],
            grant_requested=D(grant),
            savings_claimed=D(savings) if savings else None,
            savings_claimed_as_written=AS_WRITTEN.get(title, ""),
            savings_basis=basis,
            savings_years=years,
            is_partnership=partnership_project,
            builds_on_good_practice=builds,
            agreed_points=points,
            status="approved" if approved else "submitted",
            grant_allocated=D(grant) if approved else None,
            recommendation="approve" if approved else "",
        )
    for name, opens_on, closes_on in (
        ("Round of 2009", datetime.date(2009, 5, 1), datetime.date(2009, 6, 30)),
        ("Round still open", datetime.date(2011, 4, 1), datetime.date(2011, 5, 31)),
    ):
        BidFactory(
            bidding_round=BiddingRoundFactory(
                budget_line=projects, name=name, opens_on=opens_on, closes_on=closes_on
            ),
            title=f"Bid to the {name.lower()}",
            status="submitted",
        )

    november = MeetingFactory(
        partnership=partnership,
        held_on=datetime.date(2010, 11, 26),
        place="Pera, Melton Mowbray",
        minutes_status="draft",
    )
    Attendance.objects.create(
        meeting=november, kind="member", role_as_recorded="Councillor, Lincolnshire CC"
    )
    legacy_item = AgendaItem.objects.create(meeting=november, number=6, title="EM IEP legacy")
    Decision.objects.create(
        meeting=november,
        agenda_item=legacy_item,
        text="A Members sub group be established under East Midlands Councils.",
    )
    Action.objects.create(
        meeting=november,
        text="Draft the legacy host's terms of reference",
        owner="SY/CA",
        due_on=datetime.date(2011, 1, 31),
    )
    april = MeetingFactory(partnership=partnership, held_on=MEETING_DAY, place="Pera")
    for number, title in (
        (1, "Apologies"),
        (2, "Minutes of Meeting held on 26th November 2010"),
        (6, "Progress report - Sub Regional Partnerships Programmes"),
        (11, "Project bids 2011/13"),
    ):
        AgendaItem.objects.create(meeting=april, number=number, title=title)
    return april


@pytest.fixture
def manager(em_iep):
    return user_with_role("programme_manager", partnership=em_iep.partnership)


@pytest.fixture
def board_member(em_iep):
    return user_with_role("board_member", partnership=em_iep.partnership)


def _request(meeting, by, capture, kind=BoardPack.Kind.FULL) -> BoardPack:
    with capture(execute=True):
        pack = board_pack_request(meeting=meeting, kind=kind, by=by)
    pack.refresh_from_db()
    return pack


def _pages(pack: BoardPack) -> list[str]:
    return [page.extract_text() for page in _reader(pack).pages]


def _reader(pack: BoardPack) -> PdfReader:
    with pack.file.open("rb") as pdf:
        return PdfReader(io.BytesIO(pdf.read()))


def _roles(node) -> list[str]:
    """The structure types of a tag tree, depth first: /Document, /H1, /Table, ..."""
    node = node.get_object()
    roles = [str(node["/S"])] if "/S" in node else []
    kids = node.get("/K", [])
    for kid in kids if isinstance(kids, list) else [kids]:
        kid = kid.get_object()
        if isinstance(kid, dict):
            roles += _roles(kid)
    return roles


def _flat(text: str) -> str:
    """The text as one line, rejoining words a table cell broke after a hyphen."""
    return re.sub(r"\s+", " ", re.sub(r"(?<=\w-)\n", "", text))


@pytest.fixture
def full_pack(em_iep, manager, django_capture_on_commit_callbacks):
    pack = _request(em_iep, manager, django_capture_on_commit_callbacks)
    assert pack.status == BoardPack.Status.DONE, pack.error
    return pack


# The pack -----------------------------------------------------------------------------


def test_a_requested_pack_is_produced_and_stored_as_a_pdf(full_pack):
    assert full_pack.attempts == 1
    assert full_pack.error == ""
    assert full_pack.finished_at >= full_pack.started_at >= full_pack.requested_at
    assert full_pack.file.name.startswith("board_packs/em-iep-2011-04-12-board-pack")
    with full_pack.file.open("rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
    assert [row.status for row in full_pack.history.order_by("history_id")] == [
        "queued",
        "running",
        "done",
    ]


def test_the_pack_is_a_tagged_pdf_ua_document_with_its_language_and_title(full_pack):
    # veraPDF (Java, not packaged by Debian) is not run: the PDF/UA rules a reader's
    # software relies on are read back here instead.
    reader = _reader(full_pack)
    catalog = reader.trailer["/Root"]

    assert catalog["/MarkInfo"]["/Marked"].value is True
    assert catalog["/Lang"] == "en-GB"
    assert reader.metadata.title == f"Full board pack: {full_pack.meeting}"
    assert catalog["/ViewerPreferences"]["/DisplayDocTitle"].value is True
    assert b'pdfuaid:part="1"' in catalog["/Metadata"].get_object().get_data()
    roles = _roles(catalog["/StructTreeRoot"])
    assert roles[0] == "/Document"
    assert {"/H1", "/H2", "/H3", "/Table", "/Caption", "/TH", "/TD", "/L", "/LI"} <= set(roles)
    # Every section's heading is tagged, in reading order.
    assert roles.count("/H2") >= len(SECTION_TITLES) + 1  # and the contents


def test_the_sub_regional_table_shows_each_srp_and_the_totals(full_pack):
    text = _flat(" ".join(_pages(full_pack)))
    assert "Derbyshire £3,890,000 £3,648,000 £22,337,000" in text
    assert "Nottinghamshire £3,731,000 £35,062,000 £59,923,000" in text
    assert "Totals £19,385,000 £42,002,000 £138,889,000" in text
    assert "deliver £42.00m of efficiency savings" in text
    assert "a further £96.89m is anticipated" in text


def test_the_regional_programmes_show_their_allocation_and_savings(full_pack):
    text = _flat(" ".join(_pages(full_pack)))
    assert re.search(r"Regional Programmes 2008/11 .*?£3,000,000 .*?£1,250,000 £500,000", text)


def test_every_bid_of_the_round_before_the_meeting_is_listed_in_rank_order(full_pack):
    text = _flat(" ".join(_pages(full_pack)))
    april_round = BiddingRound.objects.get(name="Project bids 2011/13")
    positions = [text.index(bid.title) for bid in ranked_bids(april_round)]
    assert len(positions) == len(BIDS)
    assert positions == sorted(positions)
    assert "Fleet Management £50,000 £589,701 over 5 years No Yes 0.42 years" in text
    assert "Mobile Framework £88,000 £200,000 (period not specified) Yes No –" in text
    assert "EM Public Sector Network £125,000 £10,000,000 per annum" in text
    assert "10m per annum" not in text
    assert "£300,000 No figure; the sponsor wrote “None Specified”" in text
    assert "£40,000 None specified Yes Not specified –" in text
    assert "Total grant requests £820,000" in text
    assert "Recommended: approve Approved: £100,000" in text
    assert "Bid to the round of 2009" not in text
    assert "Bid to the round still open" not in text


def test_the_budget_lines_of_programmes_running_at_the_meeting_are_listed(full_pack):
    text = _flat(" ".join(_pages(full_pack)))
    assert "Care Services £400,000 £0 £0 £400,000" in text
    assert "Projects £750,000 £0 £0 £750,000" in text
    assert "Totals £1,150,000 £0 £0 £1,150,000" in text


def test_the_minutes_of_the_previous_meeting_carry_decisions_and_actions(full_pack):
    text = _flat(" ".join(_pages(full_pack)))
    assert "Board meeting, 26 November 2010, Pera, Melton Mowbray" in text
    assert "Draft minutes, for the board to approve." in text
    assert "A Members sub group be established under East Midlands Councils." in text
    assert "Draft the legacy host's terms of reference SY/CA 31 Jan 2011 Outstanding" in text


def test_every_page_is_numbered_out_of_the_real_page_count(full_pack):
    pages = _pages(full_pack)
    for number, text in enumerate(pages, start=1):
        assert f"Page {number} of {len(pages)}" in text


def test_the_contents_lists_each_section_with_the_page_it_starts_on(full_pack):
    pages = _pages(full_pack)
    contents = _flat(pages[0])
    for title in SECTION_TITLES:
        found = re.search(re.escape(title) + r"[ .]*(\d+)", contents)
        assert found, f"{title} is missing from the contents"
        assert title in pages[int(found.group(1)) - 1]


def test_a_single_report_holds_that_report_alone(
    em_iep, manager, django_capture_on_commit_callbacks
):
    pack = _request(em_iep, manager, django_capture_on_commit_callbacks, kind="bids")
    text = _flat(" ".join(_pages(pack)))
    assert "Project bids" in text
    assert "Shared ICT" in text
    assert "Contents" not in text
    assert "Grant allocation and efficiency savings by sub-region" not in text
    assert pack.file.name.startswith("board_packs/em-iep-2011-04-12-project-bids")


def test_the_context_costs_the_same_queries_however_many_bids_and_savings(em_iep):
    meeting = Meeting.objects.select_related("partnership").get(pk=em_iep.pk)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            board_pack_context(meeting, BoardPack.Kind.FULL)
        return len(queries)

    before = count()
    april_round = BiddingRound.objects.get(name="Project bids 2011/13")
    for _ in range(5):
        BidFactory(bidding_round=april_round, status="submitted", agreed_points=3)
    for entry in SavingsEntry.objects.all()[:3]:
        SavingsEntryFactory(programme=entry.programme, organisation=entry.organisation)
    assert count() == before


# Failures, retries and idempotence ------------------------------------------------------


def test_a_failure_is_shown_on_the_pack_and_trying_again_produces_it(
    em_iep, manager, django_capture_on_commit_callbacks
):
    with mock.patch("reports.pdf.render_pdf", side_effect=RuntimeError("cairo: out of memory")):
        pack = _request(em_iep, manager, django_capture_on_commit_callbacks)
    assert pack.status == BoardPack.Status.FAILED
    assert pack.error == UNEXPECTED_FAILURE
    assert "cairo" not in pack.error
    assert pack.attempts == 4  # the first try and three retries
    assert not pack.file

    with django_capture_on_commit_callbacks(execute=True):
        board_pack_retry(pack=pack, by=manager)
    pack.refresh_from_db()
    assert pack.status == BoardPack.Status.DONE
    assert pack.attempts == 5
    assert pack.error == ""
    assert pack.history.filter(history_user=manager, status="queued").count() == 2


def test_a_pack_that_takes_too_long_says_so(em_iep, manager, django_capture_on_commit_callbacks):
    with mock.patch("reports.pdf.render_pdf", side_effect=SoftTimeLimitExceeded()):
        pack = _request(em_iep, manager, django_capture_on_commit_callbacks)
    assert pack.status == BoardPack.Status.FAILED
    assert pack.error == TOO_SLOW


@pytest.mark.parametrize("silent", [False, True], ids=["refusing", "silent"])
def test_with_the_broker_down_asking_for_a_pack_says_it_was_not_sent_and_can_be_sent_again(
    client, em_iep, manager, django_capture_on_commit_callbacks, silent
):
    client.force_login(manager)
    packs_page = reverse("reports:pack-list", kwargs={"meeting_pk": em_iep.pk})
    with broker_unreachable(silent=silent):
        asked = time.monotonic()
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(packs_page, {"kind": "full"})
        # Well inside the web server's 30 s: the broker's timeouts end the wait.
        assert time.monotonic() - asked < 20
        pack = BoardPack.objects.get()
        assert response.status_code == 302
        assert response.url == pack.get_absolute_url()
        page = client.get(pack.get_absolute_url())
        assert page.status_code == 200
        assert "The pack could not be produced" in page.text
        assert NOT_SENT in page.text
        assert "Try again</button>" in page.text
        assert (pack.status, pack.attempts) == (BoardPack.Status.FAILED, 0)
        assert client.get(packs_page).status_code == 200

    # The broker answers again.
    retry = reverse("reports:pack-retry", kwargs={"pk": pack.pk})
    with django_capture_on_commit_callbacks(execute=True):
        client.post(retry)
    pack.refresh_from_db()
    assert (pack.status, pack.attempts) == (BoardPack.Status.DONE, 1)
    assert "The pack is ready" in client.get(pack.get_absolute_url()).text


def test_a_failed_drawing_is_retried_after_10_then_20_then_40_seconds():
    assert render_board_pack.acks_late
    assert (render_board_pack.soft_time_limit, render_board_pack.time_limit) == (240, 300)
    assert render_board_pack.max_retries == 3
    countdowns = []
    for retries in range(3):
        render_board_pack.push_request(retries=retries, is_eager=False)
        try:
            with (
                mock.patch("reports.services.board_pack_render", side_effect=RuntimeError),
                mock.patch.object(render_board_pack, "retry", side_effect=Retry) as retry,
                pytest.raises(Retry),
            ):
                render_board_pack.run(1)
            countdowns.append(retry.call_args.kwargs["countdown"])
        finally:
            render_board_pack.pop_request()
    assert countdowns == [10, 20, 40]


def test_a_pack_that_is_done_is_not_drawn_again(full_pack):
    with mock.patch("reports.pdf.render_pdf") as render:
        pack = board_pack_render(pack_id=full_pack.pk)
        render_board_pack.delay(full_pack.pk)
    render.assert_not_called()
    pack.refresh_from_db()
    assert (pack.status, pack.attempts, pack.file.name) == ("done", 1, full_pack.file.name)


def test_asking_again_while_a_pack_waits_returns_the_waiting_pack(
    em_iep, manager, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as queued:
        first = board_pack_request(meeting=em_iep, kind="full", by=manager)
        again = board_pack_request(meeting=em_iep, kind="full", by=manager)
        budget = board_pack_request(meeting=em_iep, kind="budget", by=manager)
    assert again == first
    assert budget != first
    assert len(queued) == 2
    assert first.status == "queued"


def test_only_a_failed_pack_can_be_tried_again(full_pack, manager):
    with pytest.raises(BoardPackError, match="Only a pack that failed"):
        board_pack_retry(pack=full_pack, by=manager)


def test_a_pack_of_an_unknown_kind_is_refused(em_iep, manager):
    with pytest.raises(BoardPackError, match="Choose which pack"):
        board_pack_request(meeting=em_iep, kind="everything", by=manager)


# Who may do what ----------------------------------------------------------------------


def test_programme_managers_request_packs_and_board_members_read_them(
    full_pack, manager, board_member
):
    meeting = full_pack.meeting
    assert manager.has_perm("reports.request_boardpack", meeting)
    assert manager.has_perm("reports.view_boardpack", full_pack)
    assert manager.has_perm("reports.change_boardpack", full_pack)
    assert board_member.has_perm("reports.view_boardpack", full_pack)
    assert not board_member.has_perm("reports.request_boardpack", meeting)
    assert not board_member.has_perm("reports.change_boardpack", full_pack)
    for user in (manager, board_member):
        assert list(BoardPack.objects.visible_to(user)) == [full_pack]


def test_officers_and_other_partnerships_cannot_see_the_packs(full_pack):
    partnership = full_pack.meeting.partnership
    officer_here = user_with_role("officer", organisation=partnership.members.first())
    other = PartnershipFactory()
    officer_elsewhere = user_with_role(
        "officer", organisation=OrganisationFactory(partnership=other)
    )
    manager_elsewhere = user_with_role("programme_manager", partnership=other)
    finance_here = user_with_role("finance", partnership=partnership)
    for user in (officer_here, officer_elsewhere, manager_elsewhere, finance_here):
        assert not user.has_perm("reports.view_boardpack", full_pack)
        assert not user.has_perm("reports.request_boardpack", full_pack.meeting)
        assert not BoardPack.objects.visible_to(user).exists()


# The pages ----------------------------------------------------------------------------


def test_a_manager_asks_for_a_pack_and_downloads_it(
    client, em_iep, manager, django_capture_on_commit_callbacks
):
    client.force_login(manager)
    packs_page = reverse("reports:pack-list", kwargs={"meeting_pk": em_iep.pk})
    page = client.get(packs_page)
    assert page.status_code == 200
    assert "No packs have been produced for this meeting yet." in page.text
    assert "Produce the pack" in page.text

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(packs_page, {"kind": "budget"})
    pack = BoardPack.objects.get()
    assert response.status_code == 302
    assert response.url == pack.get_absolute_url()

    page = client.get(pack.get_absolute_url())
    assert "The pack is ready" in page.text
    assert "Refresh" not in page.headers
    download = client.get(reverse("reports:pack-download", kwargs={"pk": pack.pk}))
    assert download["Content-Type"] == "application/pdf"
    assert "em-iep-2011-04-12-budget-allocations.pdf" in download["Content-Disposition"]
    assert b"".join(download.streaming_content).startswith(b"%PDF-")


def test_a_pack_downloads_under_its_meetings_name_whatever_name_storage_gave_it(
    client, full_pack, manager
):
    again = board_pack_render(
        pack_id=BoardPack.objects.create(meeting=full_pack.meeting, kind="full").pk
    )
    assert again.file.name != full_pack.file.name  # storage made the name unique
    client.force_login(manager)

    download = client.get(reverse("reports:pack-download", kwargs={"pk": again.pk}))

    assert download["Content-Disposition"] == (
        'attachment; filename="em-iep-2011-04-12-board-pack.pdf"'
    )


def test_the_page_of_a_pack_in_progress_reloads_itself(client, em_iep, board_member):
    pack = BoardPack.objects.create(meeting=em_iep, kind="full")
    client.force_login(board_member)
    page = client.get(pack.get_absolute_url())
    assert page.headers["Refresh"] == "5"
    assert "The pack is waiting to start." in page.text
    assert client.get(reverse("reports:pack-download", kwargs={"pk": pack.pk})).status_code == 404


def test_a_failed_pack_says_why_and_the_manager_tries_again(
    client, em_iep, manager, board_member, django_capture_on_commit_callbacks
):
    with mock.patch("reports.pdf.render_pdf", side_effect=RuntimeError):
        pack = _request(em_iep, manager, django_capture_on_commit_callbacks)
    client.force_login(board_member)
    page = client.get(pack.get_absolute_url())
    assert "The pack could not be produced" in page.text
    assert "Something went wrong in the portal while drawing the PDF." in page.text
    assert "Try again</button>" not in page.text
    assert "A programme manager of the partnership can try again." in page.text
    retry = reverse("reports:pack-retry", kwargs={"pk": pack.pk})
    assert client.post(retry).status_code == 403

    client.force_login(manager)
    assert "Try again</button>" in client.get(pack.get_absolute_url()).text
    with django_capture_on_commit_callbacks(execute=True):
        client.post(retry)
    pack.refresh_from_db()
    assert pack.status == BoardPack.Status.DONE


def test_an_administrator_tries_failed_packs_again_from_the_admin_list(
    client, em_iep, manager, django_capture_on_commit_callbacks
):
    with mock.patch("reports.pdf.render_pdf", side_effect=RuntimeError):
        failed = _request(em_iep, manager, django_capture_on_commit_callbacks)
    done = _request(em_iep, manager, django_capture_on_commit_callbacks, BoardPack.Kind.MINUTES)
    assert (failed.status, done.status) == (BoardPack.Status.FAILED, BoardPack.Status.DONE)
    administrator = user_with_role("administrator", is_staff=True)
    client.force_login(administrator)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:reports_boardpack_changelist"),
            {"action": "try_again", "_selected_action": [failed.pk, done.pk]},
            follow=True,
        )

    failed.refresh_from_db()
    assert (failed.status, failed.error, failed.attempts) == (BoardPack.Status.DONE, "", 5)
    assert failed.history.filter(history_user=administrator, status="queued").exists()
    assert [str(message) for message in response.context["messages"]] == [
        f"{done}: Only a pack that failed can be tried again."
    ]


def test_a_board_member_reads_packs_but_cannot_ask_for_one(client, full_pack, board_member):
    client.force_login(board_member)
    packs_page = reverse("reports:pack-list", kwargs={"meeting_pk": full_pack.meeting_id})
    page = client.get(packs_page)
    assert "Full board pack" in page.text
    assert "Produce the pack" not in page.text
    assert client.post(packs_page, {"kind": "full"}).status_code == 403
    assert BoardPack.objects.count() == 1


def test_an_officer_of_a_member_council_cannot_open_the_packs(client, full_pack):
    officer = user_with_role("officer", organisation=full_pack.meeting.partnership.members.first())
    client.force_login(officer)
    packs_page = reverse("reports:pack-list", kwargs={"meeting_pk": full_pack.meeting_id})
    assert client.get(packs_page).status_code == 403
    assert client.get(full_pack.get_absolute_url()).status_code == 404
    download = reverse("reports:pack-download", kwargs={"pk": full_pack.pk})
    assert client.get(download).status_code == 404


def test_asking_for_no_pack_in_particular_is_refused_with_a_message(client, em_iep, manager):
    client.force_login(manager)
    packs_page = reverse("reports:pack-list", kwargs={"meeting_pk": em_iep.pk})
    page = client.post(packs_page, {})
    assert page.status_code == 400
    assert "There is a problem" in page.text
    assert "Choose which pack to produce." in page.text
    assert not BoardPack.objects.exists()
