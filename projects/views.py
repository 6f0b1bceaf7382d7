"""Read-only pages for projects, their milestones, grant payments and progress reports."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from partnership.object_pages import viewable_object_or_404

from . import selectors
from .models import GrantPayment, Milestone, ProgressReport, Project

# Every child page shows where it sits: the project, its lead and its programme.
OF_PROJECT = ("project__programme__partnership", "project__lead_organisation")


@login_required
def project_detail(request: HttpRequest, pk: int) -> HttpResponse:
    project = viewable_object_or_404(
        request,
        Project.objects.visible_to(request.user)
        .select_related(
            "programme__partnership", "budget_line", "lead_organisation", "theme", "bid"
        )
        .prefetch_related("partners"),
        pk=pk,
    )
    return render(
        request,
        "projects/project_detail.html",
        {"project": project, "overview": selectors.project_overview(project)},
    )


@login_required
def milestone_detail(request: HttpRequest, pk: int) -> HttpResponse:
    milestone = viewable_object_or_404(
        request,
        Milestone.objects.visible_to(request.user).select_related(*OF_PROJECT, "payment"),
        pk=pk,
    )
    return render(
        request,
        "projects/milestone_detail.html",
        {"milestone": milestone, "reprofiles": selectors.milestone_reprofiles(milestone)},
    )


@login_required
def payment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    payment = viewable_object_or_404(
        request,
        GrantPayment.objects.visible_to(request.user).select_related(*OF_PROJECT, "milestone"),
        pk=pk,
    )
    return render(request, "projects/grantpayment_detail.html", {"payment": payment})


@login_required
def progress_report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = viewable_object_or_404(
        request, ProgressReport.objects.visible_to(request.user).select_related(*OF_PROJECT), pk=pk
    )
    return render(request, "projects/progressreport_detail.html", {"report": report})
