"""Change requests, their decisions, and closure."""

from crispy_forms_gds.layout import (
    HTML,
    ConditionalQuestion,
    ConditionalRadios,
    Fieldset,
    Layout,
    Size,
)
from django import forms

from partnership.govuk_forms import DateField, GovukForm, MoneyField
from partnership.models import Decision, Partnership
from projects.models import ChangeRequest, GrantPayment
from projects.services import PaymentTerms


def _given(answer, otherwise):
    return otherwise if answer is None else answer


class ChangeRequestForm(GovukForm):
    submit_label = "Send request"
    conditional_radios = frozenset({"kind"})

    kind = forms.ChoiceField(
        label="What do you want to change?",
        choices=ChangeRequest.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what you want to change"},
    )
    new_grant_awarded = MoneyField(label="New grant", required=False)
    new_ends_on = DateField(
        label="New end date", required=False, help_text="For example, 30 9 2013"
    )
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

    def __init__(self, *args, payments: list[GrantPayment] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.payments = list(payments)
        for payment in self.payments:
            # The error summary lists every payment's errors together: each names its payment.
            which = f"the payment due {payment.due_on:%-d %B %Y}"
            self.fields[f"payment_{payment.pk}_amount"] = MoneyField(
                label="New amount",
                required=False,
                initial=payment.amount,
                error_messages={"invalid": f"Enter the new amount of {which} in pounds"},
            )
            self.fields[f"payment_{payment.pk}_due_on"] = DateField(
                label="New due date",
                required=False,
                initial=payment.due_on,
                error_messages={"invalid": f"Enter a real new due date for {which}"},
            )
        # Each kind's extra question is revealed under its radio button.
        needs = {kind: field for kind, (field, _) in self.NEEDS.items()}
        layout = [
            ConditionalRadios(
                "kind",
                *(
                    ConditionalQuestion(label, needs[kind]) if kind in needs else label
                    for kind, label in ChangeRequest.Kind.choices
                ),
            )
        ]
        if self.payments:
            layout.append(
                Fieldset(
                    HTML(
                        '<p class="govuk-hint">For a change of grant or re-profiled payments: '
                        "give a payment its new amount (0 cancels it) and due date, or leave "
                        "it as it is. Payments approved or paid cannot change.</p>"
                    ),
                    *(
                        Fieldset(
                            f"payment_{payment.pk}_amount",
                            f"payment_{payment.pk}_due_on",
                            legend=self.payment_legend(payment),
                            legend_size=Size.SMALL,
                        )
                        for payment in self.payments
                    ),
                    legend="The payment schedule",
                    legend_size=Size.MEDIUM,
                )
            )
        layout.append("reason")
        self.helper.layout = Layout(*layout)

    @staticmethod
    def payment_legend(payment: GrantPayment) -> str:
        what = f"Milestone {payment.milestone}" if payment.milestone_id else "Payment"
        return (
            f"{what}: £{payment.amount:,.2f} due {payment.due_on:%-d %B %Y} "
            f"({payment.get_status_display().lower()})"
        )

    def clean(self):
        cleaned = super().clean()
        needed = self.NEEDS.get(cleaned.get("kind"))
        if needed and cleaned.get(needed[0]) in (None, "") and not self.has_error(needed[0]):
            self.add_error(needed[0], needed[1])
        return cleaned

    def service_fields(self) -> dict:
        """The request as ``change_request_submit`` takes it: only the answers its
        kind needs, with the payment schedule for a change of grant or profile."""
        kind = self.cleaned_data["kind"]
        fields = {"kind": kind, "reason": self.cleaned_data["reason"]}
        needed = self.NEEDS.get(kind)
        if needed:
            fields[needed[0]] = self.cleaned_data[needed[0]]
        if kind in ChangeRequest.RESCHEDULING:
            # A payment left blank stays as it is.
            answer = self.cleaned_data.get
            fields["schedule"] = [
                PaymentTerms(
                    payment_id=payment.pk,
                    amount=_given(answer(f"payment_{payment.pk}_amount"), payment.amount),
                    due_on=_given(answer(f"payment_{payment.pk}_due_on"), payment.due_on),
                )
                for payment in self.payments
            ]
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
    savings_realised = MoneyField(
        label="Cashable savings realised",
        error_messages={"required": "Enter the savings realised, or 0 if there were none"},
    )
    lessons_learnt = forms.CharField(
        label="Lessons learnt",
        widget=forms.Textarea,
        error_messages={"required": "Give the lessons learnt"},
    )
