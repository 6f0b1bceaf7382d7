"""The two partnerships, their member organisations and their sub-regions."""

from partnership.models import Organisation, Partnership, SubRegion

from .fixture_files import rows

Kind = Organisation.Kind

# The seeds' ``type`` vocabulary (all_public_bodies.csv) as organisation kinds.
KIND_BY_TYPE = {
    "county": Kind.COUNTY,
    "unitary/city": Kind.UNITARY,
    "district/borough": Kind.DISTRICT,
    "fire & rescue": Kind.FIRE,
    "police": Kind.POLICE,
    "NHS/PCT": Kind.NHS,
    "national park": Kind.NATIONAL_PARK,
    "other": Kind.OTHER,
}


def load_partnerships() -> dict[str, Partnership]:
    """The partnerships, keyed by short name."""
    partnerships = {}
    for row in rows("partnerships.csv"):
        defaults = {
            "name": row["name"],
            "slug": row["slug"],
            "region": row["region"],
            "description": row["description"],
            "giving_prefix": row["giving_prefix"],
        }
        # Where the documents give no board, the model's defaults stand.
        if row["board_size"]:
            defaults["board_size"] = int(row["board_size"])
            defaults["quorum"] = int(row["quorum"])
        partnerships[row["short_name"]], _ = Partnership.objects.get_or_create(
            short_name=row["short_name"], defaults=defaults
        )
    return partnerships


def load_organisations(partnerships: dict[str, Partnership]) -> dict[str, Organisation]:
    """Every organisation in organisations.csv, made a member of its partnership.

    Returns the organisations keyed by full name and by short name, because the
    board papers use both (the bids table says "Leicester City", the minutes
    "Leicester City Council").
    """
    index = {}
    for row in rows("organisations.csv"):
        organisation, _ = Organisation.objects.get_or_create(
            name=row["name"],
            defaults={
                "short_name": row["short_name"],
                "kind": KIND_BY_TYPE[row["type"]],
                "gss_code": row["gss_code"],
                "org_id": row["org_id"],
            },
        )
        partnerships[row["partnership"]].members.add(organisation)
        index[organisation.name] = organisation
        if organisation.short_name:
            index.setdefault(organisation.short_name, organisation)
    return index


def load_sub_regions(
    partnerships: dict[str, Partnership], organisations: dict[str, Organisation]
) -> dict[str, SubRegion]:
    """The SRPs and clusters, keyed by name, with the members organisations.csv gives."""
    sub_regions = {}
    for row in rows("sub_regions.csv"):
        accountable_body = row["accountable_body"]
        sub_regions[row["name"]], _ = SubRegion.objects.get_or_create(
            partnership=partnerships[row["partnership"]],
            slug=row["slug"],
            defaults={
                "name": row["name"],
                "accountable_body": organisations[accountable_body] if accountable_body else None,
            },
        )
    for row in rows("organisations.csv"):
        if row["sub_region"]:
            sub_regions[row["sub_region"]].members.add(organisations[row["name"]])
    return sub_regions
