"""Filters of the project list and of the grant payment schedule."""

import django_filters
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Submit
from django import forms
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from partnership import financial_years
from partnership.govuk_forms import text_input
from partnership.models import Organisation, Partnership, SubRegion
from programmes.models import Programme
from projects import selectors
from projects.models import GrantPayment, Milestone, Project


class _GetForm(forms.Form):
    """A filter form: sent with GET, drawn with GOV.UK styles."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper(self)
        self.helper.form_method = "get"
        self.helper.add_input(Submit("", "Apply filters", css_class="govuk-button--secondary"))


# The project list's sortable columns: the key in the query string and the order it
# gives, the reference breaking ties.
PROJECT_SORTS = {
    "project": ("reference",),
    "lead": ("lead_organisation__name", "reference"),
    "grant": ("grant_awarded", "reference"),
    "status": ("status", "reference"),
}
DEFAULT_PROJECT_SORT = "project"


def _search(queryset, name, text):
    words = text.split()
    for word in words:
        queryset = queryset.filter(
            Q(reference__icontains=word)
            | Q(title__icontains=word)
            | Q(lead_organisation__name__icontains=word)
            | Q(lead_organisation__short_name__icontains=word)
        )
    return queryset


def _behind(queryset, name, behind):
    """Projects with a milestone not yet achieved past its forecast date."""
    if not behind:
        return queryset
    overdue = Milestone.objects.filter(
        Milestone.overdue_on(timezone.localdate()), project=OuterRef("pk")
    )
    return queryset.filter(Exists(overdue))


def _sorted(queryset, name, sort):
    fields = PROJECT_SORTS.get(sort.removeprefix("-"), PROJECT_SORTS[DEFAULT_PROJECT_SORT])
    if sort.startswith("-"):
        fields = (f"-{fields[0]}", *fields[1:])
    return queryset.order_by(*fields)


class ProjectFilter(django_filters.FilterSet):
    """Search a partnership's projects, narrow them by programme and status, and sort
    them by a column (kept, hidden, when the filters change)."""

    q = django_filters.CharFilter(
        label="Search",
        method=_search,
        help_text="A reference, a word of the title or the lead council",
        widget=text_input(spellcheck="false"),
    )
    programme = django_filters.ModelChoiceFilter(
        queryset=Programme.objects.none(), empty_label="All programmes"
    )
    status = django_filters.ChoiceFilter(choices=Project.Status.choices, empty_label="All statuses")
    behind = django_filters.BooleanFilter(
        label="Only projects with an overdue milestone",
        method=_behind,
        widget=forms.CheckboxInput(attrs={"class": "govuk-checkboxes__input"}),
    )
    sort = django_filters.CharFilter(method=_sorted, widget=forms.HiddenInput)

    class Meta:
        model = Project
        fields = ["q", "programme", "status", "behind", "sort"]
        form = _GetForm

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["programme"].queryset = Programme.objects.filter(
            pk__in=self.queryset.values("programme")
        )

    def sort_in_force(self) -> str:
        """The sort the table is in, for its headings."""
        sort = self.form.cleaned_data.get("sort") if self.form.is_valid() else ""
        return sort if sort and sort.removeprefix("-") in PROJECT_SORTS else DEFAULT_PROJECT_SORT


def _due_in_year(queryset, name, year):
    return queryset.filter(due_on__range=financial_years.year_bounds(int(year)))


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
    same ones, so a download holds exactly the rows the page listed. The choices are
    the partnerships, programmes, sub-regions and accountable bodies in the reader's
    scope, read from their roles: deriving them from every payment they may see
    would read the whole schedule for each page."""

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
    # The home page's links to the payments waiting for the reader.
    waiting = django_filters.ChoiceFilter(
        label="Waiting for you",
        choices=[("approve", "To approve for release"), ("pay", "To pay by the end of the week")],
        method="_waiting",
        empty_label="Any",
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
            "waiting",
        ]
        form = _GetForm

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        partnerships = Partnership.objects.visible_to(user)
        self.filters["partnership"].queryset = partnerships
        self.filters["programme"].queryset = Programme.objects.visible_to(user).select_related(
            "partnership"
        )
        self.filters["sub_region"].queryset = SubRegion.objects.filter(
            partnership__in=partnerships.values("pk")
        )
        self.filters["accountable_body"].queryset = Organisation.objects.filter(
            pk__in=Project.objects.visible_to(user).values("lead_organisation")
        )

    def _waiting(self, queryset, name, waiting):
        if waiting == "approve":
            return selectors.awaiting_approval(queryset, self.user)
        return selectors.to_pay_this_week(queryset, self.user, timezone.localdate())
