import django_filters

from partnership.api.filters import ApiFilterSet, IdFilter, MomentRangeFilter
from savings.models import ForecastReturn, SavingsEntry, SavingsReturn, SavingsTarget


class _OfOrganisation(ApiFilterSet):
    """Savings records belong to a council, which belongs to partnerships and
    sub-regions."""

    partnership = IdFilter(field_name="organisation__partnerships")
    sub_region = IdFilter(field_name="organisation__sub_regions")


class SavingsEntryFilter(_OfOrganisation):
    status = django_filters.ChoiceFilter(choices=SavingsEntry.Status.choices)

    class Meta:
        model = SavingsEntry
        fields = [
            "organisation",
            "partnership",
            "sub_region",
            "programme",
            "project",
            "savings_return",
            "category",
            "financial_year",
            "quarter",
            "status",
            "cashable",
        ]


class SavingsReturnFilter(_OfOrganisation):
    status = django_filters.MultipleChoiceFilter(choices=SavingsReturn.Status.choices)
    submitted_at = MomentRangeFilter()

    class Meta:
        model = SavingsReturn
        fields = [
            "organisation",
            "partnership",
            "sub_region",
            "financial_year",
            "quarter",
            "status",
        ]


class SavingsTargetFilter(_OfOrganisation):
    class Meta:
        model = SavingsTarget
        fields = [
            "agreement",
            "organisation",
            "partnership",
            "sub_region",
            "financial_year",
            "basis",
        ]


class ForecastReturnFilter(_OfOrganisation):
    returned_on = django_filters.DateFromToRangeFilter()

    class Meta:
        model = ForecastReturn
        fields = ["organisation", "partnership", "sub_region", "financial_year", "rag"]
