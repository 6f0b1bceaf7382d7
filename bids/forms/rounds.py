"""Opening a round, re-opening it, naming its scorers, and reading its ranked table and
funding plan."""

from django import forms
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db.models import Q

from bids.models import Bid, BiddingRound
from bids.permissions import eligible_scorers
from bids.selectors import people_with_councils
from bids.services import DEFAULT_CRITERIA
from partnership.govuk_forms import (
    DateField,
    GovukForm,
    MoneyField,
    WholeNumberField,
    text_input,
    textarea,
)
from partnership.models import Organisation


class _RoundDatesForm(GovukForm):
    """The dates of a new or further round, which cannot close before it opens."""

    def clean(self):
        cleaned = super().clean()
        opens_on, closes_on = cleaned.get("opens_on"), cleaned.get("closes_on")
        if opens_on and closes_on and closes_on < opens_on:
            self.add_error("closes_on", "The round must close on or after the day it opens")
        return cleaned


class RoundOpenForm(_RoundDatesForm):
    budget_line = forms.ModelChoiceField(
        queryset=None,
        label="Budget line",
        help_text=(
            "The round can offer no more than the line has uncommitted and not already "
            "offered by a round still deciding"
        ),
        empty_label="Choose a budget line",
        widget=forms.Select(attrs={"class": "govuk-select govuk-!-width-full"}),
        error_messages={"required": "Choose the budget line the round bids for"},
    )
    name = forms.CharField(
        label="Name of the round",
        max_length=200,
        widget=text_input(),
        error_messages={"required": "Enter a name for the round"},
    )
    amount_available = MoneyField(what="the amount available", help_text="In pounds")
    opens_on = DateField(what="the date the round opens", label="Opens on")
    closes_on = DateField(
        what="the date the round closes",
        label="Closes on",
        help_text="Bids can be changed and submitted until the end of this day",
    )
    guidance = forms.CharField(label="Guidance for councils", required=False, widget=textarea())
    minimum_points = WholeNumberField(
        what="the minimum score",
        label="Minimum score to be funded (optional)",
        required=False,
        min_value=0,
    )

    def __init__(self, *args, budget_lines, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["budget_line"]
        field.queryset = budget_lines
        field.label_from_instance = lambda line: (
            f"{line.programme.name}: {line.name} (£{line.available:,.0f} uncommitted)"
        )


class CriterionForm(GovukForm):
    name = forms.CharField(label="Criterion", required=False, max_length=300, widget=text_input())
    max_points = WholeNumberField(
        what="the maximum points", label="Maximum points", required=False, min_value=1
    )

    def clean(self):
        cleaned = super().clean()
        name, points = cleaned.get("name"), cleaned.get("max_points")
        if name and points is None and "max_points" not in self.errors:
            self.add_error("max_points", f"Enter the maximum points for “{name}”")
        if points is not None and not name:
            self.add_error("name", "Enter the criterion these points are for")
        return cleaned


class BaseCriterionFormSet(forms.BaseFormSet):
    def clean(self):
        if any(self.errors):
            return
        names = [name for name, _ in self.criteria()]
        if not names:
            raise ValidationError("Enter at least one scoring criterion")
        if len(set(names)) != len(names):
            raise ValidationError("Give each scoring criterion a different name")

    def criteria(self) -> list[tuple[str, int]]:
        return [
            (form.cleaned_data["name"], form.cleaned_data["max_points"])
            for form in self.forms
            if form.cleaned_data.get("name")
        ]


CriterionFormSet = forms.formset_factory(
    CriterionForm, formset=BaseCriterionFormSet, extra=2, max_num=12, validate_max=True
)


def criterion_formset(data=None) -> BaseCriterionFormSet:
    """The criteria rows of a new round: the default criteria, then blank rows."""
    # Only the blank form starts from the defaults: rows posted back are what the
    # manager left in them, so a default row left as it was still counts.
    initial = None if data else [{"name": n, "max_points": p} for n, p in DEFAULT_CRITERIA]
    return CriterionFormSet(data, prefix="criteria", initial=initial)


class RoundReopenForm(_RoundDatesForm):
    name = forms.CharField(
        label="Name of the further round",
        max_length=200,
        widget=text_input(),
        error_messages={"required": "Enter a name for the further round"},
    )
    opens_on = DateField(
        what="the date the further round opens",
        label="Opens on",
        help_text="After the previous round closed",
    )
    closes_on = DateField(what="the date the further round closes", label="Closes on")
    carry = forms.ModelMultipleChoiceField(
        queryset=None,
        required=False,
        label="Referred-back bids to carry into the further round",
        help_text=(
            "Each becomes a draft its council can rework and submit again. Leave them all "
            "unticked to start with no bids."
        ),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, previous_round: BiddingRound, **kwargs):
        super().__init__(*args, **kwargs)
        self.previous_round = previous_round
        carry = self.fields["carry"]
        carry.queryset = previous_round.bids.filter(status=Bid.Status.REFERRED_BACK).select_related(
            "sponsor"
        )
        carry.label_from_instance = lambda bid: (
            f"Bid {bid.number}: {bid.title} ({bid.sponsor.short_name or bid.sponsor})"
        )
        if not carry.queryset.exists():
            del self.fields["carry"]


class RankedFilterForm(GovukForm):
    status = forms.ChoiceField(
        label="Status",
        required=False,
        choices=[("", "Any status")]
        + [
            (status.value, status.label)
            for status in Bid.Status
            if status not in (Bid.Status.DRAFT, Bid.Status.WITHDRAWN)
        ],
        widget=forms.Select(attrs={"class": "govuk-select"}),
    )
    min_points = WholeNumberField(what="the lowest score", label="Scoring at least", required=False)
    # Any number is accepted; the sponsors to choose from are those in the table, which
    # is known only once the table is read (see offer_sponsors).
    sponsor = forms.IntegerField(
        label="Sponsoring authority",
        required=False,
        widget=forms.Select(attrs={"class": "govuk-select"}),
        error_messages={"invalid": "Choose a sponsoring authority from the list"},
    )

    def offer_sponsors(self, sponsors: list[Organisation]) -> None:
        self.fields["sponsor"].widget.choices = [("", "Any sponsoring authority")] + [
            (sponsor.pk, sponsor.short_name or sponsor.name) for sponsor in sponsors
        ]

    def filters(self) -> dict:
        """The filters that are valid; a wrong one is shown as an error and not applied."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {
            "status": data.get("status") or "",
            "min_points": data.get("min_points"),
            "sponsor_id": data.get("sponsor"),
        }


class FundingPlanForm(GovukForm):
    minimum_points = WholeNumberField(
        what="the minimum score",
        label="Minimum score to be funded",
        help_text="Bids scoring less are not funded. Leave empty to fund any score.",
        required=False,
    )


class RoundScorersForm(GovukForm):
    label_size = "s"

    # Any active user is accepted here; who may be named is the service's rule, so
    # that its refusal, with its reason, is what the manager sees.
    scorers = forms.ModelMultipleChoiceField(
        queryset=User.objects.filter(is_active=True),
        required=False,
        label="Who scores this round's bids?",
        help_text=(
            "Programme managers and board members of the partnership, and officers of its "
            "member organisations, can be named. Programme managers can score without being named."
        ),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "invalid_choice": "Choose the scorers from the list",
            "invalid_pk_value": "Choose the scorers from the list",
        },
    )

    def __init__(self, *args, bidding_round: BiddingRound, **kwargs):
        current = set(bidding_round.scorers.values_list("pk", flat=True))
        kwargs.setdefault("initial", {"scorers": sorted(current)})
        super().__init__(*args, **kwargs)
        field = self.fields["scorers"]
        field.queryset = User.objects.filter(Q(is_active=True) | Q(pk__in=current))
        eligible = set(eligible_scorers(bidding_round).values_list("pk", flat=True))
        offered = people_with_councils(
            User.objects.filter(pk__in=eligible | current), bidding_round
        )
        # Someone named who is not (or no longer) eligible is still listed, so that they
        # can be removed.
        field.choices = [
            (
                person.pk,
                person.label
                + ("" if person.pk in eligible else " – not in the partnership's steering group"),
            )
            for person in offered
        ]
