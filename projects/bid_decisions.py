"""The page where a programme manager records the board's decision on a bid: approve
it (which makes its project), refer it back with the work needed, or reject it.

It lives in projects because an approval creates the project, and bids may not import
projects. Routed by ``projects.bid_decision_urls``.
"""

from decimal import Decimal

from crispy_forms_gds.layout import ConditionalQuestion, ConditionalRadios, Layout
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from bids.models import Bid
from bids.selectors import round_money
from bids.services import bid_refer_back, bid_reject
from partnership.form_pages import form_page
from partnership.govuk_forms import DateField, GovukForm, MoneyField
from partnership.models import Decision
from partnership.object_pages import viewable_object_or_404

from .models import Project
from .services import bid_approve_into_project

APPROVE, REFER_BACK, REJECT = (choice.value for choice in Bid.Recommendation)
FIRST_MILESTONE = "Project plan, partners and milestone profile agreed"


class BidDecisionForm(GovukForm):
    conditional_radios = frozenset({"outcome"})

    outcome = forms.ChoiceField(
        label="What did the board decide?",
        choices=[
            (APPROVE, "Approve"),
            (REFER_BACK, "Refer back for further work"),
            (REJECT, "Reject"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what the board decided"},
    )
    grant_allocated = MoneyField(
        what="the grant allocated",
        label="Grant allocated",
        help_text="In pounds. It may be less than the grant requested, never more.",
        required=False,
    )
    reference = forms.CharField(
        label="Project reference",
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"class": "govuk-input govuk-input--width-20"}),
    )
    first_milestone = forms.CharField(
        label="First outcome milestone",
        help_text="The lead council's officer adds the rest of the milestone and payment profile",
        max_length=300,
        required=False,
        widget=forms.TextInput(attrs={"class": "govuk-input"}),
    )
    first_milestone_due_on = DateField(
        what="the date the first milestone is due", label="First milestone due", required=False
    )
    first_payment = MoneyField(
        what="the payment the first milestone releases",
        label="Grant paid when the first milestone is verified (optional)",
        required=False,
    )
    recommendation_note = forms.CharField(
        label="What further work does the bid need?",
        required=False,
        widget=forms.Textarea(attrs={"class": "govuk-textarea", "rows": 4}),
    )
    decision = forms.ModelChoiceField(
        queryset=None,
        label="The board's decision, as minuted",
        empty_label="Choose the decision",
        error_messages={"required": "Choose the board decision, as minuted at its meeting"},
    )

    def __init__(self, *args, bid: Bid, **kwargs):
        super().__init__(*args, **kwargs)
        self.bid = bid
        decision = self.fields["decision"]
        decision.queryset = (
            Decision.objects.filter(
                meeting__partnership_id=bid.bidding_round.budget_line.programme.partnership_id
            )
            .select_related("meeting")
            .order_by("-meeting__held_on", "id")
        )
        decision.label_from_instance = lambda decision: (
            f"{decision.meeting.held_on:%-d %B %Y}, {decision.meeting.title}: "
            f"{decision.text[:120]}{'…' if len(decision.text) > 120 else ''}"
        )
        self.helper.layout = Layout(
            ConditionalRadios(
                "outcome",
                ConditionalQuestion(
                    "Approve",
                    "grant_allocated",
                    "reference",
                    "first_milestone",
                    "first_milestone_due_on",
                    "first_payment",
                ),
                ConditionalQuestion("Refer back for further work", "recommendation_note"),
                "Reject",
            ),
            "decision",
        )

    # The fields each outcome needs; the others are hidden under the other choices and
    # ignored.
    NEEDED = {
        APPROVE: {
            "grant_allocated": "Enter the grant the board allocated",
            "reference": "Enter a reference for the project",
            "first_milestone": "Enter the project's first outcome milestone",
            "first_milestone_due_on": "Enter the date the first milestone is due",
        },
        REFER_BACK: {"recommendation_note": "Say what further work the bid needs"},
        REJECT: {},
    }

    def clean(self):
        cleaned = super().clean()
        outcome = cleaned.get("outcome")
        if not outcome:
            return cleaned
        needed = self.NEEDED[outcome]
        for name in {name for names in self.NEEDED.values() for name in names} - set(needed):
            self.errors.pop(name, None)
            cleaned.pop(name, None)
        for name, message in needed.items():
            if name not in self.errors and cleaned.get(name) in (None, ""):
                self.add_error(name, message)
        reference = cleaned.get("reference")
        if reference and Project.objects.filter(reference=reference).exists():
            self.add_error("reference", f"Another project already has the reference {reference}")
        return cleaned


def _initial(bid: Bid) -> dict:
    partnership = bid.bidding_round.budget_line.programme.partnership
    return {
        "outcome": bid.recommendation or None,
        "grant_allocated": bid.grant_requested,
        "reference": (
            f"{partnership.short_name.replace(' ', '').upper()}-"
            f"{bid.bidding_round.opens_on:%Y}-{bid.number:02d}"
        ),
        "first_milestone": FIRST_MILESTONE,
        "recommendation_note": bid.recommendation_note,
    }


@login_required
def bid_decide(request: HttpRequest, pk: int) -> HttpResponse:
    bid = viewable_object_or_404(
        request,
        Bid.objects.visible_to(request.user).select_related(
            "bidding_round__budget_line__programme__partnership", "sponsor"
        ),
        pk=pk,
    )
    if not request.user.has_perm("bids.change_biddinground", bid.bidding_round):
        raise PermissionDenied
    if bid.status != Bid.Status.SUBMITTED:
        messages.error(
            request,
            f"Bid {bid.number} is {bid.get_status_display().lower()}: it is not waiting "
            "for a decision.",
        )
        return redirect(bid)
    form = BidDecisionForm(request.POST or None, bid=bid, initial=_initial(bid))
    return form_page(
        request,
        "bids/bid_decision.html",
        {"bid": bid, "money": round_money(bid.bidding_round)},
        form,
        act=lambda data: _record(bid, data, by=request.user),
        done=lambda decided: _recorded(bid, form.cleaned_data["outcome"], decided),
    )


def _record(bid: Bid, data: dict, *, by) -> Bid | Project:
    """Record the decision through the one service for its outcome: an approval makes
    the project, which the manager goes on to; otherwise they go back to the bid."""
    if data["outcome"] == APPROVE:
        return bid_approve_into_project(
            bid=bid,
            grant_allocated=data["grant_allocated"],
            decision=data["decision"],
            reference=data["reference"],
            first_milestone=data["first_milestone"],
            first_milestone_due_on=data["first_milestone_due_on"],
            first_payment=data["first_payment"] or Decimal("0.00"),
            by=by,
        )
    if data["outcome"] == REFER_BACK:
        bid_refer_back(bid=bid, note=data["recommendation_note"], decision=data["decision"], by=by)
    else:
        bid_reject(bid=bid, decision=data["decision"], by=by)
    return bid


def _recorded(bid: Bid, outcome: str, decided: Bid | Project) -> str:
    if outcome == APPROVE:
        return (
            f"Bid {bid.number} is approved with £{decided.grant_awarded:,.0f}. Project "
            f"{decided.reference} is set up for {bid.sponsor.name} to complete its milestones "
            "and payment profile."
        )
    if outcome == REFER_BACK:
        return f"Bid {bid.number} is referred back to {bid.sponsor.name}."
    return f"Bid {bid.number} is rejected."
