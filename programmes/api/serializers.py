from rest_framework import serializers

from programmes.models import BudgetLine, LedgerEntry, Programme
from programmes.selectors import MONEY_FIELD


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


def _balance(help_text: str) -> serializers.DecimalField:
    return serializers.DecimalField(
        max_digits=MONEY_FIELD.max_digits,
        decimal_places=MONEY_FIELD.decimal_places,
        read_only=True,
        help_text=help_text,
    )


class BudgetLineSerializer(serializers.ModelSerializer):
    # Derived from the ledger by programmes.selectors.budget_lines_with_balances.
    allocated = _balance("Allocations and reallocations in, less reallocations out")
    committed = _balance("Grant approved, less releases and clawbacks")
    paid = _balance("Grant paid out, less clawbacks")
    available = _balance("Allocated less committed")
    unpaid = _balance("Committed less paid")

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
