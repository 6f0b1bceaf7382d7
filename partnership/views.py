"""Pages for partnerships, organisations, sub-regions and board meetings.

Meeting pages that change something follow one shape: fetch the meeting the user may
see (404 otherwise), check they may change it (403 otherwise), and hand the form's data
to one service through partnership.form_pages, which shows the service's refusal.
"""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from . import forms, selectors, services
from .form_pages import button, form_page, posted
from .models import Action, AgendaItem, Meeting, Organisation, Partnership, SubRegion
from .object_pages import Openable, viewable_object_or_404
from .pagination import page_of
from .private_files import private_file_response

MEETINGS_PER_PAGE = 20
ACTIONS_PER_PAGE = 50
MEETING_FORM = "partnership/meeting_form.html"


@login_required
def partnership_detail(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = viewable_object_or_404(
        request, Partnership.objects.visible_to(request.user), slug=slug
    )
    return render(
        request,
        "partnership/partnership_detail.html",
        {
            "partnership": partnership,
            "overview": selectors.partnership_overview(partnership),
            "may_publish": request.user.has_perm("partnership.change_partnership", partnership),
        },
    )


def _partnership_to_publish(request: HttpRequest, slug: str) -> Partnership:
    """The partnership, for its programme managers, who decide what it publishes."""
    partnership = _readable_partnership(request, slug)
    if not request.user.has_perm("partnership.change_partnership", partnership):
        raise PermissionDenied
    return partnership


@login_required
def publish_grants(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = _partnership_to_publish(request, slug)
    return form_page(
        request,
        "partnership/publish_grants.html",
        {"partnership": partnership},
        forms.PublishGrantsForm(
            posted(request), initial={"published_from": partnership.grants_published_from}
        ),
        act=lambda data: services.partnership_publish_grants(
            partnership=partnership, published_from=data["published_from"], by=request.user
        ),
        done="Grants published as open data.",
        next_url=partnership.get_absolute_url(),
    )


@login_required
@require_POST
def stop_publishing_grants(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = _partnership_to_publish(request, slug)
    return button(
        request,
        lambda: services.partnership_publish_grants(
            partnership=partnership, published_from=None, by=request.user
        ),
        done="Grants are no longer published as open data.",
        next_url=partnership.get_absolute_url(),
    )


@login_required
def organisation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    # Organisations are public bodies: any signed-in user may read one.
    organisation = viewable_object_or_404(request, Organisation.objects.all(), pk=pk)
    return render(
        request,
        "partnership/organisation_detail.html",
        {
            "organisation": organisation,
            "memberships": selectors.organisation_memberships(organisation),
        },
    )


@login_required
def sub_region_detail(request: HttpRequest, pk: int) -> HttpResponse:
    sub_region = viewable_object_or_404(
        request,
        SubRegion.objects.select_related("partnership", "accountable_body").filter(
            partnership__in=Partnership.objects.visible_to(request.user)
        ),
        pk=pk,
    )
    return render(
        request,
        "partnership/subregion_detail.html",
        {"sub_region": sub_region, "overview": selectors.sub_region_overview(sub_region)},
    )


# Shared by the meeting pages -------------------------------------------------------


def _readable_partnership(request: HttpRequest, slug: str) -> Partnership:
    return viewable_object_or_404(request, Partnership.objects.visible_to(request.user), slug=slug)


def _may_schedule_meetings(request: HttpRequest, partnership: Partnership) -> bool:
    # The meeting rule, asked of a meeting not yet made.
    return request.user.has_perm("partnership.add_meeting", Meeting(partnership=partnership))


def _changeable_meeting(request: HttpRequest, pk: int) -> Meeting:
    """The meeting, if the user may see it (404 otherwise) and change it (403)."""
    meeting = get_object_or_404(
        Meeting.objects.visible_to(request.user).select_related("partnership"), pk=pk
    )
    if not request.user.has_perm("partnership.change_meeting", meeting):
        raise PermissionDenied
    return meeting


def _back_to(request: HttpRequest, fallback: str) -> str:
    """The page the button was on, if it is one of this site's."""
    next_url = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return next_url
    return fallback


# Reading meetings ------------------------------------------------------------------


@login_required
def meetings(request: HttpRequest) -> HttpResponse:
    """The menu's "Meetings": the meetings of the reader's partnership, or a choice of
    partnership when they read several."""
    if not request.user.has_perm("partnership.list_meetings"):
        raise PermissionDenied
    partnerships = list(Partnership.objects.visible_to(request.user).order_by("name"))
    if len(partnerships) == 1:
        return redirect("partnership:meeting-list", slug=partnerships[0].slug)
    return render(request, "partnership/meetings_choose.html", {"partnerships": partnerships})


@login_required
def meeting_list(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = _readable_partnership(request, slug)
    today = timezone.localdate()
    meetings = partnership.meetings.all()
    return render(
        request,
        "partnership/meeting_list.html",
        {
            "partnership": partnership,
            "upcoming": page_of(
                request,
                selectors.upcoming_meetings(meetings, today),
                per_page=MEETINGS_PER_PAGE,
                param="upcoming",
            ),
            "past": page_of(
                request,
                meetings.filter(held_on__lt=today).order_by("-held_on", "-starts_at", "-pk"),
                per_page=MEETINGS_PER_PAGE,
                param="past",
            ),
            "can_schedule": _may_schedule_meetings(request, partnership),
        },
    )


@login_required
def agenda_item_report(request: HttpRequest, pk: int) -> HttpResponse:
    """An agenda item's report, to those who may read its meeting (404 to others)."""
    item = get_object_or_404(
        AgendaItem.objects.filter(meeting__in=Meeting.objects.visible_to(request.user))
        .exclude(report="")
        .select_related("meeting__partnership"),
        pk=pk,
    )
    if not request.user.has_perm("partnership.view_agendaitem", item):
        raise PermissionDenied
    return private_file_response(item.report, content_type="application/pdf")


@login_required
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = viewable_object_or_404(
        request,
        Meeting.objects.visible_to(request.user).select_related(
            "partnership", "minutes_approved_at"
        ),
        pk=pk,
    )
    can_change = request.user.has_perm("partnership.change_meeting", meeting)
    record = selectors.meeting_record(meeting)
    return render(
        request,
        "partnership/meeting_detail.html",
        {
            "meeting": meeting,
            "record": record,
            "quorum": selectors.meeting_quorum(meeting, record),
            # Packs are the reports app's; the rule is asked by name, importing nothing.
            "can_read_packs": request.user.has_perm("reports.read_boardpacks", meeting),
            "can_change": can_change,
            "openable": Openable(
                request.user,
                (
                    linked
                    for decision in record.decisions
                    for linked in (*decision.bids.all(), *decision.change_requests.all())
                ),
            ),
            # Approved minutes are final (the services refuse changes), so the page
            # offers only what can still move: the actions.
            "can_record": can_change and meeting.minutes_status != Meeting.MinutesStatus.APPROVED,
        },
    )


@login_required
def outstanding_action_list(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = _readable_partnership(request, slug)
    return render(
        request,
        "partnership/action_list.html",
        {
            "partnership": partnership,
            "actions": page_of(
                request,
                selectors.outstanding_actions(partnership.meetings.all()),
                per_page=ACTIONS_PER_PAGE,
            ),
            "can_change": _may_schedule_meetings(request, partnership),
        },
    )


# Changing meetings -----------------------------------------------------------------


@login_required
def meeting_create(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = _readable_partnership(request, slug)
    if not _may_schedule_meetings(request, partnership):
        raise PermissionDenied
    return form_page(
        request,
        MEETING_FORM,
        {"partnership": partnership, "heading": "Schedule a meeting"},
        forms.MeetingForm(posted(request)),
        act=lambda data: services.meeting_schedule(
            partnership=partnership, by=request.user, **data
        ),
        done="Meeting scheduled.",
    )


@login_required
def meeting_edit(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _changeable_meeting(request, pk)
    initial = {
        "title": meeting.title,
        "held_on": meeting.held_on,
        "starts_at": meeting.starts_at,
        "place": meeting.place,
    }
    return form_page(
        request,
        MEETING_FORM,
        {"meeting": meeting, "heading": "Change the meeting’s details"},
        forms.MeetingForm(posted(request), initial=initial),
        act=lambda data: services.meeting_update(meeting=meeting, by=request.user, **data),
        done="Meeting details saved.",
    )


@login_required
def meeting_attendance(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _changeable_meeting(request, pk)
    formset = forms.attendance_formset(meeting, posted(request))
    return form_page(
        request,
        "partnership/meeting_attendance.html",
        {"meeting": meeting, "formset": formset},
        formset,
        act=lambda _data: services.attendance_record(
            meeting=meeting, attendees=formset.attendees(), by=request.user
        ),
        done="Attendance saved.",
        next_url=meeting,
    )


@login_required
def agenda_item_add(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _changeable_meeting(request, pk)
    files = request.FILES if request.method == "POST" else None
    return form_page(
        request,
        MEETING_FORM,
        {"meeting": meeting, "heading": "Add an agenda item"},
        forms.AgendaItemForm(posted(request), files, meeting=meeting),
        act=lambda data: services.agenda_item_add(meeting=meeting, by=request.user, **data),
        done="Agenda item added.",
        next_url=meeting,
    )


@login_required
def declaration_add(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _changeable_meeting(request, pk)
    return form_page(
        request,
        MEETING_FORM,
        {"meeting": meeting, "heading": "Record a declaration of interest"},
        forms.DeclarationForm(posted(request), meeting=meeting),
        act=lambda data: services.declaration_record(meeting=meeting, by=request.user, **data),
        done="Declaration of interest recorded.",
        next_url=meeting,
    )


@login_required
def decision_add(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _changeable_meeting(request, pk)
    return form_page(
        request,
        MEETING_FORM,
        {"meeting": meeting, "heading": "Record a decision"},
        forms.DecisionForm(posted(request), meeting=meeting),
        act=lambda data: services.decision_record(meeting=meeting, by=request.user, **data),
        done="Decision recorded.",
        next_url=meeting,
    )


@login_required
def action_add(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _changeable_meeting(request, pk)
    return form_page(
        request,
        MEETING_FORM,
        {"meeting": meeting, "heading": "Add an action"},
        forms.ActionForm(posted(request)),
        act=lambda data: services.action_add(meeting=meeting, by=request.user, **data),
        done="Action added.",
        next_url=meeting,
    )


@login_required
@require_POST
def minutes_draft(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _changeable_meeting(request, pk)
    return button(
        request,
        lambda: services.meeting_minutes_draft(meeting=meeting, by=request.user),
        done="Minutes marked as drafted.",
        next_url=meeting,
    )


@login_required
def minutes_approve(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _changeable_meeting(request, pk)
    return form_page(
        request,
        MEETING_FORM,
        {"meeting": meeting, "heading": "Approve the minutes"},
        forms.MinutesApprovalForm(posted(request), meeting=meeting),
        act=lambda data: services.meeting_minutes_approve(meeting=meeting, by=request.user, **data),
        done="Minutes approved.",
        next_url=meeting,
        otherwise="at_meeting",
    )


def _changeable_action(request: HttpRequest, pk: int) -> Action:
    action = get_object_or_404(
        Action.objects.filter(meeting__in=Meeting.objects.visible_to(request.user)).select_related(
            "meeting__partnership"
        ),
        pk=pk,
    )
    if not request.user.has_perm("partnership.change_action", action):
        raise PermissionDenied
    return action


@login_required
@require_POST
def action_complete(request: HttpRequest, pk: int) -> HttpResponse:
    action = _changeable_action(request, pk)
    return button(
        request,
        lambda: services.action_complete(
            action=action, done_on=timezone.localdate(), by=request.user
        ),
        done=f"Action marked as done: {action}",
        next_url=_back_to(request, action.meeting.get_absolute_url()),
    )


@login_required
@require_POST
def action_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    action = _changeable_action(request, pk)
    return button(
        request,
        lambda: services.action_reopen(action=action, by=request.user),
        done=f"Action reopened: {action}",
        next_url=_back_to(request, action.meeting.get_absolute_url()),
    )
