"""Quarterly progress reports and the project's risk register."""

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from partnership import financial_years
from partnership.form_pages import button, form_page, posted
from projects import forms, selectors, services
from projects.models import (
    ProgressReport,
    Project,
    ProjectRisk,
)
from projects.permissions import can_change_project, can_report_on_project
from projects.services.reporting import REPORT_FIELDS

from .access import OF_PROJECT, fetch_or_404, of_project, project_or_404

# Progress reports and the risk register ------------------------------------------------------


def _report(request: HttpRequest, pk: int, allowed: Callable | None = None) -> ProgressReport:
    return fetch_or_404(request, ProgressReport.objects.select_related(*OF_PROJECT), pk, allowed)


@login_required
def progress_report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report(request, pk)
    return render(
        request,
        "projects/progressreport_detail.html",
        {
            "report": report,
            "spend": list(report.spend.all()),
            "risks": list(report.risks.all()),
            "versions": list(
                report.project.progress_reports.filter(
                    financial_year=report.financial_year, quarter=report.quarter
                ).exclude(pk=report.pk)
            ),
            "can_report": can_report_on_project(request.user, report.project),
        },
    )


def _spend_initial(project: Project, report: ProgressReport | None) -> list[dict]:
    """One row for every quarter of the project's life, with what the report gave."""
    given = {(row.financial_year, row.quarter): row for row in report.spend.all()} if report else {}
    quarters = sorted(set(selectors.project_quarters(project)) | set(given))
    return [
        {
            "financial_year": year,
            "quarter": quarter,
            "forecast": given[(year, quarter)].forecast if (year, quarter) in given else None,
            "actual": given[(year, quarter)].actual if (year, quarter) in given else None,
        }
        for year, quarter in quarters
    ]


@login_required
def progress_report_edit(request: HttpRequest, pk: int, year: int, quarter: int) -> HttpResponse:
    project = project_or_404(request, pk, can_report_on_project)
    if not 1 <= quarter <= 4 or not financial_years.FIRST_YEAR <= year <= financial_years.LAST_YEAR:
        raise Http404
    report = (
        project.progress_reports.filter(financial_year=year, quarter=quarter)
        .exclude(status=ProgressReport.Status.SUPERSEDED)
        .first()
    )
    if report is not None and report.status == ProgressReport.Status.SUBMITTED:
        messages.error(request, "This report is submitted. Correct it to make a new version.")
        return redirect(report)
    initial = (
        {name: getattr(report, name) for name in REPORT_FIELDS} | {"risks": report.risks.all()}
        if report
        else {}
    )
    form = forms.ProgressReportForm(posted(request), initial=initial, project=project)
    spend = forms.SpendFormSet(posted(request), initial=_spend_initial(project, report))
    return form_page(
        request,
        "projects/progressreport_form.html",
        {"project": project, "report": report, "year": year, "quarter": quarter, "spend": spend},
        form,
        spend,
        act=lambda _data: services.progress_report_save(
            project=project,
            financial_year=year,
            quarter=quarter,
            by=request.user,
            spend=spend.given_rows(),
            **form.service_fields(),
        ),
        done="The draft report is saved. Submit it when it is ready.",
    )


@login_required
@require_POST
def progress_report_submit(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report(request, pk, of_project(can_report_on_project))
    return button(
        request,
        lambda: services.progress_report_submit(report=report, by=request.user),
        done="The progress report is submitted.",
        next_url=report,
    )


@login_required
@require_POST
def progress_report_correct(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report(request, pk, of_project(can_report_on_project))
    return button(
        request,
        lambda: services.progress_report_correct(report=report, by=request.user),
        done=lambda correction: (
            f"Version {correction.version} is a draft copy of the submitted report. "
            "Make your corrections, then submit it."
        ),
        next_url=reverse(
            "projects:progress-report-edit",
            args=[report.project_id, report.financial_year, report.quarter],
        ),
        refused_url=report,
    )


def _risk_page(request: HttpRequest, project: Project, risk: ProjectRisk | None) -> HttpResponse:
    form = forms.RiskForm(posted(request), instance=risk)
    return form_page(
        request,
        "projects/projectrisk_form.html",
        {"project": project, "risk": risk},
        form,
        act=lambda data: services.risk_record(
            project=project, existing=risk, by=request.user, **data
        ),
        done="The risk register is updated.",
        next_url=f"{project.get_absolute_url()}#risks",
    )


@login_required
def risk_add(request: HttpRequest, pk: int) -> HttpResponse:
    return _risk_page(request, project_or_404(request, pk, can_change_project), None)


@login_required
def risk_edit(request: HttpRequest, pk: int) -> HttpResponse:
    risks = ProjectRisk.objects.select_related(*OF_PROJECT)
    risk = fetch_or_404(request, risks, pk, of_project(can_change_project))
    return _risk_page(request, risk.project, risk)
