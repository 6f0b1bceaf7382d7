from rest_framework import serializers

from partnership.models import Organisation, Partnership, SubRegion


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
        fields = ["id", "name", "short_name", "kind", "gss_code"]


class SubRegionSerializer(serializers.ModelSerializer):
    class Meta:
        model = SubRegion
        fields = ["id", "partnership", "name", "slug", "accountable_body", "members"]
