"""The API narrows projects and payments as their pages do (the page filters, less
their sort, which ``?ordering=`` replaces), with a few more fields for systems."""

import copy

import django_filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from partnership.api.filters import ApiFilterSet, FinancialYearFilter, IdFilter
from projects.forms.filters import PaymentScheduleFilter, ProjectFilter
from projects.models import Milestone, ProgressReport, Project


class ProjectApiFilter(ProjectFilter):
    FILTER_DEFAULTS = ApiFilterSet.FILTER_DEFAULTS
    sort = None
    partnership = IdFilter(field_name="programme__partnership")
    starts_on = django_filters.DateFromToRangeFilter()
    ends_on = django_filters.DateFromToRangeFilter()

    class Meta(ProjectFilter.Meta):
        model = Project
        fields = [
            "q",
            "partnership",
            "programme",
            "budget_line",
            "lead_organisation",
            "status",
            "behind",
            "invest_to_save",
        ]


class GrantPaymentFilter(PaymentScheduleFilter):
    """The grant payment schedule's filters, over the payments the user may see."""

    FILTER_DEFAULTS = ApiFilterSet.FILTER_DEFAULTS

    due_on = django_filters.DateFromToRangeFilter()
    paid_on = django_filters.DateFromToRangeFilter()

    class Meta(PaymentScheduleFilter.Meta):
        fields = [*PaymentScheduleFilter.Meta.fields, "project", "milestone"]

    def __init__(self, data=None, queryset=None, *, request=None, **kwargs):
        super().__init__(data, queryset, request=request, user=request.user, **kwargs)


# The schedule's sub-region is named by id, through a method the schema cannot read.
GrantPaymentFilter.base_filters["sub_region"] = extend_schema_field(OpenApiTypes.INT)(
    copy.deepcopy(GrantPaymentFilter.base_filters["sub_region"])
)


class MilestoneFilter(ApiFilterSet):
    partnership = IdFilter(field_name="project__programme__partnership")
    programme = IdFilter(field_name="project__programme")
    lead_organisation = IdFilter(field_name="project__lead_organisation")
    status = django_filters.MultipleChoiceFilter(choices=Milestone.Status.choices)
    financial_year = FinancialYearFilter(field_name="forecast_on")
    due_on = django_filters.DateFromToRangeFilter()
    forecast_on = django_filters.DateFromToRangeFilter()
    achieved_on = django_filters.DateFromToRangeFilter()

    class Meta:
        model = Milestone
        fields = ["project", "partnership", "programme", "lead_organisation", "status"]


class ProgressReportFilter(ApiFilterSet):
    partnership = IdFilter(field_name="project__programme__partnership")
    lead_organisation = IdFilter(field_name="project__lead_organisation")
    status = django_filters.MultipleChoiceFilter(choices=ProgressReport.Status.choices)
    financial_year = django_filters.NumberFilter()

    class Meta:
        model = ProgressReport
        fields = ["project", "partnership", "lead_organisation", "status", "financial_year"]
