"""Varying a project (change requests and their decisions), closing it, and the
invest-to-save repayments and clawback that follow the money back."""

from collections.abc import Callable

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from partnership.form_pages import form_page, posted
from projects import forms, selectors, services
from projects.models import (
    ChangeRequest,
    Clawback,
    Repayment,
)
from projects.permissions import (
    can_manage_delivery,
    can_record_payment,
    can_report_on_project,
)

from .access import OF_PROJECT, fetch_or_404, of_project, project_or_404

# Change requests and closure ------------------------------------------------------------------


@login_required
def change_request_add(request: HttpRequest, pk: int) -> HttpResponse:
    project = project_or_404(request, pk, can_report_on_project)
    form = forms.ChangeRequestForm(posted(request), payments=selectors.open_payments(project))
    return form_page(
        request,
        "projects/changerequest_form.html",
        {"project": project},
        form,
        act=lambda _data: services.change_request_submit(
            project=project, by=request.user, **form.service_fields()
        ),
        done="Your change request is sent to the programme manager.",
        next_url=f"{project.get_absolute_url()}#change-requests",
    )


def _change_request(request: HttpRequest, pk: int, allowed: Callable | None = None):
    return fetch_or_404(
        request,
        ChangeRequest.objects.select_related(
            *OF_PROJECT, "requested_by", "decided_by", "decision__meeting"
        ).prefetch_related("payment_changes__payment__milestone"),
        pk,
        allowed,
    )


@login_required
def change_request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    change = _change_request(request, pk)
    return render(
        request,
        "projects/changerequest_detail.html",
        {"change": change, "manages": can_manage_delivery(request.user, change.project)},
    )


@login_required
def change_request_decide(request: HttpRequest, pk: int) -> HttpResponse:
    change = _change_request(request, pk, of_project(can_manage_delivery))
    form = forms.ChangeRequestDecisionForm(
        posted(request), partnership=change.project.programme.partnership
    )

    def decide(data):
        if data["outcome"] == "approve":
            return services.change_request_approve(
                request=change, by=request.user, decision=data["decision"], note=data["note"]
            )
        return services.change_request_refuse(request=change, by=request.user, note=data["note"])

    return form_page(
        request,
        "projects/changerequest_decide.html",
        {"project": change.project, "change": change},
        form,
        act=decide,
        done=lambda _made: f"The change request is {form.cleaned_data['outcome']}d.",
        next_url=change,
    )


@login_required
def project_close(request: HttpRequest, pk: int) -> HttpResponse:
    """The benefits report, then a confirmation page: closing cancels the payments not
    yet approved and returns the unspent grant, which cannot be undone."""
    project = project_or_404(request, pk, can_manage_delivery)
    form = forms.ProjectCloseForm(posted(request))
    if "confirm" not in request.POST and form.is_bound and form.is_valid():
        money = selectors.project_money(project)
        context = {"project": project, "form": form, "money": money}
        return render(request, "projects/project_close_confirm.html", context)
    return form_page(
        request,
        "projects/project_close.html",
        {"project": project},
        form,
        act=lambda data: services.project_close(project=project, by=request.user, **data),
        done=f"{project.reference} is closed.",
        next_url=project,
    )


# Invest-to-save repayments and clawback ------------------------------------------------------


@login_required
def repayment_add(request: HttpRequest, pk: int) -> HttpResponse:
    project = project_or_404(request, pk, can_manage_delivery)
    return form_page(
        request,
        "projects/repayment_form.html",
        {"project": project},
        forms.RepaymentForm(posted(request)),
        act=lambda data: services.repayment_schedule(project=project, by=request.user, **data),
        done="The repayment is added to the schedule.",
        next_url=f"{project.get_absolute_url()}#repayments",
    )


@login_required
def repayment_record(request: HttpRequest, pk: int) -> HttpResponse:
    repayment = fetch_or_404(
        request, Repayment.objects.select_related(*OF_PROJECT), pk, can_record_payment
    )
    return form_page(
        request,
        "projects/receipt_form.html",
        {"project": repayment.project, "record": repayment},
        forms.ReceiptForm(posted(request)),
        act=lambda data: services.repayment_record_received(
            repayment=repayment, by=request.user, **data
        ),
        done="The repayment is recorded as received.",
        next_url=f"{repayment.project.get_absolute_url()}#repayments",
    )


@login_required
def clawback_add(request: HttpRequest, pk: int) -> HttpResponse:
    project = project_or_404(request, pk, can_manage_delivery)
    return form_page(
        request,
        "projects/clawback_form.html",
        {"project": project},
        forms.ClawbackForm(posted(request), initial={"demanded_on": timezone.localdate()}),
        act=lambda data: services.clawback_demand(project=project, by=request.user, **data),
        done="The clawback is demanded.",
        next_url=f"{project.get_absolute_url()}#clawback",
    )


@login_required
def clawback_record(request: HttpRequest, pk: int) -> HttpResponse:
    clawback = fetch_or_404(
        request, Clawback.objects.select_related(*OF_PROJECT), pk, can_record_payment
    )
    return form_page(
        request,
        "projects/receipt_form.html",
        {"project": clawback.project, "record": clawback},
        forms.ReceiptForm(posted(request)),
        act=lambda data: services.clawback_record_received(
            clawback=clawback, by=request.user, **data
        ),
        done="The refund is recorded as received.",
        next_url=f"{clawback.project.get_absolute_url()}#clawback",
    )
