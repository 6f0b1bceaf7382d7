from partnership.models import Organisation, Partnership, SubRegion

from . import filters, serializers
from .access import ReadOnlyViewSet


class PartnershipViewSet(ReadOnlyViewSet):
    """The partnerships the user works in."""

    serializer_class = serializers.PartnershipSerializer
    ordering_fields = ["name", "short_name"]

    def get_queryset(self):
        return (
            Partnership.objects.visible_to(self.request.user)
            .prefetch_related("members")
            .order_by("name")
        )


class OrganisationViewSet(ReadOnlyViewSet):
    """Every public body the portal knows, member or not: anyone signed in may read
    them."""

    serializer_class = serializers.OrganisationSerializer
    filterset_class = filters.OrganisationFilter
    ordering_fields = ["name", "gss_code"]

    def get_queryset(self):
        return Organisation.objects.order_by("name")


class SubRegionViewSet(ReadOnlyViewSet):
    """The sub-regions of the user's partnerships."""

    serializer_class = serializers.SubRegionSerializer
    filterset_class = filters.SubRegionFilter
    ordering_fields = ["name"]

    def get_queryset(self):
        return (
            SubRegion.objects.visible_to(self.request.user)
            .prefetch_related("members")
            .order_by("partnership", "name", "pk")
        )
