"""Grant payments: approving, withholding, lifting a hold and recording payment; and
the grant payment schedule finance works from, with its downloads."""

from collections.abc import Callable

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from partnership.downloads import download_page
from partnership.form_pages import button, confirm_page, form_page, posted
from partnership.page_cache import kept_until_records_change
from partnership.pagination import page_of
from projects import exports, forms, selectors, services
from projects.models import GrantPayment
from projects.permissions import can_approve_payment, can_record_payment

from .access import OF_PROJECT, fetch_or_404

# Grant payments ----------------------------------------------------------------------------


def _payment(request: HttpRequest, pk: int, allowed: Callable | None = None) -> GrantPayment:
    return fetch_or_404(
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
            "reprofiles": selectors.payment_reprofiles(payment),
            "approves": can_approve_payment(request.user, payment),
            "records": can_record_payment(request.user, payment),
        },
    )


@login_required
def payment_approve(request: HttpRequest, pk: int) -> HttpResponse:
    """Approving releases money, so the manager is asked to confirm first."""
    payment = _payment(request, pk, can_approve_payment)
    return confirm_page(
        request,
        "projects/grantpayment_approve.html",
        {"project": payment.project, "payment": payment},
        act=lambda: services.payment_approve(payment=payment, by=request.user),
        done="The payment is approved for release. Finance can now record it as paid.",
        next_url=payment,
        # The page has no inputs: the link goes to its button.
        link=lambda _error: "#submit",
    )


@login_required
@require_POST
def payment_release(request: HttpRequest, pk: int) -> HttpResponse:
    payment = _payment(request, pk, can_approve_payment)
    return button(
        request,
        lambda: services.payment_release(payment=payment, by=request.user),
        done="The hold is lifted.",
        next_url=payment,
    )


@login_required
def payment_withhold(request: HttpRequest, pk: int) -> HttpResponse:
    payment = _payment(request, pk, can_approve_payment)
    form = forms.PaymentWithholdForm(posted(request))
    return form_page(
        request,
        "projects/grantpayment_withhold.html",
        {"project": payment.project, "payment": payment},
        form,
        act=lambda data: services.payment_withhold(
            payment=payment, reason=data["reason"], by=request.user
        ),
        done="The payment is withheld.",
        next_url=payment,
    )


@login_required
def payment_record(request: HttpRequest, pk: int) -> HttpResponse:
    payment = _payment(request, pk, can_record_payment)
    form = forms.PaymentRecordForm(posted(request))
    return form_page(
        request,
        "projects/grantpayment_record.html",
        {"project": payment.project, "payment": payment},
        form,
        act=lambda data: services.payment_record_paid(
            payment=payment,
            paid_on=data["paid_on"],
            reference=data["reference"],
            by=request.user,
        ),
        done="The payment is recorded as paid.",
        next_url=payment,
    )


# The grant payment schedule ------------------------------------------------------------------


@login_required
@kept_until_records_change
def payment_schedule(request: HttpRequest) -> HttpResponse:
    filters = exports.payment_schedule_filter(request.user, request.GET)
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


@login_required
@require_http_methods(["GET", "POST"])
def payment_schedule_download(request: HttpRequest, file_format: str) -> HttpResponse:
    return download_page(request, exports.PAYMENT_SCHEDULE, file_format)
