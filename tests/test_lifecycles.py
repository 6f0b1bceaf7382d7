"""Every status in the portal moves along the lifecycle its model declares: each legal
move is walked through the one helper, every other move is refused, and each lifecycle
refuses an illegal move through its real service with a clear message, changing
nothing."""

import datetime
from decimal import Decimal

import pytest

from bids.models import Bid
from bids.services import BidError, bid_withdraw
from partnership.errors import PortalError
from partnership.lifecycles import Lifecycle
from partnership.models import Download, Meeting
from partnership.services import MeetingError, meeting_minutes_approve
from projects.models import (
    ChangeRequest,
    Clawback,
    GrantPayment,
    Milestone,
    ProgressReport,
    Project,
)
from projects.services import (
    ProjectError,
    change_request_refuse,
    clawback_record_received,
    milestone_verify,
    payment_approve,
    progress_report_correct,
    project_close,
)
from reports.models import BoardPack
from reports.services import BoardPackError, board_pack_retry
from savings.models import SavingsReturn
from savings.services import SavingsError, savings_return_certify
from tests.factories import (
    BidFactory,
    GrantPaymentFactory,
    MeetingFactory,
    MilestoneFactory,
    OrganisationFactory,
    ProjectFactory,
    UserFactory,
)

DAY = datetime.date(2011, 9, 30)

LIFECYCLES = {
    "bid": (Bid, Bid.LIFECYCLE),
    "project": (Project, Project.LIFECYCLE),
    "milestone": (Milestone, Milestone.LIFECYCLE),
    "grant payment": (GrantPayment, GrantPayment.LIFECYCLE),
    "progress report": (ProgressReport, ProgressReport.LIFECYCLE),
    "change request": (ChangeRequest, ChangeRequest.LIFECYCLE),
    "clawback": (Clawback, Clawback.LIFECYCLE),
    "savings return": (SavingsReturn, SavingsReturn.LIFECYCLE),
    "meeting minutes": (Meeting, Meeting.MINUTES_LIFECYCLE),
    "board pack": (BoardPack, BoardPack.LIFECYCLE),
    "download": (Download, Download.LIFECYCLE),
}


def moves(legal: bool):
    return [
        pytest.param(model, lifecycle, start, to, id=f"{name}: {start} to {to}")
        for name, (model, lifecycle) in LIFECYCLES.items()
        for start in lifecycle.states.values
        for to in lifecycle.states.values
        if (to in lifecycle.transitions[start]) == legal
    ]


@pytest.mark.parametrize(("model", "lifecycle", "start", "to"), moves(legal=True))
def test_every_legal_move_is_made_and_recorded(model, lifecycle, start, to):
    by = UserFactory.build()
    record = model(**{lifecycle.field: start})
    lifecycle.move(record, to, by=by)
    assert getattr(record, lifecycle.field) == to
    assert record._history_user is by
    assert record._change_reason.endswith(f"changed to {lifecycle.states(to).label}")


@pytest.mark.parametrize(("model", "lifecycle", "start", "to"), moves(legal=False))
def test_every_other_move_is_refused_and_leaves_the_status(model, lifecycle, start, to):
    # A payment paid or a refund received has its date, which the refusal names.
    dates = {name: DAY for name in ("paid_on", "received_on") if hasattr(model, name)}
    record = model(**{lifecycle.field: start}, **dates)
    with pytest.raises(PortalError):
        lifecycle.move(record, to, by=None)
    assert getattr(record, lifecycle.field) == start


def test_the_refusal_names_the_states_by_their_labels():
    payment = GrantPayment(status=GrantPayment.Status.PAID)
    with pytest.raises(
        ProjectError, match="^A grant payment that is paid cannot become withheld.$"
    ):
        GrantPayment.LIFECYCLE.move(
            payment, GrantPayment.Status.WITHHELD, by=None, error=ProjectError
        )


def test_a_lifecycle_must_say_where_every_state_goes():
    with pytest.raises(ValueError, match="must list every state"):
        Lifecycle(Bid.Status, {Bid.Status.DRAFT: {Bid.Status.SUBMITTED}})


# One illegal move per lifecycle, through its service ----------------------------------


def refused(service, error, message, record, **kwargs):
    """Call the service, expect the refusal, and show nothing changed in the database."""
    status_before = type(record).objects.values_list("pk", "status").get(pk=record.pk)
    with pytest.raises(error, match=message):
        service(**kwargs)
    assert type(record).objects.values_list("pk", "status").get(pk=record.pk) == status_before


@pytest.mark.django_db
def test_a_rejected_bid_cannot_be_withdrawn():
    bid = BidFactory(status=Bid.Status.REJECTED)
    refused(
        bid_withdraw,
        BidError,
        "A bid that is rejected cannot become withdrawn.",
        bid,
        bid=bid,
        by=None,
    )


@pytest.mark.django_db
def test_a_closed_project_cannot_be_closed_again():
    project = ProjectFactory(status=Project.Status.CLOSED)
    refused(
        project_close,
        ProjectError,
        "This project is already closed.",
        project,
        project=project,
        delivered="Everything",
        savings_realised=Decimal("0"),
        lessons_learnt="Plenty",
        by=UserFactory(),
    )


@pytest.mark.django_db
def test_a_planned_milestone_cannot_be_verified():
    milestone = MilestoneFactory()
    refused(
        milestone_verify,
        ProjectError,
        "A milestone that is planned cannot become verified.",
        milestone,
        milestone=milestone,
        by=UserFactory(),
    )


@pytest.mark.django_db
def test_a_scheduled_payment_cannot_be_approved_for_release():
    payment = GrantPaymentFactory()
    refused(
        payment_approve,
        ProjectError,
        "A grant payment that is scheduled cannot become approved for release.",
        payment,
        payment=payment,
        by=UserFactory(),
    )


@pytest.mark.django_db
def test_a_draft_report_is_not_corrected():
    report = ProgressReport.objects.create(
        project=ProjectFactory(), financial_year=2011, quarter=2, rag="green"
    )
    refused(
        progress_report_correct,
        ProjectError,
        "Only a submitted report is corrected; edit the draft instead.",
        report,
        report=report,
        by=UserFactory(),
    )


@pytest.mark.django_db
def test_a_refused_change_request_cannot_be_refused_again():
    request = ChangeRequest.objects.create(
        project=ProjectFactory(),
        kind=ChangeRequest.Kind.SCOPE,
        reason="Wider scope",
        new_scope="Two more councils",
        requested_by=UserFactory(),
        status=ChangeRequest.Status.REFUSED,
    )
    refused(
        change_request_refuse,
        ProjectError,
        "This request was already refused.",
        request,
        request=request,
        note="Still no",
        by=UserFactory(),
    )


@pytest.mark.django_db
def test_a_refund_is_received_once():
    project = ProjectFactory()
    clawback = Clawback(project=project, amount=Decimal("100"), reason="r", demanded_on=DAY)
    Clawback.LIFECYCLE.move(clawback, Clawback.Status.RECEIVED, by=None)
    clawback.received_on = DAY
    clawback.ledger_entry = project.programme.ledger_entries.create(
        kind="clawback", amount=Decimal("100"), occurred_on=DAY, budget_line=project.budget_line
    )
    clawback.save()
    refused(
        clawback_record_received,
        ProjectError,
        "This refund was received on 30 September 2011.",
        clawback,
        clawback=clawback,
        received_on=DAY,
        reference="RF-2",
        by=UserFactory(),
    )


@pytest.mark.django_db
def test_a_return_sent_back_cannot_be_certified():
    savings_return = SavingsReturn.objects.create(
        organisation=OrganisationFactory(),
        financial_year=2011,
        quarter=1,
        submitted_by=UserFactory(),
        status=SavingsReturn.Status.RETURNED,
    )
    refused(
        savings_return_certify,
        SavingsError,
        "This return is not awaiting sign-off: its status is “Changes requested”.",
        savings_return,
        savings_return=savings_return,
        by=UserFactory(),
    )


@pytest.mark.django_db
def test_a_draft_return_cannot_be_certified():
    draft = SavingsReturn.objects.create(
        organisation=OrganisationFactory(),
        financial_year=2011,
        quarter=1,
        version=0,
        draft={"source": "form", "rows": []},
        status=SavingsReturn.Status.DRAFT,
    )
    refused(
        savings_return_certify,
        SavingsError,
        "This return is not awaiting sign-off: its status is “Draft”.",
        draft,
        savings_return=draft,
        by=UserFactory(),
    )


@pytest.mark.django_db
def test_minutes_not_drafted_cannot_be_approved():
    meeting = MeetingFactory()
    later = MeetingFactory(partnership=meeting.partnership, held_on=datetime.date(2011, 6, 1))
    before = Meeting.objects.values_list("minutes_status").get(pk=meeting.pk)
    with pytest.raises(MeetingError, match="Draft the minutes before they are approved."):
        meeting_minutes_approve(meeting=meeting, at_meeting=later, by=None)
    assert Meeting.objects.values_list("minutes_status").get(pk=meeting.pk) == before


@pytest.mark.django_db
def test_only_a_failed_pack_is_tried_again():
    pack = BoardPack.objects.create(meeting=MeetingFactory(), requested_by=UserFactory())
    refused(
        board_pack_retry,
        BoardPackError,
        "Only a pack that failed can be tried again.",
        pack,
        pack=pack,
        by=None,
    )
