"""A council's quarterly savings return: entered in the browser or uploaded, saved as
a draft, checked, submitted, and certified or sent back by the council's finance
officer."""

import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from partnership.exports import XLSX_TYPE, csv_response
from partnership.financial_years import label
from partnership.form_pages import confirm_page, form_page, posted
from partnership.models import Organisation
from partnership.object_pages import viewable_object_or_404
from partnership.pagination import page_of

from .. import selectors, services
from ..forms import (
    ReturnPeriodForm,
    ReturnUploadForm,
    SavingsRowForm,
    SavingsRowFormSet,
    SignOffForm,
    raw_rows,
)
from ..models import SavingsReturn
from ..permissions import (
    can_certify_savings_return,
    can_change_savings_record,
)
from ..return_files import SavingsRow, template_csv_lines, template_xlsx
from . import PAGE_SIZE, council_for, council_url

ROWS_PREFIX = "rows"


def _save_draft(request, organisation, data, rows: list[SavingsRow], source: str) -> str:
    """Save the rows as the quarter's draft; then to the page to check and submit it,
    or, when the officer saves to come back later, to the council's savings page."""
    services.savings_return_save_draft(
        organisation=organisation,
        financial_year=data["financial_year"],
        quarter=data["quarter"],
        rows=rows,
        source=source,
        revision=data["revision"],
        by=request.user,
    )
    if "save" in request.POST:
        return council_url(organisation)
    return reverse(
        "savings:return-check", args=[organisation.pk, data["financial_year"], data["quarter"]]
    )


def _saved_for_later(request) -> str | None:
    if "save" in request.POST:
        return "Draft saved. Carry on with it from your council's savings page."
    return None


def _quarter_asked(request: HttpRequest, organisation: Organisation) -> tuple[int, int] | None:
    """The quarter named in the query string (from a Change link), else the one due."""
    try:
        return int(request.GET["year"]), int(request.GET["quarter"])
    except (KeyError, ValueError):
        due = selectors.savings_return_due(organisation=organisation, today=timezone.localdate())
        return (due.financial_year, due.quarter) if due else None


def _asked_with_draft(request, organisation) -> tuple[tuple[int, int] | None, SavingsReturn | None]:
    """The quarter asked for and its draft, if it has one."""
    quarter = _quarter_asked(request, organisation)
    if quarter is None:
        return None, None
    year, number = quarter
    draft = selectors.savings_return_draft(
        organisation=organisation, financial_year=year, quarter=number
    )
    return quarter, draft


def _period_initial(quarter: tuple[int, int] | None, draft: SavingsReturn | None) -> dict:
    """The quarter, and the revision of its draft the page is drawn from."""
    if not quarter:
        return {}
    revision = draft.revision if draft else None
    return {"financial_year": quarter[0], "quarter": quarter[1], "revision": revision}


@login_required
def return_enter(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = council_for(request, pk, can_change_savings_record)
    rows_formset = {"organisation": organisation, "prefix": ROWS_PREFIX}
    if request.method != "POST":
        quarter, draft = _asked_with_draft(request, organisation)
        period_form = ReturnPeriodForm(initial=_period_initial(quarter, draft))
        # Carrying on with a draft, the rows are as the officer saved them.
        rows = selectors.savings_return_draft_rows(draft) if draft else []
        initial = [SavingsRowForm.initial_from(row) for row in rows]
        blank = {"financial_year": quarter[0] if quarter else None}
        formset = SavingsRowFormSet(initial=initial or [blank], **rows_formset)
    elif "add" in request.POST or "remove" in request.POST:
        # Adding or removing a row redraws the rows as typed, without checking them.
        rows = raw_rows(request.POST, ROWS_PREFIX)
        blank = {"financial_year": request.POST.get("financial_year")}
        if "add" in request.POST:
            rows.append(blank)
        elif request.POST["remove"].isdigit() and int(request.POST["remove"]) < len(rows):
            del rows[int(request.POST["remove"])]
        period_form = ReturnPeriodForm(
            initial={name: request.POST.get(name) for name in ReturnPeriodForm.base_fields}
        )
        formset = SavingsRowFormSet(initial=rows or [blank], **rows_formset)
    else:
        period_form = ReturnPeriodForm(request.POST)
        formset = SavingsRowFormSet(request.POST, **rows_formset)
    return form_page(
        request,
        "savings/return_enter.html",
        {"organisation": organisation, "period_form": period_form, "formset": formset},
        period_form,
        formset,
        act=lambda data: _save_draft(request, organisation, data, formset.rows(), "form"),
        done=_saved_for_later(request),
    )


@login_required
def return_upload(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = council_for(request, pk, can_change_savings_record)
    if request.method == "POST":
        form = ReturnUploadForm(request.POST, request.FILES, organisation=organisation)
    else:
        quarter, draft = _asked_with_draft(request, organisation)
        form = ReturnUploadForm(initial=_period_initial(quarter, draft), organisation=organisation)
    return form_page(
        request,
        "savings/return_upload.html",
        {"organisation": organisation},
        form,
        act=lambda data: _save_draft(request, organisation, data, data["rows"], "upload"),
        done=None,
    )


@login_required
def return_check(request: HttpRequest, pk: int, year: int, quarter: int) -> HttpResponse:
    organisation = council_for(request, pk, can_change_savings_record)
    draft = selectors.savings_return_draft(
        organisation=organisation, financial_year=year, quarter=quarter
    )
    if draft is None:
        messages.info(request, "There is no return waiting to be submitted: enter one.")
        return redirect("savings:return-enter", pk=organisation.pk)
    rows = selectors.savings_return_draft_rows(draft)

    def submit():
        revision = request.POST.get("revision", "")
        return services.savings_return_submit(
            organisation=organisation,
            financial_year=year,
            quarter=quarter,
            rows=rows,
            # A page without the revision cannot say which draft was checked.
            draft_revision=int(revision) if revision.isdigit() else -1,
            by=request.user,
        )

    return confirm_page(
        request,
        "savings/return_check.html",
        {
            "organisation": organisation,
            "draft": draft,
            "financial_year": year,
            "quarter": quarter,
            "source": draft.draft["source"],
            "rows": selectors.savings_rows_described(rows),
            "totals": selectors.savings_split(rows),
            "replaces": SavingsReturn.objects.current()
            .filter(organisation=organisation, financial_year=year, quarter=quarter)
            .first(),
        },
        act=submit,
        done=(
            f"Return for {label(year)} quarter {quarter} submitted: "
            "it is awaiting sign-off by your finance officer."
        ),
        # The page has no inputs: the link goes to its button.
        link=lambda _error: "#submit",
    )


@login_required
def draft_discard(request: HttpRequest, pk: int) -> HttpResponse:
    # Another council's draft is not found: a draft is its officers' alone.
    draft = get_object_or_404(
        SavingsReturn.objects.drafts().visible_to(request.user).select_related("organisation"),
        pk=pk,
    )
    return confirm_page(
        request,
        "savings/draft_discard.html",
        {"organisation": draft.organisation, "draft": draft},
        act=lambda: services.savings_return_discard_draft(draft=draft, by=request.user),
        done=(f"Draft return for {label(draft.financial_year)} quarter {draft.quarter} discarded."),
        next_url=council_url(draft.organisation),
        link=lambda _error: "#discard",
    )


# The blank return a council fills in, with how to fill it in but no example row that
# could be imported by mistake; sent at once.
@login_required
def template_download(request: HttpRequest, kind: str) -> HttpResponse:
    filename = f"savings-return-template.{kind}"
    if kind == "csv":
        first, *rest = template_csv_lines()
        return csv_response(filename, first, rest)
    workbook = io.BytesIO()
    template_xlsx(workbook)
    response = HttpResponse(workbook.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# A return, its versions and its sign-off


def _viewable_return(request: HttpRequest, pk: int) -> SavingsReturn:
    return viewable_object_or_404(
        request,
        SavingsReturn.objects.visible_to(request.user).select_related(
            "organisation", "submitted_by", "certified_by", "returned_by"
        ),
        pk=pk,
    )


@login_required
def return_detail(request: HttpRequest, pk: int) -> HttpResponse:
    savings_return = _viewable_return(request, pk)
    if savings_return.status == SavingsReturn.Status.DRAFT:
        return redirect(savings_return)
    return render(
        request,
        "savings/savingsreturn_detail.html",
        {
            "savings_return": savings_return,
            "entries": selectors.savings_return_entries(savings_return),
            "versions": selectors.savings_return_versions(savings_return),
            "can_sign_off": savings_return.status == SavingsReturn.Status.AWAITING_SIGN_OFF
            and can_certify_savings_return(request.user, savings_return),
            "can_resubmit": savings_return.status != SavingsReturn.Status.SUPERSEDED
            and can_change_savings_record(request.user, savings_return),
        },
    )


@login_required
def return_sign_off(request: HttpRequest, pk: int) -> HttpResponse:
    savings_return = _viewable_return(request, pk)
    if not can_certify_savings_return(request.user, savings_return):
        raise PermissionDenied
    if savings_return.status != SavingsReturn.Status.AWAITING_SIGN_OFF:
        messages.info(request, "This return is not awaiting sign-off.")
        return redirect(savings_return)
    form = SignOffForm(posted(request))

    def sign_off(data):
        if data["decision"] == SignOffForm.CERTIFY:
            return services.savings_return_certify(
                savings_return=savings_return, comment=data["comment"], by=request.user
            )
        return services.savings_return_send_back(
            savings_return=savings_return, comment=data["comment"], by=request.user
        )

    return form_page(
        request,
        "savings/return_sign_off.html",
        {
            "savings_return": savings_return,
            "entries": selectors.savings_return_entries(savings_return),
        },
        form,
        act=sign_off,
        done=lambda _made: (
            "Return certified: its savings now count."
            if form.cleaned_data["decision"] == SignOffForm.CERTIFY
            else "Return sent back with changes requested."
        ),
        next_url=savings_return,
    )


@login_required
def awaiting_sign_off(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("savings.list_returns_to_sign_off"):
        raise PermissionDenied
    returns = selectors.returns_to_sign_off(request.user)
    return render(
        request,
        "savings/awaiting_sign_off.html",
        {"returns": page_of(request, returns, per_page=PAGE_SIZE)},
    )


@login_required
def returns_due(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("savings.list_returns_due"):
        raise PermissionDenied
    return render(
        request,
        "savings/returns_due.html",
        {"due": selectors.returns_due(request.user, timezone.localdate())},
    )
