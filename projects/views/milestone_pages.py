"""Milestone pages: adding one to the profile, logging delivery with evidence,
re-profiling, verifying or returning, and downloading evidence."""

from collections.abc import Callable

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from partnership.form_pages import confirm_page, form_page, posted
from partnership.private_files import private_file_response
from projects import forms, selectors, services
from projects.models import Milestone, MilestoneEvidence
from projects.permissions import can_manage_delivery, can_report_on_project
from projects.services import milestone_log_delivery

from .access import OF_PROJECT, fetch_or_404, of_project, project_or_404


def _milestone(request: HttpRequest, pk: int, allowed: Callable | None = None) -> Milestone:
    return fetch_or_404(
        request, Milestone.objects.select_related(*OF_PROJECT, "payment"), pk, allowed
    )


@login_required
def milestone_detail(request: HttpRequest, pk: int) -> HttpResponse:
    milestone = _milestone(request, pk)
    user = request.user
    return render(
        request,
        "projects/milestone_detail.html",
        {
            "milestone": milestone,
            "reprofiles": selectors.milestone_reprofiles(milestone),
            "evidence": selectors.milestone_evidence(milestone),
            "can_report": can_report_on_project(user, milestone.project),
            "manages": can_manage_delivery(user, milestone.project),
        },
    )


@login_required
def milestone_add(request: HttpRequest, pk: int) -> HttpResponse:
    """The programme manager adds an outcome milestone, with the grant its delivery
    releases, to the project's profile."""
    project = project_or_404(request, pk, can_manage_delivery)
    form = forms.MilestoneAddForm(posted(request))
    return form_page(
        request,
        "projects/milestone_add.html",
        {"project": project, "grant": selectors.project_schedule(project)},
        form,
        act=lambda data: services.milestone_add(project=project, by=request.user, **data),
        done=lambda milestone: f"Milestone {milestone} is added to the profile.",
        next_url=f"{project.get_absolute_url()}#milestones",
    )


@login_required
def milestone_log(request: HttpRequest, pk: int) -> HttpResponse:
    milestone = _milestone(request, pk, of_project(can_report_on_project))
    has_evidence = milestone.evidence.exists()
    form = forms.MilestoneLogForm(posted(request), request.FILES or None, has_evidence=has_evidence)
    return form_page(
        request,
        "projects/milestone_log.html",
        {
            "project": milestone.project,
            "milestone": milestone,
            "has_evidence": has_evidence,
        },
        form,
        act=lambda data: milestone_log_delivery(
            milestone=milestone,
            achieved_on=data["achieved_on"],
            delivered=data["delivered"],
            files=data["files"],
            links=data["links"],
            by=request.user,
        ),
        done=(
            f"Milestone {milestone.position} is logged as achieved. "
            "The programme manager will verify it."
        ),
        next_url=milestone,
    )


@login_required
def milestone_reprofile(request: HttpRequest, pk: int) -> HttpResponse:
    milestone = _milestone(request, pk, of_project(can_report_on_project))
    form = forms.MilestoneReprofileForm(posted(request))
    return form_page(
        request,
        "projects/milestone_reprofile.html",
        {"project": milestone.project, "milestone": milestone},
        form,
        act=lambda data: services.milestone_reprofile(
            milestone=milestone,
            new_forecast_on=data["new_forecast_on"],
            reason=data["reason"],
            by=request.user,
        ),
        done=f"Milestone {milestone.position} is re-profiled.",
        next_url=milestone,
    )


@login_required
def milestone_verify(request: HttpRequest, pk: int) -> HttpResponse:
    """Verifying releases grant, so the manager is asked to confirm first."""
    milestone = _milestone(request, pk, of_project(can_manage_delivery))
    return confirm_page(
        request,
        "projects/milestone_verify.html",
        {"project": milestone.project, "milestone": milestone},
        act=lambda: services.milestone_verify(milestone=milestone, by=request.user),
        done=f"Milestone {milestone.position} is verified. Its grant payment is now due.",
        next_url=milestone,
        # The page has no inputs: the link goes to its button.
        link=lambda _error: "#submit",
    )


@login_required
def milestone_return(request: HttpRequest, pk: int) -> HttpResponse:
    milestone = _milestone(request, pk, of_project(can_manage_delivery))
    form = forms.MilestoneReturnForm(posted(request))
    return form_page(
        request,
        "projects/milestone_return.html",
        {"project": milestone.project, "milestone": milestone},
        form,
        act=lambda data: services.milestone_return(
            milestone=milestone, comment=data["comment"], by=request.user
        ),
        done=f"Milestone {milestone.position} is returned to the officer.",
        next_url=milestone,
    )


@login_required
def evidence_download(request: HttpRequest, pk: int) -> FileResponse:
    evidence = get_object_or_404(
        MilestoneEvidence.objects.filter(
            milestone__in=Milestone.objects.visible_to(request.user)
        ).exclude(file=""),
        pk=pk,
    )
    if not request.user.has_perm("projects.view_milestoneevidence", evidence):
        raise PermissionDenied
    return private_file_response(evidence.file)
