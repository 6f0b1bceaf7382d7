"""Board meetings: attendance, minutes and actions."""

import datetime

from django.contrib.auth.models import User
from django.db import transaction

from .errors import PortalError
from .models import Action, Meeting


class MeetingError(PortalError):
    pass


@transaction.atomic
def meeting_minutes_approve(*, meeting: Meeting, at_meeting: Meeting, by: User | None) -> Meeting:
    """Minutes are approved at a later meeting of the same board."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.minutes_status == Meeting.MinutesStatus.APPROVED:
        raise MeetingError("These minutes are already approved.")
    if meeting.minutes_status != Meeting.MinutesStatus.DRAFT:
        raise MeetingError("Draft the minutes before they are approved.")
    if at_meeting.partnership_id != meeting.partnership_id or at_meeting.held_on <= meeting.held_on:
        raise MeetingError("Minutes are approved at a later meeting of the same board.")
    meeting.minutes_status = Meeting.MinutesStatus.APPROVED
    meeting.minutes_approved_at = at_meeting
    meeting._history_user = by
    meeting.save(update_fields=["minutes_status", "minutes_approved_at"])
    return meeting


@transaction.atomic
def action_complete(*, action: Action, done_on: datetime.date, by: User | None) -> Action:
    action = Action.objects.select_for_update().get(pk=action.pk)
    if action.done_on is not None:
        raise MeetingError(f"This action was done on {action.done_on:%-d %B %Y}.")
    if done_on < action.meeting.held_on:
        raise MeetingError("An action cannot be done before the meeting that set it.")
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
