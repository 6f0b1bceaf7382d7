import django_filters

from partnership.api.filters import ApiFilterSet, FinancialYearFilter, IdFilter
from programmes.models import BudgetLine, FundingSource, LedgerEntry, Programme


class ProgrammeFilter(ApiFilterSet):
    class Meta:
        model = Programme
        fields = ["partnership", "sub_region"]


class BudgetLineFilter(ApiFilterSet):
    partnership = IdFilter(field_name="programme__partnership")

    class Meta:
        model = BudgetLine
        fields = ["programme", "partnership"]


class FundingSourceFilter(ApiFilterSet):
    partnership = IdFilter(field_name="programme__partnership")

    class Meta:
        model = FundingSource
        fields = ["programme", "partnership", "kind", "ring_fenced"]


class LedgerEntryFilter(ApiFilterSet):
    partnership = IdFilter(field_name="programme__partnership")
    financial_year = FinancialYearFilter(field_name="occurred_on")
    occurred_on = django_filters.DateFromToRangeFilter()

    class Meta:
        model = LedgerEntry
        fields = ["programme", "partnership", "budget_line", "kind", "financial_year"]
