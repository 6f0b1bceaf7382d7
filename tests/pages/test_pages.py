"""The read-only page behind every object's ``get_absolute_url()``: who may open it,
what it shows, and that its tables cost the same number of queries however long."""

import datetime
import re
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bids.models import Bid, Score
from partnership.models import Action, AgendaItem, Attendance, Decision, Meeting, Organisation, Role
from partnership.object_pages import viewable_object_or_404
from programmes.models import LedgerEntry
from programmes.services import ledger_record
from projects.models import GrantPayment, Milestone, ProgressReport, Project
from savings.models import SavingsReturn
from tests.factories import (
    BiddingRoundFactory,
    BidFactory,
    CriterionFactory,
    FundingSourceFactory,
    GrantPaymentFactory,
    MilestoneFactory,
    OrganisationFactory,
    PartnershipFactory,
    ProgrammeFactory,
    ProjectFactory,
    SavingsCategoryFactory,
    SavingsEntryFactory,
    SubRegionFactory,
    funded_budget_line,
    user_with_role,
)

pytestmark = pytest.mark.django_db

ON = datetime.date(2011, 4, 1)


@pytest.fixture
def em_iep():
    """A partnership with two member councils, a funded Projects budget line and the
    people who use it."""
    partnership = PartnershipFactory(
        name="East Midlands Improvement and Efficiency Partnership",
        short_name="EM IEP",
        slug="em-iep",
        region="East Midlands",
    )
    north_kesteven = OrganisationFactory(
        name="North Kesteven District Council", gss_code="E07000139", partnership=partnership
    )
    derbyshire = OrganisationFactory(
        name="Derbyshire County Council",
        kind=Organisation.Kind.COUNTY,
        gss_code="E10000007",
        partnership=partnership,
    )
    line = funded_budget_line(
        name="Projects",
        programme__partnership=partnership,
        programme__name="Improvement and Efficiency Programme 2011/13",
    )
    return {
        "partnership": partnership,
        "north_kesteven": north_kesteven,
        "derbyshire": derbyshire,
        "line": line,
        "programme": line.programme,
        "manager": user_with_role(Role.Kind.PROGRAMME_MANAGER, partnership=partnership),
        "board": user_with_role(Role.Kind.BOARD_MEMBER, partnership=partnership),
        "nk_officer": user_with_role(Role.Kind.OFFICER, organisation=north_kesteven),
        "derbyshire_officer": user_with_role(Role.Kind.OFFICER, organisation=derbyshire),
    }


def page(client, user, obj):
    client.force_login(user)
    return client.get(obj.get_absolute_url())


def text(response) -> str:
    return response.content.decode()


# Who may open a page


def test_a_visitor_who_has_not_signed_in_is_sent_to_sign_in_from_every_page(client, em_iep):
    project = ProjectFactory(budget_line=em_iep["line"])
    bid = BidFactory(bidding_round__budget_line=em_iep["line"])
    meeting = Meeting.objects.create(partnership=em_iep["partnership"], held_on=ON)
    savings_return = SavingsReturn.objects.create(
        organisation=em_iep["derbyshire"], financial_year=2010, quarter=1
    )
    report = ProgressReport.objects.create(
        project=project, financial_year=2011, quarter=1, rag="green"
    )
    pages = [
        em_iep["partnership"],
        em_iep["derbyshire"],
        SubRegionFactory(partnership=em_iep["partnership"]),
        meeting,
        em_iep["programme"],
        em_iep["line"],
        bid.bidding_round,
        bid,
        project,
        MilestoneFactory(project=project),
        GrantPaymentFactory(project=project),
        report,
        savings_return,
    ]

    for obj in pages:
        response = client.get(obj.get_absolute_url())

        assert response.status_code == 302, obj
        assert response["Location"] == f"{reverse('login')}?next={obj.get_absolute_url()}"


def test_officer_of_another_council_gets_not_found_for_a_project_not_theirs(client, em_iep):
    project = ProjectFactory(budget_line=em_iep["line"], lead_organisation=em_iep["derbyshire"])

    response = page(client, em_iep["nk_officer"], project)

    assert response.status_code == 404


def test_officer_of_another_council_gets_not_found_for_a_draft_bid_not_theirs(client, em_iep):
    bid = BidFactory(bidding_round__budget_line=em_iep["line"], sponsor=em_iep["derbyshire"])

    response = page(client, em_iep["nk_officer"], bid)

    assert response.status_code == 404


def test_officer_sees_their_own_councils_draft_bid(client, em_iep):
    bid = BidFactory(
        bidding_round__budget_line=em_iep["line"],
        sponsor=em_iep["north_kesteven"],
        title="Shared ICT",
    )

    response = page(client, em_iep["nk_officer"], bid)

    assert response.status_code == 200
    assert "Shared ICT" in text(response)
    assert "Draft" in text(response)


def test_board_member_sees_a_submitted_bid_but_not_a_draft(client, em_iep):
    bidding_round = BiddingRoundFactory(budget_line=em_iep["line"])
    submitted = BidFactory(
        bidding_round=bidding_round, title="Shared ICT", status=Bid.Status.SUBMITTED
    )
    draft = BidFactory(bidding_round=bidding_round, title="Fleet Management")
    client.force_login(em_iep["board"])

    assert client.get(submitted.get_absolute_url()).status_code == 200
    assert client.get(draft.get_absolute_url()).status_code == 404
    round_page = text(client.get(bidding_round.get_absolute_url()))
    assert "Shared ICT" in round_page
    assert "Fleet Management" not in round_page


def test_a_board_member_of_another_partnership_gets_not_found_for_a_programme(client, em_iep):
    outsider = user_with_role(Role.Kind.BOARD_MEMBER, partnership=PartnershipFactory())

    response = page(client, outsider, em_iep["programme"])

    assert response.status_code == 404


def test_a_user_with_no_role_gets_not_found_for_a_partnership(client, em_iep):
    response = page(
        client,
        user_with_role(Role.Kind.OFFICER, organisation=OrganisationFactory()),
        em_iep["partnership"],
    )

    assert response.status_code == 404


def test_a_page_refuses_an_object_its_permission_rule_refuses_even_if_the_query_found_it(
    rf, em_iep
):
    project = ProjectFactory(budget_line=em_iep["line"], lead_organisation=em_iep["derbyshire"])
    request = rf.get(project.get_absolute_url())
    request.user = em_iep["nk_officer"]

    with pytest.raises(PermissionDenied):
        viewable_object_or_404(request, Project.objects.all(), pk=project.pk)


# What each page shows


def test_partnership_page_lists_members_sub_regions_programmes_and_meetings(client, em_iep):
    SubRegionFactory(partnership=em_iep["partnership"], name="Derbyshire SRP")
    Meeting.objects.create(partnership=em_iep["partnership"], held_on=datetime.date(2010, 11, 26))
    em_iep["partnership"].themes.create(name="Efficiency")

    response = page(client, em_iep["nk_officer"], em_iep["partnership"])

    assert response.status_code == 200
    body = text(response)
    assert "East Midlands Improvement and Efficiency Partnership" in body
    assert "Member organisations (2)" in body
    assert "Derbyshire County Council" in body
    assert "Derbyshire SRP" in body
    assert "Efficiency" in body
    assert "Improvement and Efficiency Programme 2011/13" in body
    assert "26 November 2010" in body


def test_organisation_page_shows_its_kind_gss_code_and_partnerships(client, em_iep):
    SubRegionFactory(partnership=em_iep["partnership"], name="Derbyshire SRP").members.add(
        em_iep["derbyshire"]
    )

    response = page(client, em_iep["nk_officer"], em_iep["derbyshire"])

    body = text(response)
    assert response.status_code == 200
    assert "County council" in body
    assert "E10000007" in body
    assert "East Midlands Improvement and Efficiency Partnership" in body
    assert "Derbyshire SRP" in body


def test_sub_region_page_shows_members_accountable_body_and_programmes(client, em_iep):
    sub_region = SubRegionFactory(
        partnership=em_iep["partnership"],
        name="Derbyshire SRP",
        accountable_body=em_iep["derbyshire"],
    )
    sub_region.members.add(em_iep["derbyshire"])
    ProgrammeFactory(
        partnership=em_iep["partnership"], sub_region=sub_region, name="Derbyshire SRP 2008/11"
    )

    response = page(client, em_iep["board"], sub_region)

    body = text(response)
    assert response.status_code == 200
    assert "Derbyshire County Council" in body
    assert "Derbyshire SRP 2008/11" in body


def test_meeting_page_groups_attendance_and_tags_each_action_done_or_outstanding(client, em_iep):
    meeting = Meeting.objects.create(
        partnership=em_iep["partnership"], held_on=datetime.date(2010, 11, 26), place="Melton"
    )
    Attendance.objects.create(
        meeting=meeting, kind=Attendance.Kind.MEMBER, role_as_recorded="Councillor, Derbyshire CC"
    )
    Attendance.objects.create(
        meeting=meeting, kind=Attendance.Kind.APOLOGIES, role_as_recorded="Councillor, Rutland CC"
    )
    item = AgendaItem.objects.create(meeting=meeting, number=5, title="Regional Programme update")
    Decision.objects.create(meeting=meeting, agenda_item=item, text="The board noted the report.")
    Action.objects.create(meeting=meeting, text="Circulate the bids table", owner="SA", done_on=ON)
    Action.objects.create(
        meeting=meeting,
        text="Report on underspend",
        owner="DH",
        due_on=datetime.date(2099, 1, 1),
    )

    response = page(client, em_iep["board"], meeting)

    body = text(response)
    assert response.status_code == 200
    assert "Melton" in body
    assert "Board member present (1)" in body
    assert "Apologies (1)" in body
    assert body.index("Board member present") < body.index("Apologies")
    assert "Regional Programme update" in body
    assert "The board noted the report." in body
    assert 'govuk-tag--green">Done' in body
    assert 'govuk-tag--yellow">Outstanding' in body


def test_programme_page_shows_budget_line_balances_derived_from_the_ledger(client, em_iep):
    programme, line = em_iep["programme"], em_iep["line"]
    extra = FundingSourceFactory(programme=programme, name="Clawed-back underspend")
    ledger_record(
        programme=programme,
        kind=LedgerEntry.Kind.FUNDING,
        amount=Decimal("250000.00"),
        occurred_on=ON,
        funding_source=extra,
        by=None,
    )
    ledger_record(
        programme=programme,
        kind=LedgerEntry.Kind.COMMITMENT,
        amount=Decimal("320000.00"),
        occurred_on=ON,
        budget_line=line,
        by=None,
    )
    ledger_record(
        programme=programme,
        kind=LedgerEntry.Kind.PAYMENT,
        amount=Decimal("80000.00"),
        occurred_on=ON,
        budget_line=line,
        by=None,
    )

    response = page(client, em_iep["manager"], programme)

    body = text(response)
    assert response.status_code == 200
    assert "£1,000,000" in body  # funds received: 750,000 + 250,000
    assert "£250,000" in body  # not yet allocated, and received from the clawed-back source
    assert "£320,000" in body  # committed
    assert "£80,000" in body  # paid
    assert "£430,000" in body  # the line's 750,000 less 320,000 committed
    assert "Clawed-back underspend" in body
    assert "Ledger" in body


def test_programme_page_keeps_the_ledger_from_an_officer(client, em_iep):
    response = page(client, em_iep["nk_officer"], em_iep["programme"])

    assert response.status_code == 200
    assert "£750,000" in text(response)
    assert "Every movement of the programme" not in text(response)


def test_budget_line_page_shows_its_balances_rounds_and_projects(client, em_iep):
    line = em_iep["line"]
    BiddingRoundFactory(budget_line=line, name="April 2011 round")
    ProjectFactory(budget_line=line, title="Shared ICT")
    ledger_record(
        programme=line.programme,
        kind=LedgerEntry.Kind.COMMITMENT,
        amount=Decimal("320000.00"),
        occurred_on=ON,
        budget_line=line,
        by=None,
    )

    response = page(client, em_iep["board"], line)

    body = text(response)
    assert response.status_code == 200
    assert "£430,000" in body
    assert "April 2011 round" in body
    assert "Shared ICT" in body


def test_round_page_ranks_the_bids_by_points_then_number(client, em_iep):
    bidding_round = BiddingRoundFactory(budget_line=em_iep["line"], guidance="Bids close at noon.")
    CriterionFactory(bidding_round=bidding_round, name="Does it involve other councils?")
    for number, points, title in [
        (1, 6, "Fleet Management"),
        (2, 7, "Shared ICT"),
        (3, 7, "EM Public Sector Network"),
        (4, None, "Unscored"),
    ]:
        BidFactory(
            bidding_round=bidding_round,
            number=number,
            agreed_points=points,
            title=title,
            status=Bid.Status.SUBMITTED,
        )

    response = page(client, em_iep["board"], bidding_round)

    body = text(response)
    assert response.status_code == 200
    assert "Does it involve other councils?" in body
    assert "Bids close at noon." in body
    positions = [
        body.index(title)
        for title in ["Shared ICT", "EM Public Sector Network", "Fleet Management", "Unscored"]
    ]
    assert positions == sorted(positions)


def test_round_page_shows_savings_as_claimed_and_payback(client, em_iep):
    BidFactory(
        bidding_round__budget_line=em_iep["line"],
        sponsor=em_iep["north_kesteven"],
        title="Shared ICT",
        grant_requested=Decimal("100000.00"),
        savings_claimed=Decimal("2137416.00"),
        savings_basis=Bid.SavingsBasis.OVER_YEARS,
        savings_years=5,
        savings_claimed_as_written="2,137,416 5 years",
        builds_on_good_practice=None,
    )
    bid = Bid.objects.get()

    response = page(client, em_iep["nk_officer"], bid.bidding_round)

    body = text(response)
    assert "£2,137,416 over 5 years" in body
    assert "0.23" in body
    assert "Not specified" in body
    assert "No bids yet." not in body


def test_round_page_says_when_there_are_no_bids(client, em_iep):
    response = page(client, em_iep["board"], BiddingRoundFactory(budget_line=em_iep["line"]))

    assert "No bids yet." in text(response)


def test_bid_page_shows_the_derived_saving_payback_and_return_beside_the_claim(client, em_iep):
    meeting = Meeting.objects.create(
        partnership=em_iep["partnership"], held_on=datetime.date(2011, 4, 12)
    )
    decision = Decision.objects.create(meeting=meeting, text="Approved bids 1 to 3.")
    bid = BidFactory(
        bidding_round__budget_line=em_iep["line"],
        title="Shared ICT",
        grant_requested=Decimal("100000.00"),
        savings_claimed=Decimal("2137416.00"),
        savings_basis=Bid.SavingsBasis.OVER_YEARS,
        savings_years=5,
        status=Bid.Status.APPROVED,
        grant_allocated=Decimal("100000.00"),
        recommendation=Bid.Recommendation.APPROVE,
        agreed_points=7,
        decision=decision,
    )
    criterion = CriterionFactory(bidding_round=bid.bidding_round, name="Cashable savings")
    Score.objects.create(bid=bid, criterion=criterion, scorer=em_iep["manager"], points=3)

    response = page(client, em_iep["board"], bid)

    body = text(response)
    assert response.status_code == 200
    assert "£2,137,416 over 5 years" in body
    assert "£427,483" in body  # a year, over five years
    assert "0.23 years" in body
    assert "£2,037,416" in body  # five years of saving less the grant
    assert "Approved bids 1 to 3." in body
    assert meeting.get_absolute_url() in body
    assert "Cashable savings" in body
    assert "3 of 3" in body


def test_project_page_shows_the_award_what_the_ledger_paid_and_the_milestones(client, em_iep):
    project = ProjectFactory(
        budget_line=em_iep["line"],
        lead_organisation=em_iep["north_kesteven"],
        title="Shared ICT",
        grant_awarded=Decimal("100000.00"),
    )
    project.partners.add(em_iep["derbyshire"])
    MilestoneFactory(project=project, title="Shared service desk live")
    GrantPaymentFactory(project=project, amount=Decimal("25000.00"))
    ledger_record(
        programme=project.programme,
        kind=LedgerEntry.Kind.COMMITMENT,
        amount=Decimal("100000.00"),
        occurred_on=ON,
        budget_line=project.budget_line,
        subject=project,
        by=None,
    )
    ledger_record(
        programme=project.programme,
        kind=LedgerEntry.Kind.PAYMENT,
        amount=Decimal("40000.00"),
        occurred_on=ON,
        budget_line=project.budget_line,
        subject=project,
        by=None,
    )
    ProgressReport.objects.create(project=project, financial_year=2011, quarter=2, rag="amber")

    response = page(client, em_iep["derbyshire_officer"], project)

    body = text(response)
    assert response.status_code == 200
    assert "£100,000" in body
    assert "£40,000" in body  # paid, from the ledger
    assert "£60,000" in body  # still to pay
    assert "Shared service desk live" in body
    assert "North Kesteven District Council" in body
    assert "Derbyshire County Council" in body
    assert "2011/12 quarter 2" in body


def test_milestone_payment_and_progress_report_pages_show_their_facts(client, em_iep):
    project = ProjectFactory(budget_line=em_iep["line"], lead_organisation=em_iep["north_kesteven"])
    milestone = MilestoneFactory(project=project, title="Shared service desk live")
    payment = GrantPaymentFactory(
        project=project,
        milestone=milestone,
        amount=Decimal("25000.00"),
        status=GrantPayment.Status.WITHHELD,
        withheld_reason="Evidence not yet supplied",
    )
    report = ProgressReport.objects.create(
        project=project,
        financial_year=2011,
        quarter=1,
        rag="red",
        narrative="Procurement slipped by a quarter.",
    )
    client.force_login(em_iep["nk_officer"])

    milestone_page = text(client.get(milestone.get_absolute_url()))
    payment_page = text(client.get(payment.get_absolute_url()))
    report_page = text(client.get(report.get_absolute_url()))

    assert "Shared service desk live" in milestone_page
    assert "£25,000" in milestone_page
    assert "30 September 2011" in milestone_page
    assert "Evidence not yet supplied" in payment_page
    assert 'govuk-tag--red">Withheld' in payment_page
    assert "Procurement slipped by a quarter." in report_page
    assert "2011/12" in report_page


def test_a_milestone_past_its_forecast_and_not_achieved_is_tagged_overdue(client, em_iep):
    project = ProjectFactory(budget_line=em_iep["line"])
    MilestoneFactory(project=project, due_on=datetime.date(2011, 9, 30))
    MilestoneFactory(
        project=project,
        due_on=datetime.date(2011, 6, 30),
        status=Milestone.Status.VERIFIED,
        achieved_on=datetime.date(2011, 6, 1),
        verified_on=datetime.date(2011, 6, 10),
    )

    body = text(page(client, em_iep["manager"], project))

    assert 'govuk-tag--red">Overdue' in body
    assert 'govuk-tag--green">Verified' in body


def test_savings_return_page_lists_the_entries_with_their_total(client, em_iep):
    savings_return = SavingsReturn.objects.create(
        organisation=em_iep["derbyshire"], financial_year=2010, quarter=3
    )
    category = SavingsCategoryFactory()
    for amount in ("10000.00", "32500.00"):
        SavingsEntryFactory(
            organisation=em_iep["derbyshire"],
            savings_return=savings_return,
            category=category,
            amount=Decimal(amount),
        )

    response = page(client, em_iep["board"], savings_return)

    body = text(response)
    assert response.status_code == 200
    assert "2010/11" in body
    assert "Q3 (Oct-Dec)" in body
    assert "£42,500" in body


def test_a_savings_return_totals_delivered_and_forecast_cashable_and_not_apart(client, em_iep):
    savings_return = SavingsReturn.objects.create(
        organisation=em_iep["derbyshire"], financial_year=2010, quarter=3
    )
    for amount, status, cashable in (
        ("18000.00", "delivered", True),
        ("4500.50", "forecast", False),
    ):
        SavingsEntryFactory(
            organisation=em_iep["derbyshire"],
            savings_return=savings_return,
            amount=Decimal(amount),
            status=status,
            cashable=cashable,
        )

    body = " ".join(
        re.sub(r"<[^>]+>", " ", text(page(client, em_iep["board"], savings_return))).split()
    )

    assert "Cashable Non-cashable Delivered £18,000.00 £0.00 Forecast £0.00 £4,500.50" in body
    assert "£22,50" not in body


def test_officer_of_another_council_gets_not_found_for_a_savings_return(client, em_iep):
    savings_return = SavingsReturn.objects.create(
        organisation=em_iep["derbyshire"], financial_year=2010, quarter=3
    )

    assert page(client, em_iep["nk_officer"], savings_return).status_code == 404


# Tables cost the same number of queries however many rows they have


def queries_to_open(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_round_page_costs_the_same_queries_for_3_bids_as_for_30(client, em_iep):
    client.force_login(em_iep["board"])
    small, large = (BiddingRoundFactory(budget_line=em_iep["line"]) for _ in range(2))
    for bidding_round, count in ((small, 3), (large, 30)):
        for _ in range(count):
            bid = BidFactory(
                bidding_round=bidding_round, status=Bid.Status.SUBMITTED, agreed_points=5
            )
            bid.partners.add(em_iep["derbyshire"])

    # Session, user, the user's roles, the round, whether the user is named to score
    # it, the round's named scorers, its criteria, the round's approved total and the
    # bids with their sponsors, and the menu's unread notifications.
    assert queries_to_open(client, small.get_absolute_url()) == 10
    assert queries_to_open(client, large.get_absolute_url()) == 10


def test_project_page_costs_the_same_queries_for_2_milestones_as_for_20(client, em_iep):
    client.force_login(em_iep["manager"])
    small, large = (ProjectFactory(budget_line=em_iep["line"]) for _ in range(2))
    for project, count in ((small, 2), (large, 20)):
        for _ in range(count):
            milestone = MilestoneFactory(project=project)
            GrantPaymentFactory(project=project, milestone=milestone)
        project.partners.add(em_iep["derbyshire"])

    # The ledger's content type is looked up once per process, then cached: look it up
    # before counting, so neither page pays for it.
    ContentType.objects.get_for_model(Project)

    # Session, user, the user's roles, the project with its programme, budget line,
    # lead, theme and bid, its partners, its ledger sums, milestones, payments with
    # their milestones, progress reports, change requests, risks, clawbacks, closure,
    # and the audit history of the project, milestones, payments, reports, risks and
    # change requests (one query each), and the menu's unread notifications.
    assert queries_to_open(client, small.get_absolute_url()) == 20
    assert queries_to_open(client, large.get_absolute_url()) == 20
