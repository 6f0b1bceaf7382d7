"""State changes of projects, milestones and grant payments.

Every status moves along the lifecycle its model declares; a project's delivery
follows its milestones (:func:`_project_follow_milestones`). Money moves only
through the ledger (``programmes.services.ledger_record``), so programme balances and
project balances always agree.
"""

import datetime
from collections.abc import Callable, Iterable
from decimal import Decimal

from django.contrib.auth.models import User
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from bids.models import Bid
from partnership.models import Notification, Theme
from partnership.notifications import notify
from programmes.models import LedgerEntry
from programmes.services import ledger_record
from projects.models import GrantPayment, Milestone, MilestoneEvidence, MilestoneReprofile, Project
from projects.recipients import (
    milestone_logged_recipients,
    milestone_verified_recipients,
    payment_approved_recipients,
    payment_paid_recipients,
)
from projects.selectors import payments_scheduled_total, project_money

from .base import ProjectError, gbp, move, refuse_recipient, save_valid

PaymentStatus = GrantPayment.Status
MilestoneStatus = Milestone.Status
Event = Notification.Event


def _notify(
    event: str, record: Milestone | GrantPayment, recipients: Callable, by: User | None
) -> None:
    """Tell ``recipients`` of ``event`` on a milestone or a grant payment."""
    project = record.project
    if isinstance(record, Milestone):
        what = f"milestone {record.position}: {record.title}"
    else:
        what = f"{gbp(record.amount)} to {project.lead_organisation}"
    subject = f"{project.reference} {project.title}, {what}"
    notify(event=event, obj=record, subject=subject, recipients=recipients(record), by=by)


# Projects ---------------------------------------------------------------------------


@transaction.atomic
def project_create_from_bid(
    *,
    bid: Bid,
    reference: str,
    starts_on: datetime.date | None = None,
    ends_on: datetime.date | None = None,
    theme: Theme | None = None,
    by: User | None,
) -> Project:
    """Turn an approved bid into its project: the sponsor leads and receives the grant
    (the accountable body), its partners and budget line carry over, and the grant
    awarded is the grant the board allocated. The bid's commitment in the ledger is
    the project's commitment."""
    bid = (
        Bid.objects.select_for_update().select_related("bidding_round__budget_line").get(pk=bid.pk)
    )
    if bid.status != Bid.Status.APPROVED:
        raise ProjectError("Only an approved bid becomes a project.")
    if Project.objects.filter(bid=bid).exists():
        raise ProjectError(f"Bid {bid.number} already has its project.")
    budget_line = bid.bidding_round.budget_line
    project = Project(
        reference=reference,
        title=bid.title,
        outline=bid.description,
        programme_id=budget_line.programme_id,
        budget_line=budget_line,
        lead_organisation_id=bid.sponsor_id,
        bid=bid,
        grant_awarded=bid.grant_allocated,
        savings_claimed=bid.savings_claimed,
        theme=theme,
        starts_on=starts_on,
        ends_on=ends_on,
    )
    project._history_user = by
    save_valid(project)
    project.partners.set(bid.partners.all())
    return project


# Milestones -------------------------------------------------------------------------


def _project_follow_milestones(project_id: int, by: User | None) -> None:
    """A project is in delivery from its first milestone logged, completed when every
    milestone is verified, and in delivery again when a milestone is added after."""
    project = Project.objects.select_for_update().get(pk=project_id)
    statuses = set(project.milestones.values_list("status", flat=True))
    all_verified = statuses == {MilestoneStatus.VERIFIED}
    logged = bool(statuses - {MilestoneStatus.PLANNED})
    before = project.status
    starts = project.status == Project.Status.APPROVED and logged
    reopens = project.status == Project.Status.COMPLETED and not all_verified
    if starts or reopens:
        move(project, Project.Status.IN_DELIVERY, by)
    if project.status == Project.Status.IN_DELIVERY and all_verified:
        move(project, Project.Status.COMPLETED, by)
    if project.status != before:
        project.save(update_fields=["status"])


@transaction.atomic
def milestone_add(
    *,
    project: Project,
    title: str,
    due_on: datetime.date,
    payment_amount: Decimal = Decimal("0.00"),
    description: str = "",
    by: User | None,
) -> Milestone:
    """Add a milestone to the project's profile, with the grant payment its delivery
    releases. The payments scheduled can never add up to more than the award."""
    project = Project.objects.select_for_update().get(pk=project.pk)
    if project.status == Project.Status.CLOSED:
        raise ProjectError("A closed project's profile cannot change.")
    if not title.strip():
        raise ProjectError("Enter the outcome the milestone delivers.", field="title")
    _refuse_before_start(project, due_on, "A milestone cannot be due", field="due_on")
    position = (project.milestones.count() or 0) + 1
    milestone = Milestone(
        project=project,
        position=position,
        title=title,
        description=description,
        due_on=due_on,
        forecast_on=due_on,
    )
    milestone._history_user = by
    save_valid(milestone)
    _project_follow_milestones(project.pk, by)
    if payment_amount > 0:
        payment_schedule(
            project=project, amount=payment_amount, due_on=due_on, milestone=milestone, by=by
        )
    return milestone


@transaction.atomic
def payment_schedule(
    *,
    project: Project,
    amount: Decimal,
    due_on: datetime.date,
    milestone: Milestone | None = None,
    by: User | None,
) -> GrantPayment:
    project = Project.objects.select_for_update().get(pk=project.pk)
    scheduled = payments_scheduled_total(project)
    if scheduled + amount > project.grant_awarded:
        raise ProjectError(
            f"The payments would add up to {gbp(scheduled + amount)}, more than the "
            f"{gbp(project.grant_awarded)} awarded.",
            field="payment_amount",
        )
    payment = GrantPayment(project=project, milestone=milestone, amount=amount, due_on=due_on)
    payment._history_user = by
    save_valid(payment)
    return payment


def _refuse_before_start(project: Project, day: datetime.date, what: str, *, field: str) -> None:
    """Refuse a date of the project's delivery that falls before the project starts."""
    if project.starts_on and day < project.starts_on:
        raise ProjectError(
            f"{what} before the project starts, on {project.starts_on:%-d %B %Y}.", field=field
        )


def _locked_milestone(milestone: Milestone) -> Milestone:
    return Milestone.objects.select_for_update().get(pk=milestone.pk)


@transaction.atomic
def milestone_log_achieved(
    *,
    milestone: Milestone,
    achieved_on: datetime.date,
    delivered: str,
    by: User | None,
) -> Milestone:
    """The officer records that the milestone was delivered; it then waits for the
    programme manager to verify it."""
    milestone = _locked_milestone(milestone)
    if achieved_on > timezone.localdate():
        raise ProjectError("The date achieved cannot be in the future.", field="achieved_on")
    _refuse_before_start(
        milestone.project, achieved_on, "A milestone cannot be achieved", field="achieved_on"
    )
    if not delivered.strip():
        raise ProjectError("Say what was delivered.", field="delivered")
    move(milestone, MilestoneStatus.ACHIEVED, by)
    milestone.achieved_on = achieved_on
    milestone.achieved_by = by
    milestone.delivered = delivered
    milestone.save(update_fields=["status", "achieved_on", "achieved_by", "delivered"])
    _project_follow_milestones(milestone.project_id, by)
    _notify(Event.MILESTONE_LOGGED, milestone, milestone_logged_recipients, by)
    return milestone


def milestone_add_evidence(
    *,
    milestone: Milestone,
    file: UploadedFile | None = None,
    link: str = "",
    description: str = "",
    by: User,
) -> MilestoneEvidence:
    if milestone.status == MilestoneStatus.VERIFIED:
        raise ProjectError("A verified milestone's evidence cannot change.")
    evidence = MilestoneEvidence(
        milestone=milestone, file=file or "", link=link, description=description, added_by=by
    )
    save_valid(evidence)
    return evidence


@transaction.atomic
def milestone_reprofile(
    *, milestone: Milestone, new_forecast_on: datetime.date, reason: str, by: User
) -> Milestone:
    """Move the milestone's forecast date. The baseline stays; every re-profile is
    kept so the slippage can be shown."""
    milestone = _locked_milestone(milestone)
    if milestone.status in (MilestoneStatus.ACHIEVED, MilestoneStatus.VERIFIED):
        raise ProjectError("A milestone already achieved cannot be re-profiled.")
    if not reason.strip():
        raise ProjectError("Give the reason for the new date.", field="reason")
    if new_forecast_on == milestone.forecast_on:
        raise ProjectError(
            "The new forecast date is the same as the current one.", field="new_forecast_on"
        )
    _refuse_before_start(
        milestone.project,
        new_forecast_on,
        "A milestone cannot be forecast",
        field="new_forecast_on",
    )
    MilestoneReprofile.objects.create(
        milestone=milestone,
        previous_forecast_on=milestone.forecast_on,
        new_forecast_on=new_forecast_on,
        reason=reason,
        by=by,
    )
    milestone.forecast_on = new_forecast_on
    milestone._history_user = by
    milestone._change_reason = f"Re-profiled: {reason}"
    milestone.save(update_fields=["forecast_on"])
    return milestone


@transaction.atomic
def milestone_verify(
    *, milestone: Milestone, by: User, verified_on: datetime.date | None = None
) -> Milestone:
    """The programme manager confirms delivery; the linked grant payment becomes due."""
    milestone = _locked_milestone(milestone)
    refuse_recipient(milestone.project, by, "verify its milestones")
    move(milestone, MilestoneStatus.VERIFIED, by)
    verified_on = verified_on or timezone.localdate()
    if verified_on < milestone.achieved_on:
        raise ProjectError(
            "A milestone cannot be verified before it was achieved, on "
            f"{milestone.achieved_on:%-d %B %Y}."
        )
    milestone.verified_on = verified_on
    milestone.verified_by = by
    milestone.review_comment = ""
    milestone.save(update_fields=["status", "verified_on", "verified_by", "review_comment"])
    _project_follow_milestones(milestone.project_id, by)
    payment = GrantPayment.objects.select_for_update().filter(milestone=milestone).first()
    if payment is not None and payment.status == PaymentStatus.SCHEDULED:
        move(payment, PaymentStatus.DUE, by)
        payment.save(update_fields=["status"])
    _notify(Event.MILESTONE_VERIFIED, milestone, milestone_verified_recipients, by)
    return milestone


@transaction.atomic
def milestone_return(*, milestone: Milestone, comment: str, by: User) -> Milestone:
    """Send a logged milestone back to the officer with what is missing."""
    if not comment.strip():
        raise ProjectError("Say what the officer needs to change.", field="comment")
    milestone = _locked_milestone(milestone)
    move(milestone, MilestoneStatus.RETURNED, by)
    milestone.review_comment = comment
    milestone.save(update_fields=["status", "review_comment"])
    return milestone


# Grant payments ---------------------------------------------------------------------


def _locked_payment(payment: GrantPayment) -> GrantPayment:
    return GrantPayment.objects.select_for_update().get(pk=payment.pk)


@transaction.atomic
def payment_approve(*, payment: GrantPayment, by: User, approved_on: datetime.date | None = None):
    payment = _locked_payment(payment)
    refuse_recipient(payment.project, by, "approve its payments")
    move(payment, PaymentStatus.APPROVED, by)
    approved_on = approved_on or timezone.localdate()
    if approved_on > timezone.localdate():
        raise ProjectError("The date approved cannot be in the future.")
    verified_on = payment.milestone.verified_on if payment.milestone else None
    if verified_on and approved_on < verified_on:
        raise ProjectError(
            "A payment cannot be approved for release before its milestone was verified, "
            f"on {verified_on:%-d %B %Y}."
        )
    payment.approved_by = by
    payment.approved_on = approved_on
    payment.save(update_fields=["status", "approved_by", "approved_on"])
    _notify(Event.PAYMENT_APPROVED, payment, payment_approved_recipients, by)
    return payment


@transaction.atomic
def payment_withhold(*, payment: GrantPayment, reason: str, by: User) -> GrantPayment:
    if not reason.strip():
        raise ProjectError("Say why the payment is withheld.", field="reason")
    payment = _locked_payment(payment)
    move(payment, PaymentStatus.WITHHELD, by)
    payment.withheld_reason = reason
    payment.save(update_fields=["status", "withheld_reason"])
    return payment


@transaction.atomic
def payment_release(*, payment: GrantPayment, by: User) -> GrantPayment:
    """Lift a hold: the payment is due again if its milestone is verified (or it has
    none), otherwise scheduled until the milestone is. The reason it was withheld
    stays in its history."""
    payment = _locked_payment(payment)
    verified = payment.milestone is None or payment.milestone.status == MilestoneStatus.VERIFIED
    move(payment, PaymentStatus.DUE if verified else PaymentStatus.SCHEDULED, by)
    payment.withheld_reason = ""
    payment.save(update_fields=["status", "withheld_reason"])
    return payment


@transaction.atomic
def payment_record_paid(
    *, payment: GrantPayment, paid_on: datetime.date, reference: str, by: User
) -> GrantPayment:
    """Finance records that an approved payment was made. The project is locked
    first, so a second "record payment" on the same payment — replayed or sent at the
    same moment — finds it already paid and is refused; and the project's payments
    can never add up to more than its award."""
    project = Project.objects.select_for_update().get(pk=payment.project_id)
    payment = _locked_payment(payment)
    refuse_recipient(project, by, "record its payments as paid")
    move(payment, PaymentStatus.PAID, by)
    if not reference.strip():
        raise ProjectError("Give the remittance reference.", field="reference")
    if paid_on > timezone.localdate():
        raise ProjectError("The date paid cannot be in the future.", field="paid_on")
    if paid_on < payment.approved_on:
        raise ProjectError(
            "The date paid cannot be before the payment was approved for release, on "
            f"{payment.approved_on:%-d %B %Y}.",
            field="paid_on",
        )
    money = project_money(project)
    if money.paid + payment.amount > project.grant_awarded:
        raise ProjectError(
            f"Paying {gbp(payment.amount)} would take payments to "
            f"{gbp(money.paid + payment.amount)}, above the {gbp(project.grant_awarded)} "
            "awarded."
        )
    payment.ledger_entry = ledger_record(
        programme=project.programme,
        kind=LedgerEntry.Kind.PAYMENT,
        amount=payment.amount,
        occurred_on=paid_on,
        budget_line=project.budget_line,
        subject=project,
        memo=f"Grant payment to {project.lead_organisation} ({reference})",
        by=by,
    )
    payment.paid_on = paid_on
    payment.paid_by = by
    payment.reference = reference
    payment.save(update_fields=["status", "paid_on", "paid_by", "reference", "ledger_entry"])
    _notify(Event.PAYMENT_PAID, payment, payment_paid_recipients, by)
    return payment


@transaction.atomic
def milestone_log_delivery(
    *,
    milestone: Milestone,
    achieved_on: datetime.date,
    delivered: str,
    files: Iterable[UploadedFile] = (),
    links: Iterable[str] = (),
    by: User,
) -> Milestone:
    """Log the milestone achieved together with the files and links that show it was
    delivered: all of it, or (when any part is refused) none of it."""
    milestone = milestone_log_achieved(
        milestone=milestone, achieved_on=achieved_on, delivered=delivered, by=by
    )
    for file in files:
        milestone_add_evidence(milestone=milestone, file=file, by=by)
    for link in links:
        milestone_add_evidence(milestone=milestone, link=link, by=by)
    return milestone
