from rest_framework import serializers

from projects.models import GrantPayment, Milestone, ProgressReport, Project


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


class ProgressReportSerializer(serializers.ModelSerializer):
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
            "submitted_at",
        ]
