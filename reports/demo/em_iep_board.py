"""EM IEP's board: the meeting of 26 November 2010 (attendance, decisions, actions)
and the meeting of 12 April 2011 (agenda), which approved the November minutes.

People appear by role and organisation, never by name.
"""

import datetime

from partnership.models import (
    Action,
    AgendaItem,
    Attendance,
    Decision,
    Meeting,
    Organisation,
    Partnership,
)

from .fixture_files import rows

ATTENDANCE_KIND = {
    "member_present": Attendance.Kind.MEMBER,
    "observer": Attendance.Kind.OBSERVER,
    "officer": Attendance.Kind.OFFICER,
    "apologies": Attendance.Kind.APOLOGIES,
}


def load_board_meetings(
    partnership: Partnership, organisations: dict[str, Organisation]
) -> Meeting:
    """Load both meetings; returns the April 2011 meeting, where the bids were decided."""
    april = _april_2011_meeting(partnership)
    _november_2010_meeting(partnership, organisations, minutes_approved_at=april)
    return april


def _april_2011_meeting(partnership: Partnership) -> Meeting:
    agenda = rows("em_iep/em_board_agenda_2011_04_12.csv")
    first = agenda[0]
    hours, minutes = first["start_time"].split(".")
    meeting, _ = Meeting.objects.get_or_create(
        partnership=partnership,
        held_on=datetime.date.fromisoformat(first["meeting_date"]),
        title="Board meeting",
        defaults={
            "starts_at": datetime.time(int(hours), int(minutes)),
            "place": first["venue"],
        },
    )
    for row in agenda:
        AgendaItem.objects.get_or_create(
            meeting=meeting,
            number=int(row["item_no"]),
            defaults={
                "title": row["agenda_title"],
                "page": int(row["page"]) if row["page"] else None,
            },
        )
    return meeting


def _november_2010_meeting(
    partnership: Partnership,
    organisations: dict[str, Organisation],
    *,
    minutes_approved_at: Meeting,
) -> Meeting:
    meeting, _ = Meeting.objects.get_or_create(
        partnership=partnership,
        held_on=datetime.date(2010, 11, 26),
        title="Board meeting",
        defaults={
            "minutes_status": Meeting.MinutesStatus.APPROVED,
            "minutes_approved_at": minutes_approved_at,
        },
    )
    _attendance(meeting, organisations)
    _decisions(meeting)
    for row in rows("em_iep/em_board_actions_2010_11_26.csv"):
        Action.objects.get_or_create(
            meeting=meeting, text=row["action_text"], defaults={"owner": row["owner_resolved"]}
        )
    return meeting


def _attendance(meeting: Meeting, organisations: dict[str, Organisation]) -> None:
    # Two people may share a role and organisation (two Lincolnshire CC councillors),
    # so rows have no natural key: the list is loaded whole, once.
    if meeting.attendance.exists():
        return
    Attendance.objects.bulk_create(
        Attendance(
            meeting=meeting,
            kind=ATTENDANCE_KIND[row["attendance_category"]],
            role_as_recorded=_role_as_recorded(row),
            # Bodies outside the partnership (IDeA, GOEM, EM Councils) stay as text.
            organisation=organisations.get(row["organisation"]),
        )
        for row in rows("em_iep/em_board_attendance_2010_11_26.csv")
    )


def _role_as_recorded(row: dict[str, str]) -> str:
    role, organisation = row["role"], row["organisation_as_written"]
    recorded = role if organisation in role else f"{role}, {organisation}"
    return f"{recorded} (substitute)" if row["is_substitute"] == "yes" else recorded


def _decisions(meeting: Meeting) -> None:
    for row in rows("em_iep/em_board_decisions_2010_11_26.csv"):
        item, _ = AgendaItem.objects.get_or_create(
            meeting=meeting,
            number=int(row["minute_item_no_inferred"]),
            defaults={"title": row["item_title"]},
        )
        # "None" under matters arising and declarations is not a decision.
        if row["decision_kind"] != "none":
            Decision.objects.get_or_create(
                meeting=meeting, agenda_item=item, text=row["decision_text"]
            )
