"""Projects, milestones, grant payments and progress reports as the project pages
show them, and the writes those pages make: an officer logs a milestone achieved with
its evidence and submits progress reports; a programme manager verifies or returns
milestones and approves payments; finance records them paid."""

from partnership.api.access import PortalViewSet
from partnership.api.writes import allowed, bind, cleaned, form_serializer, write
from projects import forms, services
from projects.models import GrantPayment, Milestone, ProgressReport, Project
from projects.permissions import (
    can_approve_payment,
    can_change_project,
    can_manage_delivery,
    can_record_payment,
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
        allowed(request.user, milestone, of_project(can_change_project))
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


class GrantPaymentViewSet(PortalViewSet):
    """The grant payments of the projects the user may open, soonest due first."""

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


class ProgressReportViewSet(PortalViewSet):
    """The quarterly progress reports of the projects the user may open, drafts
    included as on the project page."""

    serializer_class = serializers.ProgressReportSerializer
    filterset_class = filters.ProgressReportFilter
    ordering_fields = ["financial_year", "quarter", "submitted_at"]

    def get_queryset(self):
        return (
            ProgressReport.objects.visible_to(self.request.user)
            .select_related(*OF_PROJECT)
            .order_by("project__reference", "-financial_year", "-quarter", "-version", "pk")
        )

    @write(
        summary="Submit the draft report (the lead council's officers)",
        response=serializers.ProgressReportSerializer,
    )
    def submit(self, request, pk=None):
        report = self.get_object()
        allowed(request.user, report, of_project(can_change_project))
        return self.answer(services.progress_report_submit(report=report, by=request.user))
