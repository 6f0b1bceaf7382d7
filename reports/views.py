from dataclasses import dataclass, field, replace

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from partnership import financial_years
from partnership.exports import csv_response
from partnership.form_errors import error_summary
from partnership.models import Organisation, Partnership
from partnership.page_cache import kept_until_records_change
from partnership.scopes import Kind, Scope, scope_of

from . import todo
from .dashboard.figures import FilterChoices, Filters, dashboard_partnerships, filter_choices
from .dashboard.page import View, dashboard_chart, dashboard_page, view_of


@dataclass(frozen=True)
class HeldRole:
    kind: str
    label: str
    partnerships: list[Partnership]
    organisations: list[Organisation]
    tasks: list[todo.Task] = field(default_factory=list)
    board: list[todo.BoardBusiness] = field(default_factory=list)


def _held_roles(scope: Scope) -> list[HeldRole]:
    """Each kind of role the user holds, with the partnerships and organisations it
    covers (and the partnerships those organisations belong to), in three queries
    whatever the number of roles."""
    partnerships = Partnership.objects.in_bulk(scope.partnership_ids(*Kind.values))
    organisations = Organisation.objects.prefetch_related("partnerships").in_bulk(
        scope.organisation_ids(*Kind.values)
    )
    return [
        HeldRole(
            kind=kind,
            label=Kind(kind).label,
            partnerships=sorted(
                (partnerships[pk] for pk in scope.partnerships.get(kind, ())),
                key=lambda partnership: partnership.name,
            ),
            organisations=sorted(
                (organisations[pk] for pk in scope.organisations.get(kind, ())),
                key=lambda organisation: organisation.name,
            ),
        )
        for kind in scope.kinds
    ]


@login_required
@kept_until_records_change
def home(request: HttpRequest) -> HttpResponse:
    """Each role the user holds, leading with the work waiting for it."""
    user, today = request.user, timezone.localdate()
    scope = scope_of(user)
    roles = [
        replace(
            role,
            tasks=todo.tasks_for(role.kind, user, scope, today),
            board=(
                todo.board_business(role.partnerships, today)
                if role.kind == Kind.BOARD_MEMBER
                else []
            ),
        )
        for role in _held_roles(scope)
    ]
    return render(request, "home.html", {"roles": roles})


# The dashboard ------------------------------------------------------------------------


class DashboardFilterForm(forms.Form):
    """The dashboard's filters, read from the query string. The choices are those of
    the partnership in view."""

    partnership = forms.ChoiceField(label="Partnership")
    programme = forms.TypedChoiceField(
        label="Programme",
        coerce=int,
        empty_value=None,
        required=False,
        error_messages={"invalid_choice": "Choose one of the partnership's programmes"},
    )
    sub_region = forms.TypedChoiceField(
        label="Sub-region",
        coerce=int,
        empty_value=None,
        required=False,
        error_messages={"invalid_choice": "Choose one of the partnership's sub-regions"},
    )
    year = forms.TypedChoiceField(
        label="Financial year",
        coerce=int,
        empty_value=None,
        required=False,
        error_messages={"invalid_choice": "Choose a year the partnership's programmes run in"},
    )

    def __init__(self, data, *, partnerships: list[Partnership], choices: FilterChoices):
        super().__init__(data)
        self.fields["partnership"].choices = [(p.slug, p.short_name) for p in partnerships]
        self.fields["programme"].choices = [("", "All programmes")] + [
            (programme.pk, programme.name) for programme in choices.programmes
        ]
        self.fields["sub_region"].choices = [("", "All sub-regions")] + [
            (sub_region.pk, sub_region.name) for sub_region in choices.sub_regions
        ]
        self.fields["year"].choices = [("", "All years")] + [
            (year, financial_years.label(year)) for year in choices.years
        ]


def _dashboard_filters(request: HttpRequest) -> tuple[Filters, DashboardFilterForm]:
    """The filters asked for. A user without a dashboard is refused; a partnership
    they may not read is not found; a programme, sub-region or year that is not the
    partnership's is reported on the form and left out."""
    partnerships = list(dashboard_partnerships(request.user).order_by("name"))
    if not (request.user.has_perm("reports.read_dashboard") and partnerships):
        raise PermissionDenied
    slug = request.GET.get("partnership")
    partnership = (
        next((p for p in partnerships if p.slug == slug), None) if slug else partnerships[0]
    )
    if partnership is None:
        raise Http404("No such partnership among those whose dashboard you can read.")
    choices = filter_choices(partnership)
    data = request.GET.copy()
    data["partnership"] = partnership.slug
    form = DashboardFilterForm(data, partnerships=partnerships, choices=choices)
    form.is_valid()  # a filter in error is left out of cleaned_data, so not applied
    chosen = form.cleaned_data
    return (
        Filters(
            partnership=partnership,
            programme=next(
                (p for p in choices.programmes if p.pk == chosen.get("programme")), None
            ),
            sub_region=next(
                (s for s in choices.sub_regions if s.pk == chosen.get("sub_region")), None
            ),
            financial_year=chosen.get("year"),
        ),
        form,
    )


def _view(request: HttpRequest) -> tuple[View, DashboardFilterForm]:
    filters, form = _dashboard_filters(request)
    return view_of(filters, user=request.user, today=timezone.localdate()), form


@login_required
@kept_until_records_change
def dashboard(request: HttpRequest) -> HttpResponse:
    view, form = _view(request)
    return render(
        request,
        "reports/dashboard.html",
        {
            "dashboard": dashboard_page(view),
            "filters": view.filters,
            "form": form,
            "errors": error_summary(form),
        },
    )


# A chart's data has a row per sub-region, programme, RAG, month or bid status of one
# partnership: tens of rows at national scale, so it is sent while the reader waits.
@login_required
def dashboard_download(request: HttpRequest, chart: str) -> HttpResponse:
    view, _form = _view(request)
    drawn = dashboard_chart(view, chart)
    if drawn is None:
        raise Http404("No such chart.")
    filters = view.filters
    parts = [drawn.slug, filters.partnership.slug]
    if filters.financial_year is not None:
        parts.append(financial_years.label(filters.financial_year).replace("/", "-"))
    return csv_response(f"{'-'.join(parts)}.csv", drawn.header, drawn.csv_rows())
