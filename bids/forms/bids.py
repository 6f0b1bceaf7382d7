"""A council's bid, and the checks on its outline business case."""

from crispy_forms_gds.layout import ConditionalQuestion, ConditionalRadios, Field, Fieldset, Layout
from django import forms
from django.core.exceptions import ValidationError

from bids.models import Bid, BiddingRound
from bids.selectors import partner_choices
from partnership import uploads
from partnership.govuk_forms import GovukForm, MoneyField, WholeNumberField, text_input, textarea
from partnership.held_uploads import KeptFileInput
from partnership.models import Organisation

MAX_BUSINESS_CASE_BYTES = 10 * 1024 * 1024
# What an outline business case may be: its name's ending, and the content types
# browsers send for it (partnership.uploads checks its contents).
BUSINESS_CASE_KINDS = {
    "pdf": ("PDF", {"application/pdf"}),
    "doc": ("Word", {"application/msword"}),
    "docx": ("Word", {"application/vnd.openxmlformats-officedocument.wordprocessingml.document"}),
}
# Some browsers send this for any file they do not recognise; the contents decide then.
UNKNOWN_CONTENT_TYPE = "application/octet-stream"

YES_NO_NOT_SPECIFIED = [("yes", "Yes"), ("no", "No"), ("not_specified", "Not specified")]
TRUTH = {"yes": True, "no": False, "not_specified": None}


def _business_case_refusal(upload) -> str | None:
    """Why the uploaded file cannot be a bid's outline business case, if it cannot."""
    extension = uploads.extension_of(upload.name)
    if extension not in BUSINESS_CASE_KINDS:
        return "The outline business case must be a PDF or Word document (.pdf, .doc or .docx)"
    if upload.size > MAX_BUSINESS_CASE_BYTES:
        return "The outline business case must be smaller than 10 MB"
    label, content_types = BUSINESS_CASE_KINDS[extension]
    too_large = uploads.unpacked_size_refusal(upload, "The outline business case")
    if too_large:
        return too_large
    if upload.content_type not in content_types | {UNKNOWN_CONTENT_TYPE} or not (
        uploads.is_genuine(upload, extension)
    ):
        return (
            f"The selected file is not a real {label} document: its name ends in "
            f".{extension} but its contents are not {label}. Save it again as a PDF or "
            "Word document"
        )
    return None


class BidForm(GovukForm):
    """A council's bid. ``version`` is the bid's version when the form was built: the
    service refuses the save if someone saved the bid since."""

    sponsor = forms.ModelChoiceField(
        queryset=None,
        label="Sponsoring council",
        help_text="The accountable body that would receive the grant",
        empty_label="Choose your council",
        error_messages={"required": "Choose the council sponsoring the bid"},
    )
    title = forms.CharField(
        label="Project title",
        max_length=300,
        widget=text_input(),
        error_messages={
            "required": "Enter the project title",
            "max_length": "The project title must be 300 characters or fewer",
        },
    )
    description = forms.CharField(
        label="Describe the project",
        required=False,
        help_text="What it will do, for whom, and how. You need this before you submit the bid.",
        widget=textarea(8),
    )
    partners = forms.ModelMultipleChoiceField(
        # The round's partnership's members, less the sponsor: set in __init__.
        queryset=Organisation.objects.none(),
        required=False,
        label="Partner organisations",
        help_text=(
            "The other councils and public bodies in the partnership taking part. Select "
            "all that apply."
        ),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "invalid_choice": "Choose partner organisations from the list",
            "invalid_pk_value": "Choose partner organisations from the list",
        },
    )
    is_partnership = forms.ChoiceField(
        label="Is this a partnership project?",
        help_text="Does it involve other councils?",
        choices=[("yes", "Yes"), ("no", "No")],
        initial="yes",
        widget=forms.RadioSelect,
        error_messages={"required": "Say whether this is a partnership project"},
    )
    grant_requested = MoneyField(
        what="the grant requested", label="Grant requested", help_text="In pounds"
    )
    savings_claimed = MoneyField(
        what="the cashable savings claimed",
        label="Cashable savings claimed",
        help_text="In pounds. Leave empty if the bid claims none.",
        required=False,
    )
    savings_claimed_high = MoneyField(
        what="the upper figure",
        label="Upper figure, if you claim a range (optional)",
        required=False,
    )
    savings_basis = forms.ChoiceField(
        label="Over what period are the savings claimed?",
        choices=Bid.SavingsBasis.choices,
        initial=Bid.SavingsBasis.NONE,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the period the savings are claimed over"},
    )
    savings_years = WholeNumberField(
        what="the number of years",
        label="Number of years",
        required=False,
        min_value=1,
        max_value=50,
    )
    builds_on_good_practice = forms.ChoiceField(
        label="Does the project build on previous good practice?",
        choices=YES_NO_NOT_SPECIFIED,
        initial="not_specified",
        widget=forms.RadioSelect,
        error_messages={"required": "Say whether the project builds on previous good practice"},
    )
    expected_breakeven = forms.CharField(
        label="When do you expect the project to break even? (optional)",
        help_text="For example, within 18 months of starting",
        max_length=200,
        required=False,
        widget=text_input(),
    )
    business_case = forms.FileField(
        label="Outline business case",
        help_text=(
            "A PDF or Word document, smaller than 10 MB. You need this before you submit the bid."
        ),
        required=False,
        widget=KeptFileInput(attrs={"class": "govuk-file-upload", "accept": ".pdf,.doc,.docx"}),
        error_messages={"empty": "The selected file is empty"},
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    conditional_radios = frozenset({"savings_basis"})
    fixed_sponsor = None

    def __init__(
        self, *args, bidding_round: BiddingRound, sponsors=None, bid: Bid | None = None, **kwargs
    ):
        if bid is not None:
            kwargs.setdefault("initial", _bid_initial(bid))
        super().__init__(*args, **kwargs)
        self.bid = bid
        if sponsors is None or len(sponsors) == 1:
            # A council of one's own is the only choice, so there is nothing to ask.
            del self.fields["sponsor"]
            self.fixed_sponsor = sponsors[0] if sponsors else None
        else:
            self.fields["sponsor"].queryset = Organisation.objects.filter(
                pk__in=[sponsor.pk for sponsor in sponsors]
            )
        sponsor = bid.sponsor if bid is not None else self.fixed_sponsor
        self.fields["partners"].queryset = partner_choices(bidding_round, sponsor)
        if bid is not None and bid.business_case:
            self.fields["business_case"].help_text = (
                "A PDF or Word document, smaller than 10 MB. Choose a file only to replace "
                "the one uploaded."
            )
        self.helper.layout = Layout(
            *(["sponsor"] if "sponsor" in self.fields else []),
            "title",
            "description",
            Field.checkboxes("partners", small=True),
            Field.radios("is_partnership", inline=True),
            "grant_requested",
            Fieldset(
                "savings_claimed",
                "savings_claimed_high",
                ConditionalRadios(
                    "savings_basis",
                    "Per annum",
                    ConditionalQuestion("Over a number of years", "savings_years"),
                    "One-off",
                    "Amount given, period not specified",
                    "None specified",
                ),
                legend="Cashable savings",
                legend_size="m",
            ),
            Field.radios("builds_on_good_practice", inline=True),
            "expected_breakeven",
            "business_case",
            "version",
        )

    def clean_business_case(self):
        upload = self.cleaned_data.get("business_case")
        if upload:
            refusal = _business_case_refusal(upload)
            if refusal:
                raise ValidationError(refusal)
        return upload

    def clean(self):
        cleaned = super().clean()
        basis = cleaned.get("savings_basis")
        amount = cleaned.get("savings_claimed")
        high = cleaned.get("savings_claimed_high")
        if basis == Bid.SavingsBasis.OVER_YEARS:
            if cleaned.get("savings_years") is None and "savings_years" not in self.errors:
                self.add_error(
                    "savings_years", "Enter the number of years the savings are claimed over"
                )
        else:
            # The years are asked only under "over a number of years"; a figure typed
            # there before choosing another period is not part of the claim.
            cleaned["savings_years"] = None
            self.errors.pop("savings_years", None)
        if basis == Bid.SavingsBasis.NONE:
            if amount is not None or high is not None:
                self.add_error(
                    "savings_basis",
                    "Choose the period the savings are claimed over, or remove the amount",
                )
        elif basis and amount is None and "savings_claimed" not in self.errors:
            self.add_error(
                "savings_claimed", "Enter the cashable savings claimed, or choose None specified"
            )
        if amount is not None and high is not None and high < amount:
            self.add_error(
                "savings_claimed_high", "The upper figure must not be less than the savings claimed"
            )
        return cleaned

    def bid_fields(self) -> dict:
        """What the services take: the bid's own fields (a new business case only when
        one was chosen) and its partners."""
        data = self.cleaned_data
        fields = {
            "title": data["title"],
            "description": data["description"],
            "grant_requested": data["grant_requested"],
            "savings_claimed": data["savings_claimed"],
            "savings_claimed_high": data["savings_claimed_high"],
            "savings_basis": data["savings_basis"],
            "savings_years": data["savings_years"],
            "is_partnership": data["is_partnership"] == "yes",
            "builds_on_good_practice": TRUTH[data["builds_on_good_practice"]],
            "expected_breakeven": data["expected_breakeven"],
            "partners": list(data["partners"]),
        }
        if data.get("business_case"):
            fields["business_case"] = data["business_case"]
        return fields


def _bid_initial(bid: Bid) -> dict:
    return {
        "title": bid.title,
        "description": bid.description,
        "partners": list(bid.partners.all()),
        "is_partnership": "yes" if bid.is_partnership else "no",
        "grant_requested": bid.grant_requested,
        "savings_claimed": bid.savings_claimed,
        "savings_claimed_high": bid.savings_claimed_high,
        "savings_basis": bid.savings_basis,
        "savings_years": bid.savings_years,
        "builds_on_good_practice": {True: "yes", False: "no", None: "not_specified"}[
            bid.builds_on_good_practice
        ],
        "expected_breakeven": bid.expected_breakeven,
        "version": bid.version,
    }
