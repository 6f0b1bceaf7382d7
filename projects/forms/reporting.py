"""Quarterly progress reports, their spend by quarter, and the risk register."""

from crispy_forms_gds.layout import Layout
from django import forms
from django.core.exceptions import ValidationError

from partnership import financial_years
from partnership.govuk_forms import GovukForm, GovukModelForm, MoneyField, text_input
from projects.models import (
    Project,
    ProjectRisk,
    Rag,
)

RAG_CHOICES = Rag.choices


class ProgressReportForm(GovukForm):
    # No submit_label: the page's own <form> holds the spend table and the buttons.

    rag = forms.ChoiceField(
        label="Overall RAG status",
        choices=RAG_CHOICES,
        widget=forms.RadioSelect,
        help_text="Green: on track; amber: some risk; red: significant risk",
        error_messages={"required": "Choose the overall RAG status"},
    )
    rag_schedule = forms.ChoiceField(
        label="Schedule", choices=RAG_CHOICES, widget=forms.RadioSelect, required=False
    )
    rag_budget = forms.ChoiceField(
        label="Budget", choices=RAG_CHOICES, widget=forms.RadioSelect, required=False
    )
    rag_benefits = forms.ChoiceField(
        label="Benefits", choices=RAG_CHOICES, widget=forms.RadioSelect, required=False
    )
    narrative = forms.CharField(
        label="Progress this quarter",
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
        help_text="Needed before you submit the report",
    )
    risks_and_issues = forms.CharField(
        label="Risks and issues", widget=forms.Textarea, required=False
    )
    spend_to_date = MoneyField(
        label="Spend to date", required=False, help_text="In pounds, for example 25,000"
    )
    savings_to_date = MoneyField(
        label="Cashable savings to date", required=False, help_text="In pounds, for example 5,000"
    )
    risks = forms.ModelMultipleChoiceField(
        label="Risks from the register this report refers to",
        queryset=ProjectRisk.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args, project: Project, **kwargs):
        super().__init__(*args, **kwargs)
        if project.risks.exists():
            self.fields["risks"].queryset = project.risks.all()
        else:
            del self.fields["risks"]  # nothing in the register to refer to yet
            self.helper.layout = Layout(*self.fields)  # drawn without it

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data["risks"] = list(data.get("risks", []))
        return data


class SpendRowForm(forms.Form):
    """Forecast against actual spend for one financial quarter of the project."""

    financial_year = forms.IntegerField(widget=forms.HiddenInput)
    quarter = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=4)
    forecast = MoneyField(label="Forecast", required=False)
    actual = MoneyField(label="Actual", required=False)

    @property
    def label(self) -> str:
        year, quarter = self["financial_year"].value(), self["quarter"].value()
        return f"{financial_years.label(int(year))} Q{quarter}"


class BaseSpendFormSet(forms.BaseFormSet):
    def clean(self):
        rows = [getattr(form, "cleaned_data", {}) for form in self.forms]
        quarters = [(row.get("financial_year"), row.get("quarter")) for row in rows]
        if len(quarters) != len(set(quarters)):
            raise ValidationError("Give each quarter's spend once")

    def error_label(self, row: SpendRowForm, number: int, field) -> str:
        """The error summary names the quarter and the figure: "2011/12 Q2 actual spend"."""
        return f"{row.label} {field.label.lower()} spend" if field else row.label

    def given_rows(self) -> list[dict]:
        """The quarters with a forecast or an actual figure."""
        return [
            row
            for row in self.cleaned_data
            if row.get("forecast") is not None or row.get("actual") is not None
        ]


SpendFormSet = forms.formset_factory(SpendRowForm, formset=BaseSpendFormSet, extra=0)


class RiskForm(GovukModelForm):
    submit_label = "Save risk"

    likelihood = forms.TypedChoiceField(
        label="Likelihood",
        coerce=int,
        choices=[(n, f"{n}") for n in range(1, 6)],
        widget=forms.RadioSelect,
        help_text="1 (rare) to 5 (almost certain)",
        error_messages={"required": "Choose how likely the risk is"},
    )
    impact = forms.TypedChoiceField(
        label="Impact",
        coerce=int,
        choices=[(n, f"{n}") for n in range(1, 6)],
        widget=forms.RadioSelect,
        help_text="1 (negligible) to 5 (severe)",
        error_messages={"required": "Choose how severe the impact would be"},
    )

    class Meta:
        model = ProjectRisk
        fields = ["risk", "likelihood", "impact", "owner", "mitigation", "status"]
        labels = {"risk": "Risk", "owner": "Owner", "mitigation": "Mitigation"}
        widgets = {
            "risk": text_input(),
            "owner": text_input(),
            "status": forms.RadioSelect,
        }
        error_messages = {
            "risk": {"required": "Describe the risk"},
            "owner": {"required": "Say who owns the risk"},
        }
