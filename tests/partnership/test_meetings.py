import datetime

import pytest

from partnership.models import Action, Attendance, Meeting
from partnership.selectors import Quorum, meeting_quorum, meeting_record, outstanding_actions
from partnership.services import (
    MeetingError,
    action_complete,
    action_reopen,
    meeting_minutes_approve,
)
from tests.factories import PartnershipFactory

pytestmark = pytest.mark.django_db
NOVEMBER = datetime.date(2010, 11, 26)
APRIL = datetime.date(2011, 4, 12)


@pytest.fixture
def meetings():
    partnership = PartnershipFactory()
    november = Meeting.objects.create(
        partnership=partnership, held_on=NOVEMBER, minutes_status="draft"
    )
    april = Meeting.objects.create(partnership=partnership, held_on=APRIL)
    return november, april


def test_minutes_are_approved_at_a_later_meeting_of_the_same_board(meetings):
    november, april = meetings
    with pytest.raises(MeetingError, match="later meeting of the same board"):
        meeting_minutes_approve(meeting=november, at_meeting=november, by=None)
    elsewhere = Meeting.objects.create(partnership=PartnershipFactory(), held_on=APRIL)
    with pytest.raises(MeetingError, match="later meeting of the same board"):
        meeting_minutes_approve(meeting=november, at_meeting=elsewhere, by=None)
    november = meeting_minutes_approve(meeting=november, at_meeting=april, by=None)
    assert november.minutes_status == Meeting.MinutesStatus.APPROVED
    assert november.minutes_approved_at == april
    with pytest.raises(MeetingError, match="already approved"):
        meeting_minutes_approve(meeting=november, at_meeting=april, by=None)


def test_an_action_is_done_once_and_can_be_reopened(meetings):
    november, _ = meetings
    action = Action.objects.create(
        meeting=november,
        text="Circulate the legacy plan",
        owner="Director, EM IEP",
        due_on=datetime.date(2011, 1, 31),
    )
    with pytest.raises(MeetingError, match="before the meeting that set it"):
        action_complete(action=action, done_on=NOVEMBER - datetime.timedelta(days=1), by=None)
    with pytest.raises(MeetingError, match="cannot be in the future"):
        tomorrow = datetime.date.today() + datetime.timedelta(days=1)
        action_complete(action=action, done_on=tomorrow, by=None)
    action = action_complete(action=action, done_on=datetime.date(2011, 1, 20), by=None)
    assert action.is_done
    with pytest.raises(MeetingError, match="was done on 20 January 2011"):
        action_complete(action=action, done_on=datetime.date(2011, 1, 21), by=None)
    action = action_reopen(action=action, by=None)
    assert not action.is_done
    assert action.history.count() == 3


def test_a_meeting_is_quorate_with_five_board_members_present(meetings):
    november, _ = meetings
    for number in range(4):
        Attendance.objects.create(
            meeting=november, kind="member", role_as_recorded=f"Councillor, council {number}"
        )
    Attendance.objects.create(meeting=november, kind="officer", role_as_recorded="Director")
    Attendance.objects.create(meeting=november, kind="apologies", role_as_recorded="Councillor")
    assert meeting_quorum(november, meeting_record(november)) == Quorum(present=4, required=5)
    assert not meeting_quorum(november, meeting_record(november)).is_quorate
    Attendance.objects.create(meeting=november, kind="member", role_as_recorded="Chair")
    assert meeting_quorum(november, meeting_record(november)).is_quorate


def test_outstanding_actions_leave_out_those_done(meetings):
    november, april = meetings
    done = Action.objects.create(
        meeting=november, text="Done", owner="AB", done_on=datetime.date(2011, 1, 5)
    )
    later = Action.objects.create(
        meeting=april, text="Later", owner="CD", due_on=datetime.date(2011, 6, 30)
    )
    sooner = Action.objects.create(
        meeting=november, text="Sooner", owner="EF", due_on=datetime.date(2011, 1, 31)
    )
    assert list(outstanding_actions(Meeting.objects.all())) == [sooner, later]
    assert done not in outstanding_actions(Meeting.objects.all())
