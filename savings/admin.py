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
from partnership.templatetags.portal import gbp

from .models import (
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


class SavingsEntryInlineForm(forms.ModelForm):
    def clean(self):
        cleaned = super().clean()
        # An entry in a return is the returning council's saving.
        self.instance.organisation = self.instance.savings_return.organisation
        return cleaned


class SavingsEntryInline(PortalInline):
    model = SavingsEntry
    form = SavingsEntryInlineForm
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
    autocomplete_fields = ["project", "programme"]

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
    autocomplete_fields = ["organisation"]
    # Submission, sign-off and versions are steps of the return's lifecycle.
    readonly_fields = [
        "status",
        "version",
        "submitted_by",
        "submitted_at",
        "certified_by",
        "certified_at",
        "certifier_comment",
    ]
    fixed_after_creation = ("organisation", "financial_year", "quarter")
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
    autocomplete_fields = ["organisation", "project", "programme", "savings_return"]


@admin.register(SavingsTarget)
class SavingsTargetAdmin(PortalAdmin):
    list_display = [
        "organisation",
        financial_year(),
        "basis",
        "percentage",
        money("baseline"),
        "target",
    ]
    list_select_related = ["organisation"]
    list_filter = [FinancialYearFilter, "basis", *BY_MEMBERSHIP]
    search_fields = ["organisation__name", "baseline_description"]
    autocomplete_fields = ["organisation"]
    readonly_fields = ["target"]

    @admin.display(description="target")
    def target(self, target: SavingsTarget):
        # A target being added has no basis yet to work its amount out from.
        return gbp(target.target_amount) if target.pk else None


@admin.register(ForecastReturn)
class ForecastReturnAdmin(PortalAdmin):
    list_display = ["organisation", financial_year(), "rag", "returned_on"]
    list_select_related = ["organisation"]
    list_filter = [FinancialYearFilter, "rag", *BY_MEMBERSHIP]
    search_fields = ["organisation__name", "comment"]
    autocomplete_fields = ["organisation"]


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
