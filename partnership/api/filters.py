import datetime

import django_filters
from django import forms
from django.db import models
from django_filters import rest_framework

from partnership import financial_years
from partnership.models import Action, Decision, Meeting, Organisation, SubRegion

# The largest id a 64-bit integer column holds (BigAutoField).
LARGEST_ID = 2**63 - 1


class IdFilter(django_filters.NumberFilter):
    """A record named by its id: a whole number the database can hold, so that a
    larger one is refused as a bad request rather than failing in the database."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", LARGEST_ID)
        super().__init__(*args, **kwargs)


_BY_ID = {"filter_class": IdFilter}


class ApiFilterSet(rest_framework.FilterSet):
    """Related records are named by id and matched as given: an id the user may not
    see matches nothing, rather than saying by a refusal that it exists."""

    FILTER_DEFAULTS = {
        **rest_framework.FilterSet.FILTER_DEFAULTS,
        models.ForeignKey: _BY_ID,
        models.OneToOneField: _BY_ID,
        models.ManyToManyField: _BY_ID,
    }


class OrganisationFilter(ApiFilterSet):
    partnership = IdFilter(field_name="partnerships", label="Partnership")
    sub_region = IdFilter(field_name="sub_regions", label="Sub-region")
    kind = django_filters.ChoiceFilter(choices=Organisation.Kind.choices)
    gss_code = django_filters.CharFilter()
    org_id = django_filters.CharFilter()

    class Meta:
        model = Organisation
        fields = ["partnership", "sub_region", "kind", "gss_code", "org_id"]


class SubRegionFilter(ApiFilterSet):
    class Meta:
        model = SubRegion
        fields = ["partnership"]


class MeetingFilter(ApiFilterSet):
    held_on = django_filters.DateFromToRangeFilter()

    class Meta:
        model = Meeting
        fields = ["partnership", "minutes_status"]


class DecisionFilter(ApiFilterSet):
    partnership = IdFilter(field_name="meeting__partnership")
    held_on = django_filters.DateFromToRangeFilter(field_name="meeting__held_on")

    class Meta:
        model = Decision
        fields = ["meeting", "partnership"]


class ActionFilter(ApiFilterSet):
    partnership = IdFilter(field_name="meeting__partnership")
    done = django_filters.BooleanFilter(
        field_name="done_on", lookup_expr="isnull", exclude=True, label="Done"
    )
    due_on = django_filters.DateFromToRangeFilter()

    class Meta:
        model = Action
        fields = ["meeting", "partnership", "done"]


def _in_utc(moment: datetime.datetime | None) -> datetime.datetime | None:
    if moment is None:
        return None
    try:
        return moment.astimezone(datetime.UTC)
    except OverflowError:  # off the calendar once in UTC: no bound at all
        return None


class MomentRangeFilter(django_filters.IsoDateTimeFromToRangeFilter):
    """Moments from and to (``_after``, ``_before``) in ISO 8601 with any offset,
    compared in UTC: PostgreSQL refuses offsets beyond 15:59 that ISO 8601 allows."""

    def filter(self, queryset, value):
        if not value:
            return queryset
        start, stop = _in_utc(value.start), _in_utc(value.stop)
        if start is None and stop is None:
            return queryset
        return super().filter(queryset, slice(start, stop))


class FinancialYearFilter(django_filters.NumberFilter):
    """Rows whose date (``field_name``) falls in a financial year, given as the calendar
    year it starts in: 2011 for 2011/12."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", financial_years.FIRST_YEAR)
        kwargs.setdefault("max_value", financial_years.LAST_YEAR)
        kwargs.setdefault(
            "help_text", "A financial year by the year it starts in: 2011 for 2011/12"
        )
        super().__init__(*args, **kwargs)

    def filter(self, queryset, value):
        if value is None:
            return queryset
        bounds = financial_years.year_bounds(int(value))
        return queryset.filter(**{f"{self.field_name}__range": bounds})
