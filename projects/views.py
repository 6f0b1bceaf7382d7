"""Pages of project delivery: officers' and programme managers' lists, the project page,
and the forms that log milestones, report progress, release grant payments and vary
or close a project.

Every view fetches its object among those the user may see (404 otherwise), checks
the rule for what the user asks to do (403 otherwise), calls one service and
redirects with a message; a rule the service refuses is shown on the form.
"""

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from partnership import financial_years
from partnership.errors import PortalError
from partnership.object_pages import viewable_object_or_404
from partnership.pagination import page_of
from partnership.scopes import scope_of

from . import exports, forms, selectors, services
from .models import (
    ChangeRequest,
    Clawback,
    GrantPayment,
    Milestone,
    MilestoneEvidence,
    ProgressReport,
    Project,
    ProjectRisk,
    Repayment,
)
from .permissions import (
    can_add_project,
    can_approve_payment,
    can_change_project,
    can_record_payment,
)
from .services import milestone_log_delivery
from .services.reporting import REPORT_FIELDS

# Every child page shows where it sits: the project, its lead and its programme.
OF_PROJECT = ("project__programme__partnership", "project__lead_organisation")
PAGE_SIZE = 25


# How every page fetches, checks and acts -------------------------------------------


def _manages(user, project: Project) -> bool:
    """Verifying milestones, deciding change requests, closing the project and setting
    its repayments and clawback fall to the programme managers of its partnership:
    the people who approve its grant payments."""
    return can_add_project(user, project)


def _posted(request: HttpRequest):
    return request.POST if request.method == "POST" else None


def _fetch(request: HttpRequest, queryset: QuerySet, pk: int, allowed: Callable | None = None):
    """The object the user may see (404 otherwise), provided ``allowed(user, obj)``
    agrees when given (403 otherwise)."""
    obj = viewable_object_or_404(request, queryset.visible_to(request.user), pk=pk)
    if allowed is not None and not allowed(request.user, obj):
        raise PermissionDenied
    return obj


def _project(request: HttpRequest, pk: int, allowed: Callable | None = None) -> Project:
    return _fetch(
        request,
        Project.objects.select_related("programme__partnership", "lead_organisation"),
        pk,
        allowed,
    )


def _of_project(allowed: Callable) -> Callable:
    """A rule about the project, asked of one of its records."""
    return lambda user, obj: allowed(user, obj.project)


def _acted(form, act: Callable):
    """What the service returned, if the form is valid and the service fed with it
    accepted it; None otherwise. A rule the service refuses is shown on the field it
    names, or above the form."""
    if not form.is_bound or not form.is_valid():
        return None
    try:
        return act(form.cleaned_data)
    except PortalError as error:
        form.add_error(error.field if error.field in form.fields else None, error.message)
        return None


def _button(request: HttpRequest, act: Callable, done: str) -> None:
    """A state change behind a single button: a refused rule is shown in a banner."""
    try:
        act()
    except PortalError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, done)


# Lists ---------------------------------------------------------------------------------


@login_required
def my_projects(request: HttpRequest) -> HttpResponse:
    if not scope_of(request.user).officer_organisation_ids:
        raise PermissionDenied
    today = timezone.localdate()
    return render(
        request,
        "projects/project_mine.html",
        {"deliveries": selectors.officer_projects(request.user, today), "today": today},
    )


@login_required
def project_list(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request.user)
    if not (scope.is_administrator or scope.readable_partnership_ids):
        raise PermissionDenied
    today = timezone.localdate()
    filters = forms.ProjectFilter(
        request.GET or None, queryset=selectors.partnership_projects(request.user)
    )
    page = page_of(request, filters.qs, per_page=PAGE_SIZE)
    manages = can_approve_payment(request.user)
    return render(
        request,
        "projects/project_list.html",
        {
            "filters": filters,
            "page": page,
            "deliveries": selectors.projects_delivery(list(page.object_list), today),
            "manages": manages,
            "awaiting_count": (
                selectors.milestones_awaiting_verification(request.user).count() if manages else 0
            ),
        },
    )


def _require_manager(request: HttpRequest) -> None:
    if not can_approve_payment(request.user):
        raise PermissionDenied


@login_required
def milestones_awaiting_verification(request: HttpRequest) -> HttpResponse:
    _require_manager(request)
    page = page_of(
        request, selectors.milestones_awaiting_verification(request.user), per_page=PAGE_SIZE
    )
    return render(request, "projects/milestone_awaiting_list.html", {"page": page})


@login_required
def late_progress_reports(request: HttpRequest) -> HttpResponse:
    _require_manager(request)
    today = timezone.localdate()
    rows = selectors.late_progress_reports(request.user, today)
    return render(
        request,
        "projects/progressreport_late_list.html",
        {
            "page": page_of(request, rows, per_page=50),
            "last_quarter": selectors.last_completed_quarter(today),
        },
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
            "manages": _manages(user, project),
            "records_payments": can_record_payment(user, Repayment(project=project)),
        },
    )


@login_required
def project_history(request: HttpRequest, pk: int) -> HttpResponse:
    project = _project(request, pk)
    page = page_of(request, selectors.project_history(project), per_page=50)
    return render(request, "projects/project_history.html", {"project": project, "page": page})


# Milestones ------------------------------------------------------------------------------


def _milestone(request: HttpRequest, pk: int, allowed: Callable | None = None) -> Milestone:
    return _fetch(request, Milestone.objects.select_related(*OF_PROJECT, "payment"), pk, allowed)


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
            "can_change": can_change_project(user, milestone.project),
            "manages": _manages(user, milestone.project),
        },
    )


@login_required
def milestone_log(request: HttpRequest, pk: int) -> HttpResponse:
    milestone = _milestone(request, pk, _of_project(can_change_project))
    has_evidence = milestone.evidence.exists()
    form = forms.MilestoneLogForm(
        _posted(request), request.FILES or None, has_evidence=has_evidence
    )
    if _acted(
        form,
        lambda data: milestone_log_delivery(
            milestone=milestone,
            achieved_on=data["achieved_on"],
            delivered=data["delivered"],
            files=data["files"],
            links=data["links"],
            by=request.user,
        ),
    ):
        messages.success(
            request,
            f"Milestone {milestone.position} is logged as achieved. "
            "The programme manager will verify it.",
        )
        return redirect(milestone)
    context = {"project": milestone.project, "milestone": milestone, "has_evidence": has_evidence}
    return render(request, "projects/milestone_log.html", {**context, "form": form})


@login_required
def milestone_reprofile(request: HttpRequest, pk: int) -> HttpResponse:
    milestone = _milestone(request, pk, _of_project(can_change_project))
    form = forms.MilestoneReprofileForm(_posted(request))
    if _acted(
        form,
        lambda data: services.milestone_reprofile(
            milestone=milestone,
            new_forecast_on=data["new_forecast_on"],
            reason=data["reason"],
            by=request.user,
        ),
    ):
        messages.success(request, f"Milestone {milestone.position} is re-profiled.")
        return redirect(milestone)
    context = {"project": milestone.project, "milestone": milestone, "form": form}
    return render(request, "projects/milestone_reprofile.html", context)


@login_required
@require_POST
def milestone_verify(request: HttpRequest, pk: int) -> HttpResponse:
    milestone = _milestone(request, pk, _of_project(_manages))
    _button(
        request,
        lambda: services.milestone_verify(milestone=milestone, by=request.user),
        f"Milestone {milestone.position} is verified. Its grant payment is now due.",
    )
    return redirect(milestone)


@login_required
def milestone_return(request: HttpRequest, pk: int) -> HttpResponse:
    milestone = _milestone(request, pk, _of_project(_manages))
    form = forms.MilestoneReturnForm(_posted(request))
    if _acted(
        form,
        lambda data: services.milestone_return(
            milestone=milestone, comment=data["comment"], by=request.user
        ),
    ):
        messages.success(request, f"Milestone {milestone.position} is returned to the officer.")
        return redirect(milestone)
    context = {"project": milestone.project, "milestone": milestone, "form": form}
    return render(request, "projects/milestone_return.html", context)


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
    name = evidence.file.name.rsplit("/", 1)[-1]
    return FileResponse(evidence.file.open("rb"), as_attachment=True, filename=name)


# Grant payments ----------------------------------------------------------------------------


def _payment(request: HttpRequest, pk: int, allowed: Callable | None = None) -> GrantPayment:
    return _fetch(
        request,
        GrantPayment.objects.select_related(*OF_PROJECT, "milestone", "approved_by"),
        pk,
        allowed,
    )


@login_required
def payment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    payment = _payment(request, pk)
    return render(
        request,
        "projects/grantpayment_detail.html",
        {
            "payment": payment,
            "approves": can_approve_payment(request.user, payment),
            "records": can_record_payment(request.user, payment),
        },
    )


@login_required
@require_POST
def payment_approve(request: HttpRequest, pk: int) -> HttpResponse:
    payment = _payment(request, pk, can_approve_payment)
    _button(
        request,
        lambda: services.payment_approve(payment=payment, by=request.user),
        "The payment is approved for release. Finance can now record it as paid.",
    )
    return redirect(payment)


@login_required
@require_POST
def payment_release(request: HttpRequest, pk: int) -> HttpResponse:
    payment = _payment(request, pk, can_approve_payment)
    _button(
        request,
        lambda: services.payment_release(payment=payment, by=request.user),
        "The hold is lifted.",
    )
    return redirect(payment)


@login_required
def payment_withhold(request: HttpRequest, pk: int) -> HttpResponse:
    payment = _payment(request, pk, can_approve_payment)
    form = forms.PaymentWithholdForm(_posted(request))
    if _acted(
        form,
        lambda data: services.payment_withhold(
            payment=payment, reason=data["reason"], by=request.user
        ),
    ):
        messages.success(request, "The payment is withheld.")
        return redirect(payment)
    context = {"project": payment.project, "payment": payment, "form": form}
    return render(request, "projects/grantpayment_withhold.html", context)


@login_required
def payment_record(request: HttpRequest, pk: int) -> HttpResponse:
    payment = _payment(request, pk, can_record_payment)
    form = forms.PaymentRecordForm(_posted(request))
    if _acted(
        form,
        lambda data: services.payment_record_paid(
            payment=payment,
            paid_on=data["paid_on"],
            reference=data["reference"],
            by=request.user,
        ),
    ):
        messages.success(request, "The payment is recorded as paid.")
        return redirect(payment)
    context = {"project": payment.project, "payment": payment, "form": form}
    return render(request, "projects/grantpayment_record.html", context)


# The grant payment schedule ------------------------------------------------------------------


def _schedule(request: HttpRequest) -> forms.PaymentScheduleFilter:
    if not (can_record_payment(request.user) or can_approve_payment(request.user)):
        raise PermissionDenied
    return forms.PaymentScheduleFilter(
        request.GET or None, queryset=selectors.payment_schedule(request.user)
    )


@login_required
def payment_schedule(request: HttpRequest) -> HttpResponse:
    filters = _schedule(request)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "projects/grantpayment_schedule.html",
        {
            "filters": filters,
            "page": page_of(request, filters.qs, per_page=50),
            "totals": selectors.payment_totals(filters.qs, timezone.localdate()),
            "query": query.urlencode(),
        },
    )


def _schedule_filename() -> str:
    return f"grant-payment-schedule-{timezone.localdate():%Y-%m-%d}"


@login_required
def payment_schedule_csv(request: HttpRequest) -> HttpResponse:
    return exports.payment_schedule_csv(_schedule(request).qs, _schedule_filename())


@login_required
def payment_schedule_xlsx(request: HttpRequest) -> HttpResponse:
    return exports.payment_schedule_xlsx(_schedule(request).qs, _schedule_filename())


# Progress reports and the risk register ------------------------------------------------------


def _report(request: HttpRequest, pk: int, allowed: Callable | None = None) -> ProgressReport:
    return _fetch(request, ProgressReport.objects.select_related(*OF_PROJECT), pk, allowed)


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
            "can_change": can_change_project(request.user, report.project),
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
    project = _project(request, pk, can_change_project)
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
    form = forms.ProgressReportForm(_posted(request), initial=initial, project=project)
    spend = forms.SpendFormSet(_posted(request), initial=_spend_initial(project, report))
    saved = (
        spend.is_bound
        and spend.is_valid()
        and _acted(
            form,
            lambda data: services.progress_report_save(
                project=project,
                financial_year=year,
                quarter=quarter,
                by=request.user,
                spend=spend.given_rows(),
                **form.service_fields(),
            ),
        )
    )
    if saved:
        messages.success(request, "The draft report is saved. Submit it when it is ready.")
        return redirect(saved)
    return render(
        request,
        "projects/progressreport_form.html",
        {
            "project": project,
            "report": report,
            "year": year,
            "quarter": quarter,
            "form": form,
            "spend": spend,
        },
    )


@login_required
@require_POST
def progress_report_submit(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report(request, pk, _of_project(can_change_project))
    _button(
        request,
        lambda: services.progress_report_submit(report=report, by=request.user),
        "The progress report is submitted.",
    )
    return redirect(report)


@login_required
@require_POST
def progress_report_correct(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report(request, pk, _of_project(can_change_project))
    try:
        correction = services.progress_report_correct(report=report, by=request.user)
    except PortalError as error:
        messages.error(request, error.message)
        return redirect(report)
    messages.success(
        request,
        f"Version {correction.version} is a draft copy of the submitted report. "
        "Make your corrections, then submit it.",
    )
    return redirect(
        "projects:progress-report-edit",
        pk=report.project_id,
        year=report.financial_year,
        quarter=report.quarter,
    )


def _risk_page(request: HttpRequest, project: Project, risk: ProjectRisk | None) -> HttpResponse:
    form = forms.RiskForm(_posted(request), instance=risk)
    if _acted(
        form,
        lambda data: services.risk_record(project=project, existing=risk, by=request.user, **data),
    ):
        messages.success(request, "The risk register is updated.")
        return redirect(f"{project.get_absolute_url()}#risks")
    return render(
        request, "projects/projectrisk_form.html", {"project": project, "risk": risk, "form": form}
    )


@login_required
def risk_add(request: HttpRequest, pk: int) -> HttpResponse:
    return _risk_page(request, _project(request, pk, can_change_project), None)


@login_required
def risk_edit(request: HttpRequest, pk: int) -> HttpResponse:
    risks = ProjectRisk.objects.select_related(*OF_PROJECT)
    risk = _fetch(request, risks, pk, _of_project(can_change_project))
    return _risk_page(request, risk.project, risk)


# Change requests and closure ------------------------------------------------------------------


@login_required
def change_request_add(request: HttpRequest, pk: int) -> HttpResponse:
    project = _project(request, pk, can_change_project)
    form = forms.ChangeRequestForm(_posted(request))
    if _acted(
        form,
        lambda data: services.change_request_submit(
            project=project, by=request.user, **form.service_fields()
        ),
    ):
        messages.success(request, "Your change request is sent to the programme manager.")
        return redirect(f"{project.get_absolute_url()}#change-requests")
    return render(request, "projects/changerequest_form.html", {"project": project, "form": form})


def _change_request(request: HttpRequest, pk: int, allowed: Callable | None = None):
    return _fetch(
        request,
        ChangeRequest.objects.select_related(
            *OF_PROJECT, "requested_by", "decided_by", "decision__meeting"
        ),
        pk,
        allowed,
    )


@login_required
def change_request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    change = _change_request(request, pk)
    return render(
        request,
        "projects/changerequest_detail.html",
        {"change": change, "manages": _manages(request.user, change.project)},
    )


@login_required
def change_request_decide(request: HttpRequest, pk: int) -> HttpResponse:
    change = _change_request(request, pk, _of_project(_manages))
    form = forms.ChangeRequestDecisionForm(
        _posted(request), partnership=change.project.programme.partnership
    )

    def decide(data):
        if data["outcome"] == "approve":
            return services.change_request_approve(
                request=change, by=request.user, decision=data["decision"], note=data["note"]
            )
        return services.change_request_refuse(request=change, by=request.user, note=data["note"])

    if _acted(form, decide):
        messages.success(request, f"The change request is {form.cleaned_data['outcome']}d.")
        return redirect(change)
    context = {"project": change.project, "change": change, "form": form}
    return render(request, "projects/changerequest_decide.html", context)


@login_required
def project_close(request: HttpRequest, pk: int) -> HttpResponse:
    """The benefits report, then a confirmation page: closing cancels the payments not
    yet approved and returns the unspent grant, which cannot be undone."""
    project = _project(request, pk, _manages)
    form = forms.ProjectCloseForm(_posted(request))
    if "confirm" not in request.POST:
        valid = form.is_bound and form.is_valid()
        template = "projects/project_close_confirm.html" if valid else "projects/project_close.html"
        money = selectors.project_money(project) if valid else None
        return render(request, template, {"project": project, "form": form, "money": money})
    if _acted(
        form,
        lambda data: services.project_close(project=project, by=request.user, **data),
    ):
        messages.success(request, f"{project.reference} is closed.")
        return redirect(project)
    return render(request, "projects/project_close.html", {"project": project, "form": form})


# Invest-to-save repayments and clawback ------------------------------------------------------


@login_required
def repayment_add(request: HttpRequest, pk: int) -> HttpResponse:
    project = _project(request, pk, _manages)
    form = forms.RepaymentForm(_posted(request))
    if _acted(
        form,
        lambda data: services.repayment_schedule(project=project, by=request.user, **data),
    ):
        messages.success(request, "The repayment is added to the schedule.")
        return redirect(f"{project.get_absolute_url()}#repayments")
    return render(request, "projects/repayment_form.html", {"project": project, "form": form})


@login_required
def repayment_record(request: HttpRequest, pk: int) -> HttpResponse:
    repayment = _fetch(
        request, Repayment.objects.select_related(*OF_PROJECT), pk, can_record_payment
    )
    form = forms.ReceiptForm(_posted(request))
    if _acted(
        form,
        lambda data: services.repayment_record_received(
            repayment=repayment, by=request.user, **data
        ),
    ):
        messages.success(request, "The repayment is recorded as received.")
        return redirect(f"{repayment.project.get_absolute_url()}#repayments")
    return render(
        request,
        "projects/receipt_form.html",
        {"project": repayment.project, "record": repayment, "form": form},
    )


@login_required
def clawback_add(request: HttpRequest, pk: int) -> HttpResponse:
    project = _project(request, pk, _manages)
    form = forms.ClawbackForm(_posted(request), initial={"demanded_on": timezone.localdate()})
    if _acted(
        form,
        lambda data: services.clawback_demand(project=project, by=request.user, **data),
    ):
        messages.success(request, "The clawback is demanded.")
        return redirect(f"{project.get_absolute_url()}#clawback")
    return render(request, "projects/clawback_form.html", {"project": project, "form": form})


@login_required
def clawback_record(request: HttpRequest, pk: int) -> HttpResponse:
    clawback = _fetch(request, Clawback.objects.select_related(*OF_PROJECT), pk, can_record_payment)
    form = forms.ReceiptForm(_posted(request))
    if _acted(
        form,
        lambda data: services.clawback_record_received(clawback=clawback, by=request.user, **data),
    ):
        messages.success(request, "The refund is recorded as received.")
        return redirect(f"{clawback.project.get_absolute_url()}#clawback")
    return render(
        request,
        "projects/receipt_form.html",
        {"project": clawback.project, "record": clawback, "form": form},
    )
