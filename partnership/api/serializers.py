from rest_framework import serializers

from partnership.api.fields import LocalTimeField
from partnership.models import Action, Decision, Meeting, Organisation, Partnership, SubRegion


class PartnershipSerializer(serializers.ModelSerializer):
    class Meta:
        model = Partnership
        fields = [
            "id",
            "name",
            "short_name",
            "slug",
            "region",
            "description",
            "board_size",
            "quorum",
            "members",
        ]


class OrganisationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Organisation
        fields = ["id", "name", "short_name", "kind", "gss_code", "org_id"]


class SubRegionSerializer(serializers.ModelSerializer):
    class Meta:
        model = SubRegion
        fields = ["id", "partnership", "name", "slug", "accountable_body", "members"]


class MeetingSerializer(serializers.ModelSerializer):
    starts_at = LocalTimeField(allow_null=True, read_only=True)

    class Meta:
        model = Meeting
        fields = [
            "id",
            "partnership",
            "title",
            "held_on",
            "starts_at",
            "place",
            "minutes_status",
            "minutes_approved_at",
        ]


class DecisionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Decision
        fields = ["id", "meeting", "agenda_item", "text"]


class ActionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Action
        fields = ["id", "meeting", "text", "owner", "due_on", "done_on"]
