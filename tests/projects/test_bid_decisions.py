"""The board's decision on a bid, recorded by the programme manager: an approval commits
the grant and makes the bid's project; a referral back names the work needed."""

import datetime
import re
from decimal import Decimal
from html import unescape

import pytest
from django.urls import reverse

from bids.models import Bid
from bids.selectors import round_money
from bids.services import BidError
from partnership.models import Decision, Meeting, Role
from programmes.selectors import budget_line_balance
from projects.models import GrantPayment, Project
from projects.services import bid_approve_into_project
from tests.concurrency import needs_postgres, run_together
from tests.factories import (
    BiddingRoundFactory,
    BidFactory,
    OrganisationFactory,
    PartnershipFactory,
    ProjectFactory,
    funded_budget_line,
    user_with_role,
)

D = Decimal
MEETING_ON = datetime.date(2011, 4, 12)


@pytest.fixture
def partnership(db):
    return PartnershipFactory(short_name="EM IEP")


@pytest.fixture
def bidding_round(partnership):
    return BiddingRoundFactory(
        budget_line=funded_budget_line(D("750000"), programme__partnership=partnership),
        amount_available=D("750000"),
    )


@pytest.fixture
def bid(bidding_round, partnership):
    bid = BidFactory(
        bidding_round=bidding_round,
        number=1,
        title="Shared ICT",
        sponsor=OrganisationFactory(name="North Kesteven District Council"),
        grant_requested=D("100000"),
        status=Bid.Status.SUBMITTED,
        recommendation=Bid.Recommendation.APPROVE,
    )
    bid.partners.add(OrganisationFactory(name="Lincolnshire County Council"))
    return bid


@pytest.fixture
def decision(partnership):
    meeting = Meeting.objects.create(partnership=partnership, held_on=MEETING_ON)
    return Decision.objects.create(meeting=meeting, text="The board approved the bids scoring 7.")


@pytest.fixture
def manager(partnership):
    return user_with_role(Role.Kind.PROGRAMME_MANAGER, partnership=partnership)


def approval(minuted, **changes) -> dict:
    return {
        "outcome": "approve",
        "grant_allocated": "90,000",
        "reference": "EMIEP-2011-01",
        "first_milestone": "Partners signed up and project plan agreed",
        "first_milestone_due_on_0": "30",
        "first_milestone_due_on_1": "9",
        "first_milestone_due_on_2": "2011",
        "first_payment": "36000",
        "recommendation_note": "",
        "decision": minuted.pk,
        **changes,
    }


def decide(client, bid, data):
    return client.post(reverse("bid_decisions:decide", args=[bid.pk]), data)


def summary(response) -> list[str]:
    html = response.content.decode()
    start = html.index('class="govuk-error-summary"')
    found = re.findall(r'<a href="[^"]*">([^<]+)</a>', html[start : html.index("</ul>", start)])
    return [unescape(message) for message in found]


def test_approving_a_bid_makes_its_project_led_by_the_sponsor_with_a_first_milestone(
    client, manager, bid, bidding_round, decision
):
    client.force_login(manager)
    page = client.get(bid.get_absolute_url()).content.decode()
    assert reverse("bid_decisions:decide", args=[bid.pk]) in page

    response = decide(client, bid, approval(decision))

    project = Project.objects.get()
    assert response["Location"] == project.get_absolute_url()
    assert (project.reference, project.title) == ("EMIEP-2011-01", "Shared ICT")
    assert project.lead_organisation.name == "North Kesteven District Council"
    assert [p.name for p in project.partners.all()] == ["Lincolnshire County Council"]
    assert (project.programme, project.budget_line) == (
        bidding_round.budget_line.programme,
        bidding_round.budget_line,
    )
    assert project.grant_awarded == D("90000.00")  # less than the 100,000 requested
    milestone = project.milestones.get()
    assert milestone.title == "Partners signed up and project plan agreed"
    assert milestone.due_on == datetime.date(2011, 9, 30)
    assert GrantPayment.objects.get(milestone=milestone).amount == D("36000.00")
    bid.refresh_from_db()
    assert (bid.status, bid.grant_allocated, bid.decision) == ("approved", D("90000"), decision)
    assert round_money(bidding_round).remaining == D("660000.00")
    assert budget_line_balance(bidding_round.budget_line).available == D("660000.00")
    assert "Status changed to Approved" in client.get(bid.get_absolute_url()).content.decode()


def test_an_approval_over_what_the_round_has_left_is_refused_and_nothing_is_made(
    client, manager, bid, bidding_round, decision
):
    bidding_round.amount_available = D("50000")
    bidding_round.save()
    client.force_login(manager)

    response = decide(client, bid, approval(decision, grant_allocated="60000"))

    assert response.status_code == 400
    assert summary(response) == [
        f"{bidding_round.name} has only £50,000.00 left; £60,000.00 cannot be approved."
    ]
    assert 'href="#id_grant_allocated"' in response.content.decode()
    assert not Project.objects.exists()
    bid.refresh_from_db()
    assert bid.status == Bid.Status.SUBMITTED


def test_an_approval_whose_first_payment_exceeds_the_award_leaves_no_trace(
    client, manager, bid, bidding_round, decision
):
    client.force_login(manager)

    response = decide(client, bid, approval(decision, first_payment="95000"))

    assert response.status_code == 400
    assert not Project.objects.exists()
    bid.refresh_from_db()
    assert bid.status == Bid.Status.SUBMITTED
    assert round_money(bidding_round).remaining == D("750000.00")


def test_an_approval_needs_its_project_details_and_a_minuted_decision(
    client, manager, bid, decision
):
    ProjectFactory(reference="EMIEP-2011-01")
    client.force_login(manager)

    response = decide(
        client,
        bid,
        approval(
            decision,
            grant_allocated="",
            first_milestone="",
            first_milestone_due_on_0="",
            first_milestone_due_on_1="",
            first_milestone_due_on_2="",
            decision="",
        ),
    )

    assert response.status_code == 400
    assert summary(response) == [
        "Enter the grant the board allocated",
        "Another project already has the reference EMIEP-2011-01",
        "Enter the project's first outcome milestone",
        "Enter the date the first milestone is due",
        "Choose the board decision, as minuted at its meeting",
    ]


def test_a_referral_back_names_the_work_needed_and_ignores_the_approval_fields(
    client, manager, bid, decision
):
    client.force_login(manager)

    missing = decide(client, bid, approval(decision, outcome="refer_back", grant_allocated="x"))
    assert summary(missing) == ["Say what further work the bid needs"]
    assert 'href="#id_outcome_0"' not in missing.content.decode()
    response = decide(
        client,
        bid,
        approval(decision, outcome="refer_back", recommendation_note="Quantify the savings"),
    )

    bid.refresh_from_db()
    assert response["Location"] == bid.get_absolute_url()
    assert (bid.status, bid.recommendation_note, bid.decision) == (
        "referred_back",
        "Quantify the savings",
        decision,
    )
    assert not Project.objects.exists()


def test_a_rejection_is_recorded_against_the_decision(client, manager, bid, decision):
    client.force_login(manager)

    decide(client, bid, {"outcome": "reject", "decision": decision.pk})

    bid.refresh_from_db()
    assert (bid.status, bid.decision) == ("rejected", decision)


def test_a_decided_bid_is_not_offered_for_a_decision_again(client, manager, bid, decision):
    client.force_login(manager)
    decide(client, bid, {"outcome": "reject", "decision": decision.pk})

    response = client.get(reverse("bid_decisions:decide", args=[bid.pk]))

    assert response["Location"] == bid.get_absolute_url()
    assert reverse("bid_decisions:decide", args=[bid.pk]) not in (
        client.get(bid.get_absolute_url()).content.decode()
    )


def test_only_the_partnerships_programme_managers_record_decisions(
    client, bid, decision, partnership
):
    board_member = user_with_role(Role.Kind.BOARD_MEMBER, partnership=partnership)
    other_manager = user_with_role(Role.Kind.PROGRAMME_MANAGER, partnership=PartnershipFactory())
    sponsor_officer = user_with_role(Role.Kind.OFFICER, organisation=bid.sponsor)
    url = reverse("bid_decisions:decide", args=[bid.pk])

    for user, refusal in ((board_member, 403), (sponsor_officer, 403), (other_manager, 404)):
        client.force_login(user)
        assert client.get(url).status_code == refusal
        assert client.post(url, approval(decision)).status_code == refusal
    assert not Project.objects.exists()


@needs_postgres
@pytest.mark.django_db(transaction=True)
def test_two_approvals_at_the_same_moment_cannot_take_the_round_below_zero():
    bidding_round = BiddingRoundFactory(
        budget_line=funded_budget_line(D("100000")), amount_available=D("100000")
    )
    first, second = (
        BidFactory(bidding_round=bidding_round, grant_requested=D("60000"), status="submitted")
        for _ in range(2)
    )

    outcomes = run_together(
        *(
            lambda bid=bid, reference=reference: bid_approve_into_project(
                bid=bid,
                grant_allocated=D("60000"),
                decision=None,
                reference=reference,
                first_milestone="Project plan agreed",
                first_milestone_due_on=datetime.date(2011, 9, 30),
                by=None,
            )
            for bid, reference in ((first, "P-1"), (second, "P-2"))
        )
    )

    assert sum(isinstance(outcome, Project) for outcome in outcomes) == 1
    assert sum(isinstance(outcome, BidError) for outcome in outcomes) == 1
    assert Project.objects.count() == 1
    assert round_money(bidding_round).remaining == D("40000.00")
