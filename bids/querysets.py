from decimal import Decimal

from django.db import models
from django.db.models import DecimalField, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from partnership.scopes import Kind, scope_of
from programmes.models import MONEY
from programmes.querysets import programme_visibility


def _scored_rounds(user, lookup: str) -> Q:
    """Rows of rounds the user is named to score, by a subquery: a join on the
    scorers would repeat each row once per scorer."""
    if not user.is_authenticated:
        return Q(pk__in=[])
    return Q(**{f"{lookup}__in": user.rounds_to_score.values("pk")})


class BiddingRoundQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Rounds of the programmes the user may read, and those they are named to
        score."""
        return self.filter(
            programme_visibility(user, via="budget_line__programme__") | _scored_rounds(user, "pk")
        )

    def with_approved(self):
        """Each round with ``approved``: the grant the board allocated to its approved
        bids (zero when none is). A subquery per round rather than a join on the bids,
        so that counting the rounds, as a paginator does, reads no bid at all."""
        money = DecimalField(**MONEY)
        approved = (
            self.model._meta.get_field("bids")
            .related_model.objects.filter(bidding_round=OuterRef("pk"), status="approved")
            .order_by()
            .values("bidding_round")
            .annotate(total=Sum("grant_allocated"))
            .values("total")
        )
        return self.annotate(
            approved=Coalesce(
                Subquery(approved, output_field=money), Value(Decimal("0.00")), output_field=money
            )
        )


class CriterionQuerySet(models.QuerySet):
    def visible_to(self, user):
        """A round's criteria are read with the round."""
        return self.filter(
            programme_visibility(user, via="bidding_round__budget_line__programme__")
            | _scored_rounds(user, "bidding_round")
        )


class BidQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Programme managers and board members of the partnership, and the named
        scorers of a round, see every bid once submitted (drafts are their authors'
        own business); officers see their own council's bids, drafts included."""
        scope = scope_of(user)
        if scope.is_administrator:
            return self.all()
        partnership = "bidding_round__budget_line__programme__partnership__in"
        readers = scope.partnership_ids(Kind.PROGRAMME_MANAGER, Kind.BOARD_MEMBER)
        return self.filter(
            Q(sponsor__in=scope.officer_organisation_ids)
            | (
                (Q(**{partnership: readers}) | _scored_rounds(user, "bidding_round"))
                & ~Q(status="draft")
            )
        )

    def submitted(self):
        return self.exclude(status__in=["draft", "withdrawn"])
