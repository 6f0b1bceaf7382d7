"""The grants a partnership publishes as open data, under the 360Giving Data Standard
(docs/adr/0023-360giving-open-data.md): one record per approved grant, as JSON and as
a spreadsheet with the standard's column titles, both made from the same records.

A grant is a project made from a bid the board approved, published once the
partnership's manager has chosen to publish grants approved from a date on. Draft,
refused and referred-back bids have no project, so they are never published."""

import datetime
import io
import json
from collections.abc import Iterable
from decimal import Decimal

from django.db.models import OuterRef, Prefetch, QuerySet, Subquery
from openpyxl import Workbook

from bids.models import Bid
from partnership.exports import neutralised
from partnership.models import Organisation, Partnership
from projects.models import GrantPayment, Project

CURRENCY = "GBP"
# regrantType codelist: a grant to a grantmaker for onward grants to end recipients.
COMMON_REGRANT = "FRG010"
# The ONS entity (the GSS code's first three characters) of each kind of council, as
# the standard's geoCodeType codelist names it.
GEO_CODE_TYPES = {
    "E06": "UA",
    "E07": "NMD",
    "E08": "MD",
    "E09": "LONB",
    "E10": "CTY",
    "W06": "UA",
    "S12": "CA",
}


def published_grants(partnership: Partnership) -> QuerySet[Project]:
    """The partnership's grants that are open data, earliest award first: projects
    of bids the board approved on or after the date the manager published from, with
    the payments made on each (``paid_payments``)."""
    if partnership.grants_published_from is None or not partnership.giving_prefix:
        return Project.objects.none()
    last_changed = (
        Project.history.filter(id=OuterRef("pk")).order_by("-history_date").values("history_date")
    )
    return (
        Project.objects.filter(
            programme__partnership=partnership,
            bid__status=Bid.Status.APPROVED,
            bid__decision__meeting__held_on__gte=partnership.grants_published_from,
        )
        .select_related(
            "lead_organisation",
            "budget_line",
            "programme__sub_region",
            "bid__decision__meeting",
        )
        .prefetch_related(
            Prefetch(
                "payments",
                queryset=GrantPayment.objects.filter(status=GrantPayment.Status.PAID).order_by(
                    "paid_on", "pk"
                ),
                to_attr="paid_payments",
            )
        )
        .annotate(last_changed=Subquery(last_changed[:1]))
        .order_by("bid__decision__meeting__held_on", "reference")
    )


def organisation_id(organisation: Organisation, partnership: Partnership) -> str:
    """Its org-id.guide identifier, else one under the partnership's own prefix (as the
    standard allows for an organisation no register lists)."""
    return organisation.org_id or f"{partnership.giving_prefix}-org-{organisation.pk}"


def _is_regrant(project: Project) -> bool:
    """Grant paid to the accountable body of a sub-region for its own programme, which
    the sub-region grants on to its councils' projects."""
    sub_region = project.programme.sub_region
    return sub_region is not None and sub_region.accountable_body_id == project.lead_organisation_id


def _moment(value: datetime.datetime | datetime.date | None) -> str | None:
    if value is None:
        return None
    if not isinstance(value, datetime.datetime):
        value = datetime.datetime.combine(value, datetime.time(), tzinfo=datetime.UTC)
    return value.astimezone(datetime.UTC).isoformat(timespec="seconds")


def grant_record(project: Project, partnership: Partnership, data_source: str) -> dict:
    """One grant as the standard's JSON shape, amounts as ``Decimal``."""
    prefix = partnership.giving_prefix
    grant_id = f"{prefix}-{project.reference}"
    recipient = project.lead_organisation
    programme = project.programme
    payments = project.paid_payments
    record = {
        "id": grant_id,
        "title": project.title,
        "description": project.outline
        or f"{project.title}: {programme.name}, {project.budget_line.name}.",
        "currency": CURRENCY,
        "amountAwarded": project.grant_awarded,
        "amountDisbursed": sum((payment.amount for payment in payments), Decimal("0.00")),
        "awardDate": project.bid.decision.meeting.held_on.isoformat(),
        "recipientOrganization": [
            {"id": organisation_id(recipient, partnership), "name": recipient.name}
        ],
        "fundingOrganization": [{"id": prefix, "name": partnership.name}],
        "grantProgramme": [
            {
                "code": f"{prefix}-{programme.slug}-{project.budget_line_id}",
                "title": f"{programme.name}: {project.budget_line.name}",
            }
        ],
        "disbursementTransaction": [
            {
                "id": f"{grant_id}-payment-{payment.pk}",
                "transactionDate": payment.paid_on.isoformat(),
                "value": payment.amount,
                "currency": CURRENCY,
            }
            for payment in payments
        ],
        "dateModified": _moment(project.last_changed or project.bid.decided_at),
        "dataSource": data_source,
    }
    if project.starts_on:
        dates = {"startDate": project.starts_on.isoformat()}
        if project.ends_on:
            dates["endDate"] = project.ends_on.isoformat()
        record["plannedDates"] = [dates]
    if recipient.gss_code:
        record["beneficiaryLocation"] = [
            {
                "name": recipient.name,
                "countryCode": "GB",
                "geoCode": recipient.gss_code,
                "geoCodeType": GEO_CODE_TYPES.get(recipient.gss_code[:3], ""),
            }
        ]
    if _is_regrant(project):
        record["regrantType"] = COMMON_REGRANT
    if record["dateModified"] is None:
        del record["dateModified"]
    return record


def grant_records(partnership: Partnership, data_source: str) -> list[dict]:
    return [
        grant_record(project, partnership, data_source) for project in published_grants(partnership)
    ]


def _as_number(value):
    # The standard asks for JSON numbers. A float prints a sum of pence back exactly
    # as written (to 15 significant figures), so nothing is lost.
    if isinstance(value, Decimal):
        return float(value)
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def as_json(records: Iterable[dict]) -> str:
    """A 360Giving data package of ``records``."""
    return json.dumps({"grants": list(records)}, default=_as_number, indent=2)


# The standard's spreadsheet column titles, each with where it comes from in a record.
COLUMNS = [
    ("Identifier", ("id",)),
    ("Title", ("title",)),
    ("Description", ("description",)),
    ("Currency", ("currency",)),
    ("Amount Awarded", ("amountAwarded",)),
    ("Amount Disbursed", ("amountDisbursed",)),
    ("Award Date", ("awardDate",)),
    ("Planned Dates:Start Date", ("plannedDates", 0, "startDate")),
    ("Planned Dates:End Date", ("plannedDates", 0, "endDate")),
    ("Recipient Org:Identifier", ("recipientOrganization", 0, "id")),
    ("Recipient Org:Name", ("recipientOrganization", 0, "name")),
    ("Beneficiary Location:Name", ("beneficiaryLocation", 0, "name")),
    ("Beneficiary Location:Country Code", ("beneficiaryLocation", 0, "countryCode")),
    ("Beneficiary Location:Geographic Code", ("beneficiaryLocation", 0, "geoCode")),
    ("Beneficiary Location:Geographic Code Type", ("beneficiaryLocation", 0, "geoCodeType")),
    ("Funding Org:Identifier", ("fundingOrganization", 0, "id")),
    ("Funding Org:Name", ("fundingOrganization", 0, "name")),
    ("Grant Programme:Code", ("grantProgramme", 0, "code")),
    ("Grant Programme:Title", ("grantProgramme", 0, "title")),
    ("Regrant Type", ("regrantType",)),
    ("Last modified", ("dateModified",)),
    ("Data Source", ("dataSource",)),
]


def _cell(record: dict, path: tuple):
    value = record
    for step in path:
        try:
            value = value[step]
        except (KeyError, IndexError):
            return None
    return value


def as_xlsx(records: Iterable[dict]) -> bytes:
    """The records as the standard's one-sheet spreadsheet (the "grants" sheet, one row
    a grant, amounts as numbers)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("grants")
    sheet.append([title for title, _ in COLUMNS])
    for record in records:
        # A title typed by an officer must not run as a formula (docs/adr/0009).
        sheet.append([neutralised(_cell(record, path)) for _, path in COLUMNS])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
