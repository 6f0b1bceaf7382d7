"""Forms for rounds, bids, scores and recommendations, rendered as GOV.UK Frontend
components (crispy-forms-gds). Each form checks what a person typed; the rules of the
round (dates, money, lifecycle) stay in the services, whose errors the views put back
on the form."""

from partnership.form_errors import add_service_error
from partnership.govuk_forms import DateField, GovukForm, MoneyField

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
    "DateField",
    "FundingPlanForm",
    "GovukForm",
    "InterestForm",
    "MoneyField",
    "RankedFilterForm",
    "RecommendationForm",
    "RoundOpenForm",
    "RoundReopenForm",
    "RoundScorersForm",
    "ScoreForm",
    "add_service_error",
    "criterion_formset",
]
