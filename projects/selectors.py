"""Read-side figures for projects."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import BooleanField, ExpressionWrapper, Q
from django.utils import timezone

from programmes.selectors import SubjectBalance, subject_balance

from .models import GrantPayment, Milestone, MilestoneReprofile, ProgressReport, Project


def project_money(project: Project) -> SubjectBalance:
    """The project's grant in the ledger: committed when its bid was approved (or
    when it was awarded directly), less releases and clawbacks; paid out; repaid."""
    subjects = [project] + ([project.bid] if project.bid_id else [])
    return subject_balance(*subjects)


@dataclass(frozen=True)
class ProjectGrant:
    awarded: Decimal
    paid: Decimal

    @property
    def remaining(self) -> Decimal:
        return self.awarded - self.paid


def project_grant(project: Project) -> ProjectGrant:
    """The grant awarded, paid and still to pay. Paid is read from the ledger
    (:func:`project_money`: payments less clawbacks against the project and the bid
    it came from), never from ``GrantPayment`` rows, so the project page and the
    programme's balances cannot disagree. Remaining is awarded less paid."""
    return ProjectGrant(awarded=project.grant_awarded, paid=project_money(project).paid)


@dataclass(frozen=True)
class ProjectOverview:
    grant: ProjectGrant
    milestones: list[Milestone]
    payments: list[GrantPayment]
    progress_reports: list[ProgressReport]


def project_milestones(project: Project) -> list[Milestone]:
    """The project's milestones in order, each with ``is_overdue``: not yet achieved
    and past its forecast date."""
    overdue = Q(
        status__in=[Milestone.Status.PLANNED, Milestone.Status.RETURNED],
        forecast_on__lt=timezone.localdate(),
    )
    return list(
        project.milestones.annotate(
            is_overdue=ExpressionWrapper(overdue, output_field=BooleanField())
        )
    )


def project_overview(project: Project) -> ProjectOverview:
    """The project page: its grant, milestones, payments and progress reports, in a
    fixed number of queries however many rows each has."""
    return ProjectOverview(
        grant=project_grant(project),
        milestones=project_milestones(project),
        payments=list(project.payments.select_related("milestone")),
        progress_reports=list(project.progress_reports.all()),
    )


def milestone_reprofiles(milestone: Milestone) -> list[MilestoneReprofile]:
    """Every change of the milestone's forecast date, oldest first."""
    return list(milestone.reprofiles.all())
