"""Reads behind the partnership pages. Each returns everything its page lists in a
fixed number of queries, however many rows there are.

Programmes are reached through the reverse relation ``programmes`` so this root app
never imports the programmes app above it.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import models
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import (
    Action,
    AgendaItem,
    Attendance,
    Decision,
    Declaration,
    Meeting,
    Organisation,
    Partnership,
    Role,
    SubRegion,
    Theme,
)
from .two_factor import two_factor_required

RECENT_MEETINGS = 5


@dataclass(frozen=True)
class PartnershipOverview:
    members: list[Organisation]
    sub_regions: list[SubRegion]
    themes: list[Theme]
    programmes: list[models.Model]
    recent_meetings: list[Meeting]


def partnership_overview(partnership: Partnership) -> PartnershipOverview:
    """Members, sub-regions, themes, programmes and the latest meetings of one
    partnership, one query each."""
    return PartnershipOverview(
        members=list(partnership.members.order_by("name")),
        sub_regions=list(partnership.sub_regions.order_by("name")),
        themes=list(partnership.themes.all()),
        programmes=list(partnership.programmes.select_related("sub_region")),
        recent_meetings=list(partnership.meetings.order_by("-held_on")[:RECENT_MEETINGS]),
    )


@dataclass(frozen=True)
class OrganisationMemberships:
    partnerships: list[Partnership]
    sub_regions: list[SubRegion]


def organisation_memberships(organisation: Organisation) -> OrganisationMemberships:
    return OrganisationMemberships(
        partnerships=list(organisation.partnerships.order_by("name")),
        sub_regions=list(organisation.sub_regions.select_related("partnership")),
    )


@dataclass(frozen=True)
class SubRegionOverview:
    members: list[Organisation]
    programmes: list[models.Model]


def sub_region_overview(sub_region: SubRegion) -> SubRegionOverview:
    return SubRegionOverview(
        members=list(sub_region.members.order_by("name")),
        programmes=list(sub_region.programmes.all()),
    )


@dataclass(frozen=True)
class AttendanceGroup:
    label: str
    people: list[Attendance]


@dataclass(frozen=True)
class MeetingRecord:
    attendance: list[AttendanceGroup]
    attendance_recorded: Attendance | None  # who recorded it, and when
    agenda_items: list[AgendaItem]
    declarations: list[Declaration]
    decisions: list[Decision]
    actions: list[Action]


def meeting_record(meeting: Meeting) -> MeetingRecord:
    """What the minutes record: attendance grouped in the order the minutes list it
    (members, observers, officers, apologies), the agenda, declarations of interest,
    decisions with the bids and variations they decided (reached through reverse
    relations, so this root app imports nothing above it), and actions."""
    people = list(meeting.attendance.select_related("organisation", "recorded_by"))
    groups = [
        AttendanceGroup(label, [person for person in people if person.kind == kind])
        for kind, label in Attendance.Kind.choices
    ]
    return MeetingRecord(
        attendance=[group for group in groups if group.people],
        attendance_recorded=people[0] if people and people[0].recorded_at else None,
        agenda_items=list(meeting.agenda_items.all()),
        declarations=list(meeting.declarations.select_related("agenda_item")),
        decisions=list(
            meeting.decisions.select_related("agenda_item").prefetch_related(
                "bids__sponsor", "change_requests__project", "ledger_entries__programme"
            )
        ),
        actions=list(meeting.actions.all()),
    )


@dataclass(frozen=True)
class Quorum:
    present: int
    required: int

    @property
    def is_quorate(self) -> bool:
        return self.present >= self.required


def meeting_quorum(meeting: Meeting, record: MeetingRecord) -> Quorum:
    """Board members present against the partnership's quorum (5 of 15 for EM IEP),
    counted from the meeting's record so the attendance is not read twice."""
    present = sum(
        person.kind == Attendance.Kind.MEMBER
        for group in record.attendance
        for person in group.people
    )
    return Quorum(present=present, required=meeting.partnership.quorum)


def upcoming_meetings(meetings: models.QuerySet[Meeting], today) -> models.QuerySet[Meeting]:
    """Those of ``meetings`` held today or later, soonest first."""
    return meetings.filter(held_on__gte=today).order_by("held_on", "starts_at", "pk")


def next_meetings(partnership_ids: Iterable[int], today) -> dict[int, Meeting]:
    """Each partnership's next meeting, by partnership id, in one query."""
    first = upcoming_meetings(
        Meeting.objects.filter(partnership=models.OuterRef("partnership")), today
    )
    meetings = Meeting.objects.filter(
        partnership__in=partnership_ids, pk=models.Subquery(first.values("pk")[:1])
    )
    return {meeting.partnership_id: meeting for meeting in meetings}


def outstanding_action_counts(partnership_ids: Iterable[int]) -> dict[int, int]:
    """How many :func:`outstanding_actions` each partnership has, in one query."""
    counts = (
        outstanding_actions(Meeting.objects.filter(partnership__in=partnership_ids))
        .order_by()
        .values("meeting__partnership")
        .annotate(count=models.Count("pk"))
    )
    return {row["meeting__partnership"]: row["count"] for row in counts}


def outstanding_actions(meetings: models.QuerySet[Meeting]) -> models.QuerySet[Action]:
    """Actions not yet done from the given meetings, soonest due first."""
    return (
        Action.objects.filter(meeting__in=meetings, done_on__isnull=True)
        .select_related("meeting__partnership")
        .order_by(models.F("due_on").asc(nulls_last=True), "id")
    )


@dataclass(frozen=True)
class AccountOverview:
    roles: list[Role]
    app_set_up: bool
    app_required: bool
    recovery_codes_left: int


def account_overview(user) -> AccountOverview:
    """What the user's account page shows: their roles and how they sign in, in a
    fixed number of queries."""
    return AccountOverview(
        roles=list(
            Role.objects.filter(user=user)
            .select_related("organisation", "partnership")
            .order_by("kind", "partnership__name", "organisation__name")
        ),
        app_set_up=TOTPDevice.objects.devices_for_user(user, confirmed=True).exists(),
        app_required=two_factor_required(user),
        recovery_codes_left=StaticToken.objects.filter(
            device__user=user, device__confirmed=True
        ).count(),
    )
