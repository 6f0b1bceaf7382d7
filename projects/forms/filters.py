"""Filters of the project list and of the grant payment schedule."""

import django_filters
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Submit
from django import forms
from django.db.models import Exists, OuterRef, Q

from partnership import financial_years
from partnership.models import Organisation, Partnership, SubRegion
from programmes.models import Programme
from projects.models import GrantPayment, Project


class _GetForm(forms.Form):
    """A filter form: sent with GET, drawn with GOV.UK styles."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper(self)
        self.helper.form_method = "get"
        self.helper.add_input(Submit("", "Apply filters", css_class="govuk-button--secondary"))


class ProjectFilter(django_filters.FilterSet):
    """Narrow a partnership's projects by programme and status."""

    programme = django_filters.ModelChoiceFilter(
        queryset=Programme.objects.none(), empty_label="All programmes"
    )
    status = django_filters.ChoiceFilter(choices=Project.Status.choices, empty_label="All statuses")

    class Meta:
        model = Project
        fields = ["programme", "status"]
        form = _GetForm

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["programme"].queryset = Programme.objects.filter(
            pk__in=self.queryset.values("programme")
        )


def _due_in_year(queryset, name, year):
    start, _ = financial_years.quarter_bounds(int(year), 1)
    _, end = financial_years.quarter_bounds(int(year), 4)
    return queryset.filter(due_on__range=(start, end))


def _due_in_quarter(queryset, name, quarter):
    first_month = 3 * (int(quarter) - 1) + 4
    months = [(first_month + offset - 1) % 12 + 1 for offset in range(3)]
    return queryset.filter(due_on__month__in=months)


def _in_sub_region(queryset, name, sub_region):
    """Payments to a member of the sub-region, or from a programme it runs."""
    member = SubRegion.members.through.objects.filter(
        subregion_id=sub_region.pk, organisation_id=OuterRef("project__lead_organisation")
    )
    return queryset.filter(Q(project__programme__sub_region=sub_region) | Exists(member))


class PaymentScheduleFilter(django_filters.FilterSet):
    """The grant payment schedule's filters. The page and both downloads apply the
    same ones, so a download holds exactly the rows the page listed. Every choice is
    taken from the payments the user may see."""

    partnership = django_filters.ModelChoiceFilter(
        label="Partnership",
        field_name="project__programme__partnership",
        queryset=Partnership.objects.none(),
        empty_label="All partnerships",
    )
    programme = django_filters.ModelChoiceFilter(
        label="Programme",
        field_name="project__programme",
        queryset=Programme.objects.none(),
        empty_label="All programmes",
    )
    sub_region = django_filters.ModelChoiceFilter(
        label="Sub-region",
        queryset=SubRegion.objects.none(),
        method=_in_sub_region,
        empty_label="All sub-regions",
    )
    accountable_body = django_filters.ModelChoiceFilter(
        label="Accountable body",
        field_name="project__lead_organisation",
        queryset=Organisation.objects.none(),
        empty_label="All accountable bodies",
    )
    financial_year = django_filters.ChoiceFilter(
        label="Financial year due",
        choices=financial_years.choices(),
        method=_due_in_year,
        empty_label="Any year",
    )
    quarter = django_filters.ChoiceFilter(
        label="Quarter due",
        choices=financial_years.QUARTER_CHOICES,
        method=_due_in_quarter,
        empty_label="Any quarter",
    )
    status = django_filters.ChoiceFilter(
        label="Status", choices=GrantPayment.Status.choices, empty_label="Any status"
    )

    class Meta:
        model = GrantPayment
        fields = [
            "partnership",
            "programme",
            "sub_region",
            "accountable_body",
            "financial_year",
            "quarter",
            "status",
        ]
        form = _GetForm

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        projects = Project.objects.filter(pk__in=self.queryset.values("project"))
        self.filters["partnership"].queryset = Partnership.objects.filter(
            pk__in=projects.values("programme__partnership")
        )
        self.filters["programme"].queryset = Programme.objects.filter(
            pk__in=projects.values("programme")
        )
        self.filters["sub_region"].queryset = SubRegion.objects.filter(
            partnership__in=projects.values("programme__partnership")
        )
        self.filters["accountable_body"].queryset = Organisation.objects.filter(
            pk__in=projects.values("lead_organisation")
        )
