"""The checks a 360Giving file must pass, for tests/reports/test_open_data.py.

lib360dataquality (360Giving's own checker) is not on the package registry this
project installs from, so the tests check the file against a JSON schema of the
standard's rules for the fields the portal publishes, written here from the standard's
documentation (required fields, types, dates, codelists), and against the quality
checks 360Giving's data quality tool makes of them (docs/adr/0023)."""

import datetime
from decimal import Decimal

import jsonschema

DATE = r"^[0-9]{4}-(0[1-9]|1[012])-(0[1-9]|[12][0-9]|3[01])$"
MOMENT = {"type": "string", "format": "date-time"}
ORGANISATION = {
    "type": "object",
    "required": ["id", "name"],
    "properties": {"id": {"type": "string", "minLength": 1}, "name": {"type": "string"}},
}
TRANSACTION = {
    "type": "object",
    "required": ["id", "transactionDate", "value"],
    "properties": {
        "id": {"type": "string"},
        "transactionDate": {"type": "string", "pattern": DATE},
        "value": {"type": "number"},
        "currency": {"type": "string", "pattern": "^[A-Z]{3}$"},
    },
}
# From the standard's codelists: geoCodeType (the council areas) and regrantType.
GEO_CODE_TYPES = ["UA", "NMD", "MD", "LONB", "CTY", "CA"]
REGRANT_TYPES = ["FRG010", "FRG020", "FRG030", "FRG040", "FRG050", "FRG060", "FRG070"]

GRANT = {
    "type": "object",
    "required": [
        "id",
        "title",
        "description",
        "currency",
        "amountAwarded",
        "awardDate",
        "recipientOrganization",
        "fundingOrganization",
    ],
    "properties": {
        "id": {"type": "string", "pattern": "^360G-"},
        "title": {"type": "string", "minLength": 1},
        "description": {"type": "string", "minLength": 1},
        "currency": {"type": "string", "pattern": "^[A-Z]{3}$"},
        "amountAwarded": {"type": "number", "minimum": 0},
        "amountDisbursed": {"type": "number", "minimum": 0},
        "awardDate": {"type": "string", "pattern": DATE},
        "plannedDates": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["startDate"],
                "properties": {
                    "startDate": {"type": "string", "pattern": DATE},
                    "endDate": {"type": "string", "pattern": DATE},
                },
            },
        },
        "recipientOrganization": {"type": "array", "minItems": 1, "items": ORGANISATION},
        "fundingOrganization": {"type": "array", "minItems": 1, "items": ORGANISATION},
        "beneficiaryLocation": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "name": {"type": "string"},
                    "countryCode": {"type": "string", "pattern": "^[A-Z]{2}$"},
                    "geoCode": {"type": "string", "pattern": "^[EWSN][0-9]{8}$"},
                    "geoCodeType": {"enum": GEO_CODE_TYPES},
                },
            },
        },
        "grantProgramme": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["code", "title"],
                "properties": {"code": {"type": "string"}, "title": {"type": "string"}},
            },
        },
        "disbursementTransaction": {"type": "array", "items": TRANSACTION},
        "regrantType": {"enum": REGRANT_TYPES},
        "dateModified": MOMENT,
        "dataSource": {"type": "string", "format": "uri"},
    },
}
PACKAGE = {
    "$schema": "http://json-schema.org/draft-07/schema#",
    "type": "object",
    "required": ["grants"],
    "properties": {"grants": {"type": "array", "items": GRANT}},
}

# Organisation identifier lists of org-id.guide that UK public bodies are found in.
KNOWN_ORG_ID_LISTS = ("GB-LAE-", "GB-LAS-", "GB-PLA-", "GB-LANI-", "GB-GOR-", "GB-COH-")


def schema_errors(package: dict) -> list[str]:
    validator = jsonschema.Draft7Validator(
        PACKAGE, format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER
    )
    return [f"{list(error.path)}: {error.message}" for error in validator.iter_errors(package)]


def quality_problems(package: dict, *, prefix: str, today: datetime.date) -> list[str]:
    """What 360Giving's quality checks would flag in the grants of ``package``."""
    problems = []
    ids = [grant["id"] for grant in package["grants"]]
    if len(ids) != len(set(ids)):
        problems.append("Grant ids are not unique")
    for grant in package["grants"]:
        where = grant["id"]
        if not grant["id"].startswith(f"{prefix}-"):
            problems.append(f"{where}: the id does not begin with the publisher's prefix")
        if len(grant["title"]) > 140:
            problems.append(f"{where}: the title is longer than 140 characters")
        if grant["description"] == grant["title"]:
            problems.append(f"{where}: the description only repeats the title")
        if datetime.date.fromisoformat(grant["awardDate"]) > today:
            problems.append(f"{where}: the award date is in the future")
        for organisation in grant["recipientOrganization"]:
            if not organisation["id"].startswith(KNOWN_ORG_ID_LISTS):
                problems.append(f"{where}: the recipient's id is from no known org-id list")
        for organisation in grant["fundingOrganization"]:
            if organisation["id"] != prefix:
                problems.append(f"{where}: the funder is not identified by its prefix")
        if not grant.get("beneficiaryLocation"):
            problems.append(f"{where}: no beneficiary location")
        for location in grant.get("beneficiaryLocation", []):
            if not location.get("geoCode") or not location.get("geoCodeType"):
                problems.append(f"{where}: a beneficiary location without a geographic code")
        if not grant.get("grantProgramme"):
            problems.append(f"{where}: no grant programme")
        if not grant.get("plannedDates"):
            problems.append(f"{where}: no planned dates")
        for dates in grant.get("plannedDates", []):
            if "endDate" in dates and dates["endDate"] < dates["startDate"]:
                problems.append(f"{where}: the planned dates end before they start")
        disbursed = sum(
            (Decimal(str(t["value"])) for t in grant.get("disbursementTransaction", [])),
            Decimal("0"),
        )
        if Decimal(str(grant.get("amountDisbursed", 0))) != disbursed:
            problems.append(f"{where}: amountDisbursed is not the sum of its disbursements")
        if disbursed > Decimal(str(grant["amountAwarded"])):
            problems.append(f"{where}: more was disbursed than awarded")
    return problems
