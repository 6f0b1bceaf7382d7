import datetime
from decimal import Decimal

import pytest

from bids.services import bid_approve
from programmes.selectors import budget_line_balance, programme_balance
from projects.models import GrantPayment, Milestone
from projects.selectors import project_money
from projects.services import (
    ProjectError,
    milestone_add,
    milestone_log_achieved,
    milestone_reprofile,
    milestone_return,
    milestone_verify,
    payment_approve,
    payment_record_paid,
    payment_release,
    payment_withhold,
    project_create_from_bid,
)
from tests.concurrency import needs_postgres, run_together
from tests.factories import BidFactory, OrganisationFactory, UserFactory, funded_budget_line

D = Decimal
MAY = datetime.date(2011, 5, 1)
SEPTEMBER = datetime.date(2011, 9, 30)


@pytest.fixture
def project(db):
    """Shared ICT: North Kesteven's approved bid for £100,000, as a project with two
    milestones paying £60,000 and £40,000."""
    line = funded_budget_line(D("750000"), name="Projects")
    north_kesteven = OrganisationFactory(name="North Kesteven District Council")
    partner = OrganisationFactory(name="West Lindsey District Council")
    bid = BidFactory(
        bidding_round__budget_line=line,
        sponsor=north_kesteven,
        title="Shared ICT",
        grant_requested=D("100000"),
        status="submitted",
    )
    bid.partners.add(partner)
    bid_approve(bid=bid, grant_allocated=D("100000"), decision=None, by=None, decided_on=MAY)
    project = project_create_from_bid(bid=bid, reference="EMIEP-2011-01", by=None)
    milestone_add(
        project=project,
        title="Shared service desk live",
        due_on=SEPTEMBER,
        payment_amount=D("60000"),
        by=None,
    )
    milestone_add(
        project=project,
        title="Data centre merged",
        due_on=datetime.date(2012, 3, 31),
        payment_amount=D("40000"),
        by=None,
    )
    return project


def first_payment(project) -> GrantPayment:
    return project.payments.get(milestone__position=1)


def deliver_and_approve(project, manager):
    milestone = project.milestones.get(position=1)
    milestone_log_achieved(
        milestone=milestone, achieved_on=SEPTEMBER, delivered="Desk live", by=None
    )
    milestone_verify(milestone=milestone, by=manager, verified_on=SEPTEMBER)
    return payment_approve(payment=first_payment(project), by=manager, approved_on=SEPTEMBER)


def test_an_approved_bid_becomes_a_project_led_by_its_sponsor(project):
    assert project.lead_organisation.name == "North Kesteven District Council"
    assert [p.name for p in project.partners.all()] == ["West Lindsey District Council"]
    assert project.grant_awarded == D("100000.00")
    assert project.budget_line.name == "Projects"
    assert project_money(project).committed == D("100000.00")


def test_a_bid_not_approved_cannot_become_a_project(db):
    with pytest.raises(ProjectError, match="Only an approved bid"):
        project_create_from_bid(bid=BidFactory(status="submitted"), reference="X", by=None)


def test_the_payment_profile_can_never_exceed_the_award(project):
    with pytest.raises(ProjectError, match="more than the £100,000.00 awarded"):
        milestone_add(
            project=project, title="Extra", due_on=SEPTEMBER, payment_amount=D("0.01"), by=None
        )
    assert project.milestones.count() == 2


def test_a_milestone_logged_and_verified_makes_its_payment_due_then_paid(project):
    manager, finance = UserFactory(), UserFactory()
    payment = deliver_and_approve(project, manager)
    assert payment.status == GrantPayment.Status.APPROVED
    paid = payment_record_paid(
        payment=payment, paid_on=datetime.date(2011, 10, 14), reference="BACS-0001", by=finance
    )
    assert paid.status == GrantPayment.Status.PAID
    assert project_money(project).paid == D("60000.00")
    assert budget_line_balance(project.budget_line).paid == D("60000.00")
    assert programme_balance(project.programme).paid == D("60000.00")
    assert paid.history.first().history_user == finance


def test_a_payment_is_never_recorded_twice(project):
    payment = deliver_and_approve(project, UserFactory())
    payment_record_paid(payment=payment, paid_on=SEPTEMBER, reference="BACS-0001", by=None)
    with pytest.raises(ProjectError, match="already recorded as paid on 30 September 2011"):
        payment_record_paid(payment=payment, paid_on=SEPTEMBER, reference="BACS-0002", by=None)
    assert project_money(project).paid == D("60000.00")


def test_a_payment_cannot_be_recorded_as_paid_before_it_was_approved(project):
    payment = deliver_and_approve(project, UserFactory())
    with pytest.raises(ProjectError, match="before the payment was approved for release, on 30"):
        payment_record_paid(
            payment=payment, paid_on=datetime.date(2011, 6, 1), reference="BACS-1", by=None
        )
    payment.refresh_from_db()
    assert (payment.status, payment.paid_on) == (GrantPayment.Status.APPROVED, None)
    assert project_money(project).paid == D("0")


def test_a_payment_not_yet_approved_cannot_be_paid(project):
    with pytest.raises(ProjectError, match="scheduled cannot become paid"):
        payment_record_paid(
            payment=first_payment(project), paid_on=SEPTEMBER, reference="BACS-1", by=None
        )


def test_payments_can_never_add_up_to_more_than_the_award(project):
    # A payment added behind the service's back (say, through a faulty import) is still
    # refused when finance tries to pay it.
    payment = deliver_and_approve(project, UserFactory())
    GrantPayment.objects.filter(pk=payment.pk).update(amount=D("100000.01"))
    payment.refresh_from_db()
    with pytest.raises(ProjectError, match="above the £100,000.00 awarded"):
        payment_record_paid(payment=payment, paid_on=SEPTEMBER, reference="BACS-1", by=None)


def test_a_withheld_payment_keeps_its_reason(project):
    payment = payment_withhold(
        payment=first_payment(project), reason="Evidence incomplete", by=None
    )
    assert payment.status == GrantPayment.Status.WITHHELD
    with pytest.raises(ProjectError, match="Say why"):
        payment_withhold(payment=project.payments.last(), reason="", by=None)


def test_every_reprofile_is_kept_with_the_baseline_unchanged(project):
    milestone = project.milestones.get(position=1)
    officer = UserFactory()
    milestone_reprofile(
        milestone=milestone,
        new_forecast_on=datetime.date(2011, 12, 31),
        reason="Supplier delay",
        by=officer,
    )
    milestone = milestone_reprofile(
        milestone=milestone,
        new_forecast_on=datetime.date(2012, 2, 28),
        reason="Staff vacancy",
        by=officer,
    )
    assert milestone.due_on == SEPTEMBER
    assert milestone.forecast_on == datetime.date(2012, 2, 28)
    assert [
        (r.previous_forecast_on, r.new_forecast_on, r.reason) for r in milestone.reprofiles.all()
    ] == [
        (SEPTEMBER, datetime.date(2011, 12, 31), "Supplier delay"),
        (datetime.date(2011, 12, 31), datetime.date(2012, 2, 28), "Staff vacancy"),
    ]
    with pytest.raises(ProjectError, match="reason"):
        milestone_reprofile(milestone=milestone, new_forecast_on=MAY, reason=" ", by=officer)


def test_a_returned_milestone_carries_the_comment_and_can_be_logged_again(project):
    milestone = project.milestones.get(position=1)
    milestone_log_achieved(milestone=milestone, achieved_on=SEPTEMBER, delivered="Desk", by=None)
    milestone = milestone_return(
        milestone=milestone, comment="Attach the go-live report", by=UserFactory()
    )
    assert milestone.status == Milestone.Status.RETURNED
    assert milestone.review_comment == "Attach the go-live report"
    assert first_payment(project).status == GrantPayment.Status.SCHEDULED
    milestone = milestone_log_achieved(
        milestone=milestone, achieved_on=SEPTEMBER, delivered="Desk, with report", by=None
    )
    assert milestone.status == Milestone.Status.ACHIEVED


def test_a_milestone_cannot_be_verified_before_it_is_logged(project):
    with pytest.raises(ProjectError, match="planned cannot become verified"):
        milestone_verify(milestone=project.milestones.get(position=1), by=UserFactory())


def test_the_date_achieved_cannot_be_in_the_future(project):
    with pytest.raises(ProjectError, match="cannot be in the future"):
        milestone_log_achieved(
            milestone=project.milestones.get(position=1),
            achieved_on=datetime.date.today() + datetime.timedelta(days=1),
            delivered="x",
            by=None,
        )


@needs_postgres
@pytest.mark.django_db(transaction=True)
def test_two_record_payment_requests_at_the_same_moment_pay_once(project):
    payment = deliver_and_approve(project, UserFactory())
    outcomes = run_together(
        lambda: payment_record_paid(payment=payment, paid_on=SEPTEMBER, reference="A", by=None),
        lambda: payment_record_paid(payment=payment, paid_on=SEPTEMBER, reference="B", by=None),
    )
    assert sum(isinstance(outcome, GrantPayment) for outcome in outcomes) == 1
    assert sum(isinstance(outcome, ProjectError) for outcome in outcomes) == 1
    assert project_money(project).paid == D("60000.00")


def test_lifting_a_hold_makes_a_payment_due_again_only_once_its_milestone_is_verified(project):
    manager = UserFactory()
    scheduled = payment_withhold(
        payment=first_payment(project), reason="Evidence missing", by=manager
    )
    released = payment_release(payment=scheduled, by=manager)
    assert released.status == GrantPayment.Status.SCHEDULED  # milestone not yet verified
    assert released.withheld_reason == ""
    assert released.history.filter(withheld_reason="Evidence missing").exists()

    approved = deliver_and_approve(project, manager)
    payment_withhold(payment=approved, reason="Query on invoice", by=manager)
    assert payment_release(payment=approved, by=manager).status == GrantPayment.Status.DUE
    with pytest.raises(ProjectError, match="due cannot become due"):
        payment_release(payment=approved, by=manager)


# Dates that contradict each other --------------------------------------------------


@pytest.fixture
def started_in_june(project):
    project.starts_on = datetime.date(2011, 6, 1)
    project.save(update_fields=["starts_on"])
    return project


def test_a_milestone_cannot_be_due_forecast_or_achieved_before_the_project_starts(
    started_in_june,
):
    may = datetime.date(2011, 5, 31)
    milestone = started_in_june.milestones.get(position=1)

    with pytest.raises(ProjectError, match="cannot be due before the project starts, on 1 June"):
        milestone_add(project=started_in_june, title="Early", due_on=may, by=None)
    with pytest.raises(ProjectError, match="cannot be forecast before the project starts") as no:
        milestone_reprofile(milestone=milestone, new_forecast_on=may, reason="Early", by=None)
    assert no.value.field == "new_forecast_on"
    with pytest.raises(ProjectError, match="cannot be achieved before the project starts") as no:
        milestone_log_achieved(milestone=milestone, achieved_on=may, delivered="Desk", by=None)
    assert no.value.field == "achieved_on"
    milestone.refresh_from_db()
    assert (milestone.status, milestone.forecast_on) == ("planned", SEPTEMBER)
    assert started_in_june.milestones.count() == 2


def test_a_milestone_cannot_be_verified_before_it_was_achieved(project):
    milestone = project.milestones.get(position=1)
    milestone_log_achieved(milestone=milestone, achieved_on=SEPTEMBER, delivered="Desk", by=None)

    with pytest.raises(ProjectError, match="verified before it was achieved, on 30 September"):
        milestone_verify(
            milestone=milestone, by=UserFactory(), verified_on=datetime.date(2011, 9, 1)
        )

    milestone.refresh_from_db()
    assert milestone.status == Milestone.Status.ACHIEVED


def test_a_payment_cannot_be_approved_before_its_milestone_was_verified_nor_in_the_future(
    project,
):
    milestone = project.milestones.get(position=1)
    milestone_log_achieved(milestone=milestone, achieved_on=SEPTEMBER, delivered="Desk", by=None)
    milestone_verify(milestone=milestone, by=UserFactory(), verified_on=SEPTEMBER)

    with pytest.raises(ProjectError, match="before its milestone was verified, on 30 September"):
        payment_approve(
            payment=first_payment(project), by=UserFactory(), approved_on=datetime.date(2011, 9, 1)
        )
    with pytest.raises(ProjectError, match="cannot be in the future"):
        payment_approve(
            payment=first_payment(project),
            by=UserFactory(),
            approved_on=datetime.date.today() + datetime.timedelta(days=1),
        )

    assert first_payment(project).status == GrantPayment.Status.DUE
