"""Quarterly progress reports and the project's risk register."""

import datetime
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.models import User
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from partnership import financial_years
from projects.models import ProgressReport, ProgressReportSpend, Project, ProjectRisk
from projects.selectors import reminder_digests

from .base import ProjectError, move, save_valid

Status = ProgressReport.Status
REPORT_FIELDS = (
    "rag",
    "rag_schedule",
    "rag_budget",
    "rag_benefits",
    "narrative",
    "risks_and_issues",
    "spend_to_date",
    "savings_to_date",
)


def _spend_rows(report: ProgressReport, spend: list[dict]) -> None:
    report.spend.all().delete()
    ProgressReportSpend.objects.bulk_create(
        ProgressReportSpend(
            report=report,
            financial_year=row["financial_year"],
            quarter=row["quarter"],
            forecast=row.get("forecast") or Decimal("0"),
            actual=row.get("actual"),
        )
        for row in spend
    )


@transaction.atomic
def progress_report_save(
    *,
    project: Project,
    financial_year: int,
    quarter: int,
    by: User,
    risks: list[ProjectRisk] | None = None,
    spend: list[dict] | None = None,
    **fields,
) -> ProgressReport:
    """Save the quarter's report as a draft (creating it the first time). A submitted
    report is read-only: change it with :func:`progress_report_correct`."""
    Project.objects.select_for_update().get(pk=project.pk)
    if (financial_year, quarter) > (
        financial_years.financial_year_of(timezone.localdate()),
        financial_years.quarter_of(timezone.localdate()),
    ):
        raise ProjectError("A report cannot be written for a quarter still to come.")
    if project.starts_on and financial_years.quarter_bounds(financial_year, quarter)[1] < (
        project.starts_on
    ):
        raise ProjectError(
            "A report cannot be written for a quarter that ended before the project started, "
            f"on {project.starts_on:%-d %B %Y}."
        )
    report = (
        ProgressReport.objects.filter(
            project=project, financial_year=financial_year, quarter=quarter
        )
        .exclude(status=Status.SUPERSEDED)
        .first()
    )
    if report is None:
        report = ProgressReport(project=project, financial_year=financial_year, quarter=quarter)
    elif report.status == Status.SUBMITTED:
        raise ProjectError("This report is submitted; make a correction instead.")
    for name in REPORT_FIELDS:
        if name in fields:
            setattr(report, name, fields[name])
    report._history_user = by
    save_valid(report)
    if risks is not None:
        if any(risk.project_id != project.pk for risk in risks):
            raise ProjectError("A report refers only to its own project's risks.")
        report.risks.set(risks)
    if spend is not None:
        _spend_rows(report, spend)
    return report


@transaction.atomic
def progress_report_submit(*, report: ProgressReport, by: User) -> ProgressReport:
    report = ProgressReport.objects.select_for_update().get(pk=report.pk)
    move(report, Status.SUBMITTED, by)
    if not report.narrative.strip():
        raise ProjectError("Write the narrative before submitting.", field="narrative")
    report.submitted_by = by
    report.submitted_at = timezone.now()
    report.save(update_fields=["status", "submitted_by", "submitted_at"])
    return report


@transaction.atomic
def progress_report_correct(*, report: ProgressReport, by: User) -> ProgressReport:
    """Start a correction of a submitted report: a new draft version with the same
    content; the submitted one is kept, superseded."""
    report = ProgressReport.objects.select_for_update().get(pk=report.pk)
    move(report, Status.SUPERSEDED, by)
    risks, spend = list(report.risks.all()), list(report.spend.values())
    report.save(update_fields=["status"])
    correction = ProgressReport.objects.create(
        project=report.project,
        financial_year=report.financial_year,
        quarter=report.quarter,
        version=report.version + 1,
        **{name: getattr(report, name) for name in REPORT_FIELDS},
    )
    correction.risks.set(risks)
    _spend_rows(correction, spend)
    return correction


def risk_record(*, project: Project, by: User, existing: ProjectRisk | None = None, **fields):
    """Add a risk to the register, or change an ``existing`` one."""
    risk = existing or ProjectRisk(project=project)
    if risk.project_id != project.pk:
        raise ProjectError("That risk belongs to another project.")
    for name, value in fields.items():
        setattr(risk, name, value)
    risk._history_user = by
    save_valid(risk)
    return risk


def reminders_send(*, today: datetime.date) -> int:
    """E-mail each officer a digest of their councils' milestones due in the next 14
    days, overdue milestones and progress reports due, and each programme manager the
    milestones awaiting verification (as :func:`projects.selectors.reminder_digests`
    finds them on ``today``). Returns the number of e-mails sent."""
    officer_digests, manager_digests = reminder_digests(today)
    # E-mails are read away from the portal, so their links carry its address.
    portal_url = settings.PORTAL_URL.rstrip("/")
    context = {"today": today, "portal_url": portal_url}
    messages = [
        _digest_email(
            digest.user,
            subject="Your projects: milestones and progress reports due",
            template="emails/officer_digest.txt",
            context={**context, "digest": digest},
        )
        for digest in officer_digests
    ] + [
        _digest_email(
            digest.user,
            subject=_count(len(digest.awaiting_verification), "milestone")
            + " awaiting your verification",
            template="emails/manager_digest.txt",
            context={**context, "digest": digest},
        )
        for digest in manager_digests
    ]
    return get_connection().send_messages(messages) or 0


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def _digest_email(user: User, *, subject: str, template: str, context: dict) -> EmailMessage:
    return EmailMessage(
        subject=f"Partnership Portal: {subject}",
        body=render_to_string(template, {**context, "user": user}),
        to=[user.email],
    )
