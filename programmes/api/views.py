from partnership.api.access import PortalViewSet
from programmes.models import BudgetLine, FundingSource, LedgerEntry, Programme
from programmes.selectors import budget_lines_with_balances

from . import filters, serializers


class ProgrammeViewSet(PortalViewSet):
    """The programmes of the user's partnerships."""

    serializer_class = serializers.ProgrammeSerializer
    filterset_class = filters.ProgrammeFilter
    ordering_fields = ["name", "starts_on", "ends_on"]

    def get_queryset(self):
        return Programme.objects.visible_to(self.request.user).order_by(
            "partnership", "-starts_on", "name", "pk"
        )


class BudgetLineViewSet(PortalViewSet):
    """Budget lines with their balances, summed from the ledger as they are read."""

    serializer_class = serializers.BudgetLineSerializer
    filterset_class = filters.BudgetLineFilter
    ordering_fields = ["name", "position", "available"]

    def get_queryset(self):
        return budget_lines_with_balances(
            BudgetLine.objects.visible_to(self.request.user).select_related("programme")
        ).order_by("programme", "position", "name", "pk")


class FundingSourceViewSet(PortalViewSet):
    """Where each programme's money comes from; what each has brought in is in the
    ledger (its funding entries)."""

    serializer_class = serializers.FundingSourceSerializer
    filterset_class = filters.FundingSourceFilter
    ordering_fields = ["name", "expected_amount"]

    def get_queryset(self):
        return FundingSource.objects.visible_to(self.request.user).order_by(
            "programme", "name", "pk"
        )


class LedgerEntryViewSet(PortalViewSet):
    """The money ledger, for the programme managers, board members and finance staff
    of its partnership. Entries are recorded, never changed."""

    serializer_class = serializers.LedgerEntrySerializer
    filterset_class = filters.LedgerEntryFilter
    ordering_fields = ["occurred_on", "amount"]

    def get_queryset(self):
        return (
            LedgerEntry.objects.visible_to(self.request.user)
            .select_related("programme")
            .order_by("occurred_on", "pk")
        )
