"""Projects, milestones, grant payments, progress reports and change requests as the
project pages show them, and the writes those pages make: an officer logs a milestone
achieved with its evidence and submits progress reports; a programme manager verifies
or returns milestones and approves payments; finance records them paid."""

from django.conf import settings
from django.http import JsonResponse
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import ValidationError

from partnership import downloads
from partnership.api.access import PortalViewSet
from partnership.api.renderers import CsvRenderer
from partnership.api.writes import allowed, bind, cleaned, form_serializer, write
from partnership.exports import csv_response
from projects import exports, forms, services
from projects.forms import PaymentScheduleFilter
from projects.models import ChangeRequest, GrantPayment, Milestone, ProgressReport, Project
from projects.permissions import (
    can_approve_payment,
    can_manage_delivery,
    can_record_payment,
    can_report_on_project,
)
from projects.views.access import OF_PROJECT, of_project

from . import filters, serializers


class ProjectViewSet(PortalViewSet):
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


class MilestoneViewSet(PortalViewSet):
    """The outcome milestones of the projects the user may open."""

    serializer_class = serializers.MilestoneSerializer
    filterset_class = filters.MilestoneFilter
    ordering_fields = ["due_on", "forecast_on", "achieved_on", "verified_on", "position"]

    def get_queryset(self):
        return (
            Milestone.objects.visible_to(self.request.user)
            .select_related(*OF_PROJECT)
            .order_by("project__reference", "position", "pk")
        )

    @write(
        summary="Log the milestone achieved, with its evidence (the lead council's officers)",
        request=form_serializer(forms.MilestoneLogForm, "MilestoneLog"),
        response=serializers.MilestoneSerializer,
        files=True,
    )
    def log(self, request, pk=None):
        milestone = self.get_object()
        allowed(request.user, milestone, of_project(can_report_on_project))
        form = bind(forms.MilestoneLogForm, request, has_evidence=milestone.evidence.exists())
        data = cleaned(form)
        logged = services.milestone_log_delivery(
            milestone=milestone,
            achieved_on=data["achieved_on"],
            delivered=data["delivered"],
            files=data["files"],
            links=data["links"],
            by=request.user,
        )
        return self.answer(logged)

    @write(
        summary="Verify the milestone, making its payment due (programme managers)",
        response=serializers.MilestoneSerializer,
    )
    def verify(self, request, pk=None):
        milestone = self.get_object()
        allowed(request.user, milestone, of_project(can_manage_delivery))
        return self.answer(services.milestone_verify(milestone=milestone, by=request.user))

    @write(
        summary="Return the milestone to the officer with what to change (programme managers)",
        request=form_serializer(forms.MilestoneReturnForm, "MilestoneReturn"),
        response=serializers.MilestoneSerializer,
        url_path="return",
    )
    def send_back(self, request, pk=None):
        milestone = self.get_object()
        allowed(request.user, milestone, of_project(can_manage_delivery))
        data = cleaned(bind(forms.MilestoneReturnForm, request))
        return self.answer(
            services.milestone_return(milestone=milestone, comment=data["comment"], by=request.user)
        )


# What ?format=csv reads besides the schedule page's own filters: the CSV holds every
# row, so the page asked for is beside the point.
_CSV_IGNORES = {"format", "page", "page_size"}


class GrantPaymentViewSet(PortalViewSet):
    """The grant payments of the projects the user may open, soonest due first.
    ``?format=csv`` gives the grant payment schedule as finance downloads it from its
    page: the same columns and filters, for the same people, and written in the
    background when large (the answer is then 202 with the download's page)."""

    serializer_class = serializers.GrantPaymentSerializer
    filterset_class = filters.GrantPaymentFilter
    ordering_fields = ["due_on", "amount", "paid_on", "status"]

    def get_queryset(self):
        return (
            GrantPayment.objects.visible_to(self.request.user)
            .select_related(*OF_PROJECT, "milestone")
            .order_by("due_on", "project__reference", "pk")
        )

    @write(
        summary="Approve the payment for release (programme managers, not of the recipient)",
        response=serializers.GrantPaymentSerializer,
    )
    def approve(self, request, pk=None):
        payment = self.get_object()
        allowed(request.user, payment, can_approve_payment)
        return self.answer(services.payment_approve(payment=payment, by=request.user))

    @write(
        summary="Record the approved payment as paid (the paying body's finance)",
        request=form_serializer(forms.PaymentRecordForm, "PaymentRecord"),
        response=serializers.GrantPaymentSerializer,
        url_path="record-paid",
    )
    def record_paid(self, request, pk=None):
        payment = self.get_object()
        allowed(request.user, payment, can_record_payment)
        data = cleaned(bind(forms.PaymentRecordForm, request))
        paid = services.payment_record_paid(
            payment=payment, paid_on=data["paid_on"], reference=data["reference"], by=request.user
        )
        return self.answer(paid)

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


class ProgressReportViewSet(PortalViewSet):
    """The quarterly progress reports of the projects the user may open, with the
    spend each gives by quarter; latest quarter first."""

    serializer_class = serializers.ProgressReportSerializer
    filterset_class = filters.ProgressReportFilter
    ordering_fields = ["financial_year", "quarter", "submitted_at"]

    def get_queryset(self):
        return (
            ProgressReport.objects.visible_to(self.request.user)
            .select_related(*OF_PROJECT, "submitted_by")
            .prefetch_related("spend", "risks")
            .order_by("-financial_year", "-quarter", "project__reference", "-version", "pk")
        )

    @write(
        summary="Submit the draft report (the lead council's officers)",
        response=serializers.ProgressReportSerializer,
    )
    def submit(self, request, pk=None):
        report = self.get_object()
        allowed(request.user, report, of_project(can_report_on_project))
        return self.answer(services.progress_report_submit(report=report, by=request.user))


class ChangeRequestViewSet(PortalViewSet):
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
