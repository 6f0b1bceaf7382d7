"""Scores, declared interests, the agreed total and the steering group's
recommendation."""

from crispy_forms_gds.layout import Fieldset, Layout
from django import forms

from bids.models import Bid, Criterion
from partnership.govuk_forms import GovukForm, WholeNumberField, text_input, textarea


class ScoreForm(GovukForm):
    """One scorer's points and comment on each of the round's criteria."""

    def __init__(self, *args, criteria: list[Criterion], scores: dict[int, object], **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        groups = []
        for criterion in criteria:
            score = scores.get(criterion.pk)
            limit = {"max_value": criterion.max_points} if criterion.max_points else {}
            points_name, comment_name = f"points_{criterion.pk}", f"comment_{criterion.pk}"
            self.fields[points_name] = WholeNumberField(
                what=f"the points for “{criterion.name}”",
                label="Points",
                help_text=(
                    f"From 0 to {criterion.max_points}" if criterion.max_points else "0 or more"
                ),
                min_value=0,
                initial=score.points if score else None,
                **limit,
            )
            self.fields[comment_name] = forms.CharField(
                label="Comment",
                required=False,
                widget=textarea(3),
                initial=score.comment if score else "",
            )
            groups.append(
                Fieldset(points_name, comment_name, legend=criterion.name, legend_size="s")
            )
        self.helper.layout = Layout(*groups)

    def scores(self) -> list[tuple[Criterion, int, str]]:
        return [
            (
                criterion,
                self.cleaned_data[f"points_{criterion.pk}"],
                self.cleaned_data[f"comment_{criterion.pk}"],
            )
            for criterion in self.criteria
        ]


class InterestForm(GovukForm):
    reason = forms.CharField(
        label="What is your interest in this bid?",
        help_text="For example, your council sponsors it or is one of its partners",
        max_length=300,
        widget=text_input(),
        error_messages={"required": "Say what your interest in the bid is"},
    )


class AgreedPointsForm(GovukForm):
    points = WholeNumberField(what="the agreed total", label="Agreed total points", min_value=0)

    def __init__(self, *args, maximum: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if maximum:
            self.fields["points"] = WholeNumberField(
                what="the agreed total",
                label="Agreed total points",
                help_text=f"From 0 to {maximum}",
                min_value=0,
                max_value=maximum,
            )


class RecommendationForm(GovukForm):
    recommendation = forms.ChoiceField(
        label="What does the steering group recommend?",
        choices=Bid.Recommendation.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the steering group's recommendation"},
    )
    recommendation_note = forms.CharField(
        label="Note for the board",
        help_text="If the bid is to be referred back, say what further work it needs",
        required=False,
        widget=textarea(4),
    )
