"""Variations, closure, invest-to-save repayments and clawback: each moves money only
through the ledger, so programme balances stay right."""

import datetime
from decimal import Decimal

import pytest

from partnership.models import Decision, Meeting
from programmes.selectors import budget_line_balance, programme_balance
from programmes.services import ledger_record
from projects.models import ChangeRequest, GrantPayment, ProgressReport
from projects.selectors import project_money
from projects.services import (
    PaymentTerms,
    ProjectError,
    change_request_approve,
    change_request_submit,
    clawback_demand,
    clawback_record_received,
    milestone_add,
    milestone_log_achieved,
    milestone_verify,
    payment_approve,
    payment_record_paid,
    progress_report_correct,
    progress_report_save,
    progress_report_submit,
    project_close,
    repayment_record_received,
    repayment_schedule,
    risk_record,
)
from tests.concurrency import needs_postgres, run_together
from tests.factories import ProjectFactory, UserFactory, funded_budget_line

pytestmark = pytest.mark.django_db
D = Decimal
DAY = datetime.date(2011, 9, 30)


@pytest.fixture
def project():
    line = funded_budget_line(D("750000"))
    project = ProjectFactory(
        budget_line=line,
        grant_awarded=D("100000"),
        invest_to_save=True,
        ends_on=datetime.date(2013, 3, 31),
    )
    ledger_record(
        programme=line.programme,
        kind="commitment",
        amount=D("100000"),
        occurred_on=DAY,
        budget_line=line,
        subject=project,
        by=None,
    )
    milestone_add(
        project=project, title="Phase one", due_on=DAY, payment_amount=D("60000"), by=None
    )
    milestone_add(
        project=project, title="Phase two", due_on=DAY, payment_amount=D("40000"), by=None
    )
    return project


def pay_first_milestone(project):
    milestone = project.milestones.get(position=1)
    milestone_log_achieved(milestone=milestone, achieved_on=DAY, delivered="Done", by=None)
    milestone_verify(milestone=milestone, by=UserFactory(), verified_on=DAY)
    payment = payment_approve(payment=milestone.payment, by=UserFactory(), approved_on=DAY)
    return payment_record_paid(payment=payment, paid_on=DAY, reference="BACS-1", by=UserFactory())


def test_more_grant_is_committed_from_the_line_and_the_original_award_stays_visible(project):
    officer, manager = UserFactory(), UserFactory()
    request = change_request_submit(
        project=project,
        kind="grant",
        reason="Two more councils",
        new_grant_awarded=D("150000"),
        by=officer,
    )
    request = change_request_approve(request=request, by=manager)
    project.refresh_from_db()
    assert project.grant_awarded == D("150000.00")
    assert request.previous_grant_awarded == D("100000.00")
    assert project_money(project).committed == D("150000.00")
    assert budget_line_balance(project.budget_line).available == D("600000.00")
    assert project.history.last().grant_awarded == D("100000.00")  # the original award


def terms(payment, amount, due_on=None):
    return PaymentTerms(payment_id=payment.pk, amount=D(amount), due_on=due_on or payment.due_on)


def test_less_grant_releases_the_difference_but_never_below_what_is_paid_or_scheduled(project):
    pay_first_milestone(project)
    second = project.payments.get(milestone__position=2)
    with pytest.raises(ProjectError, match="£60,000.00 is already paid"):
        change_request_submit(
            project=project,
            kind="grant",
            reason="Scope cut",
            new_grant_awarded=D("50000"),
            by=UserFactory(),
        )
    # £60,000 paid and £40,000 still scheduled do not fit a £70,000 grant.
    with pytest.raises(ProjectError, match="add up to £100,000.00, more than the new grant"):
        change_request_submit(
            project=project,
            kind="grant",
            reason="Scope cut",
            new_grant_awarded=D("70000"),
            by=UserFactory(),
        )
    assert not ChangeRequest.objects.exists()
    request = change_request_submit(
        project=project,
        kind="grant",
        reason="Scope cut",
        new_grant_awarded=D("70000"),
        schedule=[terms(second, "10000")],
        by=UserFactory(),
    )
    change_request_approve(request=request, by=UserFactory())
    assert project_money(project).committed == D("70000.00")
    assert budget_line_balance(project.budget_line).available == D("680000.00")
    second.refresh_from_db()
    assert second.amount == D("10000.00")
    assert second.milestone.releases == D("10000.00")


def test_a_reprofile_moves_payments_and_the_original_schedule_stays_visible(project):
    first, second = project.payments.order_by("milestone__position")
    later = datetime.date(2012, 3, 31)
    manager = UserFactory()
    request = change_request_submit(
        project=project,
        kind="profile",
        reason="Phase two brought forward",
        schedule=[terms(first, "45000", later), terms(second, "55000")],
        by=UserFactory(),
    )
    request = change_request_approve(request=request, by=manager)
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.amount, first.due_on) == (D("45000.00"), later)
    assert second.amount == D("55000.00")
    assert [m.releases for m in project.milestones.order_by("position")] == [
        D("45000.00"),
        D("55000.00"),
    ]
    # The request keeps what each payment was; the payment's history says who changed it.
    was = {
        c.payment_id: (c.previous_amount, c.previous_due_on) for c in request.payment_changes.all()
    }
    assert was == {first.pk: (D("60000.00"), DAY), second.pk: (D("40000.00"), DAY)}
    latest = first.history.first()
    assert (latest.history_user, latest.history_change_reason) == (
        manager,
        f"Re-profiled by change request {request.pk}",
    )
    assert first.history.last().amount == D("60000.00")
    # Re-profiling moves no money in the ledger: the grant is what it was.
    assert project_money(project).committed == D("100000.00")


def test_a_reprofile_fits_the_award_and_changes_something(project):
    first, second = project.payments.order_by("milestone__position")
    with pytest.raises(ProjectError, match="add up to £110,000.00, more than the £100,000.00"):
        change_request_submit(
            project=project,
            kind="profile",
            reason="More up front",
            schedule=[terms(first, "70000")],
            by=UserFactory(),
        )
    with pytest.raises(ProjectError, match="at least one payment"):
        change_request_submit(
            project=project,
            kind="profile",
            reason="No change",
            schedule=[terms(first, "60000"), terms(second, "40000")],
            by=UserFactory(),
        )
    other = ProjectFactory()
    with pytest.raises(ProjectError, match="not one of this project's"):
        change_request_submit(
            project=other, kind="profile", reason="x", schedule=[terms(first, "1")], by=None
        )
    assert not ChangeRequest.objects.exists()


def test_a_paid_payment_cannot_be_reprofiled(project):
    paid = pay_first_milestone(project)
    with pytest.raises(ProjectError, match="is paid; it can no longer be changed"):
        change_request_submit(
            project=project,
            kind="profile",
            reason="x",
            schedule=[terms(paid, "10000")],
            by=UserFactory(),
        )


def test_nothing_cancels_a_payment_and_a_cut_returns_its_grant(project):
    second = project.payments.get(milestone__position=2)
    request = change_request_submit(
        project=project,
        kind="grant",
        reason="Phase two dropped",
        new_grant_awarded=D("60000"),
        schedule=[terms(second, "0")],
        by=UserFactory(),
    )
    change_request_approve(request=request, by=UserFactory())
    second.refresh_from_db()
    assert second.status == GrantPayment.Status.CANCELLED
    assert second.milestone.releases == D("0.00")  # cancelled
    assert project_money(project).committed == D("60000.00")
    assert budget_line_balance(project.budget_line).available == D("690000.00")


def test_a_payment_released_since_the_request_leaves_the_project_as_it_was(project):
    first, second = project.payments.order_by("milestone__position")
    request = change_request_submit(
        project=project,
        kind="grant",
        reason="Cut",
        new_grant_awarded=D("90000"),
        schedule=[terms(first, "50000")],
        by=UserFactory(),
    )
    milestone = first.milestone
    milestone_log_achieved(milestone=milestone, achieved_on=DAY, delivered="Done", by=None)
    milestone_verify(milestone=milestone, by=UserFactory(), verified_on=DAY)
    payment_approve(payment=first, by=UserFactory(), approved_on=DAY)
    with pytest.raises(ProjectError, match="is now approved for release"):
        change_request_approve(request=request, by=UserFactory())
    project.refresh_from_db()
    first.refresh_from_db()
    request.refresh_from_db()
    assert project.grant_awarded == D("100000.00")
    assert first.amount == D("60000.00")
    assert project_money(project).committed == D("100000.00")
    assert request.status == ChangeRequest.Status.PENDING


def test_an_extension_records_the_board_decision_that_allowed_it(project):
    request = change_request_submit(
        project=project,
        kind="end_date",
        reason="Slippage",
        new_ends_on=datetime.date(2013, 9, 30),
        by=UserFactory(),
    )
    with pytest.raises(ProjectError, match="board decision"):
        change_request_approve(request=request, by=UserFactory())
    meeting = Meeting.objects.create(
        partnership=project.programme.partnership, held_on=datetime.date(2012, 11, 26)
    )
    decision = Decision.objects.create(meeting=meeting, text="Delivery extended by six months")
    request = change_request_approve(request=request, by=UserFactory(), decision=decision)
    project.refresh_from_db()
    assert project.ends_on == datetime.date(2013, 9, 30)
    assert request.previous_ends_on == datetime.date(2013, 3, 31)
    assert request.decision == decision


def test_closure_cancels_open_payments_and_returns_unspent_grant(project):
    pay_first_milestone(project)
    closure = project_close(
        project=project,
        delivered="Phase one",
        savings_realised=D("90000"),
        lessons_learnt="Start procurement earlier",
        by=UserFactory(),
        closed_on=DAY,
    )
    assert closure.unspent_returned == D("40000.00")
    assert project.payments.get(milestone__position=2).status == GrantPayment.Status.CANCELLED
    # A milestone shows what its payment releases, so a cancelled payment releases nothing.
    assert [m.releases for m in project.milestones.order_by("position")] == [
        D("60000.00"),
        D("0.00"),
    ]
    assert project_money(project).committed == D("60000.00")
    assert budget_line_balance(project.budget_line).available == D("690000.00")
    with pytest.raises(ProjectError, match="already closed"):
        project_close(
            project=project,
            delivered="x",
            savings_realised=D("0"),
            lessons_learnt="x",
            by=UserFactory(),
        )


def test_repayments_flow_back_into_the_programme_once_and_only_once(project):
    repayment = repayment_schedule(
        project=project, due_on=datetime.date(2012, 4, 30), amount=D("25000"), by=None
    )
    before = programme_balance(project.programme).funds_received
    repayment_record_received(
        repayment=repayment,
        received_on=datetime.date(2012, 5, 2),
        reference="RCPT-7",
        by=UserFactory(),
    )
    assert programme_balance(project.programme).funds_received == before + D("25000")
    with pytest.raises(ProjectError, match="received on 2 May 2012"):
        repayment_record_received(
            repayment=repayment,
            received_on=datetime.date(2012, 5, 3),
            reference="RCPT-8",
            by=UserFactory(),
        )


def test_only_invest_to_save_projects_have_repayments():
    with pytest.raises(ProjectError, match="Only an invest-to-save project"):
        repayment_schedule(
            project=ProjectFactory(invest_to_save=False), due_on=DAY, amount=D("1"), by=None
        )


def test_clawback_is_limited_to_grant_paid_and_returns_money_to_the_line(project):
    pay_first_milestone(project)
    with pytest.raises(ProjectError, match="Only £60,000.00 of the grant paid"):
        clawback_demand(
            project=project,
            amount=D("60000.01"),
            reason="Savings not made",
            by=UserFactory(),
            demanded_on=DAY,
        )
    clawback = clawback_demand(
        project=project,
        amount=D("20000"),
        reason="Savings not made",
        by=UserFactory(),
        demanded_on=DAY,
    )
    clawback_record_received(clawback=clawback, received_on=DAY, reference="RF-1", by=UserFactory())
    money = project_money(project)
    assert (money.committed, money.paid) == (D("80000.00"), D("40000.00"))
    assert budget_line_balance(project.budget_line).available == D("670000.00")


def test_a_submitted_report_is_read_only_and_corrected_as_a_new_version(project):
    officer = UserFactory()
    risk = risk_record(
        project=project,
        by=officer,
        risk="Supplier delay",
        likelihood=3,
        impact=4,
        owner="Head of ICT",
        mitigation="Weekly calls",
    )
    report = progress_report_save(
        project=project,
        financial_year=2011,
        quarter=2,
        by=officer,
        rag="amber",
        narrative="Desk live late",
        risks=[risk],
        spend=[
            {"financial_year": 2011, "quarter": 2, "forecast": D("30000"), "actual": D("25000")}
        ],
    )
    with pytest.raises(ProjectError, match="Write the narrative"):
        progress_report_submit(
            report=progress_report_save(
                project=project, financial_year=2011, quarter=1, by=officer, rag="green"
            ),
            by=officer,
        )
    progress_report_submit(report=report, by=officer)
    with pytest.raises(ProjectError, match="make a correction instead"):
        progress_report_save(
            project=project, financial_year=2011, quarter=2, by=officer, rag="green"
        )
    correction = progress_report_correct(report=report, by=officer)
    report.refresh_from_db()
    assert report.status == ProgressReport.Status.SUPERSEDED
    assert (correction.version, correction.status, correction.rag) == (2, "draft", "amber")
    assert list(correction.risks.all()) == [risk]
    assert correction.spend.get().actual == D("25000.00")


def test_no_report_is_written_for_a_quarter_still_to_come(project):
    with pytest.raises(ProjectError, match="still to come"):
        progress_report_save(
            project=project, financial_year=2099, quarter=1, by=UserFactory(), rag="green"
        )


def test_change_requests_name_what_they_change(project):
    with pytest.raises(ProjectError, match="Give the reason"):
        change_request_submit(project=project, kind="scope", reason="", by=UserFactory())
    with pytest.raises(ProjectError, match="later than the current one"):
        change_request_submit(
            project=project,
            kind="end_date",
            reason="x",
            new_ends_on=datetime.date(2012, 1, 1),
            by=UserFactory(),
        )
    project.starts_on, project.ends_on = datetime.date(2011, 6, 1), None
    with pytest.raises(ProjectError, match="cannot be before the project starts, on 1 June 2011"):
        change_request_submit(
            project=project,
            kind="end_date",
            reason="x",
            new_ends_on=datetime.date(2010, 3, 31),
            by=UserFactory(),
        )
    assert not ChangeRequest.objects.exists()


@needs_postgres
@pytest.mark.django_db(transaction=True)
def test_a_reprofile_and_a_payment_approval_at_the_same_moment_never_half_apply(project):
    first = project.payments.get(milestone__position=1)
    milestone_log_achieved(milestone=first.milestone, achieved_on=DAY, delivered="Done", by=None)
    milestone_verify(milestone=first.milestone, by=UserFactory(), verified_on=DAY)
    request = change_request_submit(
        project=project,
        kind="grant",
        reason="Cut",
        new_grant_awarded=D("90000"),
        schedule=[terms(first, "50000")],
        by=UserFactory(),
    )
    manager = UserFactory()
    run_together(
        lambda: change_request_approve(request=request, by=manager),
        lambda: payment_approve(payment=first, by=manager, approved_on=DAY),
    )
    first.refresh_from_db()
    request.refresh_from_db()
    project.refresh_from_db()
    assert first.status == GrantPayment.Status.APPROVED
    # Either the re-profile landed first and the payment was approved at its new amount,
    # or the approval came first and the re-profile was refused, changing nothing.
    assert (request.status, first.amount, project.grant_awarded) in [
        (ChangeRequest.Status.APPROVED, D("50000.00"), D("90000.00")),
        (ChangeRequest.Status.PENDING, D("60000.00"), D("100000.00")),
    ]
    assert project_money(project).committed == project.grant_awarded


def test_no_report_is_written_for_a_quarter_that_ended_before_the_project_started(project):
    project.starts_on = datetime.date(2011, 7, 1)
    project.save(update_fields=["starts_on"])

    with pytest.raises(ProjectError, match="ended before the project started, on 1 July 2011"):
        progress_report_save(
            project=project, financial_year=2011, quarter=1, by=UserFactory(), rag="green"
        )

    report = progress_report_save(
        project=project, financial_year=2011, quarter=2, by=UserFactory(), rag="green"
    )
    assert (report.financial_year, report.quarter) == (2011, 2)
