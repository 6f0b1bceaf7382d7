import django_filters

from bids.models import Bid, BiddingRound, Criterion
from partnership.api.filters import ApiFilterSet, IdFilter, MomentRangeFilter

_PROGRAMME = "budget_line__programme"


class BiddingRoundFilter(ApiFilterSet):
    programme = IdFilter(field_name=_PROGRAMME)
    partnership = IdFilter(field_name=f"{_PROGRAMME}__partnership")
    opens_on = django_filters.DateFromToRangeFilter()
    closes_on = django_filters.DateFromToRangeFilter()

    class Meta:
        model = BiddingRound
        fields = ["budget_line", "programme", "partnership"]


class CriterionFilter(ApiFilterSet):
    programme = IdFilter(field_name=f"bidding_round__{_PROGRAMME}")
    partnership = IdFilter(field_name=f"bidding_round__{_PROGRAMME}__partnership")

    class Meta:
        model = Criterion
        fields = ["bidding_round", "programme", "partnership"]


class BidFilter(ApiFilterSet):
    budget_line = IdFilter(field_name="bidding_round__budget_line")
    programme = IdFilter(field_name=f"bidding_round__{_PROGRAMME}")
    partnership = IdFilter(field_name=f"bidding_round__{_PROGRAMME}__partnership")
    status = django_filters.MultipleChoiceFilter(choices=Bid.Status.choices)
    submitted_at = MomentRangeFilter()

    class Meta:
        model = Bid
        fields = ["bidding_round", "budget_line", "programme", "partnership", "sponsor", "status"]
