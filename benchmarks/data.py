"""Data for the benchmarks, made in bulk: a partnership of councils with funded
programmes, and projects with milestones, grant payments (one paid, through the
ledger), a commitment and a submitted progress report each."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from partnership.models import Organisation, Partnership
from programmes.models import BudgetLine, LedgerEntry
from projects.models import GrantPayment, Milestone, ProgressReport, Project
from projects.selectors import last_completed_quarter
from tests.factories import OrganisationFactory, PartnershipFactory, funded_budget_line

D = Decimal
DAY = datetime.timedelta(days=1)
PENNY = D("0.01")
STATUSES = ("approved", "in_delivery", "in_delivery", "in_delivery", "completed")
RAGS = ("green", "green", "amber", "red")


@dataclass(frozen=True)
class Partners:
    partnership: Partnership
    councils: list[Organisation]
    lines: list[BudgetLine]


def partnership_with_programmes(*, councils: int = 46, programmes: int = 4) -> Partners:
    """A partnership of ``councils`` member councils running ``programmes`` programmes,
    each with a budget line funded with £40m (enough for the 2,000 projects of the
    largest benchmark), all running today."""
    partnership = PartnershipFactory()
    members = [OrganisationFactory(partnership=partnership) for _ in range(councils)]
    today = timezone.localdate()
    lines = [
        funded_budget_line(
            D("40000000.00"),
            programme__partnership=partnership,
            programme__starts_on=today - 730 * DAY,
            programme__ends_on=today + 730 * DAY,
        )
        for _ in range(programmes)
    ]
    return Partners(partnership, members, lines)


def third(amount: Decimal) -> Decimal:
    return (amount / 3).quantize(PENNY)


def add_projects(partners: Partners, count: int, *, start: int = 1) -> list[Project]:
    """``count`` projects spread over the partnership's programmes and councils, each
    with three milestones (verified, overdue, due in two months) and their payments
    (paid, scheduled, scheduled), its commitment and payment in the ledger, and a
    submitted report for the last quarter."""
    today = timezone.localdate()
    numbers = range(start, start + count)
    projects = Project.objects.bulk_create(
        Project(
            reference=f"B{number:05d}",
            title=f"Shared service {number}",
            programme_id=partners.lines[number % len(partners.lines)].programme_id,
            budget_line=partners.lines[number % len(partners.lines)],
            lead_organisation=partners.councils[number % len(partners.councils)],
            # Varied, so that sorting by grant means something.
            grant_awarded=D(30000 + (number * 7919) % 90 * 1000),
            status=STATUSES[number % len(STATUSES)],
            starts_on=today - 365 * DAY,
            ends_on=today + 365 * DAY,
        )
        for number in numbers
    )
    milestones = Milestone.objects.bulk_create(
        Milestone(
            project=project,
            position=position,
            title=f"Outcome {position} delivered",
            due_on=today + offset * DAY,
            forecast_on=today + offset * DAY,
            **(
                {"status": "verified", "achieved_on": today - 90 * DAY, "verified_on": today}
                if position == 1
                else {}
            ),
        )
        for project in projects
        for position, offset in ((1, -100), (2, -20), (3, 60))
    )
    project_type = ContentType.objects.get_for_model(Project)
    ledger = LedgerEntry.objects.bulk_create(
        LedgerEntry(
            programme_id=project.programme_id,
            budget_line=project.budget_line,
            kind=kind,
            amount=project.grant_awarded if kind == "commitment" else third(project.grant_awarded),
            occurred_on=today - 60 * DAY,
            subject_type=project_type,
            subject_id=project.pk,
        )
        for project in projects
        for kind in ("commitment", "payment")
    )
    paid_entries = {entry.subject_id: entry for entry in ledger if entry.kind == "payment"}
    GrantPayment.objects.bulk_create(
        GrantPayment(
            project=milestone.project,
            milestone=milestone,
            amount=third(milestone.project.grant_awarded),
            due_on=milestone.forecast_on + 30 * DAY,
            **(
                {
                    "status": "paid",
                    "approved_on": today - 70 * DAY,
                    "paid_on": today - 60 * DAY,
                    "reference": f"REM-{milestone.project.reference}",
                    "ledger_entry": paid_entries[milestone.project.pk],
                }
                if milestone.position == 1
                else {}
            ),
        )
        for milestone in milestones
    )
    year, quarter = last_completed_quarter(today)
    ProgressReport.objects.bulk_create(
        ProgressReport(
            project=project,
            financial_year=year,
            quarter=quarter,
            status="submitted",
            rag=RAGS[index % len(RAGS)],
            narrative="On track against the milestone plan.",
            spend_to_date=third(project.grant_awarded),
        )
        for index, project in enumerate(projects)
    )
    return projects
