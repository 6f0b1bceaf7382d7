from partnership.api.access import ReadOnlyViewSet
from projects.models import ChangeRequest, GrantPayment, Milestone, ProgressReport, Project

from . import filters, serializers


class ProjectViewSet(ReadOnlyViewSet):
    """The projects the user may open: all of the partnerships they manage, sit on the
    board of or do finance for; those their council leads or is a partner in."""

    serializer_class = serializers.ProjectSerializer
    filterset_class = filters.ProjectApiFilter
    ordering_fields = ["reference", "title", "grant_awarded", "status", "starts_on", "ends_on"]

    def get_queryset(self):
        return (
            Project.objects.visible_to(self.request.user)
            .prefetch_related("partners")
            .order_by("reference")
        )


class MilestoneViewSet(ReadOnlyViewSet):
    """The outcome milestones of the projects the user may open."""

    serializer_class = serializers.MilestoneSerializer
    filterset_class = filters.MilestoneFilter
    ordering_fields = ["due_on", "forecast_on", "achieved_on", "verified_on", "position"]

    def get_queryset(self):
        return Milestone.objects.visible_to(self.request.user).order_by(
            "project__reference", "position", "pk"
        )


class GrantPaymentViewSet(ReadOnlyViewSet):
    """The grant payments of the projects the user may open, soonest due first."""

    serializer_class = serializers.GrantPaymentSerializer
    filterset_class = filters.GrantPaymentFilter
    ordering_fields = ["due_on", "amount", "paid_on", "status"]

    def get_queryset(self):
        return GrantPayment.objects.visible_to(self.request.user).order_by(
            "due_on", "project__reference", "pk"
        )


class ProgressReportViewSet(ReadOnlyViewSet):
    """The quarterly progress reports of the projects the user may open, with the
    spend each gives by quarter; latest quarter first."""

    serializer_class = serializers.ProgressReportSerializer
    filterset_class = filters.ProgressReportFilter
    ordering_fields = ["financial_year", "quarter", "submitted_at"]

    def get_queryset(self):
        return (
            ProgressReport.objects.visible_to(self.request.user)
            .select_related("submitted_by")
            .prefetch_related("spend", "risks")
            .order_by("-financial_year", "-quarter", "project__reference", "-version", "pk")
        )


class ChangeRequestViewSet(ReadOnlyViewSet):
    """Requests to vary the projects the user may open, with the payments each
    re-profiles (before and after); latest first."""

    serializer_class = serializers.ChangeRequestSerializer
    filterset_class = filters.ChangeRequestFilter
    ordering_fields = ["requested_at", "decided_at"]

    def get_queryset(self):
        return (
            ChangeRequest.objects.visible_to(self.request.user)
            .select_related("requested_by", "decided_by")
            .prefetch_related("payment_changes")
            .order_by("-requested_at", "pk")
        )
