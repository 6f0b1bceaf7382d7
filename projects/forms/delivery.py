"""Forms for logging, re-profiling and returning milestones, and for withholding,
recording and scheduling grant payments, repayments and clawback."""

from django import forms

from partnership.govuk_forms import DateField, GovukForm, MoneyField, text_input

from .evidence import ALLOWED_NAMES, EvidenceFilesField, LinksField

# Milestones ----------------------------------------------------------------------------


class MilestoneAddForm(GovukForm):
    submit_label = "Add the milestone"

    title = forms.CharField(
        label="Outcome to be delivered",
        max_length=300,
        widget=text_input(),
        error_messages={"required": "Enter the outcome the milestone delivers"},
    )
    description = forms.CharField(
        label="Description", widget=forms.Textarea, required=False, help_text="Optional"
    )
    due_on = DateField(
        label="Date due",
        help_text="The baseline agreed, for example 30 9 2012",
        error_messages={"required": "Enter the date the milestone is due"},
    )
    payment_amount = MoneyField(
        label="Grant paid once it is verified",
        help_text="0 if its delivery releases no payment",
        error_messages={"required": "Enter the grant paid on delivery, or 0"},
    )


class MilestoneLogForm(GovukForm):
    submit_label = "Log as achieved"

    achieved_on = DateField(label="Date achieved", help_text="For example, 30 9 2011")
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

    new_forecast_on = DateField(label="New forecast date", help_text="For example, 31 3 2012")
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

    paid_on = DateField(label="Date paid", help_text="For example, 14 10 2011")
    reference = forms.CharField(
        label="Remittance reference",
        max_length=100,
        widget=text_input(spellcheck="false"),
        error_messages={"required": "Give the remittance reference"},
    )


class ReceiptForm(GovukForm):
    """Money received back: an invest-to-save repayment or a clawed-back refund."""

    submit_label = "Record receipt"

    received_on = DateField(label="Date received", help_text="For example, 2 5 2012")
    reference = forms.CharField(
        label="Receipt reference",
        max_length=100,
        widget=text_input(spellcheck="false"),
        error_messages={"required": "Give the receipt reference"},
    )


class RepaymentForm(GovukForm):
    submit_label = "Add repayment"

    due_on = DateField(label="Date due", help_text="For example, 30 4 2012")
    amount = MoneyField(
        label="Amount", error_messages={"required": "Enter the amount to be repaid"}
    )


class ClawbackForm(GovukForm):
    submit_label = "Demand refund"

    amount = MoneyField(
        label="Amount to be refunded", error_messages={"required": "Enter the amount"}
    )
    reason = forms.CharField(
        label="Why the grant is clawed back",
        widget=forms.Textarea,
        error_messages={"required": "Give the reason for the clawback"},
    )
    demanded_on = DateField(label="Date of the demand", help_text="For example, 31 3 2013")
