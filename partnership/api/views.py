from partnership.models import Action, Decision, Meeting, Organisation, Partnership, SubRegion

from . import filters, serializers
from .access import PortalViewSet


class PartnershipViewSet(PortalViewSet):
    """The partnerships the user works in."""

    serializer_class = serializers.PartnershipSerializer
    ordering_fields = ["name", "short_name"]

    def get_queryset(self):
        return (
            Partnership.objects.visible_to(self.request.user)
            .prefetch_related("members")
            .order_by("name")
        )


class OrganisationViewSet(PortalViewSet):
    """Every public body the portal knows, member or not: anyone signed in may read
    them."""

    serializer_class = serializers.OrganisationSerializer
    filterset_class = filters.OrganisationFilter
    ordering_fields = ["name", "gss_code"]

    def get_queryset(self):
        return Organisation.objects.order_by("name")


class SubRegionViewSet(PortalViewSet):
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


class MeetingViewSet(PortalViewSet):
    """The board meetings of the user's partnerships, latest first."""

    serializer_class = serializers.MeetingSerializer
    filterset_class = filters.MeetingFilter
    ordering_fields = ["held_on"]

    def get_queryset(self):
        return Meeting.objects.visible_to(self.request.user).order_by("-held_on", "pk")


class DecisionViewSet(PortalViewSet):
    """What the boards of the user's partnerships resolved."""

    serializer_class = serializers.DecisionSerializer
    filterset_class = filters.DecisionFilter
    ordering_fields = ["meeting__held_on"]

    def get_queryset(self):
        return Decision.objects.visible_to(self.request.user).order_by("-meeting__held_on", "pk")


class ActionViewSet(PortalViewSet):
    """The actions the boards of the user's partnerships set, soonest due first."""

    serializer_class = serializers.ActionSerializer
    filterset_class = filters.ActionFilter
    ordering_fields = ["due_on", "done_on"]

    def get_queryset(self):
        return Action.objects.visible_to(self.request.user).order_by("due_on", "pk")
