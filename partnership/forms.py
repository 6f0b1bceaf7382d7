"""Forms behind the meeting pages. They parse what the user typed; the rules live in
``services.py``, whose errors the views put back on these forms."""

from crispy_forms_gds.layout import Field, Layout, Size
from django import forms
from django.db.models import Max

from .govuk_forms import DateField, GovukForm, number_input
from .held_uploads import KeptFileInput
from .models import Action, AgendaItem, Attendance, Decision, Declaration, Meeting, Partnership
from .services import Attendee


def _model_field(model, name: str, *, required: str | None = None, **overrides) -> forms.Field:
    """The model's own form field, so its length and help text agree with the model;
    ``required`` is what to tell the user when it is left empty."""
    if required:
        overrides["error_messages"] = {"required": required}
    return model._meta.get_field(name).formfield(**overrides)


class _MeetingPageForm(GovukForm):
    """The meeting pages' forms draw their own tag and button, with small bold labels."""

    label_size = Size.SMALL
    submit_label = "Save"


class MeetingForm(_MeetingPageForm):
    title = _model_field(
        Meeting, "title", initial="Board meeting", required="Enter the meeting’s title"
    )
    held_on = DateField(
        what="the date", label="Date", help_text="For example, 12 4 2011", require_all_fields=False
    )
    starts_at = forms.TimeField(
        label="Start time (optional)",
        required=False,
        input_formats=["%H:%M", "%H.%M"],
        help_text="Use the 24-hour clock, for example 10:30 or 14:00",
        error_messages={"invalid": "Enter a time such as 10:30 or 14:00"},
        # A plain text input, which the GOV.UK template pack styles and marks in error.
        widget=forms.TextInput,
    )
    place = _model_field(Meeting, "place", label="Place (optional)")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if starts_at := self.initial.get("starts_at"):
            self.initial["starts_at"] = f"{starts_at:%H:%M}"
        self.helper.layout = Layout(
            Field.text("title"),
            "held_on",
            Field.text("starts_at", field_width=5),
            Field.text("place"),
        )


class AttendeeForm(forms.Form):
    """One row of the attendance list: a person by role, never by name. The page lays
    rows out as a table, so the widgets carry the GOV.UK classes themselves."""

    kind = forms.ChoiceField(
        label="Attended as",
        choices=[("", "Choose")] + Attendance.Kind.choices,
        error_messages={"required": "Choose how they attended"},
        widget=forms.Select(attrs={"class": "govuk-select"}),
    )
    role_as_recorded = _model_field(
        Attendance,
        "role_as_recorded",
        label="Role",
        required="Enter their role, for example Councillor",
        widget=forms.TextInput(attrs={"class": "govuk-input govuk-!-width-full"}),
    )
    # Choices rather than a queryset, so every row shares one query for the picker.
    organisation = forms.TypedChoiceField(
        label="Organisation",
        coerce=int,
        required=False,
        empty_value=None,
        widget=forms.Select(attrs={"class": "govuk-select govuk-!-width-full"}),
    )

    def __init__(self, *args, organisation_choices: list[tuple], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = organisation_choices

    def full_clean(self) -> None:
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                attrs = self.fields[name].widget.attrs
                component = attrs["class"].split()[0]
                attrs["class"] += f" {component}--error"
                attrs["aria-describedby"] = f"{self[name].auto_id}-error"


class AttendanceFormSet(forms.BaseFormSet):
    """The whole attendance list, a row a person; rows left empty are skipped and
    rows ticked for removal are dropped."""

    row_name = "Row"  # the error summary says "Row 2: ..."

    def __init__(self, *args, partnership: Partnership, **kwargs):
        self.organisations = {org.pk: org for org in partnership.members.order_by("name")}
        self.organisation_choices = [("", "Not a member organisation")] + [
            (pk, org.name) for pk, org in self.organisations.items()
        ]
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        return {"organisation_choices": self.organisation_choices}

    def add_fields(self, form, index) -> None:
        super().add_fields(form, index)
        form.fields["DELETE"].label = "Remove"
        form.fields["DELETE"].widget.attrs["class"] = "govuk-checkboxes__input"

    def attendees(self) -> list[Attendee]:
        return [
            Attendee(
                kind=row["kind"],
                role_as_recorded=row["role_as_recorded"],
                organisation=self.organisations.get(row["organisation"]),
            )
            for row in self.cleaned_data
            if row and not row.get("DELETE")
        ]


# Blank rows for a first list are enough for the whole board plus officers; once a
# list exists, a few more for late additions.
FIRST_ROWS_BEYOND_BOARD = 5
MORE_ROWS = 5


def attendance_formset(meeting: Meeting, data=None) -> AttendanceFormSet:
    initial = [
        {
            "kind": person.kind,
            "role_as_recorded": person.role_as_recorded,
            "organisation": person.organisation_id,
        }
        for person in meeting.attendance.all()
    ]
    extra = MORE_ROWS if initial else meeting.partnership.board_size + FIRST_ROWS_BEYOND_BOARD
    formset_class = forms.formset_factory(
        AttendeeForm, formset=AttendanceFormSet, extra=extra, can_delete=True
    )
    return formset_class(
        data, initial=initial, partnership=meeting.partnership, prefix="attendance"
    )


class AgendaItemForm(_MeetingPageForm):
    submit_label = "Add item"

    number = _model_field(
        AgendaItem,
        "number",
        label="Item number",
        min_value=1,
        widget=number_input(),
        required="Enter the item number",
    )
    title = _model_field(AgendaItem, "title", required="Enter the item’s title")
    presenter = _model_field(
        AgendaItem,
        "presenter",
        label="Presented by (optional)",
        help_text="A role, for example Director, EM IEP",
    )
    report = forms.FileField(
        label="Report (optional)",
        required=False,
        help_text="A PDF, smaller than 20 MB",
        widget=KeptFileInput(attrs={"accept": "application/pdf", "class": "govuk-file-upload"}),
    )
    page = _model_field(
        AgendaItem,
        "page",
        label="Page in the board pack (optional)",
        min_value=1,
        widget=number_input(),
    )

    def __init__(self, *args, meeting: Meeting, **kwargs):
        super().__init__(*args, **kwargs)
        last = meeting.agenda_items.aggregate(last=Max("number"))["last"] or 0
        self.fields["number"].initial = last + 1
        self.helper.layout = Layout(
            Field.text("number", field_width=3),
            Field.text("title"),
            Field.text("presenter"),
            "report",
            Field.text("page", field_width=3),
        )


class _AgendaItemChoiceForm(_MeetingPageForm):
    """A form that may tie what it records to an item on the meeting's agenda."""

    agenda_item = forms.ModelChoiceField(
        label="Agenda item (optional)",
        queryset=AgendaItem.objects.none(),
        required=False,
        empty_label="Not under an item",
    )

    def __init__(self, *args, meeting: Meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agenda_item"].queryset = meeting.agenda_items.all()


class DeclarationForm(_AgendaItemChoiceForm):
    submit_label = "Record declaration"

    member = _model_field(
        Declaration,
        "member",
        label="Member declaring",
        help_text="A role, never a name: for example Councillor, Rutland CC",
        required="Enter the role of the member declaring",
    )
    interest = _model_field(
        Declaration,
        "interest",
        label="Interest declared",
        widget=forms.Textarea(attrs={"rows": 3}),
        required="Enter the interest declared",
    )
    field_order = ["member", "interest", "agenda_item"]


class DecisionForm(_AgendaItemChoiceForm):
    submit_label = "Record decision"

    text = _model_field(
        Decision, "text", label="What the board decided", required="Enter what the board decided"
    )
    field_order = ["agenda_item", "text"]


class ActionForm(_MeetingPageForm):
    submit_label = "Add action"

    text = _model_field(Action, "text", label="Action", required="Enter the action")
    owner = _model_field(Action, "owner", required="Enter who owns the action")
    due_on = DateField(
        what="the due date",
        label="Due date (optional)",
        required=False,
        help_text="For example, 31 1 2011",
        require_all_fields=False,
    )


class MinutesApprovalForm(_MeetingPageForm):
    submit_label = "Approve minutes"

    at_meeting = forms.ModelChoiceField(
        label="Meeting that approved the minutes",
        help_text="Usually the board’s next meeting.",
        queryset=Meeting.objects.none(),
        empty_label="Choose a meeting",
        error_messages={"required": "Choose the meeting that approved the minutes"},
    )

    def __init__(self, *args, meeting: Meeting, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["at_meeting"]
        field.queryset = meeting.partnership.meetings.exclude(pk=meeting.pk).order_by("-held_on")
        field.label_from_instance = lambda other: f"{other.title}, {other.held_on:%-d %B %Y}"


class CodeForm(GovukForm):
    token = forms.CharField(
        label="Code",
        max_length=16,
        error_messages={"required": "Enter the code"},
        widget=forms.TextInput(
            attrs={
                "class": "govuk-input govuk-input--width-10",
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "spellcheck": "false",
            }
        ),
    )


class PublishGrantsForm(GovukForm):
    published_from = DateField(
        what="the date",
        label="Publish the grants the board approved from",
        help_text="For example, 1 4 2011. Grants approved later are published as they are.",
    )
