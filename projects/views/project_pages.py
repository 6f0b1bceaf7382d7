"""Officers' and programme managers' lists of projects, milestones awaiting
verification and late progress reports; officers' milestones and reports due;
finance's repayments to chase; the project page and its history."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from partnership.object_pages import Openable, viewable_object_or_404
from partnership.page_cache import kept_until_records_change
from partnership.pagination import page_of
from partnership.sorting import sort_headers
from projects import forms, selectors
from projects.models import Project, Repayment
from projects.permissions import (
    can_change_project,
    can_manage_delivery,
    can_record_payment,
    can_report_on_project,
)

from .access import PAGE_SIZE, project_or_404, require_manager

# Lists ---------------------------------------------------------------------------------


@login_required
def my_projects(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("projects.list_own_projects"):
        raise PermissionDenied
    today = timezone.localdate()
    return render(
        request,
        "projects/project_mine.html",
        {"deliveries": selectors.officer_projects(request.user, today), "today": today},
    )


# The project list's columns: (sort key or None, heading, numeric).
PROJECT_COLUMNS = [
    ("project", "Project", False),
    ("lead", "Lead", False),
    (None, "Next milestone", False),
    (None, "Overdue", False),
    (None, "Progress report due", False),
    ("grant", "Grant awarded", True),
    ("status", "Status", False),
]


@login_required
@kept_until_records_change
def project_list(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("projects.list_projects"):
        raise PermissionDenied
    today = timezone.localdate()
    filters = forms.ProjectFilter(
        request.GET or None, queryset=selectors.partnership_projects(request.user)
    )
    page = page_of(request, filters.qs, per_page=PAGE_SIZE)
    manages = can_manage_delivery(request.user)
    return render(
        request,
        "projects/project_list.html",
        {
            "filters": filters,
            "page": page,
            "deliveries": selectors.projects_delivery(list(page.object_list), today),
            "headers": sort_headers(request.GET, PROJECT_COLUMNS, filters.sort_in_force()),
            "manages": manages,
            "awaiting_count": (
                selectors.milestones_awaiting_verification(request.user).count() if manages else 0
            ),
            "requests_count": (
                selectors.change_requests_awaiting_decision(request.user).count() if manages else 0
            ),
        },
    )


@login_required
def milestones_awaiting_verification(request: HttpRequest) -> HttpResponse:
    require_manager(request)
    page = page_of(
        request, selectors.milestones_awaiting_verification(request.user), per_page=PAGE_SIZE
    )
    return render(request, "projects/milestone_awaiting_list.html", {"page": page})


@login_required
def change_requests_awaiting_decision(request: HttpRequest) -> HttpResponse:
    require_manager(request)
    page = page_of(
        request, selectors.change_requests_awaiting_decision(request.user), per_page=PAGE_SIZE
    )
    return render(request, "projects/changerequest_awaiting_list.html", {"page": page})


def _outstanding_reports(request: HttpRequest, rows, heading: str, caption: str):
    return render(
        request,
        "projects/progressreport_late_list.html",
        {
            "page": page_of(request, rows, per_page=50),
            "last_quarter": selectors.last_completed_quarter(timezone.localdate()),
            "heading": heading,
            "caption": caption,
        },
    )


@login_required
@kept_until_records_change
def late_progress_reports(request: HttpRequest) -> HttpResponse:
    require_manager(request)
    rows = selectors.late_progress_reports(request.user, timezone.localdate())
    return _outstanding_reports(
        request, rows, "Late and missing progress reports", "Reports to chase"
    )


def _require_officer(request: HttpRequest) -> None:
    if not request.user.has_perm("projects.list_own_projects"):
        raise PermissionDenied


@login_required
@kept_until_records_change
def progress_reports_due(request: HttpRequest) -> HttpResponse:
    _require_officer(request)
    rows = selectors.progress_reports_due(request.user, timezone.localdate())
    return _outstanding_reports(request, rows, "Progress reports due", "Reports to write")


def _officer_milestones(request: HttpRequest, milestones, heading: str, intro: str):
    _require_officer(request)
    return render(
        request,
        "projects/milestone_due_list.html",
        {
            "page": page_of(request, milestones, per_page=PAGE_SIZE),
            "heading": heading,
            "intro": intro,
        },
    )


@login_required
def milestones_due(request: HttpRequest) -> HttpResponse:
    return _officer_milestones(
        request,
        selectors.milestones_due(request.user, timezone.localdate()),
        "Milestones due",
        f"Your councils' milestones not yet logged as achieved that are overdue or due "
        f"within {selectors.DUE_WITHIN_DAYS} days. Log each one as achieved, with "
        f"evidence, or re-profile it.",
    )


@login_required
def milestones_returned(request: HttpRequest) -> HttpResponse:
    return _officer_milestones(
        request,
        selectors.milestones_returned(request.user),
        "Milestones returned to you",
        "The programme manager sent these back with a comment. Read it on the "
        "milestone's page, then log the milestone again.",
    )


@login_required
def repayments_to_chase(request: HttpRequest) -> HttpResponse:
    if not can_record_payment(request.user):
        raise PermissionDenied
    repayments = selectors.repayments_to_chase(request.user, timezone.localdate())
    return render(
        request,
        "projects/repayment_overdue_list.html",
        {"page": page_of(request, repayments, per_page=PAGE_SIZE)},
    )


# The project page and its history ------------------------------------------------------


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
    user = request.user
    return render(
        request,
        "projects/project_detail.html",
        {
            "project": project,
            "page": selectors.project_page(project, timezone.localdate()),
            "can_change": can_change_project(user, project),
            "can_report": can_report_on_project(user, project),
            "manages": can_manage_delivery(user, project),
            "records_payments": can_record_payment(user, Repayment(project=project)),
            "openable": Openable(user, [project.bid]),
        },
    )


@login_required
def project_history(request: HttpRequest, pk: int) -> HttpResponse:
    project = project_or_404(request, pk)
    page = page_of(request, selectors.project_history(project), per_page=50)
    return render(request, "projects/project_history.html", {"project": project, "page": page})
