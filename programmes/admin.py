from django.contrib import admin
from django.contrib.admin import RelatedOnlyFieldListFilter
from django.utils.html import format_html_join

from partnership.admin_base import PortalAdmin, PortalInline, money, service_form
from partnership.templatetags.portal import gbp

from .models import BudgetLine, FundingSource, LedgerEntry, Programme
from .selectors import budget_lines_with_balances, programme_balance
from .services import ledger_record

BALANCES = [
    money("allocated"),
    money("committed"),
    money("paid"),
    money("available"),
    money("unpaid"),
]


class BudgetLineInline(PortalInline):
    model = BudgetLine
    fields = ["position", "name", *BALANCES]
    readonly_fields = BALANCES

    def get_queryset(self, request):
        return budget_lines_with_balances(super().get_queryset(request))


class FundingSourceInline(PortalInline):
    model = FundingSource
    fields = ["name", "kind", "ring_fenced", "expected_amount", "note"]


@admin.register(Programme)
class ProgrammeAdmin(PortalAdmin):
    list_display = ["name", "partnership", "sub_region", "starts_on", "ends_on"]
    list_select_related = ["partnership", "sub_region"]
    list_filter = [
        ("partnership", RelatedOnlyFieldListFilter),
        ("sub_region", RelatedOnlyFieldListFilter),
    ]
    search_fields = ["name", "partnership__short_name"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["balances"]
    inlines = [BudgetLineInline, FundingSourceInline]

    @admin.display(description="money (from the ledger)")
    def balances(self, programme):
        if programme.pk is None:
            return None
        balance = programme_balance(programme)
        figures = [
            ("Funds received", balance.funds_received),
            ("Allocated to budget lines", balance.allocated),
            ("Unallocated", balance.unallocated),
            ("Committed to grants", balance.committed),
            ("Paid", balance.paid),
            ("Available", balance.available),
            ("Committed, not yet paid", balance.unpaid),
        ]
        return format_html_join("", "{}: {}<br>", ((name, gbp(value)) for name, value in figures))


@admin.register(BudgetLine)
class BudgetLineAdmin(PortalAdmin):
    list_display = ["name", "programme", *BALANCES]
    list_select_related = ["programme"]
    list_filter = [
        ("programme__partnership", RelatedOnlyFieldListFilter),
        ("programme__sub_region", RelatedOnlyFieldListFilter),
        ("programme", RelatedOnlyFieldListFilter),
    ]
    search_fields = ["name", "programme__name"]
    readonly_fields = BALANCES
    fixed_after_creation = ("programme",)

    def get_queryset(self, request):
        # Balances are summed in the same query as the rows, not one query a row.
        return budget_lines_with_balances(super().get_queryset(request)).select_related("programme")


@admin.register(FundingSource)
class FundingSourceAdmin(PortalAdmin):
    visible_via = "programme"
    list_display = ["name", "programme", "kind", "ring_fenced", money("expected_amount")]
    list_select_related = ["programme"]
    list_filter = [
        ("programme__partnership", RelatedOnlyFieldListFilter),
        ("programme", RelatedOnlyFieldListFilter),
        "kind",
        "ring_fenced",
    ]
    search_fields = ["name", "programme__name"]
    fixed_after_creation = ("programme",)


MOVEMENT_FIELDS = [
    "programme",
    "kind",
    "amount",
    "occurred_on",
    "budget_line",
    "from_budget_line",
    "funding_source",
    "memo",
    "decision",
]


class LedgerEntryForm(service_form(ledger_record, MOVEMENT_FIELDS)):
    """A new movement, checked against the balances (an overdrawn line) on the form."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "decision" in self.fields:
            # A decision's text alone does not say which meeting made it.
            self.fields["decision"].label_from_instance = lambda d: f"{d.meeting}: {d}"

    class Meta:
        model = LedgerEntry
        fields = MOVEMENT_FIELDS


@admin.register(LedgerEntry)
class LedgerEntryAdmin(PortalAdmin):
    """The ledger is written once: rows are added through the ledger service and
    never edited (the rules refuse change and delete; a correction is a new entry)."""

    form = LedgerEntryForm
    list_display = [
        "occurred_on",
        "kind",
        money("amount"),
        "programme",
        "budget_line",
        "from_budget_line",
        "funding_source",
        "memo",
        "recorded_by",
    ]
    list_select_related = [
        "programme",
        "budget_line__programme",
        "from_budget_line__programme",
        "funding_source",
        "recorded_by",
    ]
    list_filter = [
        "kind",
        ("programme__partnership", RelatedOnlyFieldListFilter),
        ("programme", RelatedOnlyFieldListFilter),
    ]
    search_fields = ["memo", "programme__name", "budget_line__name"]
    date_hierarchy = "occurred_on"
    readonly_fields = ["subject_type", "subject_id", "recorded_by", "recorded_at"]

    def has_change_permission(self, request, obj=None):
        # The rule says never; a superuser passes every has_perm, so ask it here too.
        return False

    def has_delete_permission(self, request, obj=None):
        return False
