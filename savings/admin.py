from django.contrib import admin
from django.contrib.admin import RelatedOnlyFieldListFilter

from partnership.admin_base import (
    FinancialYearFilter,
    PortalAdmin,
    PortalInline,
    financial_year,
    money,
    service_form,
)
from partnership.financial_years import label
from partnership.templatetags.portal import gbp

from . import services
from .models import (
    Agreement,
    ForecastReturn,
    OtherBenefit,
    SavingsCategory,
    SavingsEntry,
    SavingsReturn,
    SavingsTarget,
)

# A council's records, filtered by the partnerships and sub-regions it belongs to.
BY_MEMBERSHIP = [
    ("organisation__partnerships", RelatedOnlyFieldListFilter),
    ("organisation__sub_regions", RelatedOnlyFieldListFilter),
]


@admin.register(SavingsCategory)
class SavingsCategoryAdmin(PortalAdmin):
    visible_to_all = True
    list_display = ["name", "slug"]
    list_select_related = ()
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


class SavingsEntryInline(PortalInline):
    model = SavingsEntry
    editable = False
    fields = [
        "category",
        "financial_year",
        "quarter",
        "amount",
        "cashable",
        "status",
        "project",
        "programme",
        "description",
    ]
    readonly_fields = fields

    def row_for_rules(self, parent):
        # The savings rules judge an entry by its council, not by its return.
        row = super().row_for_rules(parent)
        if row is not None:
            row.organisation = parent.organisation
        return row


@admin.register(SavingsReturn)
class SavingsReturnAdmin(PortalAdmin):
    list_display = [
        "organisation",
        financial_year(),
        "quarter",
        "version",
        "status",
        "submitted_at",
        "certified_at",
    ]
    list_select_related = ["organisation"]
    list_filter = ["status", FinancialYearFilter, "quarter", *BY_MEMBERSHIP]
    search_fields = ["organisation__name", "organisation__short_name"]
    # A return is submitted with its entries, signed off by the council's s151
    # officer and superseded by a new version, each a step of savings.services on
    # the council's savings pages; here returns are read.
    editable = False
    inlines = [SavingsEntryInline]


@admin.register(SavingsEntry)
class SavingsEntryAdmin(PortalAdmin):
    list_display = [
        "organisation",
        financial_year(),
        "quarter",
        "category",
        money("amount"),
        "cashable",
        "status",
        "project",
        "programme",
    ]
    list_select_related = ["organisation", "category", "project", "programme"]
    list_filter = [
        "status",
        "cashable",
        FinancialYearFilter,
        "quarter",
        ("category", RelatedOnlyFieldListFilter),
        *BY_MEMBERSHIP,
        ("programme", RelatedOnlyFieldListFilter),
    ]
    search_fields = ["organisation__name", "description", "project__reference"]
    autocomplete_fields = ["organisation", "project", "programme"]
    # Entries typed here are the partnership's own records of past years; an
    # entry that came in a return is that return's, corrected by a new version.
    readonly_fields = ["savings_return"]

    def is_settled(self, entry):
        return entry.savings_return_id is not None

    # The savings totals the summaries read move with every entry typed, corrected or
    # deleted here.
    def save_model(self, request, obj, form, change):
        services.savings_entry_save(entry=obj, by=request.user)

    def delete_model(self, request, obj):
        services.savings_entry_delete(entry=obj, by=request.user)


@admin.register(Agreement)
class AgreementAdmin(PortalAdmin):
    visible_via = "partnership"
    list_display = ["name", "kind", "partnership", "first_year_", "last_year_"]
    list_select_related = ["partnership"]
    list_filter = ["kind", ("partnership", RelatedOnlyFieldListFilter)]
    search_fields = ["name", "partnership__name"]
    autocomplete_fields = ["partnership", "members"]
    # The service checks the years and that the members are the partnership's, and
    # keeps the agreement's targets inside its years and members.
    form = service_form(
        services.agreement_save,
        ["partnership", "kind", "name", "first_year", "last_year", "members"],
        change=services.agreement_save,
        row="agreement",
    )
    fixed_after_creation = ("partnership",)

    @admin.display(description="first year", ordering="first_year")
    def first_year_(self, agreement: Agreement):
        return label(agreement.first_year)

    @admin.display(description="last year", ordering="last_year")
    def last_year_(self, agreement: Agreement):
        return label(agreement.last_year)


@admin.register(SavingsTarget)
class SavingsTargetAdmin(PortalAdmin):
    list_display = [
        "agreement",
        "organisation",
        financial_year(),
        "basis",
        "percentage",
        money("baseline"),
        "target",
        "cashable_only",
    ]
    list_select_related = ["agreement", "organisation"]
    list_filter = [
        FinancialYearFilter,
        "basis",
        "agreement__kind",
        ("agreement", RelatedOnlyFieldListFilter),
        *BY_MEMBERSHIP,
    ]
    search_fields = ["organisation__name", "agreement__name", "baseline_description"]
    autocomplete_fields = ["agreement", "organisation"]
    readonly_fields = ["target"]
    # The service checks the basis, the agreement's years and members, and replaces
    # the agreement's target for the body (or all its members) and year.
    form = service_form(
        services.savings_target_set,
        [
            "agreement",
            "organisation",
            "financial_year",
            "basis",
            "percentage",
            "baseline",
            "baseline_description",
            "amount",
            "cashable_only",
        ],
    )
    fixed_after_creation = ("agreement", "organisation", "financial_year")

    @admin.display(description="target")
    def target(self, target: SavingsTarget):
        # A target being added has no basis yet to work its amount out from, and a
        # percentage has none until its baseline is known.
        amount = target.target_amount if target.pk else None
        return gbp(amount) if amount is not None else None


@admin.register(ForecastReturn)
class ForecastReturnAdmin(PortalAdmin):
    list_display = ["organisation", financial_year(), "rag", "returned_on"]
    list_select_related = ["organisation"]
    list_filter = [FinancialYearFilter, "rag", *BY_MEMBERSHIP]
    search_fields = ["organisation__name", "comment"]
    autocomplete_fields = ["organisation"]
    # The service asks for a reason behind amber and red forecasts.
    form = service_form(
        services.forecast_return_record,
        ["organisation", "financial_year", "rag", "comment", "returned_on"],
    )
    fixed_after_creation = ("organisation", "financial_year")


@admin.register(OtherBenefit)
class OtherBenefitAdmin(PortalAdmin):
    visible_via = "project"
    list_display = ["project", "unit", "quantity", financial_year(), "description"]
    list_select_related = ["project"]
    list_filter = [
        FinancialYearFilter,
        ("project__programme__partnership", RelatedOnlyFieldListFilter),
        ("project__programme", RelatedOnlyFieldListFilter),
    ]
    search_fields = ["unit", "description", "project__reference"]
    autocomplete_fields = ["project"]
    form = service_form(
        services.other_benefit_record,
        ["project", "unit", "quantity", "financial_year", "description"],
    )

    def has_change_permission(self, request, obj=None):
        # Recorded once through the service, which tidies the unit benefits are summed
        # by; one recorded wrongly is deleted and recorded again.
        return False
