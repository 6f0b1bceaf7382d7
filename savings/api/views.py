"""A council's savings records are read by its own officers and finance staff, and by
the managers, board and finance of every partnership it belongs to
(``savings.querysets.OrganisationOwnedQuerySet``)."""

from partnership.api.access import PortalViewSet
from savings.models import ForecastReturn, SavingsEntry, SavingsReturn, SavingsTarget

from . import filters, serializers


class SavingsEntryViewSet(PortalViewSet):
    """Savings entries, those of returns not yet certified included (the summaries
    count only certified ones)."""

    serializer_class = serializers.SavingsEntrySerializer
    filterset_class = filters.SavingsEntryFilter
    ordering_fields = ["financial_year", "quarter", "amount"]

    def get_queryset(self):
        return SavingsEntry.objects.visible_to(self.request.user).order_by(
            "organisation", "financial_year", "quarter", "pk"
        )


class SavingsReturnViewSet(PortalViewSet):
    serializer_class = serializers.SavingsReturnSerializer
    filterset_class = filters.SavingsReturnFilter
    ordering_fields = ["financial_year", "quarter", "submitted_at"]

    def get_queryset(self):
        # Drafts are not yet returns: they are on their officers' pages alone.
        return (
            SavingsReturn.objects.made()
            .visible_to(self.request.user)
            .order_by("organisation", "-financial_year", "-quarter", "-version", "pk")
        )


class SavingsTargetViewSet(PortalViewSet):
    serializer_class = serializers.SavingsTargetSerializer
    filterset_class = filters.SavingsTargetFilter
    ordering_fields = ["financial_year"]

    def get_queryset(self):
        return SavingsTarget.objects.visible_to(self.request.user).order_by(
            "organisation", "financial_year", "pk"
        )


class ForecastReturnViewSet(PortalViewSet):
    serializer_class = serializers.ForecastReturnSerializer
    filterset_class = filters.ForecastReturnFilter
    ordering_fields = ["financial_year", "returned_on"]

    def get_queryset(self):
        return ForecastReturn.objects.visible_to(self.request.user).order_by(
            "organisation", "financial_year", "pk"
        )
