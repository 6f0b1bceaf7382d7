"""The services that schedule a meeting and record what happened at it: each rule, and
each refusal, with the message the user sees."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from partnership.models import Attendance, Meeting
from partnership.selectors import meeting_quorum, meeting_record
from partnership.services import (
    Attendee,
    MeetingError,
    action_add,
    agenda_item_add,
    attendance_record,
    decision_record,
    declaration_record,
    meeting_minutes_approve,
    meeting_minutes_draft,
    meeting_schedule,
    meeting_update,
)
from tests.factories import MeetingFactory, OrganisationFactory, PartnershipFactory, UserFactory

pytestmark = pytest.mark.django_db

NOVEMBER = datetime.date(2010, 11, 26)
APRIL = datetime.date(2011, 4, 12)


@pytest.fixture
def manager():
    return UserFactory()


@pytest.fixture
def november():
    return MeetingFactory(held_on=NOVEMBER, place="Melton Mowbray")


def approved(meeting: Meeting) -> Meeting:
    """The meeting with its minutes approved at a meeting five months later."""
    later = MeetingFactory(partnership=meeting.partnership, held_on=APRIL)
    meeting_minutes_draft(meeting=meeting, by=None)
    return meeting_minutes_approve(meeting=meeting, at_meeting=later, by=None)


def pdf(name: str = "report.pdf", content: bytes = b"%PDF-1.4\n%%EOF\n") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


# Scheduling and changing a meeting


def test_a_scheduled_meeting_records_who_scheduled_it(manager):
    partnership = PartnershipFactory()

    meeting = meeting_schedule(
        partnership=partnership,
        title="Board meeting",
        held_on=APRIL,
        starts_at=datetime.time(10, 30),
        place="Nottingham",
        by=manager,
    )

    assert meeting.partnership == partnership
    assert meeting.minutes_status == Meeting.MinutesStatus.NONE
    assert meeting.history.get().history_user == manager


def test_a_board_cannot_hold_two_meetings_of_the_same_title_on_one_day(november):
    with pytest.raises(
        MeetingError, match="already has a board meeting on 26 November 2010"
    ) as refusal:
        meeting_schedule(
            partnership=november.partnership, title="Board meeting", held_on=NOVEMBER, by=None
        )

    assert refusal.value.field == "held_on"
    extraordinary = meeting_schedule(
        partnership=november.partnership, title="Extraordinary meeting", held_on=NOVEMBER, by=None
    )
    assert extraordinary.pk


def test_a_meeting_can_be_moved_and_renamed(november, manager):
    meeting = meeting_update(
        meeting=november,
        title="Annual meeting",
        held_on=NOVEMBER + datetime.timedelta(days=7),
        starts_at=None,
        place="Derby",
        by=manager,
    )

    meeting.refresh_from_db()
    assert (meeting.title, meeting.held_on, meeting.place) == (
        "Annual meeting",
        datetime.date(2010, 12, 3),
        "Derby",
    )


def test_a_meeting_that_approved_minutes_cannot_move_before_the_meeting_they_record(november):
    april = approved(november).minutes_approved_at

    with pytest.raises(MeetingError, match="approved the minutes of 26 November 2010") as refusal:
        meeting_update(meeting=april, title=april.title, held_on=NOVEMBER, by=None)

    assert refusal.value.field == "held_on"


def test_a_meeting_whose_minutes_are_approved_cannot_be_changed(november):
    approved(november)

    with pytest.raises(MeetingError, match="minutes of this meeting are approved"):
        meeting_update(meeting=november, title="Board meeting", held_on=NOVEMBER, by=None)


# Attendance


def test_attendance_is_recorded_whole_and_replaces_the_previous_list(november):
    member_council = OrganisationFactory(partnership=november.partnership)
    attendance_record(
        meeting=november,
        attendees=[Attendee(kind="member", role_as_recorded="Chair")],
        by=None,
    )

    attendance_record(
        meeting=november,
        attendees=[
            Attendee(kind="member", role_as_recorded="Councillor", organisation=member_council),
            Attendee(kind="member", role_as_recorded="Councillor", organisation=member_council),
            Attendee(kind="apologies", role_as_recorded="  Councillor, Rutland CC "),
        ],
        by=None,
    )

    assert list(november.attendance.values_list("kind", "role_as_recorded")) == [
        ("apologies", "Councillor, Rutland CC"),
        ("member", "Councillor"),
        ("member", "Councillor"),
    ]
    assert meeting_quorum(november, meeting_record(november)).present == 2


def test_attendance_refuses_an_organisation_outside_the_partnership(november):
    elsewhere = OrganisationFactory(name="Lancaster City Council")

    with pytest.raises(MeetingError, match="Lancaster City Council is not a member"):
        attendance_record(
            meeting=november,
            attendees=[Attendee(kind="member", role_as_recorded="Leader", organisation=elsewhere)],
            by=None,
        )

    assert not Attendance.objects.exists()


def test_attendance_refuses_a_person_without_a_role(november):
    with pytest.raises(MeetingError, match="Record each person’s role"):
        attendance_record(
            meeting=november, attendees=[Attendee(kind="member", role_as_recorded=" ")], by=None
        )


# Agenda, declarations and decisions


def test_an_agenda_item_keeps_its_pdf_report_and_page(november):
    item = agenda_item_add(
        meeting=november,
        number=5,
        title="RIEPs future plans",
        presenter="Director, EM IEP",
        report=pdf(),
        page=12,
        by=None,
    )

    assert item.report.name.endswith(".pdf")
    assert item.page == 12


def test_an_agenda_item_number_is_used_once_a_meeting(november):
    agenda_item_add(meeting=november, number=5, title="RIEPs future plans", by=None)

    with pytest.raises(MeetingError, match="Item 5 is already on the agenda") as refusal:
        agenda_item_add(meeting=november, number=5, title="Any other business", by=None)

    assert refusal.value.field == "number"


@pytest.mark.parametrize(
    "upload",
    [
        SimpleUploadedFile("report.docx", b"PK\x03\x04"),
        SimpleUploadedFile("report.pdf", b"not really a PDF"),
    ],
    ids=["not named .pdf", "not PDF inside"],
)
def test_an_agenda_report_must_be_a_pdf(november, upload):
    with pytest.raises(MeetingError, match="The report must be a PDF") as refusal:
        agenda_item_add(meeting=november, number=1, title="Minutes", report=upload, by=None)

    assert refusal.value.field == "report"


def test_a_declaration_or_decision_sits_under_an_item_of_its_own_meeting(november):
    other_item = agenda_item_add(
        meeting=MeetingFactory(partnership=november.partnership), number=4, title="Bids", by=None
    )

    with pytest.raises(MeetingError, match="this meeting’s agenda"):
        declaration_record(
            meeting=november,
            member="Councillor",
            interest="Employer",
            agenda_item=other_item,
            by=None,
        )
    with pytest.raises(MeetingError, match="this meeting’s agenda"):
        decision_record(meeting=november, text="Approved.", agenda_item=other_item, by=None)


def test_a_decision_records_who_recorded_it(november, manager):
    item = agenda_item_add(meeting=november, number=5, title="RIEPs future plans", by=None)

    decision = decision_record(
        meeting=november, text="The board noted the report.", agenda_item=item, by=manager
    )

    assert decision.agenda_item == item
    assert decision.history.get().history_user == manager


def test_approved_minutes_are_final(november):
    approved(november)

    for record in (
        lambda: attendance_record(meeting=november, attendees=[], by=None),
        lambda: agenda_item_add(meeting=november, number=9, title="Late item", by=None),
        lambda: declaration_record(meeting=november, member="Chair", interest="None", by=None),
        lambda: decision_record(meeting=november, text="Approved.", by=None),
        lambda: action_add(meeting=november, text="Report back", owner="SA", by=None),
    ):
        with pytest.raises(MeetingError, match="its record is final"):
            record()


# Actions and minutes


def test_an_action_cannot_be_due_before_the_meeting_that_set_it(november):
    with pytest.raises(MeetingError, match="cannot be due before the meeting") as refusal:
        action_add(
            meeting=november,
            text="Circulate the legacy plan",
            owner="Director, EM IEP",
            due_on=NOVEMBER - datetime.timedelta(days=1),
            by=None,
        )

    assert refusal.value.field == "due_on"
    action = action_add(
        meeting=november, text="Circulate the legacy plan", owner="SA", due_on=NOVEMBER, by=None
    )
    assert not action.is_done


def test_a_meeting_cannot_move_after_an_action_it_set_falls_due(november):
    action_add(
        meeting=november,
        text="Circulate the legacy plan",
        owner="SA",
        due_on=datetime.date(2010, 12, 10),
        by=None,
    )

    with pytest.raises(MeetingError, match="is due on 10 December 2010, so the meeting") as no:
        meeting_update(
            meeting=november, title=november.title, held_on=datetime.date(2010, 12, 17), by=None
        )

    assert no.value.field == "held_on"
    november.refresh_from_db()
    assert november.held_on == NOVEMBER


def test_minutes_are_drafted_once_and_only_after_the_meeting(november):
    meeting = meeting_minutes_draft(meeting=november, by=None)

    assert meeting.minutes_status == Meeting.MinutesStatus.DRAFT
    with pytest.raises(MeetingError, match="already drafted"):
        meeting_minutes_draft(meeting=november, by=None)
    upcoming = MeetingFactory(held_on=timezone.localdate() + datetime.timedelta(days=1))
    with pytest.raises(MeetingError, match="drafted after the meeting"):
        meeting_minutes_draft(meeting=upcoming, by=None)


def test_approved_minutes_cannot_go_back_to_draft(november):
    approved(november)

    with pytest.raises(MeetingError, match="its record is final"):
        meeting_minutes_draft(meeting=november, by=None)
