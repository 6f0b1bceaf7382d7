"""Forms for rounds, bids, scores and recommendations, rendered as GOV.UK Frontend
components (crispy-forms-gds). Each form checks what a person typed; the rules of the
round (dates, money, lifecycle) stay in the services, whose errors the views put back
on the form."""

from .bids import BidForm
from .rounds import (
    FundingPlanForm,
    RankedFilterForm,
    RoundOpenForm,
    RoundReopenForm,
    RoundScorersForm,
    criterion_formset,
)
from .scoring import AgreedPointsForm, InterestForm, RecommendationForm, ScoreForm

__all__ = [
    "AgreedPointsForm",
    "BidForm",
    "FundingPlanForm",
    "InterestForm",
    "RankedFilterForm",
    "RecommendationForm",
    "RoundOpenForm",
    "RoundReopenForm",
    "RoundScorersForm",
    "ScoreForm",
    "criterion_formset",
]
