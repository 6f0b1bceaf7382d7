from django.conf import settings
from django.http import JsonResponse
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import ValidationError

from partnership import downloads
from partnership.api.access import ReadOnlyViewSet
from partnership.api.renderers import CsvRenderer
from partnership.exports import csv_response
from projects import exports
from projects.forms import PaymentScheduleFilter
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


# What ?format=csv reads besides the schedule page's own filters: the CSV holds every
# row, so the page asked for is beside the point.
_CSV_IGNORES = {"format", "page", "page_size"}


class GrantPaymentViewSet(ReadOnlyViewSet):
    """The grant payments of the projects the user may open, soonest due first.
    ``?format=csv`` gives the grant payment schedule as finance downloads it from its
    page: the same columns and filters, for the same people, and written in the
    background when large (the answer is then 202 with the download's page)."""

    serializer_class = serializers.GrantPaymentSerializer
    filterset_class = filters.GrantPaymentFilter
    ordering_fields = ["due_on", "amount", "paid_on", "status"]

    def get_queryset(self):
        return GrantPayment.objects.visible_to(self.request.user).order_by(
            "due_on", "project__reference", "pk"
        )

    def get_renderers(self):
        renderers = super().get_renderers()
        return [*renderers, CsvRenderer()] if self.action == "list" else renderers

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "format",
                enum=["json", "csv"],
                description=(
                    "csv: the grant payment schedule as its page downloads it, with the "
                    "page's filters only; for those who approve or record payments"
                ),
            )
        ]
    )
    def list(self, request, *args, **kwargs):
        if request.accepted_renderer.format != "csv":
            return super().list(request, *args, **kwargs)
        return self._schedule_csv(request)

    def _schedule_csv(self, request):
        others = set(request.query_params) - _CSV_IGNORES - set(PaymentScheduleFilter.base_filters)
        if others:
            raise ValidationError(
                dict.fromkeys(
                    sorted(others), "The CSV takes the payment schedule page’s filters only."
                )
            )
        chosen = request.query_params.copy()
        for name in _CSV_IGNORES:
            chosen.pop(name, None)
        rows = exports.PAYMENT_SCHEDULE.rows(request.user, chosen)
        if rows.count() <= settings.DOWNLOAD_IN_BACKGROUND_OVER:
            return csv_response(
                f"{exports.PAYMENT_SCHEDULE.filename()}.csv",
                exports.PAYMENT_SCHEDULE.header,
                rows.iterator(),
            )
        download = downloads.download_request(
            export=exports.PAYMENT_SCHEDULE,
            file_format=downloads.Format.CSV,
            filters=chosen,
            by=request.user,
        )
        url = request.build_absolute_uri(download.get_absolute_url())
        # The answer is about the file, not a table: JSON, whatever format was asked.
        response = JsonResponse(
            {"download": url, "status": download.status, "rows": download.rows_total},
            status=202,
        )
        response["Location"] = url
        return response


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
