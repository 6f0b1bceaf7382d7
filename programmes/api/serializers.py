from rest_framework import serializers

from partnership.api.fields import derived_amount
from programmes.models import BudgetLine, FundingSource, LedgerEntry, Programme


class ProgrammeSerializer(serializers.ModelSerializer):
    class Meta:
        model = Programme
        fields = [
            "id",
            "partnership",
            "sub_region",
            "name",
            "slug",
            "description",
            "starts_on",
            "ends_on",
        ]


class BudgetLineSerializer(serializers.ModelSerializer):
    # Derived from the ledger by programmes.selectors.budget_lines_with_balances.
    allocated = derived_amount("Allocations and reallocations in, less reallocations out")
    committed = derived_amount("Grant approved, less releases and clawbacks")
    paid = derived_amount("Grant paid out, less clawbacks")
    available = derived_amount("Allocated less committed")
    unpaid = derived_amount("Committed less paid")

    class Meta:
        model = BudgetLine
        fields = [
            "id",
            "programme",
            "name",
            "description",
            "position",
            "allocated",
            "committed",
            "paid",
            "available",
            "unpaid",
        ]


class FundingSourceSerializer(serializers.ModelSerializer):
    class Meta:
        model = FundingSource
        fields = ["id", "programme", "name", "kind", "ring_fenced", "expected_amount", "note"]


class LedgerEntrySerializer(serializers.ModelSerializer):
    class Meta:
        model = LedgerEntry
        fields = [
            "id",
            "programme",
            "kind",
            "amount",
            "occurred_on",
            "budget_line",
            "from_budget_line",
            "funding_source",
            "memo",
            "decision",
            "recorded_at",
        ]
