"""Read-only pages for partnerships, organisations, sub-regions and board meetings."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from . import selectors
from .models import Meeting, Organisation, Partnership, SubRegion
from .object_pages import viewable_object_or_404


@login_required
def partnership_detail(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = viewable_object_or_404(
        request, Partnership.objects.visible_to(request.user), slug=slug
    )
    return render(
        request,
        "partnership/partnership_detail.html",
        {"partnership": partnership, "overview": selectors.partnership_overview(partnership)},
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


@login_required
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = viewable_object_or_404(
        request,
        Meeting.objects.visible_to(request.user).select_related(
            "partnership", "minutes_approved_at"
        ),
        pk=pk,
    )
    return render(
        request,
        "partnership/meeting_detail.html",
        {"meeting": meeting, "record": selectors.meeting_record(meeting)},
    )
