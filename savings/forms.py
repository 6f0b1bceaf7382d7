"""Forms for the savings pages. Fields are drawn by crispy-forms-gds (GOV.UK markup)
inside each page's own ``<form>``; every page shows
:func:`partnership.form_errors.error_summary` as its GOV.UK error summary."""

from decimal import Decimal

from crispy_forms_gds.choices import Choice
from crispy_forms_gds.layout import Field, Layout
from django import forms
from django.utils import timezone

from partnership import financial_years
from partnership.govuk_forms import GovukForm, MoneyField, number_input
from partnership.held_uploads import KeptFileInput
from partnership.models import Organisation, SubRegion
from projects.models import Project, Rag

from .models import Agreement, SavingsCategory, SavingsEntry, SavingsTarget
from .return_files import MAX_BYTES, RepeatedRows, SavingsRow, read_return_file

FIRST_YEAR = 2007
YES_NO = [("yes", "Cashable"), ("no", "Non-cashable")]


def this_financial_year() -> int:
    return financial_years.financial_year_of(timezone.localdate())


def year_choices(*, ahead: int = 0) -> list[tuple[int, str]]:
    return financial_years.choices(FIRST_YEAR, this_financial_year() + ahead)


class ReturnPeriodForm(GovukForm):
    """The quarter a return is for."""

    financial_year = forms.TypedChoiceField(
        coerce=int, label="Financial year", error_messages={"required": "Choose a financial year."}
    )
    quarter = forms.TypedChoiceField(
        coerce=int,
        choices=financial_years.QUARTER_CHOICES,
        label="Quarter",
        error_messages={"required": "Choose a quarter."},
    )
    # The revision of the quarter's draft the page was drawn from, if it had one.
    revision = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["financial_year"].choices = year_choices()


class ReturnUploadForm(ReturnPeriodForm):
    """A filled-in copy of the published template. Every problem in the file is an
    error on the file field, with its row and column."""

    file = forms.FileField(
        label="Upload the filled-in template",
        help_text="A CSV or XLSX file of up to 2 MB.",
        widget=KeptFileInput,
        error_messages={"required": "Choose the file to upload.", "empty": "The file is empty."},
    )

    def __init__(self, *args, organisation: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation = organisation

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("file")
        if upload is None:
            return cleaned
        if upload.size > MAX_BYTES:
            self.add_error("file", "The file is larger than 2 MB.")
            return cleaned
        result = read_return_file(
            name=upload.name, content=upload.read(), organisation=self.organisation
        )
        for problem in result.problems:
            self.add_error("file", str(problem))
        if not result.problems and not result.rows:
            self.add_error("file", "The file has no rows of savings under the header.")
        cleaned["rows"] = result.rows
        return cleaned


class SavingsRowForm(GovukForm):
    """One saving of a return entered in the browser. Choices come ready-made from
    the formset, so a long return costs no more queries than a short one."""

    category = forms.TypedChoiceField(
        coerce=int, label="Category", error_messages={"required": "Choose a category."}
    )
    project = forms.TypedChoiceField(
        coerce=int, empty_value=None, required=False, label="Project (optional)"
    )
    financial_year = forms.TypedChoiceField(
        coerce=int,
        label="Financial year the saving falls in",
        error_messages={"required": "Choose the year the saving falls in."},
    )
    quarter = forms.TypedChoiceField(
        coerce=int,
        empty_value=None,
        required=False,
        choices=[("", "The whole year")] + financial_years.QUARTER_CHOICES,
        label="Quarter it falls in (optional)",
    )
    cashable = forms.ChoiceField(
        choices=YES_NO,
        widget=forms.RadioSelect,
        label="Cashable or not",
        error_messages={"required": "Say whether the saving is cashable."},
    )
    status = forms.ChoiceField(
        choices=SavingsEntry.Status.choices,
        widget=forms.RadioSelect,
        label="Delivered or forecast",
        error_messages={"required": "Say whether the saving is delivered or forecast."},
    )
    amount = MoneyField(
        label="Amount in pounds",
        error_messages={
            "required": "Enter the amount saved.",
            "invalid": "Enter the amount as a number, like 12500.00.",
            "min_value": "An amount cannot be negative.",
            "max_decimal_places": "Give the amount in pounds and pence.",
        },
    )
    description = forms.CharField(max_length=500, required=False, label="Description (optional)")

    def __init__(self, *args, category_choices, project_choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", "Choose a category")] + category_choices
        self.fields["project"].choices = [("", "Not from a project")] + project_choices
        self.fields["financial_year"].choices = year_choices(ahead=5)
        self.helper.layout = Layout(
            "category",
            "project",
            "financial_year",
            "quarter",
            Field.radios("cashable", inline=True, legend_size="s"),
            Field.radios("status", inline=True, legend_size="s"),
            Field.text("amount", field_width=10),
            "description",
        )

    def as_row(self, organisation: Organisation) -> SavingsRow:
        data = self.cleaned_data
        return SavingsRow(
            organisation_id=organisation.pk,
            financial_year=data["financial_year"],
            quarter=data["quarter"],
            project_id=data["project"],
            category_id=data["category"],
            cashable=data["cashable"] == "yes",
            status=data["status"],
            amount=data["amount"].quantize(Decimal("0.01")),
            description=data["description"],
        )

    @staticmethod
    def initial_from(row: SavingsRow) -> dict:
        return {
            "category": row.category_id,
            "project": row.project_id,
            "financial_year": row.financial_year,
            "quarter": row.quarter,
            "cashable": "yes" if row.cashable else "no",
            "status": row.status,
            "amount": row.amount,
            "description": row.description,
        }


MAX_ROWS = 100


class BaseSavingsRowFormSet(forms.BaseFormSet):
    row_name = "Saving"

    def __init__(self, *args, organisation: Organisation, **kwargs):
        kwargs["form_kwargs"] = {
            "category_choices": list(SavingsCategory.objects.values_list("pk", "name")),
            "project_choices": [
                (pk, f"{reference}: {title}")
                for pk, reference, title in Project.objects.filter(
                    lead_organisation=organisation
                ).values_list("pk", "reference", "title")
            ],
        }
        super().__init__(*args, **kwargs)
        self.organisation = organisation

    def clean(self):
        super().clean()
        # Checked among the rows without errors, as an uploaded file's rows are; a blank
        # row beyond those drawn has no data and is left out. The error is put on the
        # repeating row, so the error summary leads to it.
        repeats = RepeatedRows()
        for number, form in enumerate(self.forms, start=1):
            if form.errors or not form.cleaned_data:
                continue
            earlier = repeats.earlier(number, form.as_row(self.organisation))
            if earlier is not None:
                form.add_error(None, f"It repeats {self.row_name.lower()} {earlier}.")

    def rows(self) -> list[SavingsRow]:
        return [form.as_row(self.organisation) for form in self.forms if form.cleaned_data]


SavingsRowFormSet = forms.formset_factory(
    SavingsRowForm,
    formset=BaseSavingsRowFormSet,
    extra=0,
    min_num=1,
    validate_min=True,
    max_num=MAX_ROWS,
    validate_max=True,
    absolute_max=MAX_ROWS,
)


def raw_rows(data, prefix: str = "form") -> list[dict[str, str]]:
    """The rows as typed, unchecked: to redraw the form after adding or removing a
    row without reporting errors in rows the officer has not finished."""
    try:
        count = min(int(data.get(f"{prefix}-TOTAL_FORMS", 0)), MAX_ROWS)
    except ValueError:
        count = 0
    return [
        {name: data.get(f"{prefix}-{index}-{name}", "") for name in SavingsRowForm.base_fields}
        for index in range(count)
    ]


class SignOffForm(GovukForm):
    CERTIFY, SEND_BACK = "certify", "send_back"

    decision = forms.ChoiceField(
        choices=[
            Choice(CERTIFY, "Certify the return", hint="Its savings then count."),
            Choice(SEND_BACK, "Send it back with changes requested"),
        ],
        widget=forms.RadioSelect,
        label="Your decision",
        error_messages={"required": "Choose whether to certify the return or send it back."},
    )
    comment = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        label="Comment",
        help_text="Needed when you send the return back: say what needs to change.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(Field.radios("decision", legend_size="m"), "comment")


class SavingsTargetForm(GovukForm):
    agreement = forms.ModelChoiceField(
        queryset=Agreement.objects.none(),
        label="Agreement",
        empty_label="Choose an agreement",
        help_text="The local area agreement, multi-area agreement, programme or indicator "
        "that sets the target",
        error_messages={"required": "Choose the agreement."},
    )
    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.none(),
        required=False,
        label="Council",
        empty_label="All the agreement's members together (area-wide)",
    )
    financial_year = forms.TypedChoiceField(
        coerce=int, label="Financial year", error_messages={"required": "Choose a year."}
    )
    basis = forms.ChoiceField(
        choices=[
            Choice(
                SavingsTarget.Basis.PERCENTAGE,
                "A percentage of a baseline",
                hint="For example 3% of net revenue expenditure (NI 179)",
            ),
            Choice(SavingsTarget.Basis.AMOUNT, "An amount"),
        ],
        widget=forms.RadioSelect,
        label="The target is",
        error_messages={"required": "Choose a percentage of a baseline or an amount."},
    )
    percentage = forms.DecimalField(
        max_digits=5,
        decimal_places=2,
        widget=number_input(decimal=True),
        required=False,
        label="Percentage",
        help_text="For a percentage target, like 3.4",
    )
    baseline = MoneyField(
        what="the baseline",
        required=False,
        label="Baseline in pounds (optional)",
        help_text="For a percentage target; leave blank until it is known",
    )
    baseline_description = forms.CharField(
        max_length=200,
        required=False,
        label="What the baseline is (optional)",
        help_text="For example net revenue expenditure 2007/08",
    )
    amount = MoneyField(
        what="the target amount",
        required=False,
        label="Amount in pounds",
        help_text="For an amount target",
    )
    cashable_only = forms.BooleanField(
        required=False, label="Only cashable savings count towards this target"
    )

    def __init__(self, *args, agreements, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agreement"].queryset = agreements
        self.fields["organisation"].queryset = organisations
        self.fields["financial_year"].choices = financial_years.choices(
            financial_years.FIRST_YEAR, this_financial_year() + 5
        )
        self.fields["financial_year"].initial = this_financial_year()
        self.helper.layout = Layout(
            "agreement",
            "organisation",
            "financial_year",
            Field.radios("basis", legend_size="s"),
            Field.text("percentage", field_width=5),
            Field.text("baseline", field_width=10),
            "baseline_description",
            Field.text("amount", field_width=10),
            Field.checkbox("cashable_only"),
        )


NOT_RATED = "not_rated"


class ForecastReturnForm(GovukForm):
    financial_year = forms.TypedChoiceField(
        coerce=int, label="Financial year", error_messages={"required": "Choose a year."}
    )
    last_year = forms.TypedChoiceField(
        coerce=int,
        empty_value=None,
        required=False,
        label="Last year the return covers (optional)",
        help_text="For a return covering several years, each given the same rating",
    )
    rag = forms.ChoiceField(
        choices=[
            Choice(Rag.GREEN, "Green", hint="On track, with clearly identified plans"),
            Choice(Rag.AMBER, "Amber", hint="Some risk"),
            Choice(Rag.RED, "Red", hint="Significant risk"),
            Choice(
                NOT_RATED,
                "Received, not rated",
                hint="The council made a return but gave no rating for the year",
            ),
        ],
        widget=forms.RadioSelect,
        label="How likely is the council to deliver its savings that year?",
        error_messages={"required": "Choose green, amber, red or received but not rated."},
    )
    comment = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        label="Comment",
        help_text="Needed for amber or red: say what puts the savings at risk.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Past years too: partnerships record the returns of years gone by.
        years = financial_years.choices(financial_years.FIRST_YEAR, this_financial_year() + 3)
        self.fields["financial_year"].choices = years
        self.fields["financial_year"].initial = this_financial_year()
        self.fields["last_year"].choices = [("", "Only that year"), *years]
        self.helper.layout = Layout(
            "financial_year", "last_year", Field.radios("rag", legend_size="s"), "comment"
        )

    def clean_rag(self) -> str:
        # A return received without a rating is held with a blank rating.
        rag = self.cleaned_data["rag"]
        return "" if rag == NOT_RATED else rag


class OtherBenefitForm(GovukForm):
    project = forms.ModelChoiceField(
        queryset=Project.objects.none(),
        label="Project",
        empty_label="Choose a project",
        error_messages={"required": "Choose the project."},
    )
    unit = forms.CharField(
        max_length=100,
        label="Unit",
        help_text="What the benefit is counted in, like tonnes of CO2 a year or people trained",
        error_messages={"required": "Enter the unit the benefit is counted in."},
    )
    quantity = forms.DecimalField(
        max_digits=14,
        decimal_places=2,
        widget=number_input(decimal=True),
        label="How many",
        error_messages={
            "required": "Enter how many.",
            "invalid": "Enter how many as a number, like 120.",
        },
    )
    financial_year = forms.TypedChoiceField(
        coerce=int, empty_value=None, required=False, label="Financial year (optional)"
    )
    description = forms.CharField(max_length=500, required=False, label="Description (optional)")

    def __init__(self, *args, projects, units: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = projects
        self.fields["financial_year"].choices = [("", "Not for one year")] + year_choices(ahead=5)
        # Earlier units offered as suggestions, so the same benefit is summed together.
        self.fields["unit"].widget.attrs["list"] = "benefit-units"
        self.units = units
        self.helper.layout = Layout(
            "project",
            "unit",
            Field.text("quantity", field_width=10),
            "financial_year",
            "description",
        )


class SummaryFilterForm(forms.Form):
    """The filters of the savings summaries, read from the query string."""

    partnership = forms.ModelChoiceField(
        queryset=None, to_field_name="slug", required=False, empty_label=None
    )
    period = forms.ChoiceField(required=False, label="Programme period")
    year = forms.TypedChoiceField(
        coerce=int, empty_value=None, required=False, label="Financial year"
    )

    def __init__(self, *args, partnerships, periods, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partnership"].queryset = partnerships
        self.periods = {period.label: period for period in periods}
        self.fields["period"].choices = [("", "All periods")] + [(p, p) for p in self.periods]
        self.fields["year"].choices = [("", "All years")] + year_choices(ahead=3)


class ForecastFilterForm(SummaryFilterForm):
    """The forecasts page's filters: the summaries' own and a sub-region."""

    sub_region = forms.ModelChoiceField(
        queryset=None, required=False, label="Sub-region", empty_label="All sub-regions"
    )

    def __init__(self, *args, partnerships, **kwargs):
        super().__init__(*args, partnerships=partnerships, **kwargs)
        self.fields["sub_region"].queryset = SubRegion.objects.filter(partnership__in=partnerships)


class SavingsEntryFilterForm(SummaryFilterForm):
    """The filters of the download of savings entries: the summaries' own (so their
    page's query string applies as it is), and a sub-region, a council, a quarter, a
    status and whether to include returns the summaries do not count."""

    sub_region = forms.ModelChoiceField(
        queryset=None, required=False, label="Sub-region", empty_label="All sub-regions"
    )
    council = forms.ModelChoiceField(
        queryset=None, required=False, label="Council", empty_label="All councils"
    )
    quarter = forms.TypedChoiceField(
        coerce=int,
        empty_value=None,
        required=False,
        label="Quarter",
        choices=[("", "All quarters"), *financial_years.QUARTER_CHOICES],
    )
    status = forms.ChoiceField(
        required=False,
        label="Delivered or forecast",
        choices=[("", "Delivered and forecast"), *SavingsEntry.Status.choices],
    )
    returns = forms.ChoiceField(
        required=False,
        label="Returns",
        choices=[
            ("", "Certified returns and savings recorded directly"),
            ("all", "Every return, whatever its status"),
        ],
    )

    def __init__(self, *args, sub_regions, councils, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partnership"].empty_label = "All partnerships"
        self.fields["sub_region"].queryset = sub_regions
        self.fields["council"].queryset = councils
