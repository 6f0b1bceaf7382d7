"""A council's own savings page, and the RAG forecasts and other benefits its
officers return besides their savings."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from partnership.financial_years import label
from partnership.form_pages import form_page, posted
from partnership.models import Organisation
from partnership.pagination import page_of
from partnership.scopes import Kind, scope_of
from projects.models import Project

from .. import selectors, services
from ..forms import (
    ForecastReturnForm,
    OtherBenefitForm,
)
from ..models import ForecastReturn, OtherBenefit, SavingsReturn
from ..permissions import (
    can_certify_savings_return,
    can_change_savings_record,
    can_record_forecast_return,
    can_view_savings_record,
)
from . import PAGE_SIZE, council_for, council_url


@login_required
def our_savings(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("savings.read_own_savings"):
        raise PermissionDenied
    councils = Organisation.objects.filter(
        pk__in=scope_of(request.user).organisation_ids(Kind.OFFICER, Kind.FINANCE)
    )
    if len(councils) == 1:
        return redirect("savings:council", pk=councils[0].pk)
    return render(request, "savings/our_savings.html", {"councils": councils})


@login_required
def council_savings(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = council_for(request, pk, can_view_savings_record)
    returns = SavingsReturn.objects.filter(organisation=organisation).current()
    record = SavingsReturn(organisation=organisation)
    can_submit = can_change_savings_record(request.user, record)
    can_certify = can_certify_savings_return(request.user, record)
    return render(
        request,
        "savings/council_savings.html",
        {
            "organisation": organisation,
            "can_submit": can_submit,
            "can_certify": can_certify,
            "sent_back": list(returns.filter(status=SavingsReturn.Status.RETURNED))
            if can_submit
            else [],
            # A council's drafts are its officers' alone.
            "drafts": list(
                SavingsReturn.objects.drafts()
                .filter(organisation=organisation)
                .order_by("-financial_year", "-quarter")
            )
            if can_submit
            else [],
            "awaiting": list(returns.filter(status=SavingsReturn.Status.AWAITING_SIGN_OFF))
            if can_certify
            else [],
            "due": selectors.savings_return_due(
                organisation=organisation, today=timezone.localdate()
            ),
            "returns": page_of(request, returns.select_related("submitted_by"), per_page=PAGE_SIZE),
            "can_record_forecast": can_record_forecast_return(request.user, record),
            "targets": selectors.organisation_target_table(organisation=organisation),
            "forecasts": ForecastReturn.objects.filter(organisation=organisation),
            "benefits": selectors.other_benefits_by_unit(
                projects=Project.objects.filter(lead_organisation=organisation)
            ),
        },
    )


# What a council's officers return besides savings: RAG forecasts and other benefits


def _years_covered(data: dict) -> str:
    first, last = data["financial_year"], data["last_year"]
    return label(first) if last in (None, first) else f"{label(first)} to {label(last)}"


@login_required
def forecast_record(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = council_for(request, pk, can_record_forecast_return)
    form = ForecastReturnForm(posted(request))
    return form_page(
        request,
        "savings/forecast_record.html",
        {
            "organisation": organisation,
            "heading": "Return a RAG forecast",
            "caption": organisation.name,
        },
        form,
        act=lambda data: services.forecast_return_record(
            organisation=organisation,
            financial_year=data["financial_year"],
            last_year=data["last_year"],
            rag=data["rag"],
            comment=data["comment"],
            returned_on=timezone.localdate(),
            by=request.user,
        ),
        done=lambda _made: f"Forecast for {_years_covered(form.cleaned_data)} recorded.",
        next_url=council_url(organisation),
    )


@login_required
def benefit_record(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = council_for(request, pk, can_change_savings_record)
    form = OtherBenefitForm(
        posted(request),
        projects=Project.objects.filter(lead_organisation=organisation),
        units=list(OtherBenefit.objects.order_by("unit").values_list("unit", flat=True).distinct()),
    )

    def record(data):
        if not request.user.has_perm(
            "savings.add_otherbenefit", OtherBenefit(project=data["project"])
        ):
            raise PermissionDenied
        return services.other_benefit_record(
            project=data["project"],
            unit=data["unit"],
            quantity=data["quantity"],
            financial_year=data["financial_year"],
            description=data["description"],
            by=request.user,
        )

    return form_page(
        request,
        "savings/benefit_record.html",
        {"organisation": organisation, "heading": "Record a benefit", "caption": organisation.name},
        form,
        act=record,
        done=lambda _made: f"Benefit recorded for {form.cleaned_data['project'].title}.",
        next_url=council_url(organisation),
    )
