from rest_framework import serializers

from projects.models import (
    ChangeRequest,
    GrantPayment,
    Milestone,
    PaymentChange,
    ProgressReport,
    ProgressReportSpend,
    Project,
)


class ProjectSerializer(serializers.ModelSerializer):
    class Meta:
        model = Project
        fields = [
            "id",
            "reference",
            "title",
            "outline",
            "programme",
            "budget_line",
            "lead_organisation",
            "partners",
            "theme",
            "bid",
            "status",
            "grant_awarded",
            "invest_to_save",
            "savings_claimed",
            "starts_on",
            "ends_on",
        ]


class MilestoneSerializer(serializers.ModelSerializer):
    class Meta:
        model = Milestone
        fields = [
            "id",
            "project",
            "position",
            "title",
            "description",
            "status",
            "due_on",
            "forecast_on",
            "achieved_on",
            "delivered",
            "verified_on",
            "review_comment",
        ]


class GrantPaymentSerializer(serializers.ModelSerializer):
    class Meta:
        model = GrantPayment
        fields = [
            "id",
            "project",
            "milestone",
            "amount",
            "due_on",
            "status",
            "approved_on",
            "paid_on",
            "reference",
            "withheld_reason",
        ]


class ProgressReportSpendSerializer(serializers.ModelSerializer):
    class Meta:
        model = ProgressReportSpend
        fields = ["financial_year", "quarter", "forecast", "actual"]


class ProgressReportSerializer(serializers.ModelSerializer):
    spend = ProgressReportSpendSerializer(many=True, read_only=True)
    submitted_by = serializers.CharField(
        source="submitted_by.get_username", read_only=True, allow_null=True, default=None
    )

    class Meta:
        model = ProgressReport
        fields = [
            "id",
            "project",
            "financial_year",
            "quarter",
            "version",
            "status",
            "rag",
            "rag_schedule",
            "rag_budget",
            "rag_benefits",
            "narrative",
            "risks_and_issues",
            "spend_to_date",
            "savings_to_date",
            "spend",
            "risks",
            "submitted_by",
            "submitted_at",
        ]


class PaymentChangeSerializer(serializers.ModelSerializer):
    class Meta:
        model = PaymentChange
        fields = ["payment", "previous_amount", "previous_due_on", "new_amount", "new_due_on"]


class ChangeRequestSerializer(serializers.ModelSerializer):
    payment_changes = PaymentChangeSerializer(many=True, read_only=True)
    requested_by = serializers.CharField(source="requested_by.get_username", read_only=True)
    decided_by = serializers.CharField(
        source="decided_by.get_username", read_only=True, allow_null=True, default=None
    )

    class Meta:
        model = ChangeRequest
        fields = [
            "id",
            "project",
            "kind",
            "status",
            "reason",
            "new_grant_awarded",
            "previous_grant_awarded",
            "new_ends_on",
            "previous_ends_on",
            "new_scope",
            "payment_changes",
            "requested_by",
            "requested_at",
            "decided_by",
            "decided_at",
            "decision",
            "decision_note",
        ]
