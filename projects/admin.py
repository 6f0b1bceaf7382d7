from django import forms
from django.contrib import admin
from django.contrib.admin import RelatedOnlyFieldListFilter

from partnership.admin_base import (
    FinancialYearFilter,
    PortalAdmin,
    PortalInline,
    financial_year,
    money,
)

from .models import (
    ChangeRequest,
    Clawback,
    GrantPayment,
    Milestone,
    MilestoneEvidence,
    MilestoneReprofile,
    PaymentChange,
    ProgressReport,
    ProgressReportSpend,
    Project,
    ProjectClosure,
    ProjectRisk,
    Repayment,
)

PARTNERSHIP = "programme__partnership"


class MilestoneForm(forms.ModelForm):
    """A new milestone's forecast starts at its baseline date; afterwards only a
    re-profile moves it, so the forecast is never typed in here."""

    def clean(self):
        cleaned = super().clean()
        if self.instance._state.adding:
            self.instance.forecast_on = cleaned.get("due_on")
        return cleaned


# Set by logging a milestone achieved and by verifying it (projects services).
MILESTONE_PROGRESS = ["status", "achieved_on", "delivered", "verified_on", "verified_by"]


class MilestoneInline(PortalInline):
    """A milestone is added with the payment it releases on the project's page
    (projects.services.milestone_add, which keeps the schedule within the award);
    here its wording can be corrected."""

    model = Milestone
    form = MilestoneForm
    fields = [
        "position",
        "title",
        "due_on",
        "forecast_on",
        "status",
        "achieved_on",
        "verified_on",
    ]
    readonly_fields = ["due_on", "forecast_on", *MILESTONE_PROGRESS]

    def has_add_permission(self, request, obj):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# Approval, release and payment are recorded by the payment services, which write
# the ledger; the admin shows them.
PAYMENT_PROGRESS = [
    "status",
    "approved_by",
    "approved_on",
    "paid_on",
    "reference",
    "withheld_reason",
    "ledger_entry",
]


class GrantPaymentInline(PortalInline):
    model = GrantPayment
    fields = ["milestone", "amount", "due_on", "status", "approved_on", "paid_on", "reference"]
    readonly_fields = fields
    editable = False


@admin.register(Project)
class ProjectAdmin(PortalAdmin):
    list_display = [
        "reference",
        "title",
        "lead_organisation",
        "programme",
        money("grant_awarded"),
        "status",
        "invest_to_save",
    ]
    list_select_related = ["lead_organisation", "programme"]
    list_filter = [
        "status",
        (PARTNERSHIP, RelatedOnlyFieldListFilter),
        ("programme__sub_region", RelatedOnlyFieldListFilter),
        ("programme", RelatedOnlyFieldListFilter),
        "invest_to_save",
    ]
    search_fields = [
        "reference",
        "title",
        "lead_organisation__name",
        "lead_organisation__short_name",
    ]
    autocomplete_fields = ["lead_organisation", "partners"]
    # A project is made by the board's decision on its bid, which commits the award
    # in the ledger against the budget line; a change of grant is a change request,
    # and the status follows delivery and closure. So none of those is typed here.
    readonly_fields = ["programme", "budget_line", "bid", "grant_awarded", "status"]
    addable = False
    deletable = False
    inlines = [MilestoneInline, GrantPaymentInline]

    def is_settled(self, project):
        return project.status == Project.Status.CLOSED


class ProjectChildAdmin(PortalAdmin):
    list_filter = [
        (f"project__{PARTNERSHIP}", RelatedOnlyFieldListFilter),
        ("project__programme__sub_region", RelatedOnlyFieldListFilter),
        ("project__programme", RelatedOnlyFieldListFilter),
    ]
    autocomplete_fields = ["project"]
    fixed_after_creation = ("project",)


class MilestoneReprofileInline(PortalInline):
    model = MilestoneReprofile
    fields = ["previous_forecast_on", "new_forecast_on", "reason", "by", "at"]
    readonly_fields = fields
    editable = False
    show_change_link = False


@admin.register(Milestone)
class MilestoneAdmin(ProjectChildAdmin):
    form = MilestoneForm
    list_display = [
        "title",
        "project",
        "position",
        "due_on",
        "forecast_on",
        "status",
        "achieved_on",
        "verified_on",
        money("releases", "payment", sortable=False),
    ]
    list_select_related = ["project", "payment"]
    list_filter = ["status", *ProjectChildAdmin.list_filter]
    search_fields = ["title", "project__reference", "project__title"]
    date_hierarchy = "forecast_on"
    readonly_fields = ["project", "due_on", "forecast_on", *MILESTONE_PROGRESS]
    addable = False  # with its payment, on the project's page (see MilestoneInline)
    deletable = False
    inlines = [MilestoneReprofileInline]

    def is_settled(self, milestone):
        return milestone.status == Milestone.Status.VERIFIED


@admin.register(MilestoneReprofile)
class MilestoneReprofileAdmin(PortalAdmin):
    """Re-profiles are the record of a milestone's slippage. Making one moves the
    milestone's forecast too, which the projects services do together; here they
    are read."""

    visible_via = "milestone"
    list_display = ["milestone", "previous_forecast_on", "new_forecast_on", "by", "at"]
    list_select_related = ["milestone__project", "by"]
    list_filter = [
        (f"milestone__project__{PARTNERSHIP}", RelatedOnlyFieldListFilter),
        ("milestone__project__programme", RelatedOnlyFieldListFilter),
    ]
    search_fields = ["reason", "milestone__title", "milestone__project__reference"]
    editable = False


@admin.display(description="accountable body", ordering="project__lead_organisation__name")
def accountable_body(row):
    return row.project.lead_organisation


@admin.register(GrantPayment)
class GrantPaymentAdmin(ProjectChildAdmin):
    list_display = [
        "due_on",
        "project",
        accountable_body,
        "milestone",
        money("amount"),
        "status",
        "approved_on",
        "paid_on",
        "reference",
    ]
    list_select_related = ["project__lead_organisation", "milestone"]
    list_filter = [
        "status",
        *ProjectChildAdmin.list_filter,
        ("project__lead_organisation", RelatedOnlyFieldListFilter),
    ]
    search_fields = ["reference", "project__reference", "project__lead_organisation__name"]
    date_hierarchy = "due_on"
    # Every field of a payment is a service's: scheduled with its milestone,
    # re-profiled by a change request, approved, withheld, released and paid on
    # the payment's page.
    editable = False


@admin.register(ProgressReport)
class ProgressReportAdmin(ProjectChildAdmin):
    list_display = [
        "project",
        financial_year(),
        "quarter",
        "status",
        "rag",
        money("spend_to_date"),
        money("savings_to_date"),
        "submitted_at",
    ]
    list_select_related = ["project"]
    list_filter = [
        FinancialYearFilter,
        "quarter",
        "status",
        "rag",
        *ProjectChildAdmin.list_filter,
    ]
    search_fields = ["project__reference", "project__title", "narrative"]
    # Submission is a step of its own (who and when), not a field to type; a
    # submitted report is corrected by a new version.
    readonly_fields = ["status", "version", "submitted_by", "submitted_at"]

    def is_settled(self, report):
        return report.status != ProgressReport.Status.DRAFT


@admin.register(Repayment)
class RepaymentAdmin(ProjectChildAdmin):
    list_display = [
        "project",
        accountable_body,
        "due_on",
        money("amount"),
        "received_on",
        "reference",
    ]
    list_select_related = ["project__lead_organisation"]
    list_filter = [*ProjectChildAdmin.list_filter, "received_on"]
    search_fields = ["project__reference", "reference"]
    date_hierarchy = "due_on"
    # Repayments are agreed for invest-to-save projects only, and one received is
    # money into the programme, recorded with its ledger entry: both on the
    # project's pages (repayment_schedule, repayment_record_received).
    editable = False


class ProgressReportSpendInline(PortalInline):
    model = ProgressReportSpend
    fields = ["financial_year", "quarter", "forecast", "actual"]


ProgressReportAdmin.inlines = [ProgressReportSpendInline]


@admin.register(ProjectRisk)
class ProjectRiskAdmin(ProjectChildAdmin):
    list_display = ["risk", "project", "likelihood", "impact", "score", "owner", "status"]
    list_select_related = ["project"]
    list_filter = ["status", *ProjectChildAdmin.list_filter]
    search_fields = ["risk", "owner", "project__reference", "project__title"]


class PaymentChangeInline(PortalInline):
    model = PaymentChange
    fields = ["payment", "previous_amount", "previous_due_on", "new_amount", "new_due_on"]
    readonly_fields = fields
    editable = False
    show_change_link = False


@admin.register(ChangeRequest)
class ChangeRequestAdmin(ProjectChildAdmin):
    inlines = [PaymentChangeInline]
    list_display = ["project", "kind", "status", "requested_by", "requested_at", "decided_at"]
    list_select_related = ["project", "requested_by"]
    list_filter = ["kind", "status", *ProjectChildAdmin.list_filter]
    search_fields = ["project__reference", "project__title", "reason"]
    # A request is made with the payments it re-profiles, and approval amends the
    # project through the ledger: both are steps of the projects services, on the
    # project's pages.
    editable = False


@admin.register(ProjectClosure)
class ProjectClosureAdmin(ProjectChildAdmin):
    list_display = ["project", "closed_on", money("savings_realised"), money("unspent_returned")]
    list_select_related = ["project"]
    search_fields = ["project__reference", "project__title"]
    visible_via = "project"
    editable = False  # closing returns unspent grant through the ledger: a service step


@admin.register(Clawback)
class ClawbackAdmin(ProjectChildAdmin):
    list_display = ["project", accountable_body, money("amount"), "demanded_on", "status"]
    list_select_related = ["project__lead_organisation"]
    list_filter = ["status", *ProjectChildAdmin.list_filter]
    search_fields = ["project__reference", "reason", "reference"]
    # A demand is made, and its refund recorded, through the ledger on the project's
    # pages (clawback_demand, clawback_record_received).
    editable = False


class MilestoneEvidenceInline(PortalInline):
    model = MilestoneEvidence
    fields = ["file", "link", "description", "added_by", "added_at"]
    readonly_fields = ["added_by", "added_at"]
    recorded_by_field = "added_by"


MilestoneAdmin.inlines = [MilestoneReprofileInline, MilestoneEvidenceInline]
