"""Forms of the project delivery pages, and the filters of its lists.

Forms check what a person typed (a date, an amount, a file); the services check the
rules of the domain, and the views show a refused rule on the field it names.
"""

import zipfile
from decimal import Decimal

import django_filters
from crispy_forms_gds.fields import DateInputField
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import ConditionalQuestion, ConditionalRadios, Layout, Submit
from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import URLValidator
from django.db.models import Exists, OuterRef, Q

from partnership import financial_years
from partnership.models import Decision, Organisation, Partnership, SubRegion
from programmes.models import Programme

from .models import (
    EVIDENCE_EXTENSIONS,
    ChangeRequest,
    GrantPayment,
    Project,
    ProjectRisk,
    Rag,
)

MAX_EVIDENCE_BYTES = 10 * 1024 * 1024
MAX_EVIDENCE_FILES = 5


WIDTH_10 = "govuk-input govuk-input--width-10"


def _text(**attrs) -> forms.TextInput:
    return forms.TextInput(attrs={"class": "govuk-input", **attrs})


def _money(label: str, **kwargs) -> forms.DecimalField:
    """An amount in pounds: a text box (GOV.UK advise against number inputs) that
    takes ``1250000``, ``1,250,000`` or ``£1,250,000.00``."""
    return MoneyField(
        label=label,
        max_digits=14,
        decimal_places=2,
        min_value=Decimal("0"),
        widget=_text(inputmode="decimal", spellcheck="false", **{"class": WIDTH_10}),
        **kwargs,
    )


class MoneyField(forms.DecimalField):
    default_error_messages = {"invalid": "Enter an amount in pounds, like 25,000"}

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip().replace(",", "").removeprefix("£")
        return super().to_python(value)


class DateField(DateInputField):
    """The GOV.UK date input: day, month and year boxes."""

    def compress(self, data_list):
        try:
            return super().compress(data_list)
        except ValidationError:
            raise ValidationError("Enter a real date", code="invalid") from None


def _date(label: str, **kwargs) -> DateField:
    return DateField(label=label, **kwargs)


class GovukForm(forms.Form):
    """A form drawn with the GOV.UK Design System, with one button."""

    submit_label = "Continue"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper(self)
        self.helper.add_input(Submit("submit", self.submit_label))


# Evidence files ------------------------------------------------------------------------

OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the container of .doc and .xls
ZIP = b"PK\x03\x04"  # the container of .docx, .xlsx, .odt and .ods
SIGNATURES = {
    "pdf": (b"%PDF-",),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
    "doc": (OLE2,),
    "xls": (OLE2,),
    "docx": (ZIP,),
    "xlsx": (ZIP,),
    "odt": (ZIP,),
    "ods": (ZIP,),
}
# The part every genuine file of the zip-based formats holds.
ZIP_MEMBERS = {
    "docx": ("word/document.xml", None),
    "xlsx": ("xl/workbook.xml", None),
    "odt": ("mimetype", b"application/vnd.oasis.opendocument.text"),
    "ods": ("mimetype", b"application/vnd.oasis.opendocument.spreadsheet"),
}
ALLOWED_NAMES = "PDF, Word (DOC, DOCX), Excel (XLS, XLSX), CSV, ODT, ODS, PNG or JPG"


def _zip_holds(file: UploadedFile, member: str, content: bytes | None) -> bool:
    try:
        with zipfile.ZipFile(file) as archive:
            if member not in archive.namelist():
                return False
            return content is None or archive.read(member).strip() == content
    except (zipfile.BadZipFile, KeyError, OSError):
        return False


def _looks_like_text(head: bytes) -> bool:
    if b"\x00" in head:
        return False
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            head.decode(encoding)
        except UnicodeDecodeError:
            continue
        return True
    return False


def check_evidence_file(file: UploadedFile) -> None:
    """Refuse a file that is too big, of a type not accepted, or whose content is not
    what its name says (a program renamed ``report.pdf``, say)."""
    name = file.name or "The file"
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in EVIDENCE_EXTENSIONS:
        raise ValidationError(f"{name} must be a {ALLOWED_NAMES}")
    if file.size == 0:
        raise ValidationError(f"{name} is empty")
    if file.size > MAX_EVIDENCE_BYTES:
        raise ValidationError(f"{name} must be smaller than 10MB")
    file.seek(0)
    head = file.read(2048)
    file.seek(0)
    if extension == "csv":
        genuine = _looks_like_text(head)
    else:
        genuine = head.startswith(SIGNATURES[extension])
        if genuine and extension in ZIP_MEMBERS:
            genuine = _zip_holds(file, *ZIP_MEMBERS[extension])
            file.seek(0)
    if not genuine:
        raise ValidationError(
            f"{name} is not a real {extension.upper()} file: save it again as "
            f"{extension.upper()} and upload it"
        )


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True

    def __init__(self, attrs=None):
        super().__init__({"class": "govuk-file-upload", **(attrs or {})})


class EvidenceFilesField(forms.FileField):
    """Any number of files (up to five), each checked by :func:`check_evidence_file`."""

    widget = MultipleFileInput

    def clean(self, data, initial=None):
        files = [file for file in (data if isinstance(data, list | tuple) else [data]) if file]
        if len(files) > MAX_EVIDENCE_FILES:
            raise ValidationError(f"Upload up to {MAX_EVIDENCE_FILES} files at a time")
        cleaned = [super(EvidenceFilesField, self).clean(file, initial) for file in files]
        for file in cleaned:
            check_evidence_file(file)
        return cleaned


class LinksField(forms.CharField):
    """Web addresses, one a line."""

    def __init__(self, **kwargs):
        super().__init__(widget=forms.Textarea(attrs={"rows": 3}), **kwargs)

    def clean(self, value):
        lines = [line.strip() for line in (super().clean(value) or "").splitlines()]
        links = [line for line in lines if line]
        check = URLValidator(schemes=["http", "https"])
        for link in links:
            try:
                check(link)
            except ValidationError:
                raise ValidationError(
                    f"“{link}” is not a web address: start it with https://"
                ) from None
        return links


# Milestones ----------------------------------------------------------------------------


class MilestoneLogForm(GovukForm):
    submit_label = "Log as achieved"

    achieved_on = _date("Date achieved", help_text="For example, 30 9 2011")
    delivered = forms.CharField(
        label="What was delivered",
        widget=forms.Textarea,
        error_messages={"required": "Say what was delivered"},
    )
    files = EvidenceFilesField(
        label="Evidence files",
        required=False,
        help_text=f"{ALLOWED_NAMES}; up to 5 files, each smaller than 10MB",
    )
    links = LinksField(
        label="Links to evidence",
        required=False,
        help_text="Web addresses of published evidence, one a line",
    )

    def __init__(self, *args, has_evidence: bool, **kwargs):
        self.has_evidence = has_evidence
        super().__init__(*args, **kwargs)

    def clean(self):
        cleaned = super().clean()
        has_new = cleaned.get("files") or cleaned.get("links")
        if not self.has_evidence and not has_new and not self.has_error("files"):
            self.add_error("files", "Upload a file or give a link that shows it was delivered")
        return cleaned


class MilestoneReprofileForm(GovukForm):
    submit_label = "Re-profile milestone"

    new_forecast_on = _date("New forecast date", help_text="For example, 31 3 2012")
    reason = forms.CharField(
        label="Why the date changes",
        widget=forms.Textarea,
        error_messages={"required": "Give the reason for the new date"},
    )


class MilestoneReturnForm(GovukForm):
    submit_label = "Return to the officer"

    comment = forms.CharField(
        label="What the officer needs to change",
        widget=forms.Textarea,
        error_messages={"required": "Say what the officer needs to change"},
    )


# Grant payments, repayments and clawback -----------------------------------------------


class PaymentWithholdForm(GovukForm):
    submit_label = "Withhold payment"

    reason = forms.CharField(
        label="Why the payment is withheld",
        widget=forms.Textarea,
        error_messages={"required": "Say why the payment is withheld"},
    )


class PaymentRecordForm(GovukForm):
    submit_label = "Record payment"

    paid_on = _date("Date paid", help_text="For example, 14 10 2011")
    reference = forms.CharField(
        label="Remittance reference",
        max_length=100,
        widget=_text(spellcheck="false"),
        error_messages={"required": "Give the remittance reference"},
    )


class ReceiptForm(GovukForm):
    """Money received back: an invest-to-save repayment or a clawed-back refund."""

    submit_label = "Record receipt"

    received_on = _date("Date received", help_text="For example, 2 5 2012")
    reference = forms.CharField(
        label="Receipt reference",
        max_length=100,
        widget=_text(spellcheck="false"),
        error_messages={"required": "Give the receipt reference"},
    )


class RepaymentForm(GovukForm):
    submit_label = "Add repayment"

    due_on = _date("Date due", help_text="For example, 30 4 2012")
    amount = _money("Amount", error_messages={"required": "Enter the amount to be repaid"})


class ClawbackForm(GovukForm):
    submit_label = "Demand refund"

    amount = _money("Amount to be refunded", error_messages={"required": "Enter the amount"})
    reason = forms.CharField(
        label="Why the grant is clawed back",
        widget=forms.Textarea,
        error_messages={"required": "Give the reason for the clawback"},
    )
    demanded_on = _date("Date of the demand", help_text="For example, 31 3 2013")


# Progress reports and risks --------------------------------------------------------------

RAG_CHOICES = Rag.choices


class ProgressReportForm(GovukForm):
    submit_label = "Save draft"

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
    spend_to_date = _money(
        "Spend to date", required=False, help_text="In pounds, for example 25,000"
    )
    savings_to_date = _money(
        "Cashable savings to date", required=False, help_text="In pounds, for example 5,000"
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
        self.helper.form_tag = False
        self.helper.inputs = []  # the page adds the buttons after the spend table

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        for name in ("spend_to_date", "savings_to_date"):
            data[name] = data[name] or Decimal("0")
        data["risks"] = list(data.get("risks", []))
        return data


class SpendRowForm(forms.Form):
    """Forecast against actual spend for one financial quarter of the project."""

    financial_year = forms.IntegerField(widget=forms.HiddenInput)
    quarter = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=4)
    forecast = _money("Forecast", required=False)
    actual = _money("Actual", required=False)

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

    def given_rows(self) -> list[dict]:
        """The quarters with a forecast or an actual figure."""
        return [
            row
            for row in self.cleaned_data
            if row.get("forecast") is not None or row.get("actual") is not None
        ]


SpendFormSet = forms.formset_factory(SpendRowForm, formset=BaseSpendFormSet, extra=0)


class RiskForm(forms.ModelForm):
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
            "risk": _text(),
            "owner": _text(),
            "status": forms.RadioSelect,
        }
        error_messages = {
            "risk": {"required": "Describe the risk"},
            "owner": {"required": "Say who owns the risk"},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper(self)
        self.helper.add_input(Submit("submit", "Save risk"))


# Change requests and closure -------------------------------------------------------------


class ChangeRequestForm(GovukForm):
    submit_label = "Send request"

    kind = forms.ChoiceField(
        label="What do you want to change?",
        choices=ChangeRequest.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what you want to change"},
    )
    new_grant_awarded = _money("New grant", required=False)
    new_ends_on = _date("New end date", required=False, help_text="For example, 30 9 2013")
    new_scope = forms.CharField(
        label="New scope",
        widget=forms.Textarea,
        required=False,
        help_text="The project's outline as it would become",
    )
    reason = forms.CharField(
        label="Why the change is needed",
        widget=forms.Textarea,
        error_messages={"required": "Give the reason for the change"},
    )

    # Which extra answer each kind of change needs.
    NEEDS = {
        ChangeRequest.Kind.GRANT: ("new_grant_awarded", "Enter the new grant"),
        ChangeRequest.Kind.END_DATE: ("new_ends_on", "Enter the new end date"),
        ChangeRequest.Kind.SCOPE: ("new_scope", "Describe the new scope"),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Each kind's extra question is revealed under its radio button.
        needs = {kind: field for kind, (field, _) in self.NEEDS.items()}
        self.helper.layout = Layout(
            ConditionalRadios(
                "kind",
                *(
                    ConditionalQuestion(label, needs[kind]) if kind in needs else label
                    for kind, label in ChangeRequest.Kind.choices
                ),
            ),
            "reason",
        )

    def clean(self):
        cleaned = super().clean()
        needed = self.NEEDS.get(cleaned.get("kind"))
        if needed and cleaned.get(needed[0]) in (None, "") and not self.has_error(needed[0]):
            self.add_error(needed[0], needed[1])
        return cleaned

    def service_fields(self) -> dict:
        """The request as ``change_request_submit`` takes it: only the answer its kind
        needs."""
        kind = self.cleaned_data["kind"]
        fields = {"kind": kind, "reason": self.cleaned_data["reason"]}
        needed = self.NEEDS.get(kind)
        if needed:
            fields[needed[0]] = self.cleaned_data[needed[0]]
        return fields


class ChangeRequestDecisionForm(GovukForm):
    submit_label = "Record decision"

    outcome = forms.ChoiceField(
        label="Decision",
        choices=[("approve", "Approve the change"), ("refuse", "Refuse the change")],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether to approve or refuse the change"},
    )
    decision = forms.ModelChoiceField(
        label="Board decision",
        queryset=Decision.objects.none(),
        required=False,
        empty_label="None",
        help_text="The board decision that allowed it (needed to extend the end date)",
    )
    note = forms.CharField(
        label="Note",
        widget=forms.Textarea,
        required=False,
        help_text="Needed when you refuse: say why",
    )

    def __init__(self, *args, partnership: Partnership, **kwargs):
        super().__init__(*args, **kwargs)
        decisions = self.fields["decision"]
        decisions.queryset = (
            Decision.objects.filter(meeting__partnership=partnership)
            .select_related("meeting")
            .order_by("-meeting__held_on", "id")
        )
        decisions.label_from_instance = lambda decision: (
            f"{decision.meeting.held_on:%-d %B %Y}: {decision.text[:120]}"
        )


class ProjectCloseForm(GovukForm):
    submit_label = "Continue"

    delivered = forms.CharField(
        label="What the project delivered",
        widget=forms.Textarea,
        error_messages={"required": "Say what the project delivered"},
    )
    savings_realised = _money(
        "Cashable savings realised",
        error_messages={"required": "Enter the savings realised, or 0 if there were none"},
    )
    lessons_learnt = forms.CharField(
        label="Lessons learnt",
        widget=forms.Textarea,
        error_messages={"required": "Give the lessons learnt"},
    )


# Filters of the lists --------------------------------------------------------------------


class _GetForm(forms.Form):
    """A filter form: sent with GET, drawn with GOV.UK styles."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper(self)
        self.helper.form_method = "get"
        self.helper.add_input(Submit("", "Apply filters", css_class="govuk-button--secondary"))


class ProjectFilter(django_filters.FilterSet):
    """Narrow a partnership's projects by programme and status."""

    programme = django_filters.ModelChoiceFilter(
        queryset=Programme.objects.none(), empty_label="All programmes"
    )
    status = django_filters.ChoiceFilter(choices=Project.Status.choices, empty_label="All statuses")

    class Meta:
        model = Project
        fields = ["programme", "status"]
        form = _GetForm

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["programme"].queryset = Programme.objects.filter(
            pk__in=self.queryset.values("programme")
        )


def _due_in_year(queryset, name, year):
    start, _ = financial_years.quarter_bounds(int(year), 1)
    _, end = financial_years.quarter_bounds(int(year), 4)
    return queryset.filter(due_on__range=(start, end))


def _due_in_quarter(queryset, name, quarter):
    first_month = 3 * (int(quarter) - 1) + 4
    months = [(first_month + offset - 1) % 12 + 1 for offset in range(3)]
    return queryset.filter(due_on__month__in=months)


def _in_sub_region(queryset, name, sub_region):
    """Payments to a member of the sub-region, or from a programme it runs."""
    member = SubRegion.members.through.objects.filter(
        subregion_id=sub_region.pk, organisation_id=OuterRef("project__lead_organisation")
    )
    return queryset.filter(Q(project__programme__sub_region=sub_region) | Exists(member))


class PaymentScheduleFilter(django_filters.FilterSet):
    """The grant payment schedule's filters. The page and both downloads apply the
    same ones, so a download holds exactly the rows the page listed. Every choice is
    taken from the payments the user may see."""

    partnership = django_filters.ModelChoiceFilter(
        label="Partnership",
        field_name="project__programme__partnership",
        queryset=Partnership.objects.none(),
        empty_label="All partnerships",
    )
    programme = django_filters.ModelChoiceFilter(
        label="Programme",
        field_name="project__programme",
        queryset=Programme.objects.none(),
        empty_label="All programmes",
    )
    sub_region = django_filters.ModelChoiceFilter(
        label="Sub-region",
        queryset=SubRegion.objects.none(),
        method=_in_sub_region,
        empty_label="All sub-regions",
    )
    accountable_body = django_filters.ModelChoiceFilter(
        label="Accountable body",
        field_name="project__lead_organisation",
        queryset=Organisation.objects.none(),
        empty_label="All accountable bodies",
    )
    financial_year = django_filters.ChoiceFilter(
        label="Financial year due",
        choices=financial_years.choices(),
        method=_due_in_year,
        empty_label="Any year",
    )
    quarter = django_filters.ChoiceFilter(
        label="Quarter due",
        choices=financial_years.QUARTER_CHOICES,
        method=_due_in_quarter,
        empty_label="Any quarter",
    )
    status = django_filters.ChoiceFilter(
        label="Status", choices=GrantPayment.Status.choices, empty_label="Any status"
    )

    class Meta:
        model = GrantPayment
        fields = [
            "partnership",
            "programme",
            "sub_region",
            "accountable_body",
            "financial_year",
            "quarter",
            "status",
        ]
        form = _GetForm

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        projects = Project.objects.filter(pk__in=self.queryset.values("project"))
        self.filters["partnership"].queryset = Partnership.objects.filter(
            pk__in=projects.values("programme__partnership")
        )
        self.filters["programme"].queryset = Programme.objects.filter(
            pk__in=projects.values("programme")
        )
        self.filters["sub_region"].queryset = SubRegion.objects.filter(
            partnership__in=projects.values("programme__partnership")
        )
        self.filters["accountable_body"].queryset = Organisation.objects.filter(
            pk__in=projects.values("lead_organisation")
        )
