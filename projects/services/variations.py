"""Changes to an approved project: variations, closure, invest-to-save repayments and
clawback. Each one that moves money does so through the ledger."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from partnership.models import Decision
from programmes.models import LedgerEntry
from programmes.services import ledger_record
from projects.models import (
    ChangeRequest,
    Clawback,
    GrantPayment,
    PaymentChange,
    Project,
    ProjectClosure,
    Repayment,
)
from projects.selectors import payments_scheduled_total, project_money

from .base import ProjectError, gbp, move, refuse_recipient, save_valid

Kind = ChangeRequest.Kind
RESCHEDULING = ChangeRequest.RESCHEDULING


@dataclass(frozen=True)
class PaymentTerms:
    """A payment as the officer would have it: its amount (nothing cancels it) and
    the date it falls due."""

    payment_id: int
    amount: Decimal
    due_on: datetime.date


def _payment_changes(project: Project, schedule: Iterable[PaymentTerms]) -> list[PaymentChange]:
    """The payments the schedule changes, each with what it was. Only payments still
    open (not approved, paid or cancelled) can be re-profiled."""
    terms = {term.payment_id: term for term in schedule}
    payments = project.payments.filter(pk__in=terms)
    if len(payments) != len(terms):
        raise ProjectError("A payment in the new schedule is not one of this project's.")
    changes = []
    for payment in payments:
        term = terms[payment.pk]
        if (term.amount, term.due_on) == (payment.amount, payment.due_on):
            continue
        if payment.status not in GrantPayment.OPEN_STATUSES:
            raise ProjectError(
                f"The payment due {payment.due_on:%-d %B %Y} is "
                f"{payment.get_status_display().lower()}; it can no longer be changed."
            )
        if term.amount < 0:
            raise ProjectError("A payment cannot be less than nothing.", field="schedule")
        changes.append(
            PaymentChange(
                payment=payment,
                previous_amount=payment.amount,
                previous_due_on=payment.due_on,
                new_amount=term.amount,
                new_due_on=term.due_on,
            )
        )
    return changes


def _check_schedule_fits(
    project: Project, changes: Iterable[PaymentChange], award: Decimal, *, new_award: bool
) -> None:
    total = payments_scheduled_total(
        project, instead={change.payment_id: change.new_amount for change in changes}
    )
    if total > award:
        grant = f"the new grant of {gbp(award)}" if new_award else f"the {gbp(award)} awarded"
        raise ProjectError(
            f"The payments would add up to {gbp(total)}, more than {grant}: lower or "
            "cancel payments in the schedule.",
            field="schedule",
        )


def _check_grant_covers_paid(project: Project, grant: Decimal) -> None:
    paid = project_money(project).paid
    if grant < paid:
        raise ProjectError(
            f"{gbp(paid)} is already paid; the grant cannot go below it.",
            field="new_grant_awarded",
        )


@transaction.atomic
def change_request_submit(
    *,
    project: Project,
    kind: str,
    reason: str,
    by: User,
    schedule: Iterable[PaymentTerms] = (),
    **fields,
) -> ChangeRequest:
    """An officer asks to vary the project. A change of grant or a re-profile
    carries the payments it changes; the schedule they make must fit the award."""
    if project.status == Project.Status.CLOSED:
        raise ProjectError("A closed project cannot be varied.")
    if not reason.strip():
        raise ProjectError("Give the reason for the change.", field="reason")
    request = ChangeRequest(project=project, kind=kind, reason=reason, requested_by=by, **fields)
    if kind == Kind.END_DATE and project.ends_on and request.new_ends_on <= project.ends_on:
        raise ProjectError("The new end date must be later than the current one.")
    if kind == Kind.END_DATE and project.starts_on and request.new_ends_on < project.starts_on:
        raise ProjectError(
            "The new end date cannot be before the project starts, on "
            f"{project.starts_on:%-d %B %Y}."
        )
    if kind == Kind.GRANT and request.new_grant_awarded is not None:
        _check_grant_covers_paid(project, request.new_grant_awarded)
    changes = _payment_changes(project, schedule) if kind in RESCHEDULING else []
    if kind == Kind.PROFILE and not changes:
        raise ProjectError(
            "Change the amount or the due date of at least one payment.", field="schedule"
        )
    if kind in RESCHEDULING:
        new_award = kind == Kind.GRANT
        award = request.new_grant_awarded if new_award else project.grant_awarded
        _check_schedule_fits(project, changes, award, new_award=new_award)
    save_valid(request)
    for change in changes:
        change.change_request = request
    PaymentChange.objects.bulk_create(changes)
    return request


def _reschedule(request: ChangeRequest, by: User) -> None:
    """Give each payment the request changes its new amount and date (nothing cancels
    it). A payment approved, paid or cancelled since the request was made is not
    touched: the request is refused."""
    changes = list(request.payment_changes.all())
    payments = GrantPayment.objects.select_for_update().in_bulk(
        [change.payment_id for change in changes]
    )
    for change in changes:
        payment = payments[change.payment_id]
        if payment.status not in GrantPayment.OPEN_STATUSES:
            raise ProjectError(
                f"The payment due {payment.due_on:%-d %B %Y} is now "
                f"{payment.get_status_display().lower()}, so the new schedule no longer "
                "fits: refuse this request and ask for a new one."
            )
        if change.cancels:
            move(payment, GrantPayment.Status.CANCELLED, by)
        else:
            payment.amount = change.new_amount
        payment.due_on = change.new_due_on
        payment._history_user = by
        payment._change_reason = f"Re-profiled by change request {request.pk}"
        payment.save(update_fields=["amount", "due_on", "status"])


@transaction.atomic
def change_request_approve(
    *, request: ChangeRequest, by: User, decision: Decision | None = None, note: str = ""
) -> ChangeRequest:
    """Approve a variation and amend the project. More grant is committed from the
    budget line (refused if the line has not enough left); less grant releases the
    difference (refused below what is already paid). The payments the request
    re-profiles take their new amounts and dates, and the schedule must still fit
    the award: a cut below the payments still scheduled is refused."""
    request = ChangeRequest.objects.select_for_update().get(pk=request.pk)
    move(request, ChangeRequest.Status.APPROVED, by)
    project = Project.objects.select_for_update().get(pk=request.project_id)
    today = timezone.localdate()
    if request.kind == Kind.GRANT:
        request.previous_grant_awarded = project.grant_awarded
        difference = request.new_grant_awarded - project.grant_awarded
        if difference < 0:
            _check_grant_covers_paid(project, request.new_grant_awarded)
        if difference:
            ledger_record(
                programme=project.programme,
                kind=LedgerEntry.Kind.COMMITMENT if difference > 0 else LedgerEntry.Kind.RELEASE,
                amount=abs(difference),
                occurred_on=today,
                budget_line=project.budget_line,
                subject=project,
                memo=(
                    f"Variation: grant {gbp(project.grant_awarded)} "
                    f"to {gbp(request.new_grant_awarded)}"
                ),
                decision=decision,
                by=by,
            )
        project.grant_awarded = request.new_grant_awarded
    elif request.kind == Kind.END_DATE:
        if decision is None:
            raise ProjectError("Record the board decision that allowed the extension.")
        request.previous_ends_on = project.ends_on
        project.ends_on = request.new_ends_on
    elif request.kind == Kind.SCOPE:
        project.outline = request.new_scope
    if request.kind in RESCHEDULING:
        _reschedule(request, by)
        _check_schedule_fits(
            project, [], project.grant_awarded, new_award=request.kind == Kind.GRANT
        )
    project._history_user = by
    project._change_reason = f"Change request approved: {request.get_kind_display()}"
    project.save()
    request.decided_by, request.decided_at = by, timezone.now()
    request.decision, request.decision_note = decision, note
    save_valid(request)
    return request


@transaction.atomic
def change_request_refuse(*, request: ChangeRequest, by: User, note: str) -> ChangeRequest:
    if not note.strip():
        raise ProjectError("Say why the request is refused.", field="note")
    request = ChangeRequest.objects.select_for_update().get(pk=request.pk)
    move(request, ChangeRequest.Status.REFUSED, by)
    request.decided_by, request.decided_at, request.decision_note = by, timezone.now(), note
    request.save()
    return request


@transaction.atomic
def project_close(
    *,
    project: Project,
    delivered: str,
    savings_realised: Decimal,
    lessons_learnt: str,
    by: User,
    closed_on: datetime.date | None = None,
) -> ProjectClosure:
    """Close the project with its benefits report. Payments not yet approved are
    cancelled and the grant committed but unpaid goes back to the budget line."""
    project = Project.objects.select_for_update().get(pk=project.pk)
    move(project, Project.Status.CLOSED, by)
    if not delivered.strip() or not lessons_learnt.strip():
        raise ProjectError("The benefits report needs what was delivered and lessons learnt.")
    if project.payments.filter(status=GrantPayment.Status.APPROVED).exists():
        raise ProjectError("A payment approved for release is still to be paid or withheld.")
    closed_on = closed_on or timezone.localdate()
    for payment in project.payments.select_for_update().filter(
        status__in=GrantPayment.OPEN_STATUSES
    ):
        move(payment, GrantPayment.Status.CANCELLED, by)
        payment._change_reason = "Cancelled at closure"
        payment.save(update_fields=["status"])
    unspent = project_money(project).unpaid
    if unspent > 0:
        ledger_record(
            programme=project.programme,
            kind=LedgerEntry.Kind.RELEASE,
            amount=unspent,
            occurred_on=closed_on,
            budget_line=project.budget_line,
            subject=project,
            memo=f"Unspent grant returned at closure of {project.reference}",
            by=by,
        )
    project.save(update_fields=["status"])
    closure = ProjectClosure(
        project=project,
        closed_on=closed_on,
        delivered=delivered,
        savings_realised=savings_realised,
        lessons_learnt=lessons_learnt,
        unspent_returned=unspent,
        closed_by=by,
    )
    save_valid(closure)
    return closure


def repayment_schedule(
    *, project: Project, due_on: datetime.date, amount: Decimal, by: User | None
) -> Repayment:
    if not project.invest_to_save:
        raise ProjectError("Only an invest-to-save project repays its grant.")
    repayment = Repayment(project=project, due_on=due_on, amount=amount)
    repayment._history_user = by
    save_valid(repayment)
    return repayment


@transaction.atomic
def repayment_record_received(
    *, repayment: Repayment, received_on: datetime.date, reference: str, by: User
) -> Repayment:
    """Finance records an instalment received; the money flows back into the
    programme's funds."""
    repayment = Repayment.objects.select_for_update().select_related("project").get(pk=repayment.pk)
    refuse_recipient(repayment.project, by, "record its repayments as received")
    if repayment.received_on is not None:
        raise ProjectError(f"This repayment was received on {repayment.received_on:%-d %B %Y}.")
    if not reference.strip():
        raise ProjectError("Give the receipt reference.", field="reference")
    project = repayment.project
    repayment.ledger_entry = ledger_record(
        programme=project.programme,
        kind=LedgerEntry.Kind.REPAYMENT,
        amount=repayment.amount,
        occurred_on=received_on,
        subject=project,
        memo=f"Invest-to-save repayment from {project.lead_organisation} ({reference})",
        by=by,
    )
    repayment.received_on, repayment.reference = received_on, reference
    repayment._history_user = by
    repayment.save(update_fields=["received_on", "reference", "ledger_entry"])
    return repayment


@transaction.atomic
def clawback_demand(
    *, project: Project, amount: Decimal, reason: str, by: User, demanded_on: datetime.date
) -> Clawback:
    """Demand a refund of grant paid (the savings were not implemented, say)."""
    project = Project.objects.select_for_update().get(pk=project.pk)
    if not reason.strip():
        raise ProjectError("Give the reason for the clawback.", field="reason")
    outstanding = sum(
        project.clawbacks.filter(status=Clawback.Status.DEMANDED).values_list("amount", flat=True),
        Decimal("0"),
    )
    paid = project_money(project).paid
    if amount + outstanding > paid:
        raise ProjectError(
            f"Only {gbp(paid - outstanding)} of the grant paid can still be clawed back.",
            field="amount",
        )
    clawback = Clawback(project=project, amount=amount, reason=reason, demanded_on=demanded_on)
    clawback._history_user = by
    save_valid(clawback)
    return clawback


@transaction.atomic
def clawback_record_received(
    *, clawback: Clawback, received_on: datetime.date, reference: str, by: User
) -> Clawback:
    clawback = Clawback.objects.select_for_update().select_related("project").get(pk=clawback.pk)
    refuse_recipient(clawback.project, by, "record its refund as received")
    move(clawback, Clawback.Status.RECEIVED, by)
    project = clawback.project
    clawback.ledger_entry = ledger_record(
        programme=project.programme,
        kind=LedgerEntry.Kind.CLAWBACK,
        amount=clawback.amount,
        occurred_on=received_on,
        budget_line=project.budget_line,
        subject=project,
        memo=f"Clawback refunded by {project.lead_organisation} ({reference})",
        by=by,
    )
    clawback.received_on, clawback.reference = received_on, reference
    clawback.save(update_fields=["status", "received_on", "reference", "ledger_entry"])
    return clawback
