"""Board meetings: attendance, minutes and actions; and people who have left."""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.models import User
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone

from . import uploads
from .errors import PortalError
from .models import (
    Action,
    AgendaItem,
    Attendance,
    Decision,
    Declaration,
    Download,
    Meeting,
    Notification,
    NotificationPreference,
    Organisation,
    Partnership,
    Role,
)
from .scopes import scope_of
from .two_factor import signed_out_everywhere

MAX_REPORT_BYTES = 20 * 1024 * 1024


class OpenDataError(PortalError):
    pass


@transaction.atomic
def partnership_publish_grants(
    *, partnership: Partnership, published_from: datetime.date | None, by: User | None
) -> Partnership:
    """Publish as open data (360Giving) every grant the board approves on or after
    ``published_from``; with None, stop publishing. A partnership publishes under the
    prefix 360Giving issued it, so it needs one first."""
    partnership = Partnership.objects.select_for_update().get(pk=partnership.pk)
    if published_from is not None and not partnership.giving_prefix:
        raise OpenDataError(
            f"{partnership.short_name} has no 360Giving prefix yet: ask the portal’s "
            "administrator to record the one 360Giving issued.",
            field="published_from",
        )
    partnership.grants_published_from = published_from
    partnership.save(update_fields=["grants_published_from"])
    return partnership


class MeetingError(PortalError):
    pass


@transaction.atomic
def meeting_minutes_approve(*, meeting: Meeting, at_meeting: Meeting, by: User | None) -> Meeting:
    """Minutes are approved at a later meeting of the same board."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    Meeting.MINUTES_LIFECYCLE.move(
        meeting, Meeting.MinutesStatus.APPROVED, by=by, error=MeetingError
    )
    if at_meeting.partnership_id != meeting.partnership_id or at_meeting.held_on <= meeting.held_on:
        raise MeetingError("Minutes are approved at a later meeting of the same board.")
    meeting.minutes_approved_at = at_meeting
    meeting.save(update_fields=["minutes_status", "minutes_approved_at"])
    return meeting


@transaction.atomic
def action_complete(*, action: Action, done_on: datetime.date, by: User | None) -> Action:
    action = Action.objects.select_for_update().get(pk=action.pk)
    if action.done_on is not None:
        raise MeetingError(f"This action was done on {action.done_on:%-d %B %Y}.")
    if done_on < action.meeting.held_on:
        raise MeetingError("An action cannot be done before the meeting that set it.")
    if done_on > timezone.localdate():
        raise MeetingError("The date done cannot be in the future.")
    action.done_on = done_on
    action._history_user = by
    action.save(update_fields=["done_on"])
    return action


@transaction.atomic
def action_reopen(*, action: Action, by: User | None) -> Action:
    action = Action.objects.select_for_update().get(pk=action.pk)
    if action.done_on is None:
        raise MeetingError("This action is still outstanding.")
    action.done_on = None
    action._history_user = by
    action.save(update_fields=["done_on"])
    return action


# Scheduling and recording a meeting ------------------------------------------------
#
# Approved minutes are the board's record: once approved, nothing in them changes
# (actions still move on, through action_complete and action_reopen).


def _meeting_open_for_change(meeting: Meeting) -> Meeting:
    """The meeting, locked against a concurrent approval of its minutes, provided its
    minutes are not yet approved."""
    meeting = Meeting.objects.select_for_update().select_related("partnership").get(pk=meeting.pk)
    if meeting.minutes_status == Meeting.MinutesStatus.APPROVED:
        raise MeetingError("The minutes of this meeting are approved, so its record is final.")
    return meeting


def _save_valid(record: models.Model, *, by: User | None) -> None:
    try:
        record.full_clean()
    except ValidationError as error:
        field = next(iter(error.message_dict), None) if hasattr(error, "error_dict") else None
        raise MeetingError(" ".join(error.messages), field=field) from error
    record._history_user = by
    record.save()


def _refuse_a_second_meeting_that_day(meeting: Meeting) -> None:
    clash = Meeting.objects.filter(
        partnership_id=meeting.partnership_id, held_on=meeting.held_on, title=meeting.title
    ).exclude(pk=meeting.pk)
    if clash.exists():
        raise MeetingError(
            f"The board already has a {meeting.title.lower()} on {meeting.held_on:%-d %B %Y}.",
            field="held_on",
        )


@transaction.atomic
def meeting_schedule(
    *,
    partnership: Partnership,
    title: str,
    held_on: datetime.date,
    starts_at: datetime.time | None = None,
    place: str = "",
    by: User | None,
) -> Meeting:
    """A new meeting of the partnership's board; at most one of a title a day."""
    meeting = Meeting(
        partnership=partnership, title=title, held_on=held_on, starts_at=starts_at, place=place
    )
    _refuse_a_second_meeting_that_day(meeting)
    _save_valid(meeting, by=by)
    return meeting


@transaction.atomic
def meeting_update(
    *,
    meeting: Meeting,
    title: str,
    held_on: datetime.date,
    starts_at: datetime.time | None = None,
    place: str = "",
    by: User | None,
) -> Meeting:
    """Change a meeting's title, date, time or place. A meeting that approved earlier
    minutes stays after them, so the order the minutes record holds."""
    meeting = _meeting_open_for_change(meeting)
    approved = meeting.approved_minutes_of.filter(held_on__gte=held_on).order_by("-held_on").first()
    if approved is not None:
        raise MeetingError(
            f"This meeting approved the minutes of {approved.held_on:%-d %B %Y}, "
            "so it must be held after that date.",
            field="held_on",
        )
    # Its actions were set at the meeting: none can fall due or be done before it.
    action = meeting.actions.filter(Q(due_on__lt=held_on) | Q(done_on__lt=held_on)).first()
    if action is not None:
        late = action.due_on is not None and action.due_on < held_on
        when = (
            f"due on {action.due_on:%-d %B %Y}" if late else f"done on {action.done_on:%-d %B %Y}"
        )
        raise MeetingError(
            f"The action “{action}” is {when}, so the meeting that set it cannot be held later.",
            field="held_on",
        )
    meeting.title, meeting.held_on, meeting.starts_at, meeting.place = (
        title,
        held_on,
        starts_at,
        place,
    )
    _refuse_a_second_meeting_that_day(meeting)
    _save_valid(meeting, by=by)
    return meeting


@dataclass(frozen=True)
class Attendee:
    """One person at (or sending apologies to) a meeting: a role, never a name."""

    kind: str
    role_as_recorded: str
    organisation: Organisation | None = None


@transaction.atomic
def attendance_record(
    *, meeting: Meeting, attendees: Sequence[Attendee], by: User | None
) -> list[Attendance]:
    """Replace the meeting's attendance with ``attendees``, in the order given. Two
    people may share a role, so the list is recorded whole rather than row by row.
    An organisation named must belong to the partnership."""
    meeting = _meeting_open_for_change(meeting)
    if any(not attendee.role_as_recorded.strip() for attendee in attendees):
        raise MeetingError("Record each person’s role, for example Councillor.")
    named = {attendee.organisation for attendee in attendees if attendee.organisation}
    members = set(meeting.partnership.members.filter(pk__in=[org.pk for org in named]))
    if outsiders := named - members:
        outsider = min(outsiders, key=lambda organisation: organisation.name)
        raise MeetingError(
            f"{outsider} is not a member of {meeting.partnership}: leave the organisation "
            "empty and write it in the role instead.",
            field="organisation",
        )
    now = timezone.now()
    rows = [
        Attendance(
            meeting=meeting,
            kind=attendee.kind,
            role_as_recorded=attendee.role_as_recorded.strip(),
            organisation=attendee.organisation,
            recorded_by=by,
            recorded_at=now,
        )
        for attendee in attendees
    ]
    for row in rows:
        try:
            row.full_clean()
        except ValidationError as error:
            raise MeetingError(" ".join(error.messages)) from error
    meeting.attendance.all().delete()
    return Attendance.objects.bulk_create(rows)


@transaction.atomic
def agenda_item_add(
    *,
    meeting: Meeting,
    number: int,
    title: str,
    presenter: str = "",
    report: File | None = None,
    page: int | None = None,
    by: User | None,
) -> AgendaItem:
    """An item on the meeting's agenda; its report, when given, is a PDF."""
    meeting = _meeting_open_for_change(meeting)
    if meeting.agenda_items.filter(number=number).exists():
        raise MeetingError(f"Item {number} is already on the agenda.", field="number")
    if report and not (
        uploads.extension_of(report.name) == "pdf" and uploads.is_genuine(report, "pdf")
    ):
        raise MeetingError("The report must be a PDF.", field="report")
    if report and report.size > MAX_REPORT_BYTES:
        raise MeetingError("The report must be smaller than 20 MB.", field="report")
    item = AgendaItem(
        meeting=meeting,
        number=number,
        title=title,
        presenter=presenter,
        report=report or "",
        page=page,
    )
    _save_valid(item, by=by)
    return item


@transaction.atomic
def declaration_record(
    *,
    meeting: Meeting,
    member: str,
    interest: str,
    agenda_item: AgendaItem | None = None,
    by: User | None,
) -> Declaration:
    """A declaration of interest made at the meeting, by a member named by role."""
    meeting = _meeting_open_for_change(meeting)
    declaration = Declaration(
        meeting=meeting, member=member, interest=interest, agenda_item=agenda_item
    )
    _save_valid(declaration, by=by)
    return declaration


@transaction.atomic
def decision_record(
    *, meeting: Meeting, text: str, agenda_item: AgendaItem | None = None, by: User | None
) -> Decision:
    """What the board resolved, under an agenda item of the same meeting. Bids and
    change requests acting on it point at it from their own apps."""
    meeting = _meeting_open_for_change(meeting)
    decision = Decision(meeting=meeting, text=text, agenda_item=agenda_item)
    _save_valid(decision, by=by)
    return decision


@transaction.atomic
def action_add(
    *,
    meeting: Meeting,
    text: str,
    owner: str,
    due_on: datetime.date | None = None,
    by: User | None,
) -> Action:
    """An action the meeting set, owned by a role or initials from the minutes."""
    meeting = _meeting_open_for_change(meeting)
    action = Action(meeting=meeting, text=text, owner=owner, due_on=due_on)
    _save_valid(action, by=by)
    return action


@transaction.atomic
def meeting_minutes_draft(*, meeting: Meeting, by: User | None) -> Meeting:
    """Mark the minutes drafted, ready for approval at a later meeting."""
    meeting = _meeting_open_for_change(meeting)
    Meeting.MINUTES_LIFECYCLE.move(meeting, Meeting.MinutesStatus.DRAFT, by=by, error=MeetingError)
    if meeting.held_on > timezone.localdate():
        raise MeetingError("Minutes are drafted after the meeting.")
    meeting.save(update_fields=["minutes_status"])
    return meeting


# People who have left --------------------------------------------------------------


class PersonError(PortalError):
    pass


FORMER_USER = "Former user"


def _active_administrators() -> models.QuerySet[User]:
    return User.objects.filter(
        Q(is_superuser=True) | Q(portal_roles__kind=Role.Kind.ADMINISTRATOR), is_active=True
    ).distinct()


@transaction.atomic
def user_anonymise(*, user: User, by: User) -> User:
    """Remove the personal data of someone who has left, keeping what they did.

    Their name becomes "Former user (Programme manager, EM IEP)", from the roles they
    held, so every record and history that names them still says in what capacity
    they acted; their username becomes ``former-user-<id>`` and their e-mail is
    removed. They can no longer sign in (no usable password, inactive, no roles), and
    what was theirs alone goes: two-factor devices, sessions, notifications and their
    settings, their downloads and sign-in records. Nobody anonymises themselves, nor
    the last active administrator."""
    # The person and every active administrator, locked in one order: two
    # administrators anonymising each other at once cannot both pass the last check.
    locked = {
        person.pk: person
        for person in User.objects.select_for_update()
        .filter(Q(pk=user.pk) | Q(pk__in=_active_administrators().values("pk")))
        .order_by("pk")
    }
    user = locked[user.pk]
    if user.pk == by.pk:
        raise PersonError("You cannot anonymise yourself: ask another administrator.")
    if not user.is_active and user.username == f"former-user-{user.pk}":
        raise PersonError(f"{user.get_full_name()} is already anonymised.")
    others_active = any(person.is_active for person in locked.values() if person.pk != user.pk)
    if scope_of(user).is_administrator and not others_active:
        raise PersonError(
            f"{user.get_username()} is the last active administrator: make someone else "
            "an administrator first, so that the portal can still be run."
        )
    roles = list(user.portal_roles.select_related("organisation", "partnership"))
    held = "; ".join(str(role) for role in roles) or ("Administrator" if user.is_superuser else "")
    former_username = user.get_username()

    user.username = f"former-user-{user.pk}"
    user.first_name = FORMER_USER
    # Cut to the field's length; a person rarely holds more roles than fit.
    user.last_name = f"({held})"[: User._meta.get_field("last_name").max_length] if held else ""
    user.email = ""
    user.set_unusable_password()
    user.is_active = user.is_staff = user.is_superuser = False
    user.save(
        update_fields=[
            "username",
            "first_name",
            "last_name",
            "email",
            "password",
            "is_active",
            "is_staff",
            "is_superuser",
        ]
    )
    for role in roles:  # one by one, so each removal is in the role's history
        role._history_user = by
        role.delete()
    signed_out_everywhere(user)
    NotificationPreference.objects.filter(user=user).delete()
    Notification.objects.filter(recipient=user).delete()
    downloads = Download.objects.filter(requested_by=user)
    files = [download.file for download in downloads if download.file]
    downloads.delete()

    def delete_files() -> None:
        for file in files:
            file.storage.delete(file.name)

    # Only once the removal is saved: a transaction rolled back keeps every file.
    transaction.on_commit(delete_files)
    for log in (AccessAttempt, AccessLog, AccessFailureLog):
        log.objects.filter(username=former_username).delete()
    # The admin's record of changes to this user names them by their old username.
    LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(User), object_id=str(user.pk)
    ).update(object_repr=user.username)
    LogEntry.objects.log_actions(
        user_id=by.pk,
        queryset=[user],
        action_flag=CHANGE,
        change_message="Anonymised: this person has left",
        single_object=True,
    )
    return user
