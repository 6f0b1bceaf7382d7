"""Varying a project (change requests and their decisions), closing it, and the
invest-to-save repayments and clawback that follow the money back."""

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from projects import forms, selectors, services
from projects.models import (
    ChangeRequest,
    Clawback,
    Repayment,
)
from projects.permissions import (
    can_change_project,
    can_manage_delivery,
    can_record_payment,
)

from .access import OF_PROJECT, acted, fetch_or_404, of_project, posted, project_or_404

# Change requests and closure ------------------------------------------------------------------


@login_required
def change_request_add(request: HttpRequest, pk: int) -> HttpResponse:
    project = project_or_404(request, pk, can_change_project)
    form = forms.ChangeRequestForm(posted(request), payments=selectors.open_payments(project))
    if acted(
        form,
        lambda data: services.change_request_submit(
            project=project, by=request.user, **form.service_fields()
        ),
    ):
        messages.success(request, "Your change request is sent to the programme manager.")
        return redirect(f"{project.get_absolute_url()}#change-requests")
    return render(request, "projects/changerequest_form.html", {"project": project, "form": form})


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

    if acted(form, decide):
        messages.success(request, f"The change request is {form.cleaned_data['outcome']}d.")
        return redirect(change)
    context = {"project": change.project, "change": change, "form": form}
    return render(request, "projects/changerequest_decide.html", context)


@login_required
def project_close(request: HttpRequest, pk: int) -> HttpResponse:
    """The benefits report, then a confirmation page: closing cancels the payments not
    yet approved and returns the unspent grant, which cannot be undone."""
    project = project_or_404(request, pk, can_manage_delivery)
    form = forms.ProjectCloseForm(posted(request))
    if "confirm" not in request.POST:
        valid = form.is_bound and form.is_valid()
        template = "projects/project_close_confirm.html" if valid else "projects/project_close.html"
        money = selectors.project_money(project) if valid else None
        return render(request, template, {"project": project, "form": form, "money": money})
    if acted(
        form,
        lambda data: services.project_close(project=project, by=request.user, **data),
    ):
        messages.success(request, f"{project.reference} is closed.")
        return redirect(project)
    return render(request, "projects/project_close.html", {"project": project, "form": form})


# Invest-to-save repayments and clawback ------------------------------------------------------


@login_required
def repayment_add(request: HttpRequest, pk: int) -> HttpResponse:
    project = project_or_404(request, pk, can_manage_delivery)
    form = forms.RepaymentForm(posted(request))
    if acted(
        form,
        lambda data: services.repayment_schedule(project=project, by=request.user, **data),
    ):
        messages.success(request, "The repayment is added to the schedule.")
        return redirect(f"{project.get_absolute_url()}#repayments")
    return render(request, "projects/repayment_form.html", {"project": project, "form": form})


@login_required
def repayment_record(request: HttpRequest, pk: int) -> HttpResponse:
    repayment = fetch_or_404(
        request, Repayment.objects.select_related(*OF_PROJECT), pk, can_record_payment
    )
    form = forms.ReceiptForm(posted(request))
    if acted(
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
    project = project_or_404(request, pk, can_manage_delivery)
    form = forms.ClawbackForm(posted(request), initial={"demanded_on": timezone.localdate()})
    if acted(
        form,
        lambda data: services.clawback_demand(project=project, by=request.user, **data),
    ):
        messages.success(request, "The clawback is demanded.")
        return redirect(f"{project.get_absolute_url()}#clawback")
    return render(request, "projects/clawback_form.html", {"project": project, "form": form})


@login_required
def clawback_record(request: HttpRequest, pk: int) -> HttpResponse:
    clawback = fetch_or_404(
        request, Clawback.objects.select_related(*OF_PROJECT), pk, can_record_payment
    )
    form = forms.ReceiptForm(posted(request))
    if acted(
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
