from rest_framework import serializers

from partnership.api.fields import derived_amount
from savings.models import ForecastReturn, SavingsEntry, SavingsReturn, SavingsTarget


class SavingsEntrySerializer(serializers.ModelSerializer):
    class Meta:
        model = SavingsEntry
        fields = [
            "id",
            "organisation",
            "project",
            "programme",
            "savings_return",
            "category",
            "financial_year",
            "quarter",
            "amount",
            "cashable",
            "status",
            "description",
        ]


class SavingsReturnSerializer(serializers.ModelSerializer):
    class Meta:
        model = SavingsReturn
        fields = [
            "id",
            "organisation",
            "financial_year",
            "quarter",
            "version",
            "status",
            "submitted_at",
            "certified_at",
            "certifier_comment",
        ]


class SavingsTargetSerializer(serializers.ModelSerializer):
    target_amount = derived_amount(
        "The amount, or the percentage of the baseline; null while the baseline is not known",
        allow_null=True,
    )

    class Meta:
        model = SavingsTarget
        fields = [
            "id",
            "agreement",
            "organisation",
            "financial_year",
            "basis",
            "percentage",
            "baseline",
            "baseline_description",
            "amount",
            "cashable_only",
            "target_amount",
        ]


class ForecastReturnSerializer(serializers.ModelSerializer):
    class Meta:
        model = ForecastReturn
        fields = ["id", "organisation", "financial_year", "rag", "comment", "returned_on"]
